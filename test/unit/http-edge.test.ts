import { describe, expect, it, vi } from 'vitest';
import * as z from 'zod';
import {
  AuthenticationError,
  ConflictError,
  DomainRefusalError,
  ForbiddenError,
  GridWhistleError,
  NotFoundError,
  PayloadTooLargeError,
  SmsSendFailedError,
  ThrottledError,
  UnsupportedMediaTypeError,
  ValidationError,
} from '#core/errors.ts';
import type { Actor } from '#core/people.ts';
import type { HttpDeps } from '#handlers/http/deps.ts';
import {
  type ApiEvent,
  type ApiResult,
  authenticate,
  errorResult,
  header,
  illFormedTextIn,
  json,
  MAX_BODY_BYTES,
  parseJsonBody,
  parseQuery,
  pathParameter,
  route,
  strictUtf8,
} from '#handlers/http/http.ts';
import { routesOf } from '#handlers/http/routes.ts';
import { actionBody, createReportBody, listReportsQuery, reportId } from '#handlers/http/schemas.ts';
import { createRouter } from '#handlers/lambda/http-router.ts';
import type { TokenService } from '#ports/auth.ts';
import { thrownBy, worker } from './fixtures.ts';

/** A minimal API Gateway HTTP API (payload 2.0) event. */
function apiEvent(
  overrides: { headers?: Record<string, string>; body?: string; isBase64Encoded?: boolean } & Record<string, unknown> = {},
): ApiEvent {
  return {
    version: '2.0',
    routeKey: 'POST /api/v1/reports',
    rawPath: '/api/v1/reports',
    rawQueryString: '',
    headers: { 'content-type': 'application/json' },
    isBase64Encoded: false,
    requestContext: {
      accountId: '123456789012',
      apiId: 'api',
      domainName: 'localhost',
      domainPrefix: 'localhost',
      http: { method: 'POST', path: '/api/v1/reports', protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'vitest' },
      requestId: 'req-1',
      routeKey: 'POST /api/v1/reports',
      stage: '$default',
      time: '23/Mar/2026:01:00:00 +0000',
      timeEpoch: 1774227600000,
    },
    ...overrides,
  } as unknown as ApiEvent;
}

const validBody = { gridCode: '451322201001001', category: 'safety_hazard', title: '便桥塌陷', description: '桥面塌陷' };

function bodyOf(result: ApiResult): { error: { code: string; message: string; details?: unknown } } {
  return JSON.parse(String(result.body));
}

