import { ValidationError } from '#core/errors.ts';
import { LINK_TOKEN_HEADER } from '#core/links.ts';
import { actThroughLink, openLink } from '#core/use-cases/links.ts';
import type { HttpDeps } from './deps.ts';
import { type ApiEvent, header, json, parseJsonBody, route } from './http.ts';
import { linkActionBody, linkToken } from './schemas.ts';

/** The SMS link token, from its header: a path or query would put the credential into access logs. */
function tokenOf(event: ApiEvent): string {
  const token = header(event, LINK_TOKEN_HEADER);
  if (!token || !linkToken.test(token))
    throw new ValidationError('LINK.TOKEN_MISSING', `send the link's token in the ${LINK_TOKEN_HEADER} header`);
  return token;
}

export const createOpenLinkHandler = (deps: HttpDeps) => route(async (event) => json(200, await openLink(deps, tokenOf(event))));

export const createLinkActionHandler = (deps: HttpDeps) =>
  route(async (event) => json(200, await actThroughLink(deps, tokenOf(event), parseJsonBody(event, linkActionBody))));
