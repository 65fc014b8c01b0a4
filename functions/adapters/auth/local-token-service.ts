/**
 * The local token issuer: ES256 keys generated once and kept under DATA_DIR, tokens verified with
 * jose against the issuer's JWKS, exactly as Cognito tokens are verified against Cognito's JWKS.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { createLocalJWKSet, exportJWK, generateKeyPair, importJWK, type JSONWebKeySet, type JWK, jwtVerify, SignJWT } from 'jose';
import { AuthenticationError } from '#core/errors.ts';
import { type Actor, ROLES, type Role } from '#core/people.ts';
import type { TokenService } from '#ports/auth.ts';

const ALG = 'ES256';

export interface LocalTokenOptions {
  keyFile: string;
  issuer: string;
  audience: string;
  ttlSeconds: number;
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
  private constructor(
    private readonly options: LocalTokenOptions,
    private readonly key: StoredKey,
    private readonly signingKey: Awaited<ReturnType<typeof importJWK>>,
    readonly jwks: JSONWebKeySet,
  ) {}

  static async open(options: LocalTokenOptions): Promise<LocalTokenService> {
    const key = await loadOrCreateKey(options.keyFile);
    const signingKey = await importJWK(key.privateJwk, ALG);
    return new LocalTokenService(options, key, signingKey, { keys: [key.publicJwk] });
  }

  private now(): Date {
    return this.options.now?.() ?? new Date();
  }

  async issue(actor: Actor): Promise<{ token: string; expiresAt: string }> {
    const issuedAt = Math.floor(this.now().getTime() / 1000);
    const expiresAt = issuedAt + this.options.ttlSeconds;
    const token = await new SignJWT({ name: actor.name, role: actor.role, scope: actor.scope })
      .setProtectedHeader({ alg: ALG, kid: this.key.kid, typ: 'JWT' })
      .setSubject(actor.id)
      .setIssuer(this.options.issuer)
      .setAudience(this.options.audience)
      .setIssuedAt(issuedAt)
      .setExpirationTime(expiresAt)
      .sign(this.signingKey);
    return { token, expiresAt: new Date(expiresAt * 1000).toISOString() };
  }

  async verify(token: string): Promise<Actor> {
    try {
      const { payload } = await jwtVerify(token, createLocalJWKSet(this.jwks), {
        issuer: this.options.issuer,
        audience: this.options.audience,
        algorithms: [ALG],
        currentDate: this.now(),
      });
      const role = payload.role as Role;
      if (!payload.sub || !ROLES.includes(role) || typeof payload.scope !== 'string' || typeof payload.name !== 'string') {
        throw new Error('missing claims');
      }
      return { id: payload.sub, name: payload.name, role, scope: payload.scope };
    } catch {
      throw new AuthenticationError('AUTH.INVALID_TOKEN', 'the token is missing, expired or not ours');
    }
  }
}
