/**
 * The console's one HTTP client, typed by the API's own OpenAPI document (schema.d.ts, generated),
 * with stacked interceptors in the manner of vben-admin's request client: each request passes the
 * request interceptors in order (the bearer token, the language), each failure the error
 * interceptors in order (one token refresh on 401 with the other requests queued behind it, then a
 * message in the reader's language). Stores call the area modules (api/*.ts); components never fetch.
 */
import type { paths } from './schema';

export type Method = 'get' | 'post' | 'put' | 'patch';

/** An answer that is not 2xx, with the API's stable error code and a message fit to show. */
export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
    /** The server's own message, before translation. */
    readonly serverMessage?: string,
  ) {
    super(message);
  }
}

export interface ApiRequest {
  method: Method;
  /** With its {params} filled in. */
  url: string;
  headers: Record<string, string>;
  body?: BodyInit;
  /** How to read a 2xx answer. */
  as: 'json' | 'text' | 'blob' | 'none';
  /** Attempts so far of this request (a retry after a refresh is the second). */
  attempt: number;
}

export type RequestInterceptor = (request: ApiRequest) => ApiRequest | Promise<ApiRequest>;
/** Handles a failure: return a value to answer the request with it, or throw (the same error or another). */
export type ErrorInterceptor = (error: ApiError, request: ApiRequest, client: RequestClient) => Promise<unknown>;

type PathsWith<M extends Method> = { [P in keyof paths]: paths[P] extends Record<M, object> ? P : never }[keyof paths];
type Operation<P extends keyof paths, M extends Method> = paths[P] extends Record<M, infer Op> ? Op : never;
type JsonOf<R> = R extends { content: { 'application/json': infer T } } ? T : unknown;
type SuccessOf<Op> = Op extends { responses: infer R }
  ? R extends { 200: infer X }
    ? JsonOf<X>
    : R extends { 201: infer X }
      ? JsonOf<X>
      : R extends { 202: infer X }
        ? JsonOf<X>
        : undefined
  : never;
type PathParams<Op> = Op extends { parameters: { path: infer Params } } ? Params : never;
type QueryParams<Op> = Op extends { parameters: { query?: infer Q } } ? Q : never;
type JsonBody<Op> = Op extends { requestBody: { content: { 'application/json': infer B } } } ? B : never;

export interface CallOptions<Op> {
  path?: PathParams<Op> extends never ? never : PathParams<Op>;
  query?: QueryParams<Op> extends never ? Record<string, string | number | boolean | undefined> : QueryParams<Op>;
  body?: JsonBody<Op> | string | Blob | Uint8Array;
  headers?: Record<string, string>;
  as?: ApiRequest['as'];
}

export type ApiFetch = (url: string, init: RequestInit) => Promise<Response>;

export class RequestClient {
  private readonly requestInterceptors: RequestInterceptor[] = [];
  private readonly errorInterceptors: ErrorInterceptor[] = [];

  constructor(private readonly fetcher: ApiFetch = (url, init) => fetch(url, init)) {}

  useRequest(interceptor: RequestInterceptor): this {
    this.requestInterceptors.push(interceptor);
    return this;
  }

  useError(interceptor: ErrorInterceptor): this {
    this.errorInterceptors.push(interceptor);
    return this;
  }

  get<P extends PathsWith<'get'>>(path: P, options: CallOptions<Operation<P, 'get'>> = {}) {
    return this.call('get', path, options) as Promise<SuccessOf<Operation<P, 'get'>>>;
  }
  post<P extends PathsWith<'post'>>(path: P, options: CallOptions<Operation<P, 'post'>> = {}) {
    return this.call('post', path, options) as Promise<SuccessOf<Operation<P, 'post'>>>;
  }
  patch<P extends PathsWith<'patch'>>(path: P, options: CallOptions<Operation<P, 'patch'>> = {}) {
    return this.call('patch', path, options) as Promise<SuccessOf<Operation<P, 'patch'>>>;
  }
  put<P extends PathsWith<'put'>>(path: P, options: CallOptions<Operation<P, 'put'>> = {}) {
    return this.call('put', path, options) as Promise<SuccessOf<Operation<P, 'put'>>>;
  }

  private async call(method: Method, path: string, options: CallOptions<unknown>): Promise<unknown> {
    const url = buildUrl(path, options.path as Record<string, string | number> | undefined, options.query as Record<string, unknown>);
    const headers: Record<string, string> = { accept: 'application/json', ...(options.headers ?? {}) };
    let body: BodyInit | undefined;
    if (options.body !== undefined) {
      if (typeof options.body === 'string' || options.body instanceof Blob || options.body instanceof Uint8Array) {
        body = options.body as BodyInit;
      } else {
        body = JSON.stringify(options.body);
        headers['content-type'] ??= 'application/json';
      }
    }
    return this.send({ method, url, headers, body, as: options.as ?? 'json', attempt: 1 });
  }

  /** Sends a request through the request interceptors; a failure goes through the error interceptors. */
  async send(initial: ApiRequest): Promise<unknown> {
    let request = initial;
    for (const interceptor of this.requestInterceptors) request = await interceptor(request);
    try {
      return await this.perform(request);
    } catch (thrown) {
      let error = thrown instanceof ApiError ? thrown : new ApiError(0, 'NETWORK', (thrown as Error)?.message ?? String(thrown));
      for (const interceptor of this.errorInterceptors) {
        try {
          return await interceptor(error, request, this);
        } catch (next) {
          error = next instanceof ApiError ? next : new ApiError(0, 'NETWORK', (next as Error)?.message ?? String(next));
        }
      }
      throw error;
    }
  }

  private async perform(request: ApiRequest): Promise<unknown> {
    const response = await this.fetcher(request.url, {
      method: request.method.toUpperCase(),
      headers: request.headers,
      body: request.body,
      credentials: 'same-origin',
    });
    if (!response.ok) throw await errorOf(response);
    if (request.as === 'none' || response.status === 204) return undefined;
    if (request.as === 'text') return response.text();
    if (request.as === 'blob') return response.blob();
    return response.json();
  }
}

/** The API's `{error: {code, message, details}}`, or what the status says when the body is not that. */
async function errorOf(response: Response): Promise<ApiError> {
  let code = `HTTP.${response.status}`;
  let message = response.statusText;
  let details: unknown;
  try {
    const body = (await response.json()) as { error?: { code?: string; message?: string; details?: unknown } };
    if (body?.error?.code) {
      code = body.error.code;
      message = body.error.message ?? message;
      details = body.error.details;
    }
  } catch {
    // not JSON (a proxy's page): keep the status
  }
  const error = new ApiError(response.status, code, message, details, message);
  const retryAfter = response.headers.get('retry-after');
  if (retryAfter) Object.assign(error, { retryAfterSeconds: Number(retryAfter) });
  return error;
}

export function buildUrl(path: string, params?: Record<string, string | number>, query?: Record<string, unknown>): string {
  const filled = path.replace(/\{(\w+)\}/g, (_m, name: string) => {
    const value = params?.[name];
    if (value === undefined) throw new Error(`missing path parameter ${name} for ${path}`);
    return encodeURIComponent(String(value));
  });
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value === undefined || value === null || value === '') continue;
    search.set(key, String(value));
  }
  const qs = search.toString();
  return qs ? `${filled}?${qs}` : filled;
}
