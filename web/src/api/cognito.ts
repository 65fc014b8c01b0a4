/**
 * Cognito hosted sign-in for the deployed console: the authorization code flow with PKCE (RFC
 * 7636; the console client has no secret). The API accepts Cognito ID tokens, so the ID token is
 * the bearer; refresh uses the refresh token grant; sign-out revokes it and leaves through /logout.
 */
import type { AuthConfig } from '../config';

type Cognito = Extract<AuthConfig, { kind: 'cognito' }>;

export interface CognitoTokens {
  idToken: string;
  refreshToken?: string;
  expiresAt: number;
}

const VERIFIER_KEY = 'gw.pkce.verifier';
const STATE_KEY = 'gw.pkce.state';

function base64url(bytes: Uint8Array): string {
  let text = '';
  for (const byte of bytes) text += String.fromCharCode(byte);
  return btoa(text).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function randomText(bytes = 32): string {
  return base64url(crypto.getRandomValues(new Uint8Array(bytes)));
}

export async function challengeOf(verifier: string): Promise<string> {
  return base64url(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))));
}

/** Where to send the browser to sign in; the verifier and state wait in sessionStorage for the callback. */
export async function authorizeUrl(config: Cognito, storage: Storage = sessionStorage): Promise<string> {
  const verifier = randomText();
  const state = randomText(16);
  storage.setItem(VERIFIER_KEY, verifier);
  storage.setItem(STATE_KEY, state);
  const params = new URLSearchParams({
    response_type: 'code',
    client_id: config.clientId,
    redirect_uri: config.redirectUri,
    scope: config.scopes.join(' '),
    state,
    code_challenge: await challengeOf(verifier),
    code_challenge_method: 'S256',
  });
  return `https://${config.domain}/oauth2/authorize?${params}`;
}

async function tokenRequest(config: Cognito, form: Record<string, string>): Promise<CognitoTokens> {
  const response = await fetch(`https://${config.domain}/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ client_id: config.clientId, ...form }),
  });
  if (!response.ok) throw new Error(`Cognito refused the token request (${response.status})`);
  const body = (await response.json()) as { id_token: string; refresh_token?: string; expires_in: number };
  return { idToken: body.id_token, refreshToken: body.refresh_token, expiresAt: Date.now() + body.expires_in * 1000 };
}

/** The callback: checks the state, swaps the code and the stored verifier for tokens. */
export async function completeSignIn(
  config: Cognito,
  code: string,
  state: string,
  storage: Storage = sessionStorage,
): Promise<CognitoTokens> {
  const expected = storage.getItem(STATE_KEY);
  const verifier = storage.getItem(VERIFIER_KEY);
  storage.removeItem(STATE_KEY);
  storage.removeItem(VERIFIER_KEY);
  if (!expected || expected !== state || !verifier) throw new Error('the sign-in answer does not match the request that asked for it');
  return tokenRequest(config, { grant_type: 'authorization_code', code, redirect_uri: config.redirectUri, code_verifier: verifier });
}

export async function refreshTokens(config: Cognito, refreshToken: string): Promise<CognitoTokens> {
  const tokens = await tokenRequest(config, { grant_type: 'refresh_token', refresh_token: refreshToken });
  return { ...tokens, refreshToken };
}

export async function revoke(config: Cognito, refreshToken: string): Promise<void> {
  await fetch(`https://${config.domain}/oauth2/revoke`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ token: refreshToken, client_id: config.clientId }),
  }).catch(() => undefined);
}

export function logoutUrl(config: Cognito): string {
  return `https://${config.domain}/logout?${new URLSearchParams({ client_id: config.clientId, logout_uri: config.logoutUri })}`;
}

/** The console's user from an ID token's claims (the API reads the same claims: jwt-verifier.ts cognitoClaims). */
export function userOfIdToken(idToken: string): { id: string; name: string; role: string; scope: string } | null {
  try {
    const payload = JSON.parse(atob((idToken.split('.')[1] ?? '').replace(/-/g, '+').replace(/_/g, '/'))) as Record<string, unknown>;
    const groups = Array.isArray(payload['cognito:groups']) ? (payload['cognito:groups'] as string[]) : [];
    const role = groups[0];
    const scope = payload['custom:scope'];
    if (!role || typeof scope !== 'string') return null;
    const id = typeof payload['custom:person'] === 'string' ? (payload['custom:person'] as string) : String(payload.sub);
    const name = typeof payload.name === 'string' ? payload.name : String(payload['cognito:username'] ?? id);
    return { id, name, role, scope };
  } catch {
    return null;
  }
}