describe('parseJsonBody', () => {
  it('parses and validates a JSON body', () => {
    // Prepare
    const event = apiEvent({ body: JSON.stringify({ ...validBody, title: '  便桥塌陷  ' }) });

    // Act
    const body = parseJsonBody(event, createReportBody);

    // Assess
    expect(body).toEqual(validBody);
  });

  it('accepts a charset parameter and any capitalisation of the header and type', () => {
    // Prepare
    const event = apiEvent({ headers: { 'Content-Type': 'Application/JSON; charset=UTF-8' }, body: JSON.stringify({ action: 'accept' }) });

    // Act
    const body = parseJsonBody(event, actionBody);

    // Assess
    expect(body).toEqual({ action: 'accept' });
  });

  it('decodes a base64-encoded body', () => {
    // Prepare
    const event = apiEvent({ body: Buffer.from(JSON.stringify(validBody), 'utf8').toString('base64'), isBase64Encoded: true });

    // Act
    const body = parseJsonBody(event, createReportBody);

    // Assess
    expect(body.title).toBe('便桥塌陷');
  });

  it.each([
    ['text/plain', { 'content-type': 'text/plain' }],
    ['form data', { 'content-type': 'application/x-www-form-urlencoded' }],
    ['a JSON look-alike', { 'content-type': 'application/json-patch+json' }],
    ['no content type', {}],
  ])('answers %s with 415 UnsupportedMediaTypeError', (_what, headers) => {
    // Prepare
    const event = apiEvent({ headers, body: JSON.stringify(validBody) });

    // Act
    const error = thrownBy(() => parseJsonBody(event, createReportBody));

    // Assess
    expect(error).toBeInstanceOf(UnsupportedMediaTypeError);
    expect(error).toMatchObject({ kind: 'unsupported_media_type', code: 'REQUEST.UNSUPPORTED_MEDIA_TYPE' });
    expect(errorResult(error).statusCode).toBe(415);
  });

  it('answers a body over 64 KB with 413 PayloadTooLargeError', () => {
    // Prepare
    const event = apiEvent({ body: JSON.stringify({ ...validBody, description: 'x'.repeat(MAX_BODY_BYTES) }) });

    // Act
    const error = thrownBy(() => parseJsonBody(event, createReportBody));

    // Assess
    expect(MAX_BODY_BYTES).toBe(64 * 1024);
    expect(error).toBeInstanceOf(PayloadTooLargeError);
    expect(error).toMatchObject({ kind: 'too_large', code: 'REQUEST.TOO_LARGE' });
    expect(errorResult(error).statusCode).toBe(413);
  });

  it('counts bytes, not characters: 22,000 Chinese characters are too large', () => {
    // Prepare: 22,000 characters but 66,000 UTF-8 bytes
    const event = apiEvent({ body: JSON.stringify({ note: '桥'.repeat(22_000) }) });

    // Act
    const error = thrownBy(() => parseJsonBody(event, actionBody));

    // Assess
    expect(error).toBeInstanceOf(PayloadTooLargeError);
  });

  it('measures a base64 body after decoding it', () => {
    // Prepare
    const large = JSON.stringify({ note: 'x'.repeat(MAX_BODY_BYTES) });
    const event = apiEvent({ body: Buffer.from(large).toString('base64'), isBase64Encoded: true });

    // Act
    const error = thrownBy(() => parseJsonBody(event, actionBody));

    // Assess
    expect(error).toBeInstanceOf(PayloadTooLargeError);
  });

  it('lets a body of exactly 64 KB through to JSON parsing', () => {
    // Prepare: valid JSON padded with whitespace to exactly the limit
    const json = JSON.stringify({ action: 'accept' });
    const event = apiEvent({ body: json + ' '.repeat(MAX_BODY_BYTES - json.length) });

    // Act
    const body = parseJsonBody(event, actionBody);

    // Assess
    expect(body).toEqual({ action: 'accept' });
  });

  it.each(['{"action": "accept"', "{'action': 'accept'}", '', 'accept'])(
    'answers the malformed JSON %j with 400 REQUEST.MALFORMED_JSON',
    (body) => {
      // Prepare
      const event = apiEvent({ body });

      // Act
      const error = thrownBy(() => parseJsonBody(event, actionBody));

      // Assess
      expect(error).toBeInstanceOf(ValidationError);
      expect(error).toMatchObject({ kind: 'validation', code: 'REQUEST.MALFORMED_JSON' });
    },
  );

  it('answers a body that breaks the schema with 400 REQUEST.INVALID and the path of each problem', () => {
    // Prepare
    const event = apiEvent({ body: JSON.stringify({ ...validBody, title: '', extra: 1 }) });

    // Act
    const error = thrownBy(() => parseJsonBody(event, createReportBody));

    // Assess
    expect(error).toBeInstanceOf(ValidationError);
    expect(error).toMatchObject({ code: 'REQUEST.INVALID' });
    const details = (error as ValidationError).details as { path: string; message: string }[];
    expect(details.map((d) => d.path)).toEqual(expect.arrayContaining(['title', '']));
    expect(details.every((d) => typeof d.message === 'string' && d.message.length > 0)).toBe(true);
  });
});

describe('strictUtf8', () => {
  it('decodes UTF-8, Chinese and emoji included, and keeps a BOM as a character', () => {
    // Prepare
    const text = '\ufeff便桥塌陷 🚧';

    // Act
    const decoded = strictUtf8(Buffer.from(text, 'utf8'));

    // Assess
    expect(decoded).toBe(text);
  });

  it.each([
    ['a byte that never occurs in UTF-8', [0x7b, 0xff, 0x7d]],
    ['GBK bytes (桥)', [0xc7, 0xc5]],
    ['an overlong encoding of "/"', [0xc0, 0xaf]],
    ['a sequence cut short at the end', [0xe6, 0xa1]],
    ['an encoded surrogate (CESU-8)', [0xed, 0xa0, 0x80]],
    ['a code point above U+10FFFF', [0xf4, 0x90, 0x80, 0x80]],
  ])('answers null to %s instead of a U+FFFD', (_what, bytes) => {
    // Act
    const decoded = strictUtf8(Uint8Array.from(bytes));

    // Assess
    expect(decoded).toBeNull();
  });
});

