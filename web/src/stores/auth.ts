/**
 * Who is signed in, and their tokens. Local: the local issuer's access token and rotating refresh
 * token. Deployed: Cognito's ID token (the API's bearer) and refresh token. Tokens are kept for the
 * tab only (sessionStorage, read by `restore()` at start, never when the store is defined), renewed
 * a minute before they expire, and thrown away at once on sign-out.
 */
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import * as localAuth from '../api/auth';
import { ApiError } from '../api/client';
import * as cognito from '../api/cognito';
import type { AuthConfig } from '../config';

export type Role = 'county_admin' | 'township_admin' | 'village_admin' | 'department_officer' | 'grid_worker';

export interface User {
  id: string;
  name: string;
  role: Role;
  scope: string;
}

interface Session {
  provider: 'local' | 'cognito';
  token: string;
  expiresAt: number;
  refreshToken?: string;
  user: User;
}

const STORAGE_KEY = 'gw.session';
/** Renew this long before the token expires, so a request never leaves with a dead one. */
const RENEW_BEFORE_MS = 60_000;

/**
 * When the token expires on this browser's clock: its lifetime from the answer, counted from now.
 * A phone or PC whose clock is off (common on county machines) would otherwise think every
 * token expired on arrival and renew it in a loop.
 */
function expiryOf(answer: { expiresAt: string; expiresIn?: number }): number {
  return answer.expiresIn === undefined ? Date.parse(answer.expiresAt) : Date.now() + answer.expiresIn * 1000;
}

export const useAuthStore = defineStore('auth', () => {
  const config = ref<AuthConfig>({ kind: 'local' });
  const session = ref<Session | null>(null);
  let renewTimer: ReturnType<typeof setTimeout> | undefined;

  const user = computed(() => session.value?.user ?? null);
  const signedIn = computed(() => session.value !== null);
  const isAdmin = computed(() => ['county_admin', 'township_admin', 'village_admin'].includes(session.value?.user.role ?? ''));

  function configure(next: AuthConfig) {
    config.value = next;
  }

  function keep(next: Session | null) {
    session.value = next;
    if (next) sessionStorage.setItem(STORAGE_KEY, JSON.stringify(next));
    else sessionStorage.removeItem(STORAGE_KEY);
    clearTimeout(renewTimer);
    if (next?.refreshToken) {
      renewTimer = setTimeout(() => void refresh(), Math.max(1_000, next.expiresAt - Date.now() - RENEW_BEFORE_MS));
    }
  }

  /** Picks the tab's session up again after a reload. */
  function restore() {
    const stored = sessionStorage.getItem(STORAGE_KEY);
    if (!stored) return;
    try {
      const parsed = JSON.parse(stored) as Session;
      if (parsed.expiresAt > Date.now() || parsed.refreshToken) keep(parsed);
      else keep(null);
    } catch {
      keep(null);
    }
  }

  /** Local sign-in. A one-time password must be replaced: the API says so with AUTH.PASSWORD_CHANGE_REQUIRED. */
  async function signIn(username: string, password: string, newPassword?: string): Promise<void> {
    const answer = await localAuth.signIn(username, password, newPassword);
    keep({
      provider: 'local',
      token: answer.token,
      expiresAt: expiryOf(answer),
      refreshToken: answer.refreshToken,
      user: answer.user as User,
    });
  }

  /** Deployed: off to Cognito's hosted sign-in. */
  async function beginHostedSignIn(): Promise<string> {
    if (config.value.kind !== 'cognito') throw new Error('hosted sign-in is for deployed consoles');
    return cognito.authorizeUrl(config.value);
  }

  async function completeHostedSignIn(code: string, state: string): Promise<void> {
    if (config.value.kind !== 'cognito') throw new Error('hosted sign-in is for deployed consoles');
    const tokens = await cognito.completeSignIn(config.value, code, state);
    const who = cognito.userOfIdToken(tokens.idToken);
    if (!who) throw new Error('this account has no role or scope in GridWhistle');
    keep({ provider: 'cognito', token: tokens.idToken, expiresAt: tokens.expiresAt, refreshToken: tokens.refreshToken, user: who as User });
  }

  /** A fresh token, or null when the session is over (the refresh token was refused or is gone). */
  async function refresh(): Promise<string | null> {
    const current = session.value;
    if (!current?.refreshToken) return null;
    try {
      if (current.provider === 'local') {
        const answer = await localAuth.refreshSession(current.refreshToken);
        keep({ ...current, token: answer.token, expiresAt: expiryOf(answer), refreshToken: answer.refreshToken });
      } else if (config.value.kind === 'cognito') {
        const tokens = await cognito.refreshTokens(config.value, current.refreshToken);
        keep({ ...current, token: tokens.idToken, expiresAt: tokens.expiresAt, refreshToken: tokens.refreshToken });
      }
      return session.value?.token ?? null;
    } catch (error) {
      if (!(error instanceof ApiError) || error.status === 401) keep(null);
      return null;
    }
  }

  /** Ends the sign-in at once: the server forgets the session, then the tab does. Returns where to go next. */
  async function signOut(): Promise<string | null> {
    const current = session.value;
    keep(null);
    if (!current) return null;
    if (current.provider === 'local') {
      await localAuth.signOut(current.token).catch(() => undefined);
      return null;
    }
    if (config.value.kind === 'cognito') {
      if (current.refreshToken) await cognito.revoke(config.value, current.refreshToken);
      return cognito.logoutUrl(config.value);
    }
    return null;
  }

  /** Drops the session without calling anyone (the API said it is over). */
  function forget() {
    keep(null);
  }

  return {
    config,
    session,
    user,
    signedIn,
    isAdmin,
    configure,
    restore,
    signIn,
    beginHostedSignIn,
    completeHostedSignIn,
    refresh,
    signOut,
    forget,
  };
});
