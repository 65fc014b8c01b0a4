/**
 * Every HTTP route, once. The local server mounts this table; the CDK service stack declares the
 * same routes on the HTTP API, with `public` deciding which ones skip the JWT authorizer. Every
 * route carries its OpenAPI description (`doc`) in its definition: an area's routes live in their
 * own module (`*-routes.ts`, listed in ROUTE_MODULES) with their docs and schemas beside them.
 */
import { MAX_PHOTO_BYTES } from '#core/photos.ts';
import {
  createOpen311RequestHandler,
  createOpen311ResourceHandler,
  createOpen311ServiceDefinitionHandler,
  createOpen311SubmitHandler,
} from '#handlers/open311/handlers.ts';
import { createListCategoriesHandler } from './categories.ts';
import type { HttpDeps } from './deps.ts';
import { createHealthHandler } from './health.ts';
import { HISTORY_ROUTES } from './history-routes.ts';
import { type ApiHandler, json, type RequestCheck, route } from './http.ts';
import { IMPORT_ROUTES } from './import-routes.ts';
import { createLinkPageHandler } from './link-page.ts';
import { createLinkActionHandler, createOpenLinkHandler } from './links.ts';
import { ROUTE_DOCS as LEGACY_DOCS, openApiDocument } from './openapi.ts';
import type { RouteDoc, Schema } from './openapi-kit.ts';
import {
  createGetPhotoHandler,
  createPhotoUploadLinkCheck,
  createPutPhotoContentHandler,
  createRequestPhotoUploadHandler,
} from './photos.ts';
import { createCreateReportHandler, createGetReportHandler, createListReportsHandler, createReportActionHandler } from './reports.ts';
import { createRefreshHandler, createSignInHandler, createSignOutHandler } from './sign-in.ts';

export interface RouteDefinition {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH';
  /** API Gateway route syntax: /api/v1/reports/{id} */
  path: string;
  public: boolean;
  /** Bodies above this are refused with 413 before the handler runs (default 64 KB). */
  maxBodyBytes?: number;
  /**
   * Served by the local runtime only: on AWS, S3 takes photo uploads and Cognito signs users in,
   * so these routes are not deployed there.
   */
  localOnly?: boolean;
  create: (deps: HttpDeps) => ApiHandler;
  /**
   * A check that needs no body (the path, query and headers only), which the local server runs
   * before it reads a single byte of the body: a request it refuses is answered at once and its
   * connection closed, so a stranger cannot make us buffer megabytes. The handler checks again,
   * since API Gateway has read the body before a Lambda runs.
   */
  beforeBody?: (deps: HttpDeps) => RequestCheck;
  /** Its OpenAPI description: summary, body schema, responses. */
  doc: RouteDoc;
}

/** An area's routes and the OpenAPI schemas (components) their docs refer to. */
export interface RouteModule {
  routes: RouteDefinition[];
  components?: Record<string, Schema>;
}

/** The doc of a route defined before docs moved beside their routes (openapi.ts keeps those). */
function legacyDoc(key: string): RouteDoc {
  const doc = LEGACY_DOCS[key];
  if (!doc) throw new Error(`no OpenAPI doc for ${key}`);
  return doc;
}

/** Which Lambda function serves a route on AWS: Open311 is its own group (public, api_key writes). */
export function functionGroupOf(route: Pick<RouteDefinition, 'path'>): 'api' | 'open311' {
  return route.path.startsWith('/open311/') ? 'open311' : 'api';
}

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
  {
    method: 'GET',
    path: '/api/v1/categories',
    public: false,
    create: createListCategoriesHandler,
    doc: legacyDoc('GET /api/v1/categories'),
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
  // Open311 GeoReport v2: {file} is `requests.json`, `services.xml`…, split by the handler because
  // API Gateway matches variables only as whole segments. POST authenticates by api_key, not a token.
  {
    method: 'GET',
    path: '/open311/v2/{file}',
    public: true,
    create: createOpen311ResourceHandler,
    doc: legacyDoc('GET /open311/v2/{file}'),
  },
  {
    method: 'POST',
    path: '/open311/v2/{file}',
    public: true,
    create: createOpen311SubmitHandler,
    doc: legacyDoc('POST /open311/v2/{file}'),
  },
  {
    method: 'GET',
    path: '/open311/v2/services/{file}',
    public: true,
    create: createOpen311ServiceDefinitionHandler,
    doc: legacyDoc('GET /open311/v2/services/{file}'),
  },
  {
    method: 'GET',
    path: '/open311/v2/requests/{file}',
    public: true,
    create: createOpen311RequestHandler,
    doc: legacyDoc('GET /open311/v2/requests/{file}'),
  },
];

/** Every area of the API; an area adds itself here with its routes and their docs. */
export const ROUTE_MODULES: RouteModule[] = [{ routes: CORE_ROUTES }, HISTORY_ROUTES, IMPORT_ROUTES];

export const ROUTES: RouteDefinition[] = ROUTE_MODULES.flatMap((m) => m.routes);

/** The OpenAPI schemas the areas' docs refer to, beside the shared ones of openapi.ts. */
export function routeComponents(): Record<string, Schema> {
  return Object.assign({}, ...ROUTE_MODULES.map((m) => m.components ?? {}));
}
