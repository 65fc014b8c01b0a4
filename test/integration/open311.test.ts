/**
 * Open311 GeoReport v2 on the real local engines (dynalite, the ASL interpreter, the HTTP server):
 * a round trip in JSON and XML, the standard's errors, retries, privacy and filters, with every
 * document held against the specification's own samples (test/fixtures/open311).
 * The clock stands still unless a test moves it: nothing escalates, and a resolved report closes at once.
 */
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiKeyHash } from '#core/open311.ts';
import { eventually, FIRST_GRID, scenario, startTestRuntime, type TestRuntime } from '../support/local-runtime.ts';
import { jsonDifferences, parseXml, readFixture, type XmlElement, xmlDifferences } from '../support/open311-shape.ts';

const DEMO_KEY = 'demo-open311-worker1-key';
const GRID_NAME = '那沙村第一网格';

let rt: TestRuntime;

beforeAll(async () => {
  rt = await startTestRuntime();
});
afterAll(async () => rt?.stop());

type Format = 'json' | 'xml';

async function get(path: string, headers: Record<string, string> = {}) {
  return rt.http('GET', `/open311/v2/${path}`, { headers });
}

let submission = 0;
/** A valid form, unique per call unless `fields` say otherwise (identical forms are one request). */
function requestForm(fields: Record<string, string> = {}): Record<string, string> {
  submission++;
  return {
    api_key: DEMO_KEY,
    service_code: 'infrastructure',
    lat: '23.961234',
    long: '109.692345',
    address_string: '百丈乡那沙村大中塘屯',
    description: `村道上的小桥塌陷，影响群众出行（第${submission}次上报 ${process.pid}-${Date.now()}）`,
    'attribute[urgency]': 'urgent',
    ...fields,
  };
}

async function post(format: Format, fields: Record<string, string>, headers: Record<string, string> = {}) {
  return rt.http('POST', `/open311/v2/requests.${format}`, {
    rawBody: new URLSearchParams(fields).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8', ...headers },
  });
}

