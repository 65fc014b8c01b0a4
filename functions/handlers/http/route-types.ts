/** What a route is: the shape every area's route module uses (routes.ts assembles them). */
import type { HttpDeps } from './deps.ts';
import type { ApiHandler, RequestCheck } from './http.ts';
import type { RouteDoc, Schema } from './openapi-kit.ts';

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
