/**
 * The Open311 edge: resource files (`requests.json`), responses in the requested format, form
 * bodies, and the one place where our error taxonomy becomes the standard's errors document.
 *
 * API Gateway HTTP APIs match path variables only as whole segments, so the routes are
 * `/open311/v2/{file}` and friends, and the name and the format are split here.
 */
import { type ErrorKind, GridWhistleError, NotFoundError, UnsupportedMediaTypeError, ValidationError } from '#core/errors.ts';
import { type ApiEvent, type ApiHandler, type ApiResult, bodyBytes, header } from '#handlers/http/http.ts';
import { type ErrorEntry, errorsDocument, type GeoReportDocument } from './documents.ts';
import { CONTENT_TYPES, type Format, serialize } from './serializers.ts';

export interface ResourceFile {
  /** `requests`, `services`, a service code or a request id. */
  name: string;
  format: Format;
}

const RESOURCE_FILE = /^([A-Za-z0-9_-]{1,64})\.(json|xml)$/;

/** The format an error should be written in when the path itself is what is wrong. */
function formatHint(event: ApiEvent): Format {
  const file = event.pathParameters?.file ?? '';
  if (file.endsWith('.json')) return 'json';
  if (file.endsWith('.xml')) return 'xml';
  // XML is the standard's required format; a client that asked for JSON gets JSON.
  return /\bjson\b/i.test(header(event, 'accept') ?? '') ? 'json' : 'xml';
}

export function resourceFile(event: ApiEvent): ResourceFile {
  const match = RESOURCE_FILE.exec(event.pathParameters?.file ?? '');
  if (!match?.[1] || !match[2]) {
    throw new NotFoundError('OPEN311.NO_SUCH_FORMAT', 'resources are served as .json or .xml (e.g. services.xml)');
  }
  return { name: match[1], format: match[2] as Format };
}

export function respond(statusCode: number, document: GeoReportDocument, format: Format, headers: Record<string, string> = {}): ApiResult {
  return {
    statusCode,
    headers: { 'content-type': CONTENT_TYPES[format], 'cache-control': 'no-store', ...headers },
    body: serialize(document, format),
  };
}

/**
 * The standard's statuses: 404 for what does not exist, 403 for a missing or wrong api_key,
 * 400 for any other request that cannot be fulfilled. 413, 429 and 503 keep their HTTP meaning
 * because clients act on them (shrink the body, back off, send it again).
 */
const OPEN311_STATUS: Record<ErrorKind, number> = {
  validation: 400,
  unauthenticated: 403,
  forbidden: 403,
  not_found: 404,
  conflict: 400,
  too_large: 413,
  unsupported_media_type: 400,
  refused: 400,
  throttled: 429,
  unavailable: 503,
};

function isFieldIssue(detail: unknown): detail is { path: string; message: string } {
  return typeof detail === 'object' && detail !== null && 'path' in detail && 'message' in detail;
}

/** One errors document entry per problem: the standard's errors response is a list. */
export function open311ErrorEntries(error: GridWhistleError): { status: number; entries: ErrorEntry[] } {
  const status = OPEN311_STATUS[error.kind];
  const issues = Array.isArray(error.details) ? error.details.filter(isFieldIssue) : [];
  const entries =
    issues.length > 0
      ? issues.map((issue) => ({ code: status, description: `${issue.path}: ${issue.message}` }))
      : [{ code: status, description: error.message }];
  return { status, entries };
}

export function open311ErrorResult(
  error: unknown,
  format: Format,
  log: (message: string, error: unknown) => void = console.error,
): ApiResult {
  if (error instanceof GridWhistleError) {
    const { status, entries } = open311ErrorEntries(error);
    return respond(status, errorsDocument(entries), format, { 'x-error-code': error.code });
  }
  log('unhandled error', error);
  return respond(500, errorsDocument([{ code: 500, description: 'something went wrong on our side; the request may be retried' }]), format);
}

/** Wraps an Open311 route: every failure leaves as an errors document in the request's format. */
export function open311Route(handle: (event: ApiEvent, file: ResourceFile) => Promise<ApiResult>): ApiHandler {
  return async (event) => {
    let format = formatHint(event);
    try {
      const file = resourceFile(event);
      format = file.format;
      return await handle(event, file);
    } catch (error) {
      return open311ErrorResult(error, format);
    }
  };
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });
const badEncoding = () =>
  new ValidationError('OPEN311.BAD_ENCODING', 'the form is not valid application/x-www-form-urlencoded UTF-8 (a broken %-escape?)');

/** One name or value of a form: `+` is a space, and every %-escape must spell UTF-8. */
function decodeFormComponent(text: string): string {
  try {
    return decodeURIComponent(text.replaceAll('+', ' '));
  } catch {
    throw badEncoding();
  }
}

/**
 * The body of POST requests, as (name, value) pairs in arrival order. URLSearchParams would turn
 * a broken escape (%zz, or %E4%B8 cut mid-character) into literal text or U+FFFD and store it;
 * here it is a 400, and so are bytes that are not UTF-8.
 */
export function formFields(event: ApiEvent): [string, string][] {
  const contentType = (header(event, 'content-type') ?? '').split(';')[0]?.trim().toLowerCase();
  if (contentType !== 'application/x-www-form-urlencoded') {
    throw new UnsupportedMediaTypeError('send the request as application/x-www-form-urlencoded');
  }
  let body: string;
  try {
    body = strictUtf8.decode(bodyBytes(event));
  } catch {
    throw badEncoding();
  }
  return body
    .split('&')
    .filter((pair) => pair !== '')
    .map((pair) => {
      const at = pair.indexOf('=');
      const [name, value] = at < 0 ? [pair, ''] : [pair.slice(0, at), pair.slice(at + 1)];
      return [decodeFormComponent(name), decodeFormComponent(value)];
    });
}

export function single(fields: readonly (readonly [string, string])[], name: string): string | undefined {
  const values = fields.filter(([n, v]) => n === name && v !== '').map(([, v]) => v);
  if (values.length > 1) throw new ValidationError('OPEN311.REPEATED_FIELD', `${name} was sent more than once`);
  return values[0];
}
