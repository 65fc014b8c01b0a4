/**
 * Bad input at the HTTP edge, on the real engines: every malformed, mistyped, oversized, unknown or
 * unauthenticated request gets the right 4xx in the JSON error shape of API.md, and stores nothing
 * (no report, no workflow execution, no idempotency record, no timeline event).
 *
 * The runtime is fresh and the describes run in order: every rejected submission comes before
 * "nothing was stored", which checks that the store is still empty.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError } from '../support/api-error.ts';
import {
  FIRST_GRID,
  type HttpResult,
  newKey,
  reportBody,
  SECOND_GRID,
  scenario,
  startTestRuntime,
  type TestRuntime,
} from '../support/local-runtime.ts';

let rt: TestRuntime;

beforeAll(async () => {
  rt = await startTestRuntime();
});
afterAll(async () => rt?.stop());

const UNKNOWN_REPORT_ID = 'R000000000000000';

/** The zod issue paths the server named in `details`. */
function detailPaths(res: HttpResult): string[] {
  expect(Array.isArray(res.body.error.details), JSON.stringify(res.body)).toBe(true);
  return res.body.error.details.map((d: { path: string }) => d.path);
}

async function postReport(opts: { body?: unknown; rawBody?: string | Buffer; headers?: Record<string, string>; key?: string | null }) {
  const token = await rt.login('worker1');
  const headers: Record<string, string> = { ...(opts.headers ?? {}) };
  if (opts.key !== null) headers['idempotency-key'] = opts.key ?? newKey('bad');
  return rt.http('POST', '/api/v1/reports', { token, body: opts.body, rawBody: opts.rawBody, headers });
}

const JSON_TYPE = { 'content-type': 'application/json' };

/** Keys of submissions refused after their body parsed (422/403, an implausible time): they got furthest, so they are reused later. */
const refusedKeys: string[] = [];

