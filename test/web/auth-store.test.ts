import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '#web/api/client.ts';
import { useAuthStore } from '#web/stores/auth.ts';

vi.mock('#web/api/auth.ts', () => ({
  signIn: vi.fn(async (username: string) => ({
    token: `token-of-${username}`,
    expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
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
});
