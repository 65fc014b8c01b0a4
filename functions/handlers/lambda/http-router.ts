/**
 * A Lambda behind API Gateway serving one group of routes: the HTTP API names the matched route in
 * `routeKey`, so dispatch is a map lookup onto the same handlers the local server mounts.
 */
import type { HttpDeps } from '#handlers/http/deps.ts';
import { type ApiEvent, type ApiHandler, type ApiResult, errorResult, json } from '#handlers/http/http.ts';
import type { RouteDefinition } from '#handlers/http/route-types.ts';

/**
 * Routes in, not imported here: each entry hands its own routes over, so a bundle carries only the
 * route modules its function serves (the open311 function: Open311's, nothing of the rest).
 */
export function createRouter(routes: RouteDefinition[], deps: () => Promise<HttpDeps>): (event: ApiEvent) => Promise<ApiResult> {
  let handlers: Promise<Map<string, ApiHandler>> | undefined;
  const build = async () => {
    const built = await deps();
    return new Map(routes.filter((r) => !r.localOnly).map((r) => [`${r.method} ${r.path}`, r.create(built)]));
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