describe('POST /api/v1/reports with a body that is not the JSON the schema wants', () => {
  it.each([
    ['a truncated object', '{"gridCode":'],
    ['a trailing comma', `{"gridCode":"${FIRST_GRID}",}`],
    ['single quotes', "{'gridCode':'451322201001001'}"],
    ['an empty body', ''],
  ])('answers 400 REQUEST.MALFORMED_JSON to %s', async (_name, rawBody) => {
    // Prepare / Act
    const res = await postReport({ rawBody, headers: JSON_TYPE });

    // Assess
    expectError(res, 400, 'REQUEST.MALFORMED_JSON');
  });

  it.each([
    ['title', 'title'],
    ['description', 'description'],
    ['gridCode', 'gridCode'],
    ['category', 'category'],
  ])('answers 400 REQUEST.INVALID naming the missing %s', async (field, path) => {
    // Prepare
    const body: Record<string, unknown> = reportBody();
    delete body[field];

    // Act
    const res = await postReport({ body });

    // Assess
    expectError(res, 400, 'REQUEST.INVALID');
    expect(detailPaths(res)).toContain(path);
  });

  it.each([
    ['title is a number', { title: 42 }, 'title'],
    ['title is null', { title: null }, 'title'],
    ['description is an array', { description: ['a'] }, 'description'],
    ['location.lat is a word', { location: { lat: 'north', lng: 109.69 } }, 'location.lat'],
    ['location.lat is out of range', { location: { lat: 123, lng: 109.69 } }, 'location.lat'],
    ['location is a string', { location: '百丈乡' }, 'location'],
    ['urgency is not one of the three', { urgency: 'whenever' }, 'urgency'],
    ['gridCode is a number', { gridCode: 451322201001001 }, 'gridCode'],
    ['photos is not a list of URLs', { photos: ['not a url'] }, 'photos.0'],
    ['occurredAt has no offset', { occurredAt: '2025-01-01T08:00:00' }, 'occurredAt'],
    ['title is only blanks', { title: '   ' }, 'title'],
  ])('answers 400 REQUEST.INVALID when %s', async (_name, overrides, path) => {
    // Prepare / Act
    const res = await postReport({ body: reportBody(overrides) });

    // Assess
    expectError(res, 400, 'REQUEST.INVALID');
    expect(detailPaths(res)).toContain(path);
  });

  it.each([
    ['null', 'null'],
    ['an array', '[]'],
    ['a string', '"a report"'],
    ['a number', '42'],
  ])('answers 400 REQUEST.INVALID to a JSON %s instead of an object', async (_name, rawBody) => {
    // Prepare / Act
    const res = await postReport({ rawBody, headers: JSON_TYPE });

    // Assess
    expectError(res, 400, 'REQUEST.INVALID');
  });

  it.each([
    ['at the top level', { ...reportBody(), priority: 'high' }, 'priority'],
    ['inside location', reportBody({ location: { lat: 23.96, lng: 109.69, altitude: 80 } }), 'altitude'],
    ['that tries to set the status', { ...reportBody(), status: 'closed' }, 'status'],
  ])('answers 400 REQUEST.INVALID to an unknown field %s', async (_name, body, field) => {
    // Prepare / Act
    const res = await postReport({ body });

    // Assess
    expectError(res, 400, 'REQUEST.INVALID');
    expect(JSON.stringify(res.body.error.details)).toContain(field);
  });

  it.each([
    ['a NUL in the title', { title: 'bridge\u0000collapsed' }, 'title'],
    ['an ANSI escape in the title', { title: '\u001b[31mbridge collapsed' }, 'title'],
    ['a DEL in the title', { title: 'bridge\u007fcollapsed' }, 'title'],
    ['a newline in the title', { title: 'bridge\ncollapsed' }, 'title'],
    ['a BEL in the description', { description: '桥塌了\u0007请尽快处理' }, 'description'],
    ['a C1 control (8-bit CSI) in the title', { title: '\u009b31m桥塌了' }, 'title'],
    ['a right-to-left override in the description', { description: '补偿款\u202e0001\u202c元' }, 'description'],
    ['an ANSI escape in the address', { location: { lat: 23.96, lng: 109.69, address: '\u001b[2J那沙村' } }, 'location.address'],
  ])('answers 400 REQUEST.INVALID to %s', async (_name, overrides, path) => {
    // Prepare / Act
    const res = await postReport({ body: reportBody(overrides) });

    // Assess
    expectError(res, 400, 'REQUEST.INVALID');
    expect(detailPaths(res)).toContain(path);
  });

  it('answers 400 REQUEST.INVALID to a 10,000-character title', async () => {
    // Prepare
    const body = reportBody({ title: '塌'.repeat(10_000) });

    // Act
    const res = await postReport({ body });

    // Assess
    expectError(res, 400, 'REQUEST.INVALID');
    expect(detailPaths(res)).toContain('title');
  });

  it('answers 413 REQUEST.TOO_LARGE to a body over 64 KB sent as application/json', async () => {
    // Prepare
    const rawBody = JSON.stringify(reportBody({ description: 'x'.repeat(70_000) }));
    expect(Buffer.byteLength(rawBody)).toBeGreaterThan(64 * 1024);

    // Act
    const res = await postReport({ rawBody, headers: JSON_TYPE });

    // Assess
    expectError(res, 413, 'REQUEST.TOO_LARGE');
  });

  it.each([
    ['text/plain', { 'content-type': 'text/plain' }, JSON.stringify(reportBody())],
    ['form-urlencoded', { 'content-type': 'application/x-www-form-urlencoded' }, JSON.stringify(reportBody())],
    ['a look-alike type', { 'content-type': 'application/jsonp' }, JSON.stringify(reportBody())],
    ['no content type at all', {}, Buffer.from(JSON.stringify(reportBody()))],
  ])('answers 415 REQUEST.UNSUPPORTED_MEDIA_TYPE to a valid JSON body sent as %s', async (_name, headers, rawBody) => {
    // Prepare / Act
    const res = await postReport({ rawBody, headers });

    // Assess
    expectError(res, 415, 'REQUEST.UNSUPPORTED_MEDIA_TYPE');
  });
});

describe('POST /api/v1/reports with a valid body the domain refuses', () => {
  it.each([
    ['an unknown grid', { gridCode: '999999999999999' }, 422, 'GRID.UNKNOWN'],
    ['a village code instead of a grid', { gridCode: '451322201001' }, 422, 'GRID.UNKNOWN'],
    ['an unknown category', { category: 'alien_landing' }, 422, 'CATEGORY.UNKNOWN'],
    ['another worker’s grid', { gridCode: SECOND_GRID }, 403, 'GRID.NOT_YOURS'],
  ])('refuses %s', async (_name, overrides, status, code) => {
    // Prepare
    const key = newKey('refused');
    refusedKeys.push(key);

    // Act
    const res = await postReport({ body: reportBody(overrides), key });

    // Assess
    expectError(res, status, code);
  });
});

