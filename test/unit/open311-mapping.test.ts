import { describe, expect, it } from 'vitest';
import { ValidationError } from '#core/errors.ts';
import {
  apiKeyHash,
  DEFAULT_PAGE_SIZE,
  derivedIdempotencyKey,
  discovery,
  GEOREPORT_V2_SPECIFICATION,
  geoReportStatus,
  MAX_TITLE_LENGTH,
  planRequestSearch,
  serviceDefinition,
  titleFor,
  toCreatedRequest,
  toService,
  toServiceRequest,
  withAbsoluteMediaUrl,
} from '#core/open311.ts';
import { accept, close, comment, type Report, resolve } from '#core/report.ts';
import { createReportBody } from '#handlers/http/schemas.ts';
import { acceptedReport, assignedReport, NOW, submittedReport, thrownBy, worker } from './fixtures.ts';

const INFRASTRUCTURE = { code: 'infrastructure', name: '基础设施', description: '村道、桥梁、供水、路灯等公共设施损坏' };

/** The fixture category (safety_hazard) as a county admin marked it public, and as it is by default. */
const PUBLIC_SERVICE = { name: '安全隐患', public: true };
const INTERNAL_SERVICE = { name: '安全隐患', public: false };

function closedReport(note = '已搭建简易便桥'): Report {
  const resolved = resolve(acceptedReport(), worker, NOW, { note, public: true }).report;
  return close(resolved, NOW).report;
}

const DAY = 24 * 3600 * 1000;

describe('services', () => {
  it('turns a category into a realtime service with metadata, keywords from its description and the governance group', () => {
    // Act
    const service = toService(INFRASTRUCTURE);

    // Assess
    expect(service).toEqual({
      service_code: 'infrastructure',
      service_name: '基础设施',
      description: '村道、桥梁、供水、路灯等公共设施损坏',
      metadata: true,
      type: 'realtime',
      keywords: '基础设施, 村道, 桥梁, 供水, 路灯等公共设施损坏',
      group: '社会治理',
    });
  });

  it('defines one optional single-value urgency attribute listing normal, urgent and emergency', () => {
    // Act
    const definition = serviceDefinition(INFRASTRUCTURE);

    // Assess
    expect(definition.service_code).toBe('infrastructure');
    expect(definition.attributes).toHaveLength(1);
    expect(definition.attributes[0]).toMatchObject({
      code: 'urgency',
      datatype: 'singlevaluelist',
      required: false,
      order: 1,
      variable: true,
    });
    expect(definition.attributes[0]?.values.map((v) => v.key)).toEqual(['normal', 'urgent', 'emergency']);
  });
});

