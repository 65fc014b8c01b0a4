/**
 * A Lambda behind API Gateway serving one group of routes: the HTTP API names the matched route in
 * `routeKey`, so dispatch is a map lookup onto the same handlers the local server mounts.
 */
import type { HttpDeps } from '#handlers/http/deps.ts';
import { type ApiEvent, type ApiHandler, type ApiResult, errorResult, json } from '#handlers/http/http.ts';
import { functionGroupOf, ROUTES } from '#handlers/http/routes.ts';

export type FunctionGroup = 'api' | 'open311';

/** The routes a group's function serves on AWS (local-only routes are not deployed). */
export function routesOf(group: FunctionGroup) {
  return ROUTES.filter((r) => !r.localOnly && functionGroupOf(r) === group);
}

export function createRouter(group: FunctionGroup, deps: () => Promise<HttpDeps>): (event: ApiEvent) => Promise<ApiResult> {
  let handlers: Promise<Map<string, ApiHandler>> | undefined;
  const build = async () => {
    const built = await deps();
    return new Map(routesOf(group).map((r) => [`${r.method} ${r.path}`, r.create(built)]));
  };
  return async (event) => {
    try {
      handlers ??= build().catch((error: unknown) => {
        handlers = undefined;
        throw error;
      });
      const handler = (await handlers).get(event.routeKey);
      if (!handler) return json(404, { error: { code: 'ROUTE.NOT_FOUND', message: `no route for ${event.routeKey}` } });
      return await handler(event);
    } catch (error) {
      return errorResult(error);
    }
  };
}