/** A form body exactly as given, for bodies URLSearchParams could not produce. */
async function postRaw(format: Format, body: string) {
  return rt.http('POST', `/open311/v2/requests.${format}`, {
    rawBody: body,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
}

const xmlOf = (body: unknown): XmlElement => parseXml(String(body));
/** `<request>` elements of a service_requests document as name → text maps. */
const xmlRequests = (body: unknown) =>
  xmlOf(body).children.map((r) => Object.fromEntries(r.children.map((c) => [c.name, c.text])) as Record<string, string>);

const sameShapeAsXmlSample = (body: unknown, fixture: string) => xmlDifferences(xmlOf(body), parseXml(readFixture(fixture)));
const sameShapeAsJsonSample = (body: unknown, fixture: string) => jsonDifferences(body, JSON.parse(readFixture(fixture)));

async function reportAsWorker(id: string) {
  const res = await rt.http('GET', `/api/v1/reports/${id}`, { token: await rt.login('worker1') });
  expect(res.status).toBe(200);
  return res.body;
}

async function reportCount(): Promise<number> {
  const res = await rt.http('GET', '/api/v1/reports?limit=100', { token: await rt.login('admin') });
  expect(res.status).toBe(200);
  return res.body.items.length;
}

async function fileRequest(fields: Record<string, string> = {}): Promise<string> {
  const res = await post('json', requestForm(fields));
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body[0].service_request_id as string;
}

/** Files a request and waits until its grid tier has it (and has been texted), so its officers can act. */
async function fileAssignedRequest(fields: Record<string, string> = {}): Promise<string> {
  const id = await fileRequest(fields);
  await scenario(rt).untilParked(id, 1);
  return id;
}

async function actAs(username: string, id: string, body: Record<string, unknown>) {
  return rt.http('POST', `/api/v1/reports/${id}/actions`, { token: await rt.login(username), body });
}

/** A GET sent with a Host header of the caller's choosing (fetch always sends the real one). */
function getWithHost(path: string, host: string): Promise<{ status: number; text: string }> {
  const url = new URL(`/open311/v2/${path}`, rt.url);
  return new Promise((resolve, reject) => {
    const req = request(
      { hostname: url.hostname, port: url.port, path: `${url.pathname}${url.search}`, headers: { host, 'x-forwarded-proto': 'https' } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          text += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/** A 1×1 JPEG (107 bytes), as in photos.test.ts. */
const TINY_JPEG = Buffer.from(
  '/9j/2wBDAAMCAgICAgMCAgIDAwMDBAYEBAQEBAgGBgUGCQgKCgkICQkKDA8MCgsOCwkJDRENDg8QEBEQCgwSExIQEw8QEBD/yQALCAABAAEBAREA/8wABgAQEAX/2gAIAQEAAD8A0s8g/9k=',
  'base64',
);

/** Uploads a photo as worker1 and returns the url a report cites it by. */
async function uploadedPhotoUrl(): Promise<string> {
  const slot = await rt.http('POST', '/api/v1/photos', {
    token: await rt.login('worker1'),
    body: { contentType: 'image/jpeg', size: TINY_JPEG.length },
  });
  expect(slot.status, JSON.stringify(slot.body)).toBe(201);
  const put = await rt.http(slot.body.uploadMethod, slot.body.uploadUrl, { rawBody: TINY_JPEG, headers: slot.body.uploadHeaders });
  expect(put.status).toBe(200);
  return slot.body.url as string;
}

type CountedMethod = 'list' | 'get' | 'getHistory';

/** Counts the report store's reads while `act` runs, through the very store the server's handlers use. */
async function storeReadsDuring<T>(act: () => Promise<T>): Promise<{ result: T; reads: Record<CountedMethod, number> }> {
  const store = rt.runtime.container.deps.reports as unknown as Record<CountedMethod, (...args: unknown[]) => Promise<unknown>>;
  const reads: Record<CountedMethod, number> = { list: 0, get: 0, getHistory: 0 };
  const methods = Object.keys(reads) as CountedMethod[];
  for (const method of methods) {
    const original = store[method];
    store[method] = (...args: unknown[]) => {
      reads[method]++;
      return original.apply(store, args);
    };
  }
  try {
    return { result: await act(), reads };
  } finally {
    // The instance's own properties shadow the prototype's methods: deleting them restores the store.
    for (const method of methods) delete (store as Partial<typeof store>)[method];
  }
}

describe('discovery, services and service definitions', () => {
  it.each<Format>(['json', 'xml'])(
    'serves discovery.%s naming this server’s endpoint, shaped like the specification’s sample',
    async (format) => {
      // Act
      const res = await get(`discovery.${format}`);

      // Assess
      expect(res.status).toBe(200);
      const url = `${rt.url}/open311/v2`;
      if (format === 'json') {
        expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
        expect(res.body.endpoints[0]).toMatchObject({ url, specification: 'http://wiki.open311.org/GeoReport_v2' });
        expect(sameShapeAsJsonSample(res.body, 'discovery.json')).toEqual([]);
      } else {
        expect(res.headers.get('content-type')).toBe('text/xml; charset=utf-8');
        expect(String(res.body)).toContain(`<url>${url}</url>`);
        expect(sameShapeAsXmlSample(res.body, 'discovery.xml')).toEqual([]);
      }
    },
  );

  it.each<Format>(['json', 'xml'])('serves services.%s: every category, realtime, with metadata', async (format) => {
    // Act
    const res = await get(`services.${format}`);

    // Assess
    expect(res.status).toBe(200);
    const codes =
      format === 'json'
        ? res.body.map((s: { service_code: string }) => s.service_code)
        : xmlOf(res.body).children.map((s) => s.children[0]?.text);
    expect(codes.sort()).toEqual(['dispute', 'environment', 'infrastructure', 'livelihood', 'public_security', 'safety_hazard']);
    const differences =
      format === 'json' ? sameShapeAsJsonSample(res.body, 'services.json') : sameShapeAsXmlSample(res.body, 'services.xml');
    expect(differences).toEqual([]);
  });

  it.each<Format>(['json', 'xml'])('serves services/{code}.%s with the urgency attribute', async (format) => {
    // Act
    const res = await get(`services/dispute.${format}`);

    // Assess
    expect(res.status).toBe(200);
    if (format === 'json') {
      expect(res.body.attributes[0]).toMatchObject({ code: 'urgency', datatype: 'singlevaluelist', required: false, order: 1 });
      expect(sameShapeAsJsonSample(res.body, 'service-definition.json')).toEqual([]);
    } else {
      expect(sameShapeAsXmlSample(res.body, 'service-definition.xml')).toEqual([]);
    }
  });
});

describe('a request filed through Open311 and followed to its close', () => {
  it('is created in JSON and XML, read back open at the grid tier, and closed with the resolve note', async () => {
    // Prepare
    const before = await reportCount();

    // Act: file one request in each format
    const json = await post('json', requestForm());
    const xml = await post('xml', requestForm({ service_code: 'environment', 'attribute[urgency]': 'normal' }));

    // Assess: 201 with the new ids, in the sample's shape
    expect(json.status, JSON.stringify(json.body)).toBe(201);
    expect(json.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(json.body).toEqual([
      { service_request_id: expect.stringMatching(/^R[0-9A-F]{15}$/), service_notice: expect.any(String), account_id: null },
    ]);
    expect(sameShapeAsJsonSample(json.body, 'post-request.json')).toEqual([]);
    expect(xml.status).toBe(201);
    expect(xml.headers.get('content-type')).toBe('text/xml; charset=utf-8');
    expect(sameShapeAsXmlSample(xml.body, 'post-request.xml')).toEqual([]);
    const jsonId = json.body[0].service_request_id as string;
    const xmlId = xmlRequests(xml.body)[0]?.service_request_id as string;
    expect(xmlId).toMatch(/^R[0-9A-F]{15}$/);
    expect(await reportCount()).toBe(before + 2);

    // Filed as worker1's report for worker1's grid, through the normal intake.
    const filed = await reportAsWorker(jsonId);
    expect(filed.report).toMatchObject({
      gridCode: FIRST_GRID,
      category: 'infrastructure',
      urgency: 'urgent',
      reporter: { id: 'p-worker-1' },
    });
    expect(filed.report.title).toMatch(/^基础设施：村道上的小桥塌陷/);
    expect(filed.report.location).toEqual({ lat: 23.961234, lng: 109.692345, address: '百丈乡那沙村大中塘屯' });

    // Act: read it back once the grid tier has it
    const listed = await eventually(async () => {
      const res = await get('requests.json');
      const found = res.body.find((r: { service_request_id: string }) => r.service_request_id === jsonId);
      return found?.agency_responsible ? { res, found } : undefined;
    });
    const report = (await reportAsWorker(jsonId)).report;

    // Assess: open, at the grid, racing the accept deadline
    expect(listed.found).toMatchObject({
      status: 'open',
      service_code: 'infrastructure',
      service_name: '基础设施',
      agency_responsible: GRID_NAME,
      expected_datetime: report.acceptBy,
      requested_datetime: report.createdAt,
      address: '百丈乡那沙村大中塘屯',
      lat: 23.96,
      long: 109.69,
    });
    expect(sameShapeAsJsonSample(listed.res.body, 'requests.json')).toEqual([]);

    const listedXml = await get('requests.xml');
    expect(listedXml.status).toBe(200);
    expect(sameShapeAsXmlSample(listedXml.body, 'requests.xml')).toEqual([]);
    expect(xmlRequests(listedXml.body).find((r) => r.service_request_id === xmlId)).toMatchObject({
      status: 'open',
      service_code: 'environment',
    });

    const oneJson = await get(`requests/${jsonId}.json`);
    expect(oneJson.status).toBe(200);
    expect(oneJson.body).toHaveLength(1);
    expect(oneJson.body[0]).toMatchObject({
      service_request_id: jsonId,
      status: 'open',
      agency_responsible: GRID_NAME,
      expected_datetime: report.acceptBy,
    });
    expect(sameShapeAsJsonSample(oneJson.body, 'request.json')).toEqual([]);

    const oneXml = await get(`requests/${jsonId}.xml`);
    expect(sameShapeAsXmlSample(oneXml.body, 'request.xml')).toEqual([]);
    expect(xmlRequests(oneXml.body)[0]).toMatchObject({
      service_request_id: jsonId,
      status: 'open',
      agency_responsible: GRID_NAME,
      expected_datetime: report.acceptBy,
    });

    // Act: the grid worker accepts and resolves it through the JSON API, with notes for the public
    const token = await rt.login('worker1');
    const accepted = await rt.http('POST', `/api/v1/reports/${jsonId}/actions`, {
      token,
      body: { action: 'accept', note: '已到现场查看', public: true },
    });
    expect(accepted.status).toBe(200);
    const acceptedView = await get(`requests/${jsonId}.json`);
    expect(acceptedView.body[0]).toMatchObject({
      status: 'open',
      status_notes: '已到现场查看',
      expected_datetime: accepted.body.completeBy,
    });
    const resolved = await rt.http('POST', `/api/v1/reports/${jsonId}/actions`, {
      token,
      body: { action: 'resolve', note: '已搭建简易便桥', public: true },
    });
    expect(resolved.status).toBe(200);
    // Open until the return visit (回访) closes it; the visit's note is internal.
    expect((await get(`requests/${jsonId}.json`)).body[0].status).toBe('open');
    await scenario(rt).visit(jsonId, true);

    // Assess: closed, with the resolve note, in both formats
    const closed = await eventually(async () => {
      const res = await get(`requests/${jsonId}.json`);
      return res.body[0]?.status === 'closed' ? res.body[0] : undefined;
    });
    expect(closed).toMatchObject({
      status: 'closed',
      status_notes: '已搭建简易便桥',
      expected_datetime: null,
      agency_responsible: GRID_NAME,
    });
    const closedXml = xmlRequests((await get(`requests/${jsonId}.xml`)).body)[0];
    expect(closedXml).toMatchObject({ status: 'closed', status_notes: '已搭建简易便桥', expected_datetime: '' });
    const onlyClosed = await get(`requests.json?status=closed&service_request_id=`);
    expect(onlyClosed.body.map((r: { service_request_id: string }) => r.service_request_id)).toContain(jsonId);
    expect(onlyClosed.body.every((r: { status: string }) => r.status === 'closed')).toBe(true);
  });
});

describe('retries', () => {
  it('answers an identical retried POST with the same service_request_id and files one report', async () => {
    // Prepare
    const form = requestForm();
    const before = await reportCount();

    // Act
    const first = await post('json', form);
    const retry = await post('xml', form);

    // Assess
    expect(first.status).toBe(201);
    expect(retry.status).toBe(200);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(xmlRequests(retry.body)[0]?.service_request_id).toBe(first.body[0].service_request_id);
    expect(await reportCount()).toBe(before + 1);
  });

  it('honours a client Idempotency-Key: same key → same request, same key with another body → 400', async () => {
    // Prepare
    const headers = { 'idempotency-key': `o311-${process.pid}-${Date.now()}` };
    const form = requestForm();

    // Act
    const first = await post('json', form, headers);
    const retry = await post('json', form, headers);
    const changed = await post('json', { ...form, description: '同一个键，另一份内容' }, headers);
    const malformedKey = await post('json', requestForm(), { 'idempotency-key': 'bad key!' });

    // Assess
    expect(first.status).toBe(201);
    expect(retry.status).toBe(200);
    expect(retry.body[0].service_request_id).toBe(first.body[0].service_request_id);
    expect(changed.status).toBe(400);
    expect(changed.body[0].description).toMatch(/Idempotency-Key/);
    expect(malformedKey.status).toBe(400);
  });
});

describe('errors, in the standard’s format and both formats', () => {
  const cases: { name: string; status: number; send: (format: Format) => ReturnType<typeof post> }[] = [
    { name: 'a wrong api_key', status: 403, send: (f) => post(f, requestForm({ api_key: 'not-a-key' })) },
    { name: 'no api_key', status: 403, send: (f) => post(f, requestForm({ api_key: '' })) },
    { name: 'an unknown service_code', status: 400, send: (f) => post(f, requestForm({ service_code: 'potholes' })) },
    { name: 'neither lat/long nor an address', status: 400, send: (f) => post(f, requestForm({ lat: '', long: '', address_string: '' })) },
    { name: 'lat out of range', status: 400, send: (f) => post(f, requestForm({ lat: '95' })) },
    { name: 'a JSON body', status: 400, send: (f) => rt.http('POST', `/open311/v2/requests.${f}`, { body: { service_code: 'dispute' } }) },
    { name: 'an unknown request id', status: 404, send: (f) => get(`requests/R0000000000000000.${f}`) },
    { name: 'an unknown service definition', status: 404, send: (f) => get(`services/potholes.${f}`) },
    { name: 'an unknown resource', status: 404, send: (f) => get(`tokens.${f}`) },
    {
      name: 'a POST to services',
      status: 404,
      send: (f) =>
        rt.http('POST', `/open311/v2/services.${f}`, { rawBody: 'a=1', headers: { 'content-type': 'application/x-www-form-urlencoded' } }),
    },
    {
      name: 'a description cut in the middle of a %-escaped character',
      status: 400,
      send: (f) => postRaw(f, `api_key=${DEMO_KEY}&service_code=infrastructure&lat=23.96&long=109.69&description=%E6%A1%A5%E4%B8`),
    },
    {
      name: 'a description with a %-escape that is not hex',
      status: 400,
      send: (f) => postRaw(f, `api_key=${DEMO_KEY}&service_code=infrastructure&lat=23.96&long=109.69&description=%zz`),
    },
    { name: 'a bad query', status: 400, send: (f) => get(`requests.${f}?start_date=yesterday`) },
    {
      name: 'a window over 90 days',
      status: 400,
      send: (f) => get(`requests.${f}?start_date=2026-01-01T00:00:00Z&end_date=2026-06-01T00:00:00Z`),
    },
  ];

  it.each(cases.flatMap((c) => (['json', 'xml'] as const).map((format) => [c.name, format, c] as const)))(
    '%s (%s) answers its status with an errors document, storing nothing',
    async (_name, format, c) => {
      // Prepare
      const before = await reportCount();

      // Act
      const res = await c.send(format);

      // Assess
      expect(res.status, JSON.stringify(res.body)).toBe(c.status);
      if (format === 'json') {
        expect(res.body[0]).toEqual({ code: c.status, description: expect.any(String) });
        expect(sameShapeAsJsonSample(res.body, 'errors.json')).toEqual([]);
      } else {
        expect(res.headers.get('content-type')).toBe('text/xml; charset=utf-8');
        expect(sameShapeAsXmlSample(res.body, 'errors.xml')).toEqual([]);
        expect(xmlOf(res.body).children[0]?.children[0]?.text).toBe(String(c.status));
      }
      expect(await reportCount()).toBe(before);
    },
  );

  it('answers a bad format extension with 404, as XML by default and as JSON to a client that accepts JSON', async () => {
    // Act
    const xml = await get('requests.yaml');
    const json = await get('services.html', { accept: 'application/json' });

    // Assess
    expect(xml.status).toBe(404);
    expect(sameShapeAsXmlSample(xml.body, 'errors.xml')).toEqual([]);
    expect(json.status).toBe(404);
    expect(sameShapeAsJsonSample(json.body, 'errors.json')).toEqual([]);
  });

  it('refuses with 403 a valid key that belongs to someone who is not a grid worker', async () => {
    // Prepare
    await rt.runtime.container.deps.apiKeys.addApiKey({
      keyHash: apiKeyHash('admin-open311-key-for-test'),
      personId: 'p-county-admin',
      label: 'test',
      createdAt: rt.clock.now().toISOString(),
    });

    // Act
    const res = await post('json', requestForm({ api_key: 'admin-open311-key-for-test' }));

    // Assess
    expect(res.status).toBe(403);
    expect(res.body[0].description).toMatch(/grid worker/);
  });
});

describe('the public read', () => {
  it('shows a dispute without what was said, the address or the exact position; the signed-in API still has them', async () => {
    // Prepare
    const id = await fileRequest({
      service_code: 'dispute',
      description: '韦某与覃某因宅基地边界发生争执',
      lat: '23.961234',
      long: '109.692345',
    });

    // Act
    const json = (await get(`requests/${id}.json`)).body[0];
    const xml = xmlRequests((await get(`requests/${id}.xml`)).body)[0];

    // Assess
    expect(json).toMatchObject({ service_code: 'dispute', description: null, address: null, lat: 23.96, long: 109.69, status_notes: null });
    expect(xml).toMatchObject({ description: '', address: '', lat: '23.96', long: '109.69' });
    expect(JSON.stringify(json)).not.toMatch(/韦某|覃宏|p-worker|\+86/);
    expect((await reportAsWorker(id)).report.description).toBe('韦某与覃某因宅基地边界发生争执');
  });

  it('shows a livelihood report (a category not marked public) without its description, address, notes or photo', async () => {
    // Prepare: what a worker writes about an elderly resident, with a photo and a note made public
    const photo = await uploadedPhotoUrl();
    const id = await fileAssignedRequest({
      service_code: 'livelihood',
      description: '独居老人韦某某（身份证450322194501011234）患糖尿病，行动不便，需上门送药',
      address_string: '百丈乡那沙村大中塘屯12号',
      lat: '23.961234',
      long: '109.692345',
      media_url: photo,
    });
    expect((await actAs('worker1', id, { action: 'comment', note: '已联系其女儿韦某，电话13877200999', public: true })).status).toBe(200);

    // Act
    const json = await get(`requests/${id}.json`);
    const listed = await get(`requests.xml?service_request_id=${id}`);

    // Assess
    expect(json.body[0]).toMatchObject({
      service_code: 'livelihood',
      status: 'open',
      agency_responsible: GRID_NAME,
      description: null,
      address: null,
      status_notes: null,
      media_url: null,
      lat: 23.96,
      long: 109.69,
    });
    expect(xmlRequests(listed.body)[0]).toMatchObject({ description: '', address: '', status_notes: '', media_url: '', lat: '23.96' });
    for (const text of [JSON.stringify(json.body), String(listed.body)])
      expect(text).not.toMatch(/老人|糖尿病|12号|韦某|1387720|P[0-9A-Z]{19}/);
  });

  it('keeps an address sent without coordinates, in the description', async () => {
    // Act
    const id = await fileRequest({ lat: '', long: '', address_string: '石龙镇新团村村口' });

    // Assess
    const report = (await reportAsWorker(id)).report;
    expect(report.location).toBeNull();
    expect(report.description).toMatch(/地址：石龙镇新团村村口$/);
    expect((await get(`requests/${id}.json`)).body[0]).toMatchObject({ lat: null, long: null, address: null });
  });

  it('says in GET /api/v1/categories which categories are public: the demo county marks infrastructure and environment', async () => {
    // Act
    const res = await rt.http('GET', '/api/v1/categories', { token: await rt.login('worker1') });

    // Assess
    expect(res.status).toBe(200);
    const flags = Object.fromEntries(res.body.items.map((c: { code: string; public: boolean }) => [c.code, c.public]));
    expect(flags).toEqual({
      dispute: false,
      environment: true,
      infrastructure: true,
      livelihood: false,
      public_security: false,
      safety_hazard: false,
    });
  });
});

describe('personal data in a public category', () => {
  // Five ways of writing a mobile number, a landline with its area code, an ID-card number and a plate.
  const PERSONAL = [
    '13877200301',
    '138-7720-0302',
    '138 7720 0303',
    '+86 139.1234.5678',
    '＋８６１３８７７２００３０５',
    '0772-4321234',
    '45032219800101123X',
    '桂G·12345',
  ];
  const DESCRIPTION =
    '村道路灯损坏，独居老人夜里出行不便。联系人电话13877200301，备用138-7720-0302、138 7720 0303、+86 139.1234.5678、' +
    '＋８６１３８７７２００３０５，村委座机0772-4321234，联系人身份证45032219800101123X，肇事车辆桂G·12345';

  it('an Open311 read of a report whose description carries phone numbers in five formats and an ID-card number shows none of them', async () => {
    // Prepare: an infrastructure report (public), with personal data in the description, the address and a public note
    const id = await fileAssignedRequest({ description: DESCRIPTION, address_string: '那沙村大中塘屯（电话13877200306）' });
    expect((await actAs('worker1', id, { action: 'comment', note: '已通知供电所，联系人13912345670', public: true })).status).toBe(200);

    // Act: the request alone and in a listing, in both formats
    const reads = await Promise.all([
      get(`requests/${id}.json`),
      get(`requests.json?service_request_id=${id}`),
      get(`requests/${id}.xml`),
      get(`requests.xml?service_request_id=${id}`),
    ]);

    // Assess
    const records = [
      ...reads.slice(0, 2).map((r) => r.body[0] as Record<string, string>),
      ...reads.slice(2).map((r) => xmlRequests(r.body)[0] as Record<string, string>),
    ];
    for (const [i, record] of records.entries()) {
      expect(record.description, `read ${i}`).toMatch(/^村道路灯损坏，独居老人夜里出行不便。联系人电话\*{11}，备用\*{3}-\*{4}-\*{4}、/);
      expect(record.description).not.toMatch(/[0-9０-９]/);
      expect(record.description).toContain('肇事车辆桂*·*****');
      expect(record.address).toBe('那沙村大中塘屯（电话***********）');
      expect(record.status_notes).toBe('已通知供电所，联系人***********');
    }
    for (const read of reads) {
      const text = typeof read.body === 'string' ? read.body : JSON.stringify(read.body);
      for (const personal of PERSONAL) expect(text).not.toContain(personal);
    }
    // The officers who handle it still read it whole.
    expect((await reportAsWorker(id)).report.description).toBe(DESCRIPTION);
  });
});

describe('public and internal notes', () => {
  it('publishes only notes marked public: a later internal note neither shows nor replaces it', async () => {
    // Prepare
    const id = await fileAssignedRequest();

    // Act
    const published = await actAs('worker1', id, { action: 'comment', note: '已通知施工队，明日维修', public: true });
    const internal = await actAs('worker1', id, { action: 'comment', note: '当事人拒不配合，疑似精神异常' });

    // Assess
    expect(published.status).toBe(200);
    expect(internal.status).toBe(200);
    expect((await get(`requests/${id}.json`)).body[0].status_notes).toBe('已通知施工队，明日维修');
    expect(xmlRequests((await get(`requests/${id}.xml`)).body)[0]?.status_notes).toBe('已通知施工队，明日维修');
    const comments = (await reportAsWorker(id)).timeline.filter((e: { type: string }) => e.type === 'commented');
    expect(comments).toEqual([
      expect.objectContaining({ note: '已通知施工队，明日维修', public: true }),
      expect.not.objectContaining({ public: expect.anything() }),
    ]);
    expect(JSON.stringify((await get('requests.json?page_size=200')).body)).not.toContain('精神异常');
  });

  it('shows no note at all while every note is internal, the resolve note included', async () => {
    // Prepare
    const id = await fileAssignedRequest();
    expect((await actAs('worker1', id, { action: 'accept', note: '已到现场' })).status).toBe(200);

    // Act
    expect((await actAs('worker1', id, { action: 'resolve', note: '已修复' })).status).toBe(200);
    await scenario(rt).visit(id, true);

    // Assess
    const closed = await eventually(async () => {
      const res = await get(`requests/${id}.json`);
      return res.body[0]?.status === 'closed' ? res.body[0] : undefined;
    });
    expect(closed.status_notes).toBeNull();
  });

  it('refuses "public": true from someone no longer acting on the report, with 403, storing nothing; its officers and admins may', async () => {
    // Prepare: the reporter hands the report up to the village, so they are no longer acting on it
    const id = await fileAssignedRequest();
    expect((await actAs('worker1', id, { action: 'escalate', note: '需村委协调' })).status).toBe(200);
    await scenario(rt).untilParked(id, 2);
    const before = (await reportAsWorker(id)).timeline.length;

    // Act
    const byReporter = await actAs('worker1', id, { action: 'comment', note: '韦某家属不同意施工', public: true });
    const emptyPublic = await actAs('admin', id, { action: 'comment', public: true });
    const byVillage = await actAs('village1', id, { action: 'accept', note: '村委已受理，本周内修复', public: true });

    // Assess
    expect(byReporter.status).toBe(403);
    expect(byReporter.body.error.code).toBe('NOTE.NOT_PUBLISHABLE');
    expect(emptyPublic.status).toBe(422);
    expect(emptyPublic.body.error.code).toBe('ACTION.NOTE_REQUIRED');
    expect(byVillage.status).toBe(200);
    const after = await reportAsWorker(id);
    expect(after.timeline).toHaveLength(before + 1);
    expect(JSON.stringify(after.timeline)).not.toContain('不同意施工');
    expect((await get(`requests/${id}.json`)).body[0].status_notes).toBe('村委已受理，本周内修复');

    // Act: the county admin, whose scope holds every report, may publish too
    const byAdmin = await actAs('admin', id, { action: 'comment', note: '县综治中心督办中', public: true });

    // Assess
    expect(byAdmin.status).toBe(200);
    expect((await get(`requests/${id}.json`)).body[0].status_notes).toBe('县综治中心督办中');
  });
});

describe('URLs in Open311 documents', () => {
  it('come from PUBLIC_BASE_URL, never from the Host header a client sends', async () => {
    // Prepare
    const photo = await uploadedPhotoUrl();
    const id = await fileRequest({ media_url: photo });

    // Act
    const discoveryJson = await getWithHost('discovery.json', 'evil.example');
    const discoveryXml = await getWithHost('discovery.xml', 'evil.example');
    const one = await getWithHost(`requests/${id}.json`, 'evil.example');
    const listed = await getWithHost(`requests.xml?service_request_id=${id}`, 'evil.example');

    // Assess
    const base = rt.runtime.container.deps.linkSettings.baseUrl();
    expect(base).toBe(rt.url);
    expect(discoveryJson.status).toBe(200);
    expect(JSON.parse(discoveryJson.text).endpoints[0].url).toBe(`${base}/open311/v2`);
    expect(discoveryXml.text).toContain(`<url>${base}/open311/v2</url>`);
    expect(JSON.parse(one.text)[0].media_url).toBe(`${base}${photo}`);
    expect(xmlRequests(listed.text)[0]?.media_url).toBe(`${base}${photo}`);
    for (const res of [discoveryJson, discoveryXml, one, listed]) expect(res.text).not.toContain('evil.example');
  });
});

describe('the cost of a public listing', () => {
  it('reads a page with the same storage requests whatever its size: nothing per listed report', async () => {
    // Prepare: a dozen public reports, newer than any other, each assigned and texted so nothing else reads the store meanwhile
    rt.clock.advance(1000);
    const ids: string[] = [];
    for (let i = 0; i < 12; i++) ids.push(await fileRequest());
    for (const id of ids) await scenario(rt).untilParked(id, 1);

    // Act
    const small = await storeReadsDuring(() => get('requests.json?page_size=2'));
    const large = await storeReadsDuring(() => get('requests.xml?page_size=12'));
    const byIds = await storeReadsDuring(() => get(`requests.json?service_request_id=${ids.join(',')}`));

    // Assess
    expect(small.result.body).toHaveLength(2);
    // Filed at one clock time (newest first is then by id): the page holds exactly these twelve.
    expect(
      xmlRequests(large.result.body)
        .map((r) => r.service_request_id)
        .sort(),
    ).toEqual([...ids].sort());
    expect(large.reads).toEqual(small.reads);
    expect(large.reads).toEqual({ list: 1, get: 0, getHistory: 0 });
    // An id lookup is one read per id asked for, and no timelines.
    expect(byIds.reads).toEqual({ list: 0, get: ids.length, getHistory: 0 });
  });
});

describe('GET requests filters', () => {
  it('filters by service_code, by ids (comma-separated, unknown ones left out) and by status', async () => {
    // Prepare
    const security = await fileRequest({ service_code: 'public_security' });
    const livelihood = await fileRequest({ service_code: 'livelihood' });

    // Act
    const byCode = (await get('requests.json?service_code=public_security')).body;
    const byTwoCodes = (await get('requests.json?service_code=public_security,livelihood&page_size=200')).body;
    const byIds = (await get(`requests.json?service_request_id=${security},R0000000000000000,${livelihood}&service_code=dispute`)).body;
    const open = (await get('requests.json?status=open&page_size=200')).body;

    // Assess
    expect(byCode.map((r: { service_request_id: string }) => r.service_request_id)).toContain(security);
    expect(byCode.every((r: { service_code: string }) => r.service_code === 'public_security')).toBe(true);
    expect(byTwoCodes.map((r: { service_request_id: string }) => r.service_request_id)).toEqual(
      expect.arrayContaining([security, livelihood]),
    );
    expect(byTwoCodes.every((r: { service_code: string }) => ['public_security', 'livelihood'].includes(r.service_code))).toBe(true);
    expect(byIds.map((r: { service_request_id: string }) => r.service_request_id)).toEqual([security, livelihood]);
    expect(open.length).toBeGreaterThan(0);
    expect(open.every((r: { status: string }) => r.status === 'open')).toBe(true);
  });

  it('lists newest first, pages with page/page_size, and bounds the window by start_date/end_date', async () => {
    // Prepare: distinct creation times (the clock moves only when told), so the order is by time
    rt.clock.advance(1000);
    const older = await fileRequest();
    rt.clock.advance(1000);
    const newer = await fileRequest();
    const { createdAt: olderAt } = (await reportAsWorker(older)).report;
    const { createdAt: newerAt } = (await reportAsWorker(newer)).report;

    // Act
    const pageOne = (await get('requests.json?page_size=1')).body;
    const pageTwo = (await get('requests.json?page_size=1&page=2')).body;
    const all = (await get('requests.json?page_size=200')).body;
    const exactWindow = (await get(`requests.json?start_date=${olderAt}&end_date=${newerAt}`)).body;
    const beforeBoth = (await get(`requests.json?end_date=${new Date(Date.parse(olderAt) - 1).toISOString()}`)).body;

    // Assess
    const ids = all.map((r: { service_request_id: string }) => r.service_request_id);
    const times = all.map((r: { requested_datetime: string }) => r.requested_datetime);
    expect(times).toEqual([...times].sort().reverse());
    expect(pageOne).toHaveLength(1);
    expect(pageOne[0].service_request_id).toBe(ids[0]);
    expect(pageTwo[0].service_request_id).toBe(ids[1]);
    expect(exactWindow.map((r: { service_request_id: string }) => r.service_request_id)).toEqual([newer, older]);
    expect(beforeBoth.map((r: { service_request_id: string }) => r.service_request_id)).not.toContain(older);
  });

  it('reads the window with a key condition on the index (the store’s createdFrom/createdTo), not a filter', async () => {
    // Prepare
    const id = await fileRequest();
    const { createdAt } = (await reportAsWorker(id)).report;
    const at = new Date(createdAt);
    const reports = rt.runtime.container.deps.reports;
    const county = { code: '451322', level: 'county' as const, path: ['451322'] };

    // Act
    const exact = await reports.list({ node: county, createdFrom: at, createdTo: at, limit: 10 });
    const after = await reports.list({ node: county, createdFrom: new Date(at.getTime() + 1), limit: 10 });
    const inverted = await reports.list({ node: county, createdFrom: at, createdTo: new Date(at.getTime() - 1), limit: 10 });

    // Assess
    expect(exact.items.map((r) => r.id)).toContain(id);
    expect(exact.items.every((r) => r.createdAt === createdAt)).toBe(true);
    expect(after.items.map((r) => r.id)).not.toContain(id);
    expect(inverted).toEqual({ items: [], nextCursor: null });
  });
});
