/**
 * The HTTP edge shared by every route: API Gateway v2 events in, JSON out. This is the one place
 * where error kinds become HTTP statuses and where bodies are size-, type- and schema-checked, so
 * a rejected request never reaches a use case and never stores anything.
 */
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { z } from 'zod';
import {
  AuthenticationError,
  type ErrorKind,
  GridWhistleError,
  PayloadTooLargeError,
  ThrottledError,
  UnsupportedMediaTypeError,
  ValidationError,
} from '#core/errors.ts';
import type { Actor } from '#core/people.ts';
import type { TokenService } from '#ports/auth.ts';

export type ApiEvent = APIGatewayProxyEventV2;
export type ApiResult = APIGatewayProxyStructuredResultV2;
export type ApiHandler = (event: ApiEvent) => Promise<ApiResult>;

export const MAX_BODY_BYTES = 64 * 1024;

const STATUS_OF: Record<ErrorKind, number> = {
  validation: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  too_large: 413,
  unsupported_media_type: 415,
  refused: 422,
  throttled: 429,
};

const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' };

export function json(statusCode: number, body: unknown, headers: Record<string, string> = {}): ApiResult {
  return { statusCode, headers: { ...JSON_HEADERS, ...headers }, body: JSON.stringify(body) };
}

export function errorResult(error: unknown, log: (message: string, error: unknown) => void = console.error): ApiResult {
  if (error instanceof GridWhistleError) {
    const body: { code: string; message: string; details?: unknown } = { code: error.code, message: error.message };
    if (error.details !== undefined) body.details = error.details;
    const headers: Record<string, string> = error instanceof ThrottledError ? { 'retry-after': String(error.retryAfterSeconds) } : {};
    return json(STATUS_OF[error.kind], { error: body }, headers);
  }
  log('unhandled error', error);
  return json(500, { error: { code: 'INTERNAL', message: 'something went wrong on our side; the request may be retried' } });
}

/** Wraps a route so every failure, expected or not, leaves as the JSON error shape of API.md. */
export function route(fn: ApiHandler): ApiHandler {
  return async (event) => {
    try {
      return await fn(event);
    } catch (error) {
      return errorResult(error);
    }
  };
}

/** The raw request body as bytes, whether it arrived as text or base64 (binary uploads). */
export function bodyBytes(event: ApiEvent): Buffer {
  const raw = event.body ?? '';
  return event.isBase64Encoded ? Buffer.from(raw, 'base64') : Buffer.from(raw, 'utf8');
}

export function header(event: ApiEvent, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(event.headers ?? {})) if (key.toLowerCase() === wanted) return value;
  return undefined;
}

export async function authenticate(tokens: TokenService, event: ApiEvent): Promise<Actor> {
  const match = /^Bearer\s+(\S+)$/i.exec(header(event, 'authorization') ?? '');
  if (!match?.[1]) throw new AuthenticationError('AUTH.INVALID_TOKEN', 'send Authorization: Bearer <token>');
  return tokens.verify(match[1]);
}

function zodDetails(error: z.ZodError) {
  return error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
}

export function parseJsonBody<S extends z.ZodType>(event: ApiEvent, schema: S): z.infer<S> {
  const contentType = (header(event, 'content-type') ?? '').split(';')[0]?.trim().toLowerCase();
  if (contentType !== 'application/json') throw new UnsupportedMediaTypeError('send the body as application/json');
  const raw = event.body ?? '';
  const text = event.isBase64Encoded ? Buffer.from(raw, 'base64').toString('utf8') : raw;
  if (Buffer.byteLength(text, 'utf8') > MAX_BODY_BYTES) throw new PayloadTooLargeError(`bodies are limited to ${MAX_BODY_BYTES} bytes`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ValidationError('REQUEST.MALFORMED_JSON', 'the body is not valid JSON');
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new ValidationError('REQUEST.INVALID', 'the body does not match the schema', zodDetails(parsed.error));
  return parsed.data;
}

export function parseQuery<S extends z.ZodType>(event: ApiEvent, schema: S): z.infer<S> {
  const parsed = schema.safeParse(event.queryStringParameters ?? {});
  if (!parsed.success) throw new ValidationError('REQUEST.INVALID_QUERY', 'the query string is invalid', zodDetails(parsed.error));
  return parsed.data;
}

export function pathParameter(event: ApiEvent, name: string, pattern: RegExp): string {
  const value = event.pathParameters?.[name];
  if (!value || !pattern.test(value)) throw new ValidationError('REQUEST.INVALID_PATH', `invalid ${name}`);
  return value;
}
