/**
 * Every HTTP route, once. The local server mounts this table; the CDK service stack will declare
 * the same routes on the HTTP API, with `public` deciding which ones skip the JWT authorizer.
 */
import { createListCategoriesHandler } from './categories.ts';
import type { HttpDeps } from './deps.ts';
import { createHealthHandler } from './health.ts';
import type { ApiHandler } from './http.ts';
import { createCreateReportHandler, createGetReportHandler, createListReportsHandler, createReportActionHandler } from './reports.ts';
import { createRefreshHandler, createSignInHandler, createSignOutHandler } from './sign-in.ts';

export interface RouteDefinition {
  method: 'GET' | 'POST';
  /** API Gateway route syntax: /api/v1/reports/{id} */
  path: string;
  public: boolean;
  /** Bodies above this are refused with 413 before the handler runs (default 64 KB). */
  maxBodyBytes?: number;
  create: (deps: HttpDeps) => ApiHandler;
}

export const ROUTES: RouteDefinition[] = [
  { method: 'GET', path: '/api/health', public: true, create: createHealthHandler },
  { method: 'POST', path: '/api/auth/login', public: true, create: createSignInHandler },
  { method: 'POST', path: '/api/auth/refresh', public: true, create: createRefreshHandler },
  { method: 'POST', path: '/api/auth/logout', public: false, create: createSignOutHandler },
  { method: 'GET', path: '/api/v1/categories', public: false, create: createListCategoriesHandler },
  { method: 'POST', path: '/api/v1/reports', public: false, create: createCreateReportHandler },
  { method: 'GET', path: '/api/v1/reports', public: false, create: createListReportsHandler },
  { method: 'GET', path: '/api/v1/reports/{id}', public: false, create: createGetReportHandler },
  { method: 'POST', path: '/api/v1/reports/{id}/actions', public: false, create: createReportActionHandler },
];
