/** Refresh tokens prove they were issued here: a valid MAC under the server key, or nothing. */
import { describe, expect, it } from 'vitest';
import { mintRefreshToken, readRefreshToken, refreshSecretHash } from '#core/refresh-tokens.ts';

const KEY = new Uint8Array(32).fill(7);
const OTHER_KEY = new Uint8Array(32).fill(8);
const SESSION = '3f1c2a9e-8d7b-4c6a-9e5f-0123456789ab';

describe('refresh tokens', () => {
  it('reads back what it minted, with the hash the table keeps', () => {
    // Act
    const { token, secretHash } = mintRefreshToken(KEY, SESSION, 3);
    const read = readRefreshToken(KEY, token);

    // Assess
    expect(read).toMatchObject({ sessionId: SESSION, generation: 3 });
    expect(refreshSecretHash(read?.secret ?? '')).toBe(secretHash);
    expect(token).not.toContain(secretHash);
  });

  it('mints a different secret every time, even for the same generation', () => {
    // Act
    const a = mintRefreshToken(KEY, SESSION, 0);
    const b = mintRefreshToken(KEY, SESSION, 0);

    // Assess
    expect(a.token).not.toBe(b.token);
    expect(a.secretHash).not.toBe(b.secretHash);
  });

  it.each([
    ['another server key', (t: string) => t, OTHER_KEY],
    ['a changed generation', (t: string) => t.replace(`${SESSION}.1.`, `${SESSION}.0.`), KEY],
    ['another session id', (t: string) => t.replace(SESSION, '3f1c2a9e-8d7b-4c6a-9e5f-0123456789ac'), KEY],
    ['a changed secret', (t: string) => t.replace(/\.[A-Za-z0-9_-]{43}\./, `.${'A'.repeat(43)}.`), KEY],
    ['a truncated MAC', (t: string) => t.slice(0, -1), KEY],
    ['the old two-part shape', () => `${SESSION}.${'A'.repeat(43)}`, KEY],
    ['a leading-zero generation', (t: string) => t.replace(`${SESSION}.1.`, `${SESSION}.01.`), KEY],
  ])('refuses a token with %s', (_what, tamper, key) => {
    // Prepare
    const { token } = mintRefreshToken(KEY, SESSION, 1);

    // Act
    const read = readRefreshToken(key, tamper(token));

    // Assess
    expect(read).toBeNull();
  });
});
