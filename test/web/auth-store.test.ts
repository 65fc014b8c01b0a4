import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '#web/api/client.ts';
import { useAuthStore } from '#web/stores/auth.ts';

vi.mock('#web/api/auth.ts', () => ({
  signIn: vi.fn(async (username: string) => ({
    token: `token-of-${username}`,
    expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
    expiresIn: 3600,
    refreshToken: 'refresh-1',
    refreshExpiresAt: new Date(Date.now() + 86_400_000).toISOString(),
    user: { id: 'p-county-admin', name: '覃卫东', role: 'county_admin', scope: '451322' },
  })),
  refreshSession: vi.fn(),
  signOut: vi.fn(async () => undefined),
}));

const api = await import('#web/api/auth.ts');

describe('the auth store', () => {
  beforeEach(() => {
    setActivePinia(createPinia());
    sessionStorage.clear();
  });
  afterEach(() => vi.clearAllMocks());

  it('signs in, keeps the session for the tab only, and finds it again after a reload', async () => {
    // Act
    await useAuthStore().signIn('admin', 'demo');
    setActivePinia(createPinia());
    const reloaded = useAuthStore();
    const before = reloaded.signedIn;
    reloaded.restore();

    // Assess
    expect(before).toBe(false);
    expect(reloaded.signedIn).toBe(true);
    expect(reloaded.user).toMatchObject({ role: 'county_admin', scope: '451322' });
    expect(reloaded.isAdmin).toBe(true);
    expect(JSON.parse(sessionStorage.getItem('gw.session') ?? '{}').token).toBe('token-of-admin');
  });

  it('signs out at once: the tab forgets the session before the server is told, with the old token', async () => {
    // Prepare
    const store = useAuthStore();
    await store.signIn('admin', 'demo');

    // Act
    const leaving = store.signOut();
    const immediately = store.signedIn;
    await leaving;

    // Assess
    expect(immediately).toBe(false);
    expect(sessionStorage.getItem('gw.session')).toBeNull();
    expect(api.signOut).toHaveBeenCalledWith('token-of-admin');
  });

  it('renews with the refresh token, and ends the session when the refresh token is refused', async () => {
    // Prepare
    const store = useAuthStore();
    await store.signIn('admin', 'demo');
    vi.mocked(api.refreshSession)
      .mockResolvedValueOnce({
        token: 'renewed',
        expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
        expiresIn: 3600,
        refreshToken: 'refresh-2',
        refreshExpiresAt: new Date(Date.now() + 86_400_000).toISOString(),
        user: { id: 'p-county-admin', name: '覃卫东', role: 'county_admin', scope: '451322' },
      })
      .mockRejectedValueOnce(new ApiError(401, 'AUTH.REFRESH_TOKEN_REUSED', 'reused'));

    // Act
    const first = await store.refresh();
    const second = await store.refresh();

    // Assess
    expect(first).toBe('renewed');
    expect(vi.mocked(api.refreshSession).mock.calls.map((c) => c[0])).toEqual(['refresh-1', 'refresh-2']);
    expect(second).toBeNull();
    expect(store.signedIn).toBe(false);
  });

  it('times the renewal by the token’s lifetime, not by the server’s clock: a browser a month ahead still keeps its session', async () => {
    // Prepare: the server's clock says the token expires a month before this browser's "now"
    vi.useFakeTimers({ now: Date.parse('2026-12-01T09:00:00Z') });
    vi.mocked(api.signIn).mockResolvedValueOnce({
      token: 'token-from-the-past',
      expiresAt: '2026-11-02T10:00:00.000Z',
      expiresIn: 3600,
      refreshToken: 'refresh-1',
      refreshExpiresAt: '2026-11-03T09:00:00.000Z',
      user: { id: 'p-county-admin', name: '覃卫东', role: 'county_admin', scope: '451322' },
    });
    const store = useAuthStore();

    // Act
    await store.signIn('admin', 'demo');
    await vi.advanceTimersByTimeAsync(30 * 60_000);

    // Assess
    expect(store.session?.expiresAt).toBe(Date.parse('2026-12-01T10:00:00Z'));
    expect(api.refreshSession).not.toHaveBeenCalled();
    vi.useRealTimers();
  });
});
