/** Sign-in, rotating refresh tokens and sign-out against the real local server and store. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRuntime, type TestRuntime } from '../support/local-runtime.ts';

let rt: TestRuntime;

beforeAll(async () => {
  rt = await startTestRuntime({ TOKEN_TTL_SECONDS: '3600' });
});
afterAll(async () => rt?.stop());

async function signIn(username = 'village1') {
  const res = await rt.http('POST', '/api/auth/login', { body: { username, password: 'demo' } });
  expect(res.status).toBe(200);
  return res.body as {
    token: string;
    refreshToken: string;
    expiresAt: string;
    expiresIn: number;
    refreshExpiresAt: string;
    user: { role: string };
  };
}

const categories = (token: string) => rt.http('GET', '/api/v1/categories', { token });

describe('sign-in', () => {
  it('issues a short-lived access token, a refresh token and the user with role and scope', async () => {
    // Act
    const session = await signIn();

    // Assess
    expect(session.user).toEqual({ id: 'p-village-1', name: '覃国庆', role: 'village_admin', scope: '451322201001' });
    expect(Date.parse(session.expiresAt) - rt.clock.now().getTime()).toBe(3600 * 1000);
    expect(Date.parse(session.refreshExpiresAt)).toBeGreaterThan(Date.parse(session.expiresAt));
    // The lifetime the console times its renewal by, whatever its own clock says.
    expect(session.expiresIn).toBe(3600);
    expect((await categories(session.token)).status).toBe(200);
  });
});

describe('refresh', () => {
  it('rotates the refresh token; the old one used again ends the whole session', async () => {
    // Prepare
    const first = await signIn();

    // Act
    const refreshed = await rt.http('POST', '/api/auth/refresh', { body: { refreshToken: first.refreshToken } });
    const replay = await rt.http('POST', '/api/auth/refresh', { body: { refreshToken: first.refreshToken } });

    // Assess
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.refreshToken).not.toBe(first.refreshToken);
    expect(refreshed.body.user.id).toBe('p-village-1');
    expect(replay.status).toBe(401);
    expect(replay.body.error.code).toBe('AUTH.REFRESH_TOKEN_REUSED');
    // The leak ended the session: the newest tokens stop working too.
    expect((await categories(refreshed.body.token)).status).toBe(401);
    expect((await rt.http('POST', '/api/auth/refresh', { body: { refreshToken: refreshed.body.refreshToken } })).status).toBe(401);
  });

  it('refuses a made-up secret for a live session with 401 and leaves the session alone', async () => {
    // Prepare: the session id is no secret, every access token carries it (claim `sid`).
    const victim = await signIn();
    const sessionId = JSON.parse(Buffer.from(victim.token.split('.')[1] ?? '', 'base64url').toString()).sid as string;
    const [, generation, secret] = victim.refreshToken.split('.');
    const forgeries = [
      `${sessionId}.${'A'.repeat(43)}`, // the shape refresh tokens used to have
      `${sessionId}.0.${'A'.repeat(43)}.${'A'.repeat(22)}`, // today's shape, made-up secret and MAC
      `${sessionId}.${generation}.${secret}.${'A'.repeat(22)}`, // the real secret with a made-up MAC
      `${sessionId}.7.${secret}.${victim.refreshToken.split('.')[3]}`, // a generation never issued
    ];

    // Act
    const answers = [];
    for (const refreshToken of forgeries) answers.push(await rt.http('POST', '/api/auth/refresh', { body: { refreshToken } }));
    const real = await rt.http('POST', '/api/auth/refresh', { body: { refreshToken: victim.refreshToken } });

    // Assess
    for (const answer of answers) {
      expect(answer.status).toBe(401);
      expect(answer.body.error.code).toBe('AUTH.INVALID_REFRESH_TOKEN');
    }
    expect(real.status).toBe(200);
    expect((await categories(victim.token)).status).toBe(200);
    expect((await categories(real.body.token)).status).toBe(200);
  });

  it('ends the session when a token two generations old comes back', async () => {
    // Prepare
    const first = await signIn();
    const second = await rt.http('POST', '/api/auth/refresh', { body: { refreshToken: first.refreshToken } });
    const third = await rt.http('POST', '/api/auth/refresh', { body: { refreshToken: second.body.refreshToken } });

    // Act
    const replay = await rt.http('POST', '/api/auth/refresh', { body: { refreshToken: first.refreshToken } });

    // Assess
    expect(third.status).toBe(200);
    expect(replay.status).toBe(401);
    expect(replay.body.error.code).toBe('AUTH.REFRESH_TOKEN_REUSED');
    expect((await categories(third.body.token)).status).toBe(401);
  });

  it.each([
    ['a made-up token', 'made-up.refresh-token'],
    ['an unknown session', '00000000-0000-0000-0000-000000000000.c2VjcmV0c2VjcmV0'],
    ['no dot at all', 'abcdefghijklmnop'],
  ])('refuses %s with 401', async (_what, refreshToken) => {
    // Act
    const res = await rt.http('POST', '/api/auth/refresh', { body: { refreshToken } });

    // Assess
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('AUTH.INVALID_REFRESH_TOKEN');
  });
});

describe('sign-out', () => {
  it('ends the session at once: the access and the refresh token both stop working', async () => {
    // Prepare
    const session = await signIn('worker2');

    // Act
    const out = await rt.http('POST', '/api/auth/logout', { token: session.token });

    // Assess
    expect(out.status).toBe(204);
    const after = await categories(session.token);
    expect(after.status).toBe(401);
    expect(after.body.error.code).toBe('AUTH.SESSION_ENDED');
    expect((await rt.http('POST', '/api/auth/refresh', { body: { refreshToken: session.refreshToken } })).status).toBe(401);
    expect((await rt.http('POST', '/api/auth/logout', {})).status).toBe(401);
  });

  it('leaves the same user’s other sessions alone', async () => {
    // Prepare
    const phone = await signIn('worker3');
    const console = await signIn('worker3');

    // Act
    await rt.http('POST', '/api/auth/logout', { token: phone.token });

    // Assess
    expect((await categories(phone.token)).status).toBe(401);
    expect((await categories(console.token)).status).toBe(200);
  });
});