describe('illFormedTextIn', () => {
  it('finds nothing wrong in well-formed text, surrogate pairs included', () => {
    // Act
    const found = illFormedTextIn({ title: '桥 🚧', list: ['a', { deep: ['\ud83d\ude00'] }], n: 1, nothing: null, yes: true });

    // Assess
    expect(found).toBeUndefined();
  });

  it.each([
    ['a lone high surrogate in a value', { title: '\ud800桥' }, 'title'],
    ['a lone low surrogate deep inside', { location: { address: ['ok', 'x\udc00'] } }, 'location.address.1'],
    ['a surrogate pair in the wrong order', { note: '\ude00\ud83d' }, 'note'],
    ['a lone surrogate as the whole body', '\udbff', ''],
    ['a lone surrogate in a key', { nested: { 'k\ud800': 1 } }, 'nested'],
  ])('names where %s is', (_what, value, path) => {
    // Act
    const found = illFormedTextIn(value);

    // Assess
    expect(found).toEqual({ path, message: expect.stringContaining('lone surrogate') });
  });

  it('walks a deeply nested value without overflowing the stack', () => {
    // Prepare: 64 KB of brackets around one bad string, as deep as a body can be
    const depth = MAX_BODY_BYTES / 2 - 8;
    const value = JSON.parse(`${'['.repeat(depth)}"\\ud800"${']'.repeat(depth)}`);

    // Act
    const found = illFormedTextIn(value);

    // Assess
    expect(found?.path.split('.')).toHaveLength(depth);
  });
});

