/**
 * API Gateway HTTP API (payload 2.0) events, shaped like the ones infra/local/server.ts builds
 * for the local server, for invoking the Lambda bundles directly.
 */
import { randomUUID } from 'node:crypto';
import type { ApiEvent } from '#handlers/http/http.ts';

export interface EventOptions {
  pathParameters?: Record<string, string>;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  /** An object is sent as JSON (with its content-type); a string as it is. */
  body?: unknown;
}

/** `route` is the API Gateway route key, e.g. `GET /api/v1/reports/{id}`. */
export function apiEvent(route: string, options: EventOptions = {}): ApiEvent {
  const [method = 'GET', template = '/'] = route.split(' ');
  const pathParameters = options.pathParameters;
  const rawPath = template.replace(/\{(\w+)\}/g, (_whole, name: string) => encodeURIComponent(pathParameters?.[name] ?? ''));
  const headers: Record<string, string> = { host: 'api.example.cn', 'user-agent': 'bundle-test', ...options.headers };
  let body: string | undefined;
  if (typeof options.body === 'string') body = options.body;
  else if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers['content-type'] ??= 'application/json';
  }
  const query = options.query ?? {};
  const now = new Date();
  return {
    version: '2.0',
    routeKey: route,
    rawPath,
    rawQueryString: new URLSearchParams(query).toString(),
    headers,
    queryStringParameters: Object.keys(query).length > 0 ? query : undefined,
    pathParameters,
    body,
    isBase64Encoded: false,
    requestContext: {
      accountId: '000000000000',
      apiId: 'bundletest',
      domainName: headers.host ?? 'api.example.cn',
      domainPrefix: 'api',
      http: { method, path: rawPath, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: headers['user-agent'] ?? '' },
      requestId: randomUUID(),
      routeKey: route,
      stage: '$default',
      time: now.toISOString(),
      timeEpoch: now.getTime(),
    },
  };
}
