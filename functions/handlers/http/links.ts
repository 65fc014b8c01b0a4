import { actThroughLink, openLink } from '#core/use-cases/links.ts';
import type { HttpDeps } from './deps.ts';
import { json, parseJsonBody, pathParameter, route } from './http.ts';
import { linkActionBody, linkToken } from './schemas.ts';

export const createOpenLinkHandler = (deps: HttpDeps) =>
  route(async (event) => json(200, await openLink(deps, pathParameter(event, 'token', linkToken))));

export const createLinkActionHandler = (deps: HttpDeps) =>
  route(async (event) => {
    const token = pathParameter(event, 'token', linkToken);
    return json(200, await actThroughLink(deps, token, parseJsonBody(event, linkActionBody)));
  });
