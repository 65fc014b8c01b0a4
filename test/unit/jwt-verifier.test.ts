import { createLocalJWKSet, exportJWK, generateKeyPair, type JWK, type JWTPayload, SignJWT } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { cognitoClaims, JwtVerifier, localClaims } from '#adapters/auth/jwt-verifier.ts';
import { AuthenticationError } from '#core/errors.ts';

const NOW = new Date('2026-03-23T01:00:00Z');
const nowSeconds = Math.floor(NOW.getTime() / 1000);
const ISSUER = 'gridwhistle-local';
const AUDIENCE = 'gridwhistle';

type Key = Awaited<ReturnType<typeof generateKeyPair>>;
let ours: Key;
let stranger: Key;
let publicJwk: JWK;

beforeAll(async () => {
  ours = await generateKeyPair('ES256', { extractable: true });
  stranger = await generateKeyPair('ES256', { extractable: true });
  publicJwk = { ...(await exportJWK(ours.publicKey)), kid: 'k1', alg: 'ES256' };
});

const localPayload: JWTPayload = { name: '覃宏', role: 'grid_worker', scope: '451322201001001', sid: 'session-1' };

async function sign(payload: JWTPayload, opts: { key?: Key; iss?: string; aud?: string; iat?: number; exp?: number } = {}) {
  return new SignJWT(payload)
    .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
    .setSubject('p-worker-1')
    .setIssuer(opts.iss ?? ISSUER)
    .setAudience(opts.aud ?? AUDIENCE)
    .setIssuedAt(opts.iat ?? nowSeconds - 60)
    .setExpirationTime(opts.exp ?? nowSeconds + 3600)
    .sign((opts.key ?? ours).privateKey);
}

function verifier(extra: { isSessionActive?: (id: string) => Promise<boolean>; mapClaims?: typeof localClaims } = {}) {
  return new JwtVerifier({
    keys: createLocalJWKSet({ keys: [publicJwk] }),
    issuer: ISSUER,
    audience: AUDIENCE,
    algorithms: ['ES256'],
    mapClaims: extra.mapClaims ?? localClaims,
    isSessionActive: extra.isSessionActive,
    now: () => NOW,
  });
}

async function rejection(promise: Promise<unknown>): Promise<AuthenticationError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AuthenticationError);
  return error as AuthenticationError;
}

describe('JwtVerifier with the local issuer', () => {
  it('returns the actor named by a valid token, with its session', async () => {
    // Act
    const actor = await verifier().verify(await sign(localPayload));

    // Assess
    expect(actor).toEqual({ id: 'p-worker-1', name: '覃宏', role: 'grid_worker', scope: '451322201001001', sessionId: 'session-1' });
  });

  it.each([
    ['expired', () => sign(localPayload, { iat: nowSeconds - 7200, exp: nowSeconds - 3600 })],
    ['signed by another key (forged)', () => sign(localPayload, { key: stranger })],
    ['meant for another audience', () => sign(localPayload, { aud: 'someone-else' })],
    ['from another issuer', () => sign(localPayload, { iss: 'https://evil.example' })],
    ['missing its role', () => sign({ ...localPayload, role: undefined })],
    ['naming a role that does not exist', () => sign({ ...localPayload, role: 'superuser' })],
  ])('refuses a token %s with 401 AUTH.INVALID_TOKEN', async (_what, make) => {
    // Act
    const error = await rejection(verifier().verify(await make()));

    // Assess
    expect(error.code).toBe('AUTH.INVALID_TOKEN');
    expect(error.kind).toBe('unauthenticated');
  });

  it('refuses a token whose payload was tampered with after signing', async () => {
    // Prepare: swap the payload for one that claims the county admin role, keep the signature
    const [header, , signature] = (await sign(localPayload)).split('.');
    const forgedPayload = Buffer.from(
      JSON.stringify({ ...localPayload, role: 'county_admin', scope: '451322', sub: 'p-worker-1' }),
    ).toString('base64url');

    // Act + Assess
    expect((await rejection(verifier().verify(`${header}.${forgedPayload}.${signature}`))).code).toBe('AUTH.INVALID_TOKEN');
  });

  it('refuses an unsigned token (alg none) and garbage', async () => {
    // Prepare
    const none = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify({ ...localPayload, sub: 'x' })).toString('base64url')}.`;

    // Act + Assess
    await rejection(verifier().verify(none));
    await rejection(verifier().verify('not-a-jwt'));
    await rejection(verifier().verify(''));
  });

  it('refuses a valid token whose session was signed out, with AUTH.SESSION_ENDED', async () => {
    // Prepare
    const ended = verifier({ isSessionActive: async (id) => id !== 'session-1' });

    // Act + Assess
    expect((await rejection(ended.verify(await sign(localPayload)))).code).toBe('AUTH.SESSION_ENDED');
  });
});

describe('JwtVerifier with Cognito claims', () => {
  const cognitoPayload: JWTPayload = {
    token_use: 'id',
    'cognito:groups': ['township_admin'],
    'cognito:username': 'township1',
    name: '廖振华',
    'custom:scope': '451322201',
  };

  it('maps the role group and the custom scope attribute', async () => {
    // Act
    const actor = await verifier({ mapClaims: cognitoClaims }).verify(await sign(cognitoPayload));

    // Assess
    expect(actor).toEqual({ id: 'p-worker-1', name: '廖振华', role: 'township_admin', scope: '451322201' });
  });

  it.each([
    ['an access token (no custom attributes)', { ...cognitoPayload, token_use: 'access' }],
    ['no role group', { ...cognitoPayload, 'cognito:groups': ['everyone'] }],
    ['two role groups', { ...cognitoPayload, 'cognito:groups': ['township_admin', 'county_admin'] }],
    ['no scope attribute', { ...cognitoPayload, 'custom:scope': undefined }],
    ['an empty person attribute', { ...cognitoPayload, 'custom:person': '' }],
  ])('refuses %s', async (_what, payload) => {
    // Act + Assess
    await rejection(verifier({ mapClaims: cognitoClaims }).verify(await sign(payload as JWTPayload)));
  });

  it('acts as the directory person named by custom:person, so the tiers can assign the user', async () => {
    // Act
    const actor = await verifier({ mapClaims: cognitoClaims }).verify(await sign({ ...cognitoPayload, 'custom:person': 'p-township-1' }));

    // Assess
    expect(actor).toEqual({ id: 'p-township-1', name: '廖振华', role: 'township_admin', scope: '451322201' });
  });

  it('falls back to the Cognito username when the name attribute is missing', () => {
    // Act
    const actor = cognitoClaims({ ...cognitoPayload, name: undefined, sub: 'abc' });

    // Assess
    expect(actor?.name).toBe('township1');
  });
});