describe('POST /api/v1/reports with bad headers', () => {
  it.each([
    ['no Idempotency-Key', null],
    ['an empty Idempotency-Key', ''],
    ['a 7-character Idempotency-Key', 'abcdefg'],
    ['an Idempotency-Key with spaces', 'my key 12345'],
    ['a 129-character Idempotency-Key', 'k'.repeat(129)],
  ])('answers 400 REQUEST.IDEMPOTENCY_KEY to %s', async (_name, key) => {
    // Prepare / Act
    const res = await postReport({ body: reportBody(), key });

    // Assess
    expectError(res, 400, 'REQUEST.IDEMPOTENCY_KEY');
  });

  /** The worker's real token with the payload rewritten to a county admin, signature left as is. */
  const forged = (token: string) => {
    const [header, payload, signature] = token.split('.');
    const claims = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString('utf8'));
    const elevated = Buffer.from(JSON.stringify({ ...claims, role: 'county_admin', scope: '451322' })).toString('base64url');
    return `Bearer ${header}.${elevated}.${signature}`;
  };

  it.each([
    ['no Authorization header', () => undefined],
    ['a garbage bearer token', () => 'Bearer not-a-token'],
    ['a bare token without the Bearer scheme', (token: string) => token],
    ['Basic credentials', () => `Basic ${Buffer.from('worker1:demo').toString('base64')}`],
    ['a token whose claims were rewritten', forged],
  ])('answers 401 AUTH.INVALID_TOKEN to %s', async (_name, authorization) => {
    // Prepare
    const token = await rt.login('worker1');
    const value = authorization(token);
    const headers: Record<string, string> = { 'idempotency-key': newKey('noauth') };
    if (value !== undefined) headers.authorization = value;

    // Act
    const res = await rt.http('POST', '/api/v1/reports', { body: reportBody(), headers });

    // Assess
    expectError(res, 401, 'AUTH.INVALID_TOKEN');
  });
});

describe('POST /api/v1/reports/{id}/actions with bad input', () => {
  it.each([
    ['an action that does not exist', { action: 'approve' }, 'REQUEST.INVALID'],
    ['no action', { note: '已处理' }, 'REQUEST.INVALID'],
    ['an extension of negative hours', { action: 'request_extension', extraHours: -2, note: '协调' }, 'REQUEST.INVALID'],
    [
      'an extension until a time without its zone',
      { action: 'request_extension', until: '2026-11-03T09:00:00', note: '协调' },
      'REQUEST.INVALID',
    ],
    ['an extension decision that is not a boolean', { action: 'decide_extension', approved: 'yes' }, 'REQUEST.INVALID'],
    [
      'a deadline phase that does not exist',
      { action: 'request_extension', phase: 'visit', extraHours: 1, note: '协调' },
      'REQUEST.INVALID',
    ],
  ])('answers 400 to %s', async (_name, body, code) => {
    // Prepare
    const token = await rt.login('worker1');

    // Act
    const res = await rt.http('POST', `/api/v1/reports/${UNKNOWN_REPORT_ID}/actions`, { token, body });

    // Assess
    expectError(res, 400, code);
  });

  it.each([
    ['a word', 'not-a-report'],
    ['a lower-case id', 'r000000000000000'],
    ['an id one digit short', 'R00000000000000'],
    ['an id with a non-hex digit', 'R00000000000000G'],
    ['an encoded slash', 'R0000000%2F000000'],
    ['a broken percent-escape', '%E0%A4%A'],
  ])('answers 400 REQUEST.INVALID_PATH to %s as the report id', async (_name, id) => {
    // Prepare
    const token = await rt.login('worker1');

    // Act
    const res = await rt.http('POST', `/api/v1/reports/${id}/actions`, { token, body: { action: 'accept' } });

    // Assess
    expectError(res, 400, 'REQUEST.INVALID_PATH');
  });

  it.each([
    ['a word', 'not-a-report'],
    ['a broken percent-escape', '%E0%A4%A'],
  ])('answers 400 REQUEST.INVALID_PATH to GET of %s as the report id', async (_name, id) => {
    // Prepare
    const token = await rt.login('admin');

    // Act
    const res = await rt.http('GET', `/api/v1/reports/${id}`, { token });

    // Assess
    expectError(res, 400, 'REQUEST.INVALID_PATH');
  });

  it('answers 404 REPORT.NOT_FOUND to a well-formed id no report has', async () => {
    // Prepare
    const token = await rt.login('worker1');

    // Act
    const res = await rt.http('POST', `/api/v1/reports/${UNKNOWN_REPORT_ID}/actions`, { token, body: { action: 'accept' } });

    // Assess
    expectError(res, 404, 'REPORT.NOT_FOUND');
  });

  it('answers 404 REPORT.NOT_FOUND to GET of a well-formed id no report has', async () => {
    // Prepare
    const token = await rt.login('admin');

    // Act
    const res = await rt.http('GET', `/api/v1/reports/${UNKNOWN_REPORT_ID}`, { token });

    // Assess
    expectError(res, 404, 'REPORT.NOT_FOUND');
  });
});

