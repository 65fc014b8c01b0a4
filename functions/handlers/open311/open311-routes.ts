/**
 * The Open311 GeoReport v2 routes with their docs (openapi-docs.ts). Their own module, so the
 * open311 function's bundle carries these and nothing of the rest of the API. `{file}` is
 * `requests.json`, `services.xml`…, split by the handler because API Gateway matches variables only
 * as whole segments. POST authenticates by api_key, not a token.
 */
import type { RouteDoc } from '#handlers/http/openapi-kit.ts';
import type { RouteModule } from '#handlers/http/route-types.ts';
import {
  createOpen311RequestHandler,
  createOpen311ResourceHandler,
  createOpen311ServiceDefinitionHandler,
  createOpen311SubmitHandler,
} from './handlers.ts';
import { OPEN311_ROUTE_DOCS } from './openapi-docs.ts';

function doc(key: string): RouteDoc {
  const found = OPEN311_ROUTE_DOCS[key];
  if (!found) throw new Error(`no OpenAPI doc for ${key}`);
  return found;
}

export const OPEN311_ROUTES: RouteModule = {
  routes: [
    { method: 'GET', path: '/open311/v2/{file}', public: true, create: createOpen311ResourceHandler, doc: doc('GET /open311/v2/{file}') },
    { method: 'POST', path: '/open311/v2/{file}', public: true, create: createOpen311SubmitHandler, doc: doc('POST /open311/v2/{file}') },
    {
      method: 'GET',
      path: '/open311/v2/services/{file}',
      public: true,
      create: createOpen311ServiceDefinitionHandler,
      doc: doc('GET /open311/v2/services/{file}'),
    },
    {
      method: 'GET',
      path: '/open311/v2/requests/{file}',
      public: true,
      create: createOpen311RequestHandler,
      doc: doc('GET /open311/v2/requests/{file}'),
    },
  ],
};
