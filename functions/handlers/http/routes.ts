/**
 * Every HTTP route, once. The local server mounts this table; the CDK service stack declares the
 * same routes on the HTTP API, with `public` deciding which ones skip the JWT authorizer. Every
 * route carries its OpenAPI description (`doc`) in its definition: an area's routes live in their
 * own module (`*-routes.ts`, listed in ROUTE_MODULES) with their docs and schemas beside them.
 */
import { MAX_PHOTO_BYTES } from '#core/photos.ts';
import { OPEN311_ROUTES } from '#handlers/open311/open311-routes.ts';
import { CATALOG_ROUTES } from './catalog-routes.ts';
import { COUNTY_RULES_ROUTES } from './county-rules-routes.ts';
import { DUPLICATE_ROUTES } from './duplicate-routes.ts';
import { createHealthHandler } from './health.ts';
import { HISTORY_ROUTES } from './history-routes.ts';
import { json, route } from './http.ts';
import { IMPORT_ROUTES } from './import-routes.ts';
import { createLinkPageHandler } from './link-page.ts';
import { createLinkActionHandler, createOpenLinkHandler } from './links.ts';
import { ROUTE_DOCS as LEGACY_DOCS, openApiDocument } from './openapi.ts';
import type { RouteDoc, Schema } from './openapi-kit.ts';
import { PEOPLE_ROUTES } from './people-routes.ts';
import {
  createGetPhotoHandler,
  createPhotoUploadLinkCheck,
  createPutPhotoContentHandler,
  createRequestPhotoUploadHandler,
} from './photos.ts';
import { createCreateReportHandler, createGetReportHandler, createListReportsHandler, createReportActionHandler } from './reports.ts';
import type { RouteDefinition, RouteModule } from './route-types.ts';
import { createRefreshHandler, createSignInHandler, createSignOutHandler } from './sign-in.ts';
import { SMS_ROUTES } from './sms-routes.ts';
import { STATS_ROUTES } from './stats-routes.ts';
import { TIMELINE_ROUTES } from './timeline-routes.ts';
import { TREE_ROUTES } from './tree-routes.ts';
import { WORKBENCH_ROUTES } from './workbench-routes.ts';

export type { RouteDefinition, RouteModule } from './route-types.ts';

/** The doc of a route defined before docs moved beside their routes (openapi.ts keeps those). */
function legacyDoc(key: string): RouteDoc {
  const doc = LEGACY_DOCS[key];
  if (!doc) throw new Error(`no OpenAPI doc for ${key}`);
  return doc;
}

/** Which Lambda function serves a route on AWS: Open311 is its own group (public, api_key writes). */
export function functionGroupOf(route: Pick<RouteDefinition, 'path'>): FunctionGroup {
  return route.path.startsWith('/open311/') ? 'open311' : 'api';
}

export type FunctionGroup = 'api' | 'open311';

const CORE_ROUTES: RouteDefinition[] = [
  { method: 'GET', path: '/api/health', public: true, create: createHealthHandler, doc: legacyDoc('GET /api/health') },
  {
    method: 'GET',
    path: '/api/openapi.json',
    public: true,
    create: () => route(async () => json(200, openApiDocument(ROUTES, routeComponents()))),
    doc: legacyDoc('GET /api/openapi.json'),
  },
  {
    method: 'POST',
    path: '/api/auth/login',
    public: true,
    localOnly: true,
    create: createSignInHandler,
    doc: legacyDoc('POST /api/auth/login'),
  },
  {
    method: 'POST',
    path: '/api/auth/refresh',
    public: true,
    localOnly: true,
    create: createRefreshHandler,
    doc: legacyDoc('POST /api/auth/refresh'),
  },
  {
    method: 'POST',
    path: '/api/auth/logout',
    public: false,
    localOnly: true,
    create: createSignOutHandler,
    doc: legacyDoc('POST /api/auth/logout'),
  },
  { method: 'POST', path: '/api/v1/reports', public: false, create: createCreateReportHandler, doc: legacyDoc('POST /api/v1/reports') },
  { method: 'GET', path: '/api/v1/reports', public: false, create: createListReportsHandler, doc: legacyDoc('GET /api/v1/reports') },
  {
    method: 'GET',
    path: '/api/v1/reports/{id}',
    public: false,
    create: createGetReportHandler,
    doc: legacyDoc('GET /api/v1/reports/{id}'),
  },
  {
    method: 'POST',
    path: '/api/v1/reports/{id}/actions',
    public: false,
    create: createReportActionHandler,
    doc: legacyDoc('POST /api/v1/reports/{id}/actions'),
  },
  // The SMS link is the credential: signed, bound to one report, officer and tier, expiring.
  // The token travels in the link-token header, never in the path: paths are in every access log.
  { method: 'GET', path: '/api/v1/link', public: true, create: createOpenLinkHandler, doc: legacyDoc('GET /api/v1/link') },
  { method: 'POST', path: '/api/v1/link', public: true, create: createLinkActionHandler, doc: legacyDoc('POST /api/v1/link') },
  // The page the SMS opens (PUBLIC_BASE_URL/l#<token>: the token is in the fragment, which no
  // server sees); on AWS CloudFront forwards /l here.
  { method: 'GET', path: '/l', public: true, create: createLinkPageHandler, doc: legacyDoc('GET /l') },
  { method: 'POST', path: '/api/v1/photos', public: false, create: createRequestPhotoUploadHandler, doc: legacyDoc('POST /api/v1/photos') },
  { method: 'GET', path: '/api/v1/photos/{id}', public: false, create: createGetPhotoHandler, doc: legacyDoc('GET /api/v1/photos/{id}') },
  // The signed upload link is the credential, as with an S3 presigned PUT: checked before the
  // bytes are read (a stranger's 10 MB is never buffered), the bytes checked inside.
  {
    method: 'PUT',
    path: '/api/v1/photos/{id}/content',
    public: true,
    localOnly: true,
    maxBodyBytes: MAX_PHOTO_BYTES,
    create: createPutPhotoContentHandler,
    beforeBody: createPhotoUploadLinkCheck,
    doc: legacyDoc('PUT /api/v1/photos/{id}/content'),
  },
];

/** Every area of the API; an area adds itself here with its routes and their docs. */
export const ROUTE_MODULES: RouteModule[] = [
  { routes: CORE_ROUTES },
  OPEN311_ROUTES,
  HISTORY_ROUTES,
  TREE_ROUTES,
  PEOPLE_ROUTES,
  CATALOG_ROUTES,
  IMPORT_ROUTES,
  SMS_ROUTES,
  WORKBENCH_ROUTES,
  TIMELINE_ROUTES,
  DUPLICATE_ROUTES,
  STATS_ROUTES,
  COUNTY_RULES_ROUTES,
];

export const ROUTES: RouteDefinition[] = ROUTE_MODULES.flatMap((m) => m.routes);

/** The OpenAPI schemas the areas' docs refer to, beside the shared ones of openapi.ts. */
export function routeComponents(): Record<string, Schema> {
  return Object.assign({}, ...ROUTE_MODULES.map((m) => m.components ?? {}));
}

/** The routes a group's function serves on AWS (local-only routes are not deployed). */
export function routesOf(group: FunctionGroup): RouteDefinition[] {
  return ROUTES.filter((r) => !r.localOnly && functionGroupOf(r) === group);
}