describe('GET /api/v1/reports with an invalid query', () => {
  it.each([
    ['limit=0', 'limit=0'],
    ['limit=abc', 'limit=abc'],
    ['limit=101', 'limit=101'],
    ['limit=1.5', 'limit=1.5'],
    ['limit=-5', 'limit=-5'],
    ['an empty limit', 'limit='],
    ['limit given twice', 'limit=5&limit=6'],
    ['status=lost', 'status=lost'],
    ['overdue=yes', 'overdue=yes'],
    ['a node with a slash', `node=${encodeURIComponent('451322/..')}`],
    ['an unknown parameter', 'colour=red'],
  ])('answers 400 REQUEST.INVALID_QUERY to %s', async (_name, query) => {
    // Prepare
    const token = await rt.login('admin');

    // Act
    const res = await rt.http('GET', `/api/v1/reports?node=${FIRST_GRID}&${query}`, { token });

    // Assess
    expectError(res, 400, 'REQUEST.INVALID_QUERY');
  });
});

describe('routes that do not exist', () => {
  it.each([
    ['GET', '/api/v1/nope'],
    ['GET', '/api/v1/reports/R000000000000000/timeline'],
    ['POST', '/api/v2/reports'],
    ['POST', '/not-the-api'],
  ])('answers 404 ROUTE.NOT_FOUND as JSON to %s %s', async (method, path) => {
    // Prepare
    const token = await rt.login('worker1');

    // Act
    const body = method === 'GET' ? undefined : reportBody();
    const res = await rt.http(method, path, { token, body, headers: { 'idempotency-key': newKey('route') } });

    // Assess
    expectError(res, 404, 'ROUTE.NOT_FOUND');
  });

  it.each([
    ['DELETE', '/api/v1/reports', ['GET', 'POST']],
    ['PUT', '/api/v1/reports', ['GET', 'POST']],
    ['PATCH', `/api/v1/reports/${UNKNOWN_REPORT_ID}`, ['GET']],
    ['GET', `/api/v1/reports/${UNKNOWN_REPORT_ID}/actions`, ['POST']],
  ])('answers 405 ROUTE.METHOD_NOT_ALLOWED as JSON to %s %s, naming the allowed methods', async (method, path, allowed) => {
    // Prepare
    const token = await rt.login('admin');

    // Act
    const res = await rt.http(method, path, { token });

    // Assess
    expectError(res, 405, 'ROUTE.METHOD_NOT_ALLOWED');
    expect(
      (res.headers.get('allow') ?? '')
        .split(',')
        .map((m) => m.trim())
        .sort(),
    ).toEqual(allowed);
  });
});

describe('POST /api/auth/login with bad credentials', () => {
  it('answers a wrong password and an unknown user alike: 401 AUTH.BAD_CREDENTIALS, same message', async () => {
    // Prepare
    const login = (username: string, password: string) => rt.http('POST', '/api/auth/login', { body: { username, password } });

    // Act
    const wrongPassword = await login('worker1', 'not-demo');
    const unknownUser = await login('nobody-at-all', 'demo');

    // Assess
    expectError(wrongPassword, 401, 'AUTH.BAD_CREDENTIALS');
    expectError(unknownUser, 401, 'AUTH.BAD_CREDENTIALS');
    expect(unknownUser.body).toEqual(wrongPassword.body);
    expect(wrongPassword.body).not.toHaveProperty('token');
  });

  it.each([
    ['no password', { username: 'worker1' }, 400],
    ['an extra field', { username: 'worker1', password: 'demo', role: 'county_admin' }, 400],
  ])('answers 400 to a login body with %s', async (_name, body, status) => {
    // Prepare / Act
    const res = await rt.http('POST', '/api/auth/login', { body });

    // Assess
    expectError(res, status, 'REQUEST.INVALID');
  });
});

