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
  UnavailableError,
  UnsupportedMediaTypeError,
  ValidationError,
} from '#core/errors.ts';
import type { Actor } from '#core/people.ts';
import type { TokenService } from '#ports/auth.ts';

export type ApiEvent = APIGatewayProxyEventV2;
export type ApiResult = APIGatewayProxyStructuredResultV2;
export type ApiHandler = (event: ApiEvent) => Promise<ApiResult>;
/** Runs on a request whose body has not been read: a result refuses it, undefined lets it through. */
export type RequestCheck = (event: ApiEvent) => Promise<ApiResult | undefined>;

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
  unavailable: 503,
};

const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' };

const MARKUP = /[<>&]/g;
const MARKUP_ESCAPES: Record<string, string> = { '<': '\\u003c', '>': '\\u003e', '&': '\\u0026' };

/**
 * JSON text with `<`, `>` and `&` written as \u escapes (the same JSON to any parser): a value that
 * echoes input, such as an unknown field named `<img onerror=…>`, can never read as markup to a
 * browser or a log viewer that sniffs or embeds it.
 */
export function jsonText(value: unknown): string {
  return JSON.stringify(value).replace(MARKUP, (ch) => MARKUP_ESCAPES[ch] ?? ch);
}

export function json(statusCode: number, body: unknown, headers: Record<string, string> = {}): ApiResult {
  return { statusCode, headers: { ...JSON_HEADERS, ...headers }, body: jsonText(body) };
}

export function errorResult(error: unknown, log: (message: string, error: unknown) => void = console.error): ApiResult {
  if (error instanceof GridWhistleError) {
    const body: { code: string; message: string; details?: unknown } = { code: error.code, message: error.message };
    if (error.details !== undefined) body.details = error.details;
    const headers: Record<string, string> =
      error instanceof ThrottledError || error instanceof UnavailableError ? { 'retry-after': String(error.retryAfterSeconds) } : {};
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

/** Wraps a check that throws to refuse, so the refusal leaves as the JSON error shape too. */
export function check(fn: (event: ApiEvent) => Promise<void> | void): RequestCheck {
  return async (event) => {
    try {
      await fn(event);
      return undefined;
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

const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Decodes bytes that must be UTF-8, or null when they are not: invalid bytes are refused, never
 * turned into U+FFFD, so what a client sent is what gets stored. A BOM is kept (JSON may not start
 * with one, so it is refused like any other stray character).
 */
export function strictUtf8(bytes: Uint8Array): string | null {
  try {
    return UTF8.decode(bytes);
  } catch {
    return null;
  }
}

// ES2024 and in Node since 20, but the ES2023 lib this project compiles against does not declare it.
const isWellFormed = (text: string): boolean => (text as unknown as { isWellFormed(): boolean }).isWellFormed();

interface Visit {
  value: unknown;
  key?: string;
  parent?: Visit;
}

function pathOf(visit: Visit): string {
  const keys: string[] = [];
  for (let v: Visit | undefined = visit; v?.key !== undefined; v = v.parent) keys.unshift(v.key);
  return keys.join('.');
}

/**
 * Where a parsed JSON value holds a string or key that is not text (a lone surrogate such as
 * "\ud800", which JSON escapes allow but UTF-8, and so DynamoDB, cannot hold), if anywhere.
 * Iterative, with paths built only for the answer, so a deeply nested body costs linear time and
 * cannot overflow the stack.
 */
export function illFormedTextIn(value: unknown): { path: string; message: string } | undefined {
  const pending: Visit[] = [{ value }];
  for (let visit = pending.pop(); visit; visit = pending.pop()) {
    const item = visit.value;
    if (typeof item === 'string') {
      if (!isWellFormed(item)) return { path: pathOf(visit), message: 'holds a lone surrogate, which is not text' };
    } else if (Array.isArray(item)) {
      for (const [i, element] of item.entries()) pending.push({ value: element, key: String(i), parent: visit });
    } else if (item !== null && typeof item === 'object') {
      for (const [key, element] of Object.entries(item)) {
        if (!isWellFormed(key)) return { path: pathOf(visit), message: 'a key holds a lone surrogate, which is not text' };
        pending.push({ value: element, key, parent: visit });
      }
    }
  }
  return undefined;
}

/** Labels that name UTF-8 (the second is the common spelling the WHATWG Encoding standard accepts too). */
const UTF8_CHARSET = /^utf-?8$/i;
const MEDIA_TYPE_PARAMETER = /;\s*([^\s=;]+)\s*=\s*("(?:[^"\\]|\\.)*"|[^;\s]*)/g;

/** Refuses anything but application/json in UTF-8 (no charset, or charset=utf-8 in any case, quoted or not). */
function assertJsonInUtf8(contentType: string): void {
  const semicolon = contentType.indexOf(';');
  const type = semicolon < 0 ? contentType : contentType.slice(0, semicolon);
  if (type.trim().toLowerCase() !== 'application/json') throw new UnsupportedMediaTypeError('send the body as application/json');
  const parameters = semicolon < 0 ? '' : contentType.slice(semicolon);
  for (const [, name = '', raw = ''] of parameters.matchAll(MEDIA_TYPE_PARAMETER)) {
    const value = raw.startsWith('"') ? raw.slice(1, -1).replace(/\\(.)/g, '$1') : raw;
    if (name.toLowerCase() === 'charset' && !UTF8_CHARSET.test(value)) {
      throw new UnsupportedMediaTypeError(`send the body in UTF-8 (charset=utf-8 or no charset), not ${value || 'an empty charset'}`);
    }
  }
}

const notUtf8 = () => new ValidationError('REQUEST.INVALID_TEXT', 'the body is not valid UTF-8');

/**
 * The body as text, whether it arrived as text or base64 (API Gateway base64-encodes what it will
 * not pass as text, and so does the local server), refusing a body that is not UTF-8.
 */
function bodyText(event: ApiEvent): string {
  const raw = event.body ?? '';
  const tooLarge = () => new PayloadTooLargeError(`bodies are limited to ${MAX_BODY_BYTES} bytes`);
  if (!event.isBase64Encoded) {
    if (Buffer.byteLength(raw, 'utf8') > MAX_BODY_BYTES) throw tooLarge();
    if (!isWellFormed(raw)) throw notUtf8();
    return raw;
  }
  const bytes = Buffer.from(raw, 'base64');
  if (bytes.length > MAX_BODY_BYTES) throw tooLarge();
  const text = strictUtf8(bytes);
  if (text === null) throw notUtf8();
  return text;
}

export function parseJsonBody<S extends z.ZodType>(event: ApiEvent, schema: S): z.infer<S> {
  assertJsonInUtf8(header(event, 'content-type') ?? '');
  const text = bodyText(event);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ValidationError('REQUEST.MALFORMED_JSON', 'the body is not valid JSON');
  }
  const illFormed = illFormedTextIn(value);
  if (illFormed) throw new ValidationError('REQUEST.INVALID_TEXT', 'the body holds text that is not valid Unicode', [illFormed]);
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
