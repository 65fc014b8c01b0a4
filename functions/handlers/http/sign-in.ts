import { signIn } from '#core/use-cases/sign-in.ts';
import type { HttpDeps } from './deps.ts';
import { json, parseJsonBody, route } from './http.ts';
import { loginBody } from './schemas.ts';

export const createSignInHandler = (deps: HttpDeps) =>
  route(async (event) => {
    const { username, password } = parseJsonBody(event, loginBody);
    return json(200, await signIn(deps, username, password));
  });