/** No report and no workflow: what every rejected submission must leave behind. */
async function expectNothingStored() {
  const own = await rt.http('GET', '/api/v1/reports', { token: await rt.login('worker1') });
  expect(own.status, JSON.stringify(own.body)).toBe(200);
  expect(own.body.items).toEqual([]);
  expect([...rt.states.keys()]).toEqual([]);
}

/** A valid report body as UTF-8 bytes, with `bytes` (raw, possibly not UTF-8) in place of the title. */
function reportWithTitleBytes(bytes: number[]): Buffer {
  const [before = '', after = ''] = JSON.stringify(reportBody({ title: '@@' })).split('@@');
  return Buffer.concat([Buffer.from(before), Buffer.from(bytes), Buffer.from(after)]);
}

/** A valid report body whose `field` holds `escaped`, written into the JSON text as is (e.g. a \u escape). */
function reportWithRawText(escaped: string, field: 'title' | 'description' | 'address' = 'title'): string {
  const body = field === 'address' ? reportBody({ location: { lat: 23.96, lng: 109.69, address: '@@' } }) : reportBody({ [field]: '@@' });
  return JSON.stringify(body).replace('@@', escaped);
}

// 大桥塌 in GBK: what a client on a Chinese-locale system sends when it does not encode as UTF-8.
const GBK_TITLE = [0xb4, 0xf3, 0xc7, 0xc5, 0xcb, 0xfa];

describe('POST /api/v1/reports with text that is not UTF-8 or a time that cannot be true', () => {
  it.each([
    ['GBK bytes in the title, declared as plain JSON', reportWithTitleBytes(GBK_TITLE)],
    ['a 0xFF byte in the title', reportWithTitleBytes([0x62, 0xff, 0x62])],
    ['a UTF-8 sequence cut short', reportWithTitleBytes([0xe6, 0xa1, 0x41])],
    ['an encoded surrogate (CESU-8) in the title', reportWithTitleBytes([0xed, 0xa0, 0x80])],
  ])('answers 400 REQUEST.INVALID_TEXT to %s, and stores nothing', async (_name, rawBody) => {
    // Prepare / Act
    const res = await postReport({ rawBody, headers: JSON_TYPE });

    // Assess
    expectError(res, 400, 'REQUEST.INVALID_TEXT');
    await expectNothingStored();
  });

  it.each([
    ['a lone high surrogate in the title', reportWithRawText('\\ud800大桥塌陷'), 'title'],
    ['a lone low surrogate in the description', reportWithRawText('桥面\\udc00塌陷', 'description'), 'description'],
    ['surrogates in the wrong order in the address', reportWithRawText('那沙村\\ude00\\ud83d', 'address'), 'location.address'],
  ])('answers 400 REQUEST.INVALID_TEXT to %s, naming it, and stores nothing', async (_name, rawBody, path) => {
    // Prepare / Act
    const res = await postReport({ rawBody, headers: JSON_TYPE });

    // Assess
    expectError(res, 400, 'REQUEST.INVALID_TEXT');
    expect(detailPaths(res)).toEqual([path]);
    await expectNothingStored();
  });

  it.each([
    ['GBK bytes declared as charset=gbk', 'application/json; charset=gbk', reportWithTitleBytes(GBK_TITLE)],
    ['ASCII declared as charset=iso-8859-1', 'application/json; charset=iso-8859-1', JSON.stringify(reportBody({ title: 'bridge down' }))],
    ['a quoted charset="GB2312"', 'application/json; charset="GB2312"', reportWithTitleBytes(GBK_TITLE)],
  ])('answers 415 REQUEST.UNSUPPORTED_MEDIA_TYPE to %s, and stores nothing', async (_name, contentType, rawBody) => {
    // Prepare / Act
    const res = await postReport({ rawBody, headers: { 'content-type': contentType } });

    // Assess
    expectError(res, 415, 'REQUEST.UNSUPPORTED_MEDIA_TYPE');
    expect(res.body.error.message).toMatch(/UTF-8/);
    await expectNothingStored();
  });

  const minutesFromNow = (minutes: number) => new Date(rt.clock.now().getTime() + minutes * 60_000).toISOString();

  it.each([
    ['six minutes ahead of the server clock', () => minutesFromNow(6), /future/],
    ['tomorrow, in Beijing time', () => minutesFromNow(24 * 60).replace('Z', '+00:00'), /future/],
    ['in 2100', () => '2100-01-01T00:00:00+08:00', /future/],
    ['in 1999', () => '1999-12-31T23:59:59Z', /before 2000-01-01/],
    ['at the Unix epoch (a phone whose clock was never set)', () => '1970-01-01T00:00:00Z', /before 2000-01-01/],
  ])('answers 400 REPORT.OCCURRED_AT_IMPLAUSIBLE to an occurredAt %s, and stores nothing', async (_name, occurredAt, message) => {
    // Prepare
    const key = newKey('occurred');
    refusedKeys.push(key);

    // Act
    const res = await postReport({ body: reportBody({ occurredAt: occurredAt() }), key });

    // Assess
    expectError(res, 400, 'REPORT.OCCURRED_AT_IMPLAUSIBLE');
    expect(res.body.error.message).toMatch(message);
    expect(detailPaths(res)).toEqual(['occurredAt']);
    await expectNothingStored();
  });
});

