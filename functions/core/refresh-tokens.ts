/**
 * Refresh tokens: `<session id>.<generation>.<secret>.<mac>`. The session id is no secret (every
 * access token carries it as `sid`), so the token must prove on its own that this server issued
 * it: the MAC, keyed by a server key that never leaves the server, covers the session, the
 * generation and the secret. That lets a refresh tell two things apart that look alike:
 *   - "issued once, since spent": an authentic token of an older generation came back, so a copy
 *     was kept somewhere it should not be; the session ends;
 *   - "never issued": a guessed or forged token, which ends nothing (otherwise anyone who saw one
 *     access token could sign its owner out).
 * The table keeps only the session's current generation and a hash of its secret, so neither a
 * table read alone nor the key alone is enough to refresh someone else's session.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

const SECRET_BYTES = 32;
const MAC_BYTES = 16; // 128 bits: forging one by guessing is out of reach
const TOKEN = /^([0-9a-f-]{36})\.(0|[1-9][0-9]{0,8})\.([A-Za-z0-9_-]{43})\.([A-Za-z0-9_-]{22})$/;

export interface RefreshToken {
  sessionId: string;
  generation: number;
  secret: string;
}

/** What the table keeps instead of the secret. */
export const refreshSecretHash = (secret: string) => createHash('sha256').update(secret).digest('hex');

function macFor(key: Uint8Array, token: RefreshToken): Buffer {
  return createHmac('sha256', key).update(`refresh|${token.sessionId}|${token.generation}|${token.secret}`).digest().subarray(0, MAC_BYTES);
}

/** A new token for one generation of a session; hand out `token`, store `secretHash`. */
export function mintRefreshToken(key: Uint8Array, sessionId: string, generation: number): { token: string; secretHash: string } {
  const parts = { sessionId, generation, secret: randomBytes(SECRET_BYTES).toString('base64url') };
  const mac = macFor(key, parts).toString('base64url');
  return { token: `${sessionId}.${generation}.${parts.secret}.${mac}`, secretHash: refreshSecretHash(parts.secret) };
}

/** The token's parts if this server issued it (whether or not it is still current); null otherwise. */
export function readRefreshToken(key: Uint8Array, token: string): RefreshToken | null {
  const match = TOKEN.exec(token);
  if (!match) return null;
  const [, sessionId = '', generation = '', secret = '', mac = ''] = match;
  const parts = { sessionId, generation: Number(generation), secret };
  const given = Buffer.from(mac, 'base64url');
  const expected = macFor(key, parts);
  return given.length === expected.length && timingSafeEqual(given, expected) ? parts : null;
}