describe('parseJsonBody and the text it lets through', () => {
  const anyObject = z.record(z.string(), z.unknown());

  it.each([
    ['base64 (as API Gateway and the local server send bytes that are not UTF-8)', true],
    ['text (a Lambda behind API Gateway)', false],
  ])('refuses a body that is not UTF-8, sent as %s, with 400 REQUEST.INVALID_TEXT', (_how, base64) => {
    // Prepare: GBK bytes in a title; as text, a lone surrogate (a string no UTF-8 bytes decode to)
    const bytes = Buffer.concat([Buffer.from('{"title":"'), Buffer.from([0xc7, 0xc5]), Buffer.from('"}')]);
    const body = base64 ? bytes.toString('base64') : '{"title":"\ud800"}';
    const event = apiEvent({ body, isBase64Encoded: base64 });

    // Act
    const error = thrownBy(() => parseJsonBody(event, anyObject));

    // Assess
    expect(error).toBeInstanceOf(ValidationError);
    expect(error).toMatchObject({ kind: 'validation', code: 'REQUEST.INVALID_TEXT' });
    expect(errorResult(error).statusCode).toBe(400);
  });

  it.each([
    ['in a value', '{"title":"\\ud800桥"}', 'title'],
    ['in a key', '{"\\udfff":"桥"}', ''],
    ['in an array element', '{"photos":["P1","\\udc00"]}', 'photos.1'],
  ])('refuses a lone surrogate escape %s with 400 REQUEST.INVALID_TEXT and its path', (_where, body, path) => {
    // Prepare
    const event = apiEvent({ body });

    // Act
    const error = thrownBy(() => parseJsonBody(event, anyObject));

    // Assess
    expect(error).toMatchObject({ code: 'REQUEST.INVALID_TEXT', details: [{ path }] });
  });

  it('checks text before the schema, so a schema that takes any string cannot let a lone surrogate through', () => {
    // Prepare
    const event = apiEvent({ body: '{"action":"comment","note":"\\ud800"}' });

    // Act
    const error = thrownBy(() => parseJsonBody(event, actionBody));

    // Assess
    expect(error).toMatchObject({ code: 'REQUEST.INVALID_TEXT', details: [{ path: 'note' }] });
  });

  it('refuses a UTF-8 BOM as malformed JSON, as text and as base64 alike', () => {
    // Prepare
    const bom = '\ufeff{"action":"accept"}';

    // Act
    const errors = [
      thrownBy(() => parseJsonBody(apiEvent({ body: bom }), actionBody)),
      thrownBy(() => parseJsonBody(apiEvent({ body: Buffer.from(bom).toString('base64'), isBase64Encoded: true }), actionBody)),
    ];

    // Assess
    for (const error of errors) expect(error).toMatchObject({ code: 'REQUEST.MALFORMED_JSON' });
  });

  it.each([
    'application/json; charset=utf-8',
    'application/json; charset=UTF-8',
    'application/json;charset="utf-8"',
    'application/json; charset="Utf-8"',
    'application/json; charset=utf8',
    'application/json; foo=bar; charset=utf-8',
    'application/json; foo="a;b"',
  ])('accepts %s', (contentType) => {
    // Prepare
    const event = apiEvent({ headers: { 'content-type': contentType }, body: '{"action":"accept"}' });

    // Act
    const body = parseJsonBody(event, actionBody);

    // Assess
    expect(body).toEqual({ action: 'accept' });
  });

  it.each([
    'application/json; charset=gbk',
    'application/json; charset="GB2312"',
    'application/json; charset=iso-8859-1',
    'application/json; charset=utf-16',
    'application/json; charset=',
    'application/json; charset=utf-8; charset=gbk',
  ])('refuses %s with 415, before looking at the body', (contentType) => {
    // Prepare: plain ASCII, which would decode the same in most charsets
    const event = apiEvent({ headers: { 'content-type': contentType }, body: '{"action":"accept"}' });

    // Act
    const error = thrownBy(() => parseJsonBody(event, actionBody));

    // Assess
    expect(error).toBeInstanceOf(UnsupportedMediaTypeError);
    expect((error as Error).message).toMatch(/UTF-8/);
    expect(errorResult(error).statusCode).toBe(415);
  });
});

describe('the Lambda router', () => {
  it('refuses text that is not UTF-8 as the local server does, whether API Gateway sent it as base64 or as text', async () => {
    // Prepare: the routes get no engines, since a body refused at the edge never reaches a use case
    const router = createRouter(routesOf('api'), async () => ({}) as HttpDeps);
    const gbkNote = Buffer.concat([Buffer.from('{"action":"accept","note":"'), Buffer.from([0xc7, 0xc5]), Buffer.from('"}')]);
    const linkAction = (body: string, isBase64Encoded: boolean) =>
      apiEvent({
        routeKey: 'POST /api/v1/link',
        headers: { 'content-type': 'application/json', 'link-token': 'AbCdEfGh_-123456' },
        body,
        isBase64Encoded,
      });

    // Act
    const results = [
      await router(linkAction(gbkNote.toString('base64'), true)),
      await router(linkAction('{"action":"accept","note":"\\ud800"}', false)),
    ];

    // Assess
    for (const result of results) {
      expect(result.statusCode).toBe(400);
      expect(bodyOf(result).error.code).toBe('REQUEST.INVALID_TEXT');
    }
  });
});

describe('json', () => {
  it('writes <, > and & as \\u escapes: the same JSON, never markup', () => {
    // Prepare
    const echoed = { error: { details: [{ path: '', message: 'Unrecognized key: "<img src=x onerror=alert(1)>" & more' }] } };

    // Act
    const result = json(400, echoed);

    // Assess
    expect(result.body).not.toMatch(/[<>&]/);
    expect(result.body).toContain('\\u003cimg src=x onerror=alert(1)\\u003e\\" \\u0026 more');
    expect(JSON.parse(result.body ?? '')).toEqual(echoed);
  });
});