describe('nothing was stored by the rejected submissions', () => {
  it('lists no report for the grid or the county, and started no workflow', async () => {
    // Prepare
    const admin = await rt.login('admin');
    const worker = await rt.login('worker1');

    // Act
    const grid = await rt.http('GET', `/api/v1/reports?node=${FIRST_GRID}`, { token: admin });
    const county = await rt.http('GET', '/api/v1/reports?node=451322', { token: admin });
    const own = await rt.http('GET', '/api/v1/reports', { token: worker });

    // Assess
    for (const res of [grid, county, own]) {
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body.items).toEqual([]);
    }
    expect([...rt.states.keys()]).toEqual([]);
  });

  it('kept no idempotency record: a refused request’s key files a valid report with 201', async () => {
    // Prepare
    expect(refusedKeys.length).toBeGreaterThan(0);
    const ids: string[] = [];

    for (const key of refusedKeys) {
      // Act
      const res = await postReport({ body: reportBody({ title: `重用键 ${key}` }), key });

      // Assess
      expect(res.status, `${key}: ${JSON.stringify(res.body)}`).toBe(201);
      expect(res.headers.get('idempotent-replayed')).toBeNull();
      ids.push(res.body.id);
    }
    const listed = await rt.http('GET', `/api/v1/reports?node=${FIRST_GRID}&limit=100`, { token: await rt.login('admin') });
    expect(listed.body.items.map((r: { id: string }) => r.id).sort()).toEqual([...ids].sort());
  });
});

describe('text and times that are fine', () => {
  it.each([
    [
      'charset="UTF-8", quoted and in capitals',
      'application/json; charset="UTF-8"',
      () => JSON.stringify(reportBody()),
      '村道上的小桥塌陷',
    ],
    [
      'an emoji written as a surrogate pair escape',
      'application/json',
      () => reportWithRawText('桥面\\ud83d\\udea7', 'description'),
      '桥面🚧',
    ],
    [
      'an occurredAt four minutes ahead (clock skew)',
      'application/json',
      () => JSON.stringify(reportBody({ occurredAt: new Date(rt.clock.now().getTime() + 4 * 60_000).toISOString() })),
      '村道上的小桥塌陷',
    ],
  ])('files a report sent with %s', async (_name, contentType, rawBody, description) => {
    // Prepare / Act
    const res = await postReport({ rawBody: rawBody(), headers: { 'content-type': contentType } });

    // Assess
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const stored = await rt.runtime.container.deps.reports.get(res.body.id);
    expect(stored?.description).toContain(description);
  });
});

