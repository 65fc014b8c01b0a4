/** Signing in locally (the local issuer); on AWS the console signs in with Cognito (cognito.ts). */
import { api } from './http';
import type { components } from './schema';

export type SignedIn = components['schemas']['SignedIn'];

export function signIn(username: string, password: string, newPassword?: string) {
  return api.post('/api/auth/login', { body: { username, password, ...(newPassword ? { newPassword } : {}) } });
}

export function refreshSession(refreshToken: string) {
  return api.post('/api/auth/refresh', { body: { refreshToken } });
}

/** Ends the session the token belongs to; called with the token because the tab has already dropped it. */
export function signOut(token: string) {
  return api.post('/api/auth/logout', { as: 'none', headers: { authorization: `Bearer ${token}` } });
}

export function changePassword(currentPassword: string, newPassword: string) {
  return api.post('/api/auth/password', { body: { currentPassword, newPassword }, as: 'none' });
}
