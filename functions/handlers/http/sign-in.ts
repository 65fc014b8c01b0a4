import { refreshSignIn, signIn, signOut } from '#core/use-cases/sign-in.ts';
import type { HttpDeps } from './deps.ts';
import { authenticate, json, parseJsonBody, route } from './http.ts';
import { loginBody, refreshBody } from './schemas.ts';

export const createSignInHandler = (deps: HttpDeps) =>
  route(async (event) => {
    const { username, password, newPassword } = parseJsonBody(event, loginBody);
    return json(200, await signIn(deps, { username, password, newPassword, sourceIp: event.requestContext?.http?.sourceIp }));
  });

export const createRefreshHandler = (deps: HttpDeps) =>
  route(async (event) => {
    const { refreshToken } = parseJsonBody(event, refreshBody);
    return json(200, await refreshSignIn(deps, refreshToken));
  });

export const createSignOutHandler = (deps: HttpDeps) =>
  route(async (event) => {
    await signOut(deps, await authenticate(deps.tokens, event));
    return { statusCode: 204, headers: { 'cache-control': 'no-store' }, body: '' };
  });