describe('a rejected action on a real report', () => {
  async function history(id: string) {
    const res = await rt.http('GET', `/api/v1/reports/${id}`, { token: await rt.login('admin') });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body;
  }

  /**
   * The history once the workflow has parked in AwaitAccept: the token is stored, and nothing
   * changes the report again until the clock moves or someone acts.
   */
  const settled = async (id: string) => {
    await scenario(rt).untilParked(id, 1);
    return history(id);
  };

  it.each([
    ['an unknown action', { headers: JSON_TYPE, rawBody: JSON.stringify({ action: 'approve' }) }, 400, 'REQUEST.INVALID'],
    ['an unknown field', { headers: JSON_TYPE, rawBody: JSON.stringify({ action: 'accept', force: true }) }, 400, 'REQUEST.INVALID'],
    ['an unknown tier', { headers: JSON_TYPE, rawBody: JSON.stringify({ action: 'accept', tier: 'galaxy' }) }, 400, 'REQUEST.INVALID'],
    [
      'a BEL in the note',
      { headers: JSON_TYPE, rawBody: JSON.stringify({ action: 'comment', note: '已到\u0007现场' }) },
      400,
      'REQUEST.INVALID',
    ],
    ['malformed JSON', { headers: JSON_TYPE, rawBody: '{"action":"accept"' }, 400, 'REQUEST.MALFORMED_JSON'],
    [
      'a lone surrogate in the note',
      { headers: JSON_TYPE, rawBody: '{"action":"comment","note":"\\ud800已到现场"}' },
      400,
      'REQUEST.INVALID_TEXT',
    ],
    [
      'a note in GBK bytes',
      {
        headers: JSON_TYPE,
        rawBody: Buffer.concat([Buffer.from('{"action":"comment","note":"'), Buffer.from(GBK_TITLE), Buffer.from('"}')]),
      },
      400,
      'REQUEST.INVALID_TEXT',
    ],
    [
      'a note declared as GBK',
      { headers: { 'content-type': 'application/json; charset=gbk' }, rawBody: JSON.stringify({ action: 'comment', note: 'arrived' }) },
      415,
      'REQUEST.UNSUPPORTED_MEDIA_TYPE',
    ],
    [
      'a text/plain body',
      { headers: { 'content-type': 'text/plain' }, rawBody: JSON.stringify({ action: 'accept' }) },
      415,
      'REQUEST.UNSUPPORTED_MEDIA_TYPE',
    ],
    [
      'a body over 64 KB',
      { headers: JSON_TYPE, rawBody: JSON.stringify({ action: 'comment', note: 'x'.repeat(70_000) }) },
      413,
      'REQUEST.TOO_LARGE',
    ],
    ['a comment without a note', { headers: JSON_TYPE, rawBody: JSON.stringify({ action: 'comment' }) }, 422, 'ACTION.NOTE_REQUIRED'],
    [
      'a return visit without its answer',
      { headers: JSON_TYPE, rawBody: JSON.stringify({ action: 'review' }) },
      422,
      'VISIT.ANSWER_REQUIRED',
    ],
    [
      'a whistle without departments',
      { headers: JSON_TYPE, rawBody: JSON.stringify({ action: 'whistle' }) },
      422,
      'WHISTLE.DEPARTMENTS_REQUIRED',
    ],
    [
      'a whistle of an unknown department',
      { headers: JSON_TYPE, rawBody: JSON.stringify({ action: 'whistle', departments: ['housing', 'no_such_bureau'] }) },
      404,
      'DEPARTMENT.UNKNOWN',
    ],
    [
      'a check-in by someone not summoned',
      { headers: JSON_TYPE, rawBody: JSON.stringify({ action: 'check_in', department: 'housing' }) },
      409,
      'LANE.NOT_SUMMONED',
    ],
    ['a stale tier', { headers: JSON_TYPE, rawBody: JSON.stringify({ action: 'accept', tier: 'village' }) }, 409, 'REPORT.MOVED_ON'],
  ])('leaves the timeline and the report unchanged after %s', async (_name, request, status, code) => {
    // Prepare: a fresh report, settled at the grid tier (notified, and the workflow parked waiting for 签收)
    const filed = await postReport({ body: reportBody({ title: '村道路灯损坏' }) });
    expect(filed.status, JSON.stringify(filed.body)).toBe(201);
    const id: string = filed.body.id;
    const before = await settled(id);
    const token = await rt.login('worker1');

    // Act
    const res = await rt.http('POST', `/api/v1/reports/${id}/actions`, { token, ...request });

    // Assess
    expectError(res, status, code);
    const after = await history(id);
    expect(after.timeline).toHaveLength(before.timeline.length);
    expect(after.timeline).toEqual(before.timeline);
    expect(after.report).toEqual(before.report);

    // …and the same report still takes a valid action, so the comparison above could see a change
    const accepted = await rt.http('POST', `/api/v1/reports/${id}/actions`, { token, body: { action: 'accept' } });
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(200);
    expect((await history(id)).timeline).toHaveLength(before.timeline.length + 1);
  });
});
