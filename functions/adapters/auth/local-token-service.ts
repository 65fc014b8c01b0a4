/**
 * The local token issuer: ES256 keys generated once and kept under DATA_DIR, tokens verified by the
 * shared JwtVerifier against this issuer's JWKS, exactly as Cognito tokens are against Cognito's.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { createLocalJWKSet, exportJWK, generateKeyPair, importJWK, type JSONWebKeySet, type JWK, SignJWT } from 'jose';
import type { Actor } from '#core/people.ts';
import type { AuthenticatedActor, SessionStore, TokenService } from '#ports/auth.ts';
import { JwtVerifier, localClaims } from './jwt-verifier.ts';

const ALG = 'ES256';

export interface LocalTokenOptions {
  keyFile: string;
  issuer: string;
  audience: string;
  ttlSeconds: number;
  sessions?: SessionStore;
  now?: () => Date;
}

interface StoredKey {
  kid: string;
  privateJwk: JWK;
  publicJwk: JWK;
}

async function loadOrCreateKey(file: string): Promise<StoredKey> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as StoredKey;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const { privateKey, publicKey } = await generateKeyPair(ALG, { extractable: true });
  const kid = `local-${Date.now().toString(36)}`;
  const stored: StoredKey = {
    kid,
    privateJwk: { ...(await exportJWK(privateKey)), kid, alg: ALG },
    publicJwk: { ...(await exportJWK(publicKey)), kid, alg: ALG, use: 'sig' },
  };
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, JSON.stringify(stored), { mode: 0o600 });
  return stored;
}

export class LocalTokenService implements TokenService {
  private readonly verifier: JwtVerifier;

  private constructor(
    private readonly options: LocalTokenOptions,
    private readonly key: StoredKey,
    private readonly signingKey: Awaited<ReturnType<typeof importJWK>>,
    readonly jwks: JSONWebKeySet,
  ) {
    const sessions = options.sessions;
    this.verifier = new JwtVerifier({
      keys: createLocalJWKSet(jwks),
      issuer: options.issuer,
      audience: options.audience,
      algorithms: [ALG],
      mapClaims: localClaims,
      now: options.now,
      isSessionActive: sessions
        ? async (id) => {
            const session = await sessions.getSession(id);
            return session !== null && !session.revokedAt && Date.parse(session.expiresAt) > this.now().getTime();
          }
        : undefined,
    });
  }

  static async open(options: LocalTokenOptions): Promise<LocalTokenService> {
    const key = await loadOrCreateKey(options.keyFile);
    const signingKey = await importJWK(key.privateJwk, ALG);
    return new LocalTokenService(options, key, signingKey, { keys: [key.publicJwk] });
  }

  private now(): Date {
    return this.options.now?.() ?? new Date();
  }

  async issue(actor: Actor, sessionId: string): Promise<{ token: string; expiresAt: string }> {
    const issuedAt = Math.floor(this.now().getTime() / 1000);
    const expiresAt = issuedAt + this.options.ttlSeconds;
    const token = await new SignJWT({ name: actor.name, role: actor.role, scope: actor.scope, sid: sessionId })
      .setProtectedHeader({ alg: ALG, kid: this.key.kid, typ: 'JWT' })
      .setSubject(actor.id)
      .setIssuer(this.options.issuer)
      .setAudience(this.options.audience)
      .setIssuedAt(issuedAt)
      .setExpirationTime(expiresAt)
      .sign(this.signingKey);
    return { token, expiresAt: new Date(expiresAt * 1000).toISOString() };
  }

  verify(token: string): Promise<AuthenticatedActor> {
    return this.verifier.verify(token);
  }
}