describe('a report as a GeoReport request', () => {
  it('is open in every status but closed', () => {
    // Prepare
    const statuses = [submittedReport(), assignedReport(), acceptedReport(), closedReport()].map((r) => [r.status, geoReportStatus(r)]);

    // Assess
    expect(statuses).toEqual([
      ['submitted', 'open'],
      ['assigned', 'open'],
      ['accepted', 'open'],
      ['closed', 'closed'],
    ]);
  });

  it('names the current tier’s owner as the agency and the deadline it races as the expected time', () => {
    // Prepare
    const assigned = assignedReport();
    const accepted = acceptedReport();

    // Act
    const a = toServiceRequest(assigned, INTERNAL_SERVICE);
    const b = toServiceRequest(accepted, INTERNAL_SERVICE);
    const c = toServiceRequest(closedReport(), INTERNAL_SERVICE);

    // Assess
    expect(a).toMatchObject({ agency_responsible: '那沙村第一网格', expected_datetime: assigned.acceptBy, status: 'open' });
    expect(b.expected_datetime).toBe(accepted.completeBy);
    expect(c.expected_datetime).toBeNull();
    expect(toServiceRequest(submittedReport(), INTERNAL_SERVICE).agency_responsible).toBeNull();
  });

  it('shows a public category’s description, address, first photo and public note, and a position to about a kilometre', () => {
    // Prepare
    const commented = comment(assignedReport(), worker, '已到现场', NOW, { public: true }).report;
    const report: Report = {
      ...commented,
      location: { lat: 23.961234, lng: 109.692345, address: '象州县百丈乡那沙村村口' },
      photos: ['/api/v1/photos/P0123456789ABCDEF0123', '/api/v1/photos/P1111111111111111111A'],
    };

    // Act
    const request = toServiceRequest(report, PUBLIC_SERVICE);

    // Assess
    expect(request).toEqual({
      service_request_id: report.id,
      status: 'open',
      status_notes: '已到现场',
      service_name: '安全隐患',
      service_code: 'safety_hazard',
      description: '村口便桥桥面塌陷，村民无法通行。',
      agency_responsible: '那沙村第一网格',
      service_notice: null,
      requested_datetime: report.createdAt,
      updated_datetime: report.updatedAt,
      expected_datetime: report.acceptBy,
      address: '象州县百丈乡那沙村村口',
      address_id: null,
      zipcode: null,
      lat: 23.96,
      long: 109.69,
      media_url: '/api/v1/photos/P0123456789ABCDEF0123',
    });
  });

  it('never names the reporter or an assignee, for any category', () => {
    // Prepare
    const text = JSON.stringify([toServiceRequest(assignedReport(), PUBLIC_SERVICE), toServiceRequest(assignedReport(), INTERNAL_SERVICE)]);

    // Assess
    expect(text).not.toContain(worker.name);
    expect(text).not.toContain(worker.id);
  });

  it.each([
    ['a category not marked public', INTERNAL_SERVICE],
    ['a category the catalog no longer has', null],
  ])('shows for %s only category, status, agency, dates and a rounded position', (_name, service) => {
    // Prepare
    const commented = comment(assignedReport(), worker, '双方已调解', NOW, { public: true }).report;
    const report: Report = {
      ...commented,
      location: { lat: 23.96789, lng: 109.69123, address: '那沙村韦某家' },
      photos: ['/api/v1/photos/P0123456789ABCDEF0123'],
    };

    // Act
    const request = toServiceRequest(report, service);

    // Assess
    expect(request).toMatchObject({
      service_code: 'safety_hazard',
      status: 'open',
      agency_responsible: '那沙村第一网格',
      requested_datetime: report.createdAt,
      description: null,
      status_notes: null,
      address: null,
      media_url: null,
      lat: 23.97,
      long: 109.69,
    });
    expect(JSON.stringify(request)).not.toMatch(/调解|韦某|P0123/);
  });

  it('masks phone, ID-card and plate numbers in the description, address and note of a public category', () => {
    // Prepare
    const noted = comment(assignedReport(), worker, '已联系车主，电话139 1234 5678', NOW, { public: true }).report;
    const report: Report = {
      ...noted,
      description: '桂G·12345压坏桥面，车主身份证45032219800101123X，电话138-7720-0777',
      location: { lat: 23.96, lng: 109.69, address: '那沙村，联系0772-4321234' },
    };

    // Act
    const request = toServiceRequest(report, PUBLIC_SERVICE);

    // Assess
    expect(request.description).toBe('桂*·*****压坏桥面，车主身份证******************，电话***-****-****');
    expect(request.address).toBe('那沙村，联系****-*******');
    expect(request.status_notes).toBe('已联系车主，电话*** **** ****');
  });

  it('has no position when the report has none', () => {
    // Act
    const request = toServiceRequest({ ...assignedReport(), location: null }, PUBLIC_SERVICE);

    // Assess
    expect(request).toMatchObject({ lat: null, long: null, address: null });
  });

  it('resolves a stored photo path against the public base URL, and keeps full URLs', () => {
    // Prepare
    const request = toServiceRequest({ ...assignedReport(), photos: ['/api/v1/photos/P0123456789ABCDEF0123'] }, PUBLIC_SERVICE);

    // Assess
    expect(withAbsoluteMediaUrl(request, 'https://gw.example.cn').media_url).toBe(
      'https://gw.example.cn/api/v1/photos/P0123456789ABCDEF0123',
    );
    const absolute = { ...request, media_url: 'https://cdn.example.cn/a.jpg' };
    expect(withAbsoluteMediaUrl(absolute, 'https://gw.example.cn')).toBe(absolute);
  });

  it('answers a POST with the id and a notice, never the account behind the key', () => {
    // Assess
    expect(toCreatedRequest(assignedReport())).toMatchObject({ service_request_id: 'R0123456789ABCDE', account_id: null });
  });
});

describe('status_notes', () => {
  it('is the latest public note, not a later internal one nor an earlier public one', () => {
    // Prepare
    const first = comment(assignedReport(), worker, '已通知村委', NOW, { public: true }).report;
    const second = accept(first, worker, NOW, { note: '已到现场', public: true }).report;
    const internal = comment(second, worker, '当事人拒不配合，疑似精神异常', NOW).report;

    // Act
    const request = toServiceRequest(internal, PUBLIC_SERVICE);

    // Assess
    expect(request.status_notes).toBe('已到现场');
  });

  it('is null while every note is internal, the resolve note included', () => {
    // Prepare
    const resolved = resolve(comment(acceptedReport(), worker, '当事人拒不配合', NOW).report, worker, NOW, { note: '已处理' }).report;

    // Assess
    expect(toServiceRequest(resolved, PUBLIC_SERVICE).status_notes).toBeNull();
  });

  it('keeps the resolve note once the report is closed, when it was public', () => {
    // Assess
    expect(toServiceRequest(closedReport(), PUBLIC_SERVICE).status_notes).toBe('已搭建简易便桥');
  });
});