describe('errorResult', () => {
  it.each([
    [new ValidationError('REQUEST.INVALID', 'bad'), 400],
    [new AuthenticationError('AUTH.TOKEN_INVALID', 'who are you'), 401],
    [new ForbiddenError('REPORT.OUT_OF_SCOPE', 'not yours'), 403],
    [new NotFoundError('REPORT.NOT_FOUND', 'no such report'), 404],
    [new ConflictError('REPORT.ALREADY_ACCEPTED', 'already accepted'), 409],
    [new PayloadTooLargeError('too big'), 413],
    [new UnsupportedMediaTypeError('send JSON'), 415],
    [new DomainRefusalError('GRID.UNKNOWN', 'no such grid'), 422],
    [new GridWhistleError('throttled', 'REQUEST.THROTTLED', 'slow down'), 429],
  ])('maps %s to HTTP %i with the JSON error shape', (error, status) => {
    // Prepare
    const log = vi.fn();

    // Act
    const result = errorResult(error, log);

    // Assess
    expect(result.statusCode).toBe(status);
    expect(result.headers).toMatchObject({ 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
    expect(bodyOf(result)).toEqual({ error: { code: error.code, message: error.message } });
    expect(log).not.toHaveBeenCalled();
  });

  it('passes the details of an error on to the client', () => {
    // Act
    const result = errorResult(new ConflictError('REPORT.MOVED_ON', 'moved on', { tier: 'village', status: 'assigned' }), vi.fn());

    // Assess
    expect(bodyOf(result).error.details).toEqual({ tier: 'village', status: 'assigned' });
  });

  it('tells a throttled client when to come back: 429 with Retry-After in seconds', () => {
    // Act
    const result = errorResult(new ThrottledError('AUTH.THROTTLED', 'wait', 42), vi.fn());

    // Assess
    expect(result.statusCode).toBe(429);
    expect(result.headers).toMatchObject({ 'retry-after': '42' });
    expect(bodyOf(result)).toEqual({ error: { code: 'AUTH.THROTTLED', message: 'wait', details: { retryAfterSeconds: 42 } } });
  });

  it('answers an unexpected error with a generic 500, logging it but never leaking its message or stack', () => {
    // Prepare
    const log = vi.fn();
    const error = new TypeError("Cannot read properties of undefined (reading 'secretTableName')");

    // Act
    const result = errorResult(error, log);

    // Assess
    expect(result.statusCode).toBe(500);
    expect(bodyOf(result)).toEqual({
      error: { code: 'INTERNAL', message: 'something went wrong on our side; the request may be retried' },
    });
    expect(result.body).not.toContain('secretTableName');
    expect(result.body).not.toContain('TypeError');
    expect(result.body).not.toMatch(/\bat .+:\d+:\d+/);
    expect(log).toHaveBeenCalledWith('unhandled error', error);
  });

  it.each([
    ['an SMS failure', new SmsSendFailedError('provider down')],
    ['a thrown string', 'boom'],
    ['undefined', undefined],
    ['an object that looks like our error', { kind: 'conflict', code: 'X', message: 'forged' }],
  ])('answers %s with 500 INTERNAL', (_what, error) => {
    // Act
    const result = errorResult(error, vi.fn());

    // Assess
    expect(result.statusCode).toBe(500);
    expect(bodyOf(result).error.code).toBe('INTERNAL');
  });
});

describe('route', () => {
  it('returns the handler result untouched', async () => {
    // Prepare
    const handler = route(async () => ({ statusCode: 204 }));

    // Act
    const result = await handler(apiEvent());

    // Assess
    expect(result).toEqual({ statusCode: 204 });
  });

  it('turns a thrown domain error into its status', async () => {
    // Prepare
    const handler = route(async () => {
      throw new NotFoundError('REPORT.NOT_FOUND', 'no such report');
    });

    // Act
    const result = await handler(apiEvent());

    // Assess
    expect(result.statusCode).toBe(404);
    expect(bodyOf(result).error.code).toBe('REPORT.NOT_FOUND');
  });

  it('turns an unexpected crash into a generic 500', async () => {
    // Prepare
    const consoleError = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const handler = route(async () => {
      throw new Error('disk on fire at /var/task/index.js:12:3');
    });

    // Act
    const result = await handler(apiEvent());

    // Assess
    expect(result.statusCode).toBe(500);
    expect(result.body).not.toContain('disk on fire');
    expect(consoleError).toHaveBeenCalledOnce();
    consoleError.mockRestore();
  });
});

describe('header, query and path helpers', () => {
  it('finds a header whatever its case, and nothing when there are no headers', () => {
    // Prepare
    const event = apiEvent({ headers: { 'Idempotency-Key': 'key-0001' } });

    // Act + Assess
    expect(header(event, 'idempotency-key')).toBe('key-0001');
    expect(header(event, 'IDEMPOTENCY-KEY')).toBe('key-0001');
    expect(header(apiEvent({ headers: undefined }), 'content-type')).toBeUndefined();
  });

  it('parses a missing query string as an empty query', () => {
    // Act
    const query = parseQuery(apiEvent({ queryStringParameters: undefined }), listReportsQuery);

    // Assess
    expect(query).toEqual({});
  });

  it('answers a bad query with 400 REQUEST.INVALID_QUERY', () => {
    // Act
    const error = thrownBy(() => parseQuery(apiEvent({ queryStringParameters: { limit: '1000' } }), listReportsQuery));

    // Assess
    expect(error).toBeInstanceOf(ValidationError);
    expect(error).toMatchObject({ code: 'REQUEST.INVALID_QUERY', details: [{ path: 'limit' }] });
  });

  it('reads a valid path parameter and refuses a missing or malformed one with 400 REQUEST.INVALID_PATH', () => {
    // Act + Assess
    expect(pathParameter(apiEvent({ pathParameters: { id: 'R0123456789ABCDE' } }), 'id', reportId)).toBe('R0123456789ABCDE');
    for (const pathParameters of [undefined, {}, { id: '../R0123456789ABCDE' }, { id: 'r0123456789abcde' }]) {
      const error = thrownBy(() => pathParameter(apiEvent({ pathParameters }), 'id', reportId));
      expect(error).toMatchObject({ kind: 'validation', code: 'REQUEST.INVALID_PATH' });
    }
  });
});

describe('authenticate', () => {
  function recordingTokens(): TokenService & { seen: string[] } {
    const seen: string[] = [];
    return {
      seen,
      issue: async () => ({ token: 't', expiresAt: '2026-03-23T13:00:00Z' }),
      verify: async (token: string): Promise<Actor> => {
        seen.push(token);
        if (token !== 'good-token') throw new AuthenticationError('AUTH.TOKEN_INVALID', 'invalid token');
        return worker;
      },
    };
  }

  it.each(['Bearer good-token', 'bearer good-token', 'BEARER   good-token'])('verifies the token of "%s"', async (authorization) => {
    // Prepare
    const tokens = recordingTokens();

    // Act
    const actor = await authenticate(tokens, apiEvent({ headers: { authorization } }));

    // Assess
    expect(actor).toEqual(worker);
    expect(tokens.seen).toEqual(['good-token']);
  });

  it.each([
    ['no Authorization header', {}],
    ['a Basic credential', { authorization: 'Basic dXNlcjpwYXNz' }],
    ['a bare token', { authorization: 'good-token' }],
    ['two tokens', { authorization: 'Bearer good-token extra' }],
  ])('refuses %s with 401 AUTH.INVALID_TOKEN without asking the token service', async (_what, headers) => {
    // Prepare
    const tokens = recordingTokens();

    // Act
    const outcome = authenticate(tokens, apiEvent({ headers }));

    // Assess
    await expect(outcome).rejects.toBeInstanceOf(AuthenticationError);
    await expect(outcome).rejects.toMatchObject({ kind: 'unauthenticated', code: 'AUTH.INVALID_TOKEN' });
    expect(tokens.seen).toEqual([]);
  });

  it('passes on the refusal of a token the service does not recognise', async () => {
    // Prepare
    const tokens = recordingTokens();

    // Act
    const outcome = authenticate(tokens, apiEvent({ headers: { authorization: 'Bearer forged-token' } }));

    // Assess
    await expect(outcome).rejects.toMatchObject({ code: 'AUTH.TOKEN_INVALID' });
    expect(tokens.seen).toEqual(['forged-token']);
  });
});
