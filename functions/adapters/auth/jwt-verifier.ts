/**
 * One JWT verifier for every issuer: the local one and Cognito differ only in where the keys come
 * from, which issuer and audience to expect, and how claims map to a role and scope.
 */
import { createRemoteJWKSet, type JWTPayload, type JWTVerifyGetKey, jwtVerify } from 'jose';
import { OPERATOR_SCOPE } from '#core/admin-access.ts';
import { AuthenticationError } from '#core/errors.ts';
import { ROLES, type Role } from '#core/people.ts';
import type { AuthenticatedActor, TokenVerifier } from '#ports/auth.ts';

export type ClaimsMapper = (payload: JWTPayload) => AuthenticatedActor | null;

export interface JwtVerifierOptions {
  keys: JWTVerifyGetKey;
  issuer: string;
  audience: string;
  algorithms: string[];
  mapClaims: ClaimsMapper;
  /** Local sessions: a signed-out session's tokens stop working at once, not at expiry. */
  isSessionActive?: (sessionId: string) => Promise<boolean>;
  now?: () => Date;
}

const isRole = (value: unknown): value is Role => typeof value === 'string' && (ROLES as readonly string[]).includes(value);

/** A scope a token may carry: a node or department code, never the operator's everything-scope. */
const isScope = (value: unknown): value is string => typeof value === 'string' && value !== '' && value !== OPERATOR_SCOPE;

/** Claims of the local issuer: sub, name, role, scope and the session id `sid`. */
export const localClaims: ClaimsMapper = (p) => {
  if (!p.sub || !isRole(p.role) || !isScope(p.scope) || typeof p.name !== 'string' || typeof p.sid !== 'string') return null;
  return { id: p.sub, name: p.name, role: p.role, scope: p.scope, sessionId: p.sid };
};

/**
 * Claims of a Cognito ID token: the role is the user's one group named after a role, the scope the
 * `custom:scope` attribute. ID tokens are used because access tokens carry no custom attributes.
 * The actor is the directory person named by `custom:person` (Cognito makes up `sub`, so it can
 * never equal the id the tree assigns reports to); a user without it acts as their `sub`, which is
 * enough for admins and for filing, but assigns them nothing.
 */
export const cognitoClaims: ClaimsMapper = (p) => {
  const groups = Array.isArray(p['cognito:groups']) ? p['cognito:groups'].filter(isRole) : [];
  const scope = p['custom:scope'];
  const person = p['custom:person'];
  const name = typeof p.name === 'string' ? p.name : p['cognito:username'];
  if (p.token_use !== 'id' || !p.sub || groups.length !== 1 || !isScope(scope) || typeof name !== 'string') return null;
  if (person !== undefined && (typeof person !== 'string' || person === '')) return null;
  return { id: person ?? p.sub, name, role: groups[0] as Role, scope };
};

export class JwtVerifier implements TokenVerifier {
  constructor(private readonly options: JwtVerifierOptions) {}

  async verify(token: string): Promise<AuthenticatedActor> {
    let actor: AuthenticatedActor | null = null;
    try {
      const { payload } = await jwtVerify(token, this.options.keys, {
        issuer: this.options.issuer,
        audience: this.options.audience,
        algorithms: this.options.algorithms,
        currentDate: this.options.now?.(),
        requiredClaims: ['exp', 'iat', 'sub'],
      });
      actor = this.options.mapClaims(payload);
    } catch {
      actor = null;
    }
    if (!actor) throw new AuthenticationError('AUTH.INVALID_TOKEN', 'the token is missing, expired or not ours');
    if (actor.sessionId && this.options.isSessionActive && !(await this.options.isSessionActive(actor.sessionId))) {
      throw new AuthenticationError('AUTH.SESSION_ENDED', 'this sign-in has ended; sign in again');
    }
    return actor;
  }
}

export function cognitoVerifier(options: { region: string; userPoolId: string; clientId: string; issuerBaseUrl?: string }): JwtVerifier {
  const base = options.issuerBaseUrl?.replace(/\/+$/, '') ?? `https://cognito-idp.${options.region}.amazonaws.com`;
  const issuer = `${base}/${options.userPoolId}`;
  return new JwtVerifier({
    keys: createRemoteJWKSet(new URL(`${issuer}/.well-known/jwks.json`)),
    issuer,
    audience: options.clientId,
    algorithms: ['RS256'],
    mapClaims: cognitoClaims,
  });
}