describe('the title of a report filed through Open311', () => {
  it('is the service name and the start of the description on one line', () => {
    // Assess
    expect(titleFor('基础设施', '村道小桥塌陷\n影响出行')).toBe('基础设施：村道小桥塌陷 影响出行');
  });

  it('cuts a long description with an ellipsis and stays within the JSON API’s title rules', () => {
    // Prepare
    const long = `${'桥'.repeat(60)}😀`.repeat(3);

    // Act
    const title = titleFor('基础设施', long);

    // Assess
    expect(title.endsWith('…')).toBe(true);
    expect(title.length).toBeLessThanOrEqual(MAX_TITLE_LENGTH);
    expect(createReportBody.shape.title.safeParse(title).success).toBe(true);
  });

  it('never splits a surrogate pair, even at the length limit', () => {
    // Act
    const title = titleFor('😀'.repeat(60), 'x');

    // Assess
    expect(title.length).toBeLessThanOrEqual(MAX_TITLE_LENGTH);
    expect(title).not.toMatch(/[\ud800-\udbff]$/);
    expect(createReportBody.shape.title.safeParse(title).success).toBe(true);
  });
});

describe('idempotency and api keys', () => {
  const fields = [
    ['service_code', 'infrastructure'],
    ['description', '桥塌了'],
    ['lat', '23.9'],
    ['long', '109.6'],
  ] as const;

  it('derives the same key for the same api key and fields in any order, ignoring the api_key field itself', () => {
    // Act
    const a = derivedIdempotencyKey('k-1', [['api_key', 'k-1'], ...fields]);
    const b = derivedIdempotencyKey('k-1', [...fields].reverse());

    // Assess
    expect(a).toBe(b);
    expect(a).toMatch(/^open311-[0-9a-f]{64}$/);
  });

  it('derives another key for another api key or another field value', () => {
    // Prepare
    const base = derivedIdempotencyKey('k-1', fields);

    // Assess
    expect(derivedIdempotencyKey('k-2', fields)).not.toBe(base);
    expect(derivedIdempotencyKey('k-1', [...fields.slice(0, 3), ['long', '109.7']])).not.toBe(base);
  });

  it('stores api keys as SHA-256 hex, never the key', () => {
    // Assess
    expect(apiKeyHash('demo-open311-worker1-key')).toMatch(/^[0-9a-f]{64}$/);
    expect(apiKeyHash('demo-open311-worker1-key')).not.toContain('demo');
  });
});

describe('GET requests filters', () => {
  it('defaults to the last 90 days, all services and statuses, page 1 of 50', () => {
    // Act
    const search = planRequestSearch({}, NOW);

    // Assess
    expect(search).toEqual({
      kind: 'window',
      from: new Date(NOW.getTime() - 90 * DAY),
      to: NOW,
      serviceCodes: [],
      status: null,
      page: 1,
      pageSize: DEFAULT_PAGE_SIZE,
    });
  });

  it('lets service_request_id override every other filter, once per id', () => {
    // Act
    const search = planRequestSearch({ serviceRequestIds: ['R1', 'R2', 'R1'], statuses: ['closed'], page: 3 }, NOW);

    // Assess
    expect(search).toEqual({ kind: 'ids', ids: ['R1', 'R2'] });
  });

  it('extends a lone start or end date 90 days from itself', () => {
    // Prepare
    const start = new Date('2026-01-01T00:00:00Z');

    // Act
    const fromStart = planRequestSearch({ startDate: start }, NOW);
    const fromEnd = planRequestSearch({ endDate: start }, NOW);

    // Assess
    expect(fromStart).toMatchObject({ from: start, to: new Date(start.getTime() + 90 * DAY) });
    expect(fromEnd).toMatchObject({ from: new Date(start.getTime() - 90 * DAY), to: start });
  });

  it('filters by status only when one of open and closed is asked for', () => {
    // Assess
    expect(planRequestSearch({ statuses: ['open'] }, NOW)).toMatchObject({ status: 'open' });
    expect(planRequestSearch({ statuses: ['open', 'closed'] }, NOW)).toMatchObject({ status: null });
  });

  it.each([
    ['an inverted window', { startDate: new Date('2026-02-01T00:00:00Z'), endDate: new Date('2026-01-01T00:00:00Z') }],
    ['a window over 90 days', { startDate: new Date('2026-01-01T00:00:00Z'), endDate: new Date('2026-04-02T00:00:00Z') }],
    ['page 0', { page: 0 }],
    ['page 51', { page: 51 }],
    ['page_size 201', { pageSize: 201 }],
    ['101 ids', { serviceRequestIds: Array.from({ length: 101 }, (_, i) => `R${i}`) }],
  ])('refuses %s as a validation error (400)', (_name, filters) => {
    // Act
    const error = thrownBy(() => planRequestSearch(filters, NOW));

    // Assess
    expect(error).toBeInstanceOf(ValidationError);
  });
});

describe('discovery', () => {
  it('lists this server’s GeoReport v2 endpoint in both formats', () => {
    // Act
    const d = discovery('https://gw.example.cn/open311/v2');

    // Assess
    expect(d.endpoints).toEqual([
      {
        specification: GEOREPORT_V2_SPECIFICATION,
        url: 'https://gw.example.cn/open311/v2',
        changeset: d.changeset,
        type: 'production',
        formats: ['text/xml', 'application/json'],
      },
    ]);
    expect(d.contact).not.toBe('');
    expect(d.key_service).not.toBe('');
  });
});
