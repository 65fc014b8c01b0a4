import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { ACTIONS } from '#core/use-cases/reports.ts';
import { actionBody, createReportBody, idempotencyKey, listReportsQuery, reportId } from '#handlers/http/schemas.ts';

/** The distinct dotted paths of the issues found, or null when the value is accepted. */
function rejectedAt(schema: z.ZodType, value: unknown): string[] | null {
  const result = schema.safeParse(value);
  return result.success ? null : [...new Set(result.error.issues.map((issue) => issue.path.join('.')))];
}

const validReport = {
  gridCode: '451322201001001',
  category: 'safety_hazard',
  title: '那沙村便桥塌陷',
  description: '村口便桥桥面塌陷，村民无法通行。',
};

const fullReport = {
  ...validReport,
  urgency: 'emergency',
  location: { lat: 23.96, lng: 109.69, address: '象州县百丈乡那沙村村口' },
  photos: ['https://gw.example.cn/api/v1/photos/P0123456789ABCDEF0123'],
  occurredAt: '2026-03-23T08:30:00+08:00',
};

describe('createReportBody', () => {
  it('accepts the four required fields alone', () => {
    // Act
    const parsed = createReportBody.parse(validReport);

    // Assess
    expect(parsed).toEqual(validReport);
  });

  it('accepts every optional field', () => {
    // Act
    const parsed = createReportBody.parse(fullReport);

    // Assess
    expect(parsed).toEqual(fullReport);
  });

  it('trims the title and description', () => {
    // Act
    const parsed = createReportBody.parse({ ...validReport, title: '  便桥塌陷 ', description: '\n桥面塌陷\n' });

    // Assess
    expect(parsed.title).toBe('便桥塌陷');
    expect(parsed.description).toBe('桥面塌陷');
  });

  it.each(['gridCode', 'category', 'title', 'description'] as const)('rejects a body without %s', (field) => {
    // Prepare
    const { [field]: _dropped, ...body } = validReport;

    // Act + Assess
    expect(rejectedAt(createReportBody, body)).toEqual([field]);
  });

  it.each([
    ['gridCode', 451322201001001],
    ['category', ['dispute']],
    ['title', 42],
    ['description', null],
    ['urgency', 'critical'],
    ['location', '23.96,109.69'],
    ['photos', 'https://example.org/photos/1.jpg'],
    ['occurredAt', 1774227000000],
  ])('rejects a %s of the wrong type or value (%j)', (field, value) => {
    // Act + Assess
    expect(rejectedAt(createReportBody, { ...validReport, [field]: value })).toEqual([field]);
  });

  it('rejects a body that is not an object at all', () => {
    // Act + Assess
    expect(rejectedAt(createReportBody, [validReport])).not.toBeNull();
    expect(rejectedAt(createReportBody, null)).not.toBeNull();
    expect(rejectedAt(createReportBody, 'report')).not.toBeNull();
  });

  it('rejects fields it does not know, such as a client-chosen status', () => {
    // Act + Assess
    expect(rejectedAt(createReportBody, { ...validReport, status: 'closed' })).not.toBeNull();
    expect(rejectedAt(createReportBody, { ...validReport, location: { lat: 1, lng: 2, altitude: 3 } })).not.toBeNull();
  });

  it('rejects a 10,000-character title, and anything past 100 characters', () => {
    // Act + Assess
    expect(rejectedAt(createReportBody, { ...validReport, title: '桥'.repeat(10_000) })).toEqual(['title']);
    expect(rejectedAt(createReportBody, { ...validReport, title: 'a'.repeat(101) })).toEqual(['title']);
    expect(rejectedAt(createReportBody, { ...validReport, title: 'a'.repeat(100) })).toBeNull();
  });

  it('rejects a description past 2,000 characters', () => {
    // Act + Assess
    expect(rejectedAt(createReportBody, { ...validReport, description: 'x'.repeat(2001) })).toEqual(['description']);
    expect(rejectedAt(createReportBody, { ...validReport, description: 'x'.repeat(2000) })).toBeNull();
  });

  it.each(['', '   ', '\t\n'])('rejects a blank title (%j)', (title) => {
    // Act + Assess
    expect(rejectedAt(createReportBody, { ...validReport, title })).toEqual(['title']);
  });

  it.each(['\u0007', '\u0000', '\u001b', '\u007f', '\u0085', '\u009b', '\n', '\t', '\r'])(
    'rejects the control character %j inside a title',
    (control) => {
      // Act + Assess
      expect(rejectedAt(createReportBody, { ...validReport, title: `便桥${control}塌陷` })).toEqual(['title']);
    },
  );

  it.each(['\u0007', '\u0000', '\u001b', '\u007f', '\u000b', '\u000c', '\u0085', '\u009f'])(
    'rejects the control character %j inside a description',
    (control) => {
      // Act + Assess
      expect(rejectedAt(createReportBody, { ...validReport, description: `桥面${control}塌陷` })).toEqual(['description']);
    },
  );

  it.each(['\u202a', '\u202e', '\u2066', '\u2069'])('rejects the bidi control %j in a title, a description and a note', (bidi) => {
    // Act + Assess
    expect(rejectedAt(createReportBody, { ...validReport, title: `便桥${bidi}塌陷` })).toEqual(['title']);
    expect(rejectedAt(createReportBody, { ...validReport, description: `桥面${bidi}塌陷` })).toEqual(['description']);
    expect(rejectedAt(actionBody, { action: 'comment', note: `已处理${bidi}` })).toEqual(['note']);
  });

  it('accepts ordinary Chinese punctuation, emoji and letters outside the control ranges', () => {
    // Act + Assess
    expect(
      rejectedAt(createReportBody, { ...validReport, title: '便桥塌陷！（紧急）🚧 Bridge—down…', description: '“桥面”塌陷；𠮷' }),
    ).toBeNull();
  });

  it('keeps line breaks and tabs inside a description', () => {
    // Act
    const parsed = createReportBody.parse({ ...validReport, description: '桥面塌陷。\n村民绕行。\r\n\t已拉警戒线。' });

    // Assess
    expect(parsed.description).toBe('桥面塌陷。\n村民绕行。\r\n\t已拉警戒线。');
  });

  it('rejects a control character in the address', () => {
    // Act + Assess
    expect(rejectedAt(createReportBody, { ...validReport, location: { lat: 1, lng: 2, address: '村口\u0007' } })).toEqual([
      'location.address',
    ]);
  });

  it.each([
    [{ lat: 90.0001, lng: 0 }, 'location.lat'],
    [{ lat: -91, lng: 0 }, 'location.lat'],
    [{ lat: 0, lng: 180.5 }, 'location.lng'],
    [{ lat: 0, lng: -181 }, 'location.lng'],
    [{ lat: '23.9', lng: 109 }, 'location.lat'],
    [{ lng: 109 }, 'location.lat'],
  ])('rejects the location %j', (location, path) => {
    // Act + Assess
    expect(rejectedAt(createReportBody, { ...validReport, location })).toEqual([path]);
  });

  it.each([
    { lat: 90, lng: 180 },
    { lat: -90, lng: -180 },
    { lat: 0, lng: 0 },
  ])('accepts the boundary location %j', (location) => {
    // Act + Assess
    expect(rejectedAt(createReportBody, { ...validReport, location })).toBeNull();
  });

  it('accepts nine photos and rejects a tenth', () => {
    // Prepare
    const photos = (n: number) => Array.from({ length: n }, (_, i) => `/api/v1/photos/P${String(i).padStart(20, '0')}`);

    // Act + Assess
    expect(rejectedAt(createReportBody, { ...validReport, photos: photos(9) })).toBeNull();
    expect(rejectedAt(createReportBody, { ...validReport, photos: photos(10) })).toEqual(['photos']);
  });

  it.each(['javascript:alert(1)', 'data:text/html,<script>alert(1)</script>', 'file:///etc/passwd', 'ftp://example.org/1.jpg'])(
    'rejects the photo URL %j (http and https only)',
    (photo) => {
      // Act + Assess
      expect(rejectedAt(createReportBody, { ...validReport, photos: [photo] })).toEqual(['photos.0']);
    },
  );

  it.each(['\u2028', '\u2029'])('rejects the line separator %j in a title', (separator) => {
    // Act + Assess
    expect(rejectedAt(createReportBody, { ...validReport, title: `便桥${separator}塌陷` })).toEqual(['title']);
  });

  it.each(['\u200b', '\u200b\u200c\u200d', '\ufeff \u2060'])('rejects a title of nothing but invisible characters (%j)', (title) => {
    // Act + Assess
    expect(rejectedAt(createReportBody, { ...validReport, title })).toEqual(['title']);
  });

  it('rejects a photo that is not a URL or is longer than 500 characters', () => {
    // Act + Assess
    expect(rejectedAt(createReportBody, { ...validReport, photos: ['not a url'] })).toEqual(['photos.0']);
    expect(rejectedAt(createReportBody, { ...validReport, photos: [`https://example.org/${'a'.repeat(500)}`] })).toEqual(['photos.0']);
  });

  it.each(['2026-03-23', '2026-03-23T08:30:00', 'yesterday'])('rejects the occurredAt %j (not a date-time with offset)', (occurredAt) => {
    // Act + Assess
    expect(rejectedAt(createReportBody, { ...validReport, occurredAt })).toEqual(['occurredAt']);
  });

  it.each(['451322 201', 'a'.repeat(41), '那沙村', '../etc', ''])('rejects the grid code %j', (gridCode) => {
    // Act + Assess
    expect(rejectedAt(createReportBody, { ...validReport, gridCode })).toEqual(['gridCode']);
  });
});

describe('actionBody', () => {
  it.each(ACTIONS)('accepts the action %s', (action) => {
    // Act + Assess
    expect(rejectedAt(actionBody, { action })).toBeNull();
  });

  it('accepts every optional field, with a multi-line note', () => {
    // Prepare
    const body = {
      action: 'whistle',
      note: '需要多部门联合处置\n请尽快报到',
      tier: 'township',
      departments: ['housing', 'justice'],
      satisfied: true,
    };

    // Act
    const parsed = actionBody.parse(body);

    // Assess
    expect(parsed).toEqual(body);
  });

  it.each(['delete', 'ACCEPT', '', 'close'])('rejects the unknown action %j', (action) => {
    // Act + Assess
    expect(rejectedAt(actionBody, { action })).toEqual(['action']);
  });

  it('rejects a body without an action', () => {
    // Act + Assess
    expect(rejectedAt(actionBody, { note: '已处理' })).toEqual(['action']);
  });

  it('rejects fields it does not know', () => {
    // Act + Assess
    expect(rejectedAt(actionBody, { action: 'accept', status: 'closed' })).not.toBeNull();
  });

  it.each([
    ['note', '已处理\u0007'],
    ['note', 'x'.repeat(1001)],
    ['note', 7],
    ['tier', 'city'],
    ['satisfied', 'yes'],
    ['departments', 'housing'],
    ['departments', ['hous ing']],
  ])('rejects a bad %s (%j)', (field, value) => {
    // Act + Assess
    expect(rejectedAt(actionBody, { action: 'comment', [field]: value })?.[0]).toMatch(new RegExp(`^${field}`));
  });

  it('rejects more than ten departments', () => {
    // Prepare
    const departments = Array.from({ length: 11 }, (_, i) => `dept_${i}`);

    // Act + Assess
    expect(rejectedAt(actionBody, { action: 'whistle', departments })).toEqual(['departments']);
    expect(rejectedAt(actionBody, { action: 'whistle', departments: departments.slice(0, 10) })).toBeNull();
  });
});

describe('listReportsQuery', () => {
  it('accepts an empty query', () => {
    // Act
    const parsed = listReportsQuery.parse({});

    // Assess
    expect(parsed).toEqual({});
  });

  it('accepts every filter and turns the limit into a number', () => {
    // Act
    const parsed = listReportsQuery.parse({
      node: '451322201',
      status: 'assigned',
      category: 'dispute',
      overdue: 'true',
      cursor: 'abc',
      limit: '50',
    });

    // Assess
    expect(parsed).toEqual({ node: '451322201', status: 'assigned', category: 'dispute', overdue: 'true', cursor: 'abc', limit: 50 });
  });

  it.each(['0', '101', 'abc', '1.5', '-3', '', '0x10', '1e2', ' 5'])('rejects the limit %j', (limit) => {
    // Act + Assess
    expect(rejectedAt(listReportsQuery, { limit })).toEqual(['limit']);
  });

  it.each([
    ['status', 'open'],
    ['overdue', 'yes'],
    ['node', '451322/201'],
    ['category', 'x'.repeat(41)],
    ['cursor', 'c'.repeat(2001)],
  ])('rejects the %s %j', (field, value) => {
    // Act + Assess
    expect(rejectedAt(listReportsQuery, { [field]: value })).toEqual([field]);
  });

  it('rejects parameters it does not know', () => {
    // Act + Assess
    expect(rejectedAt(listReportsQuery, { sort: 'createdAt' })).not.toBeNull();
  });
});

describe('idempotencyKey and reportId', () => {
  it.each(['k-000001', '0b6f7c1e-2f3a-4d5b-9c8d-7e6f5a4b3c2d', 'device:42.attempt_1'])('accepts the key %j', (key) => {
    // Act + Assess
    expect(idempotencyKey.safeParse(key).success).toBe(true);
  });

  it.each(['short', 'k'.repeat(129), 'key with spaces', 'key\nnewline', '钥匙钥匙钥匙钥匙'])('rejects the key %j', (key) => {
    // Act + Assess
    expect(idempotencyKey.safeParse(key).success).toBe(false);
  });

  it('matches report ids of R and 15 upper-case hex digits only', () => {
    // Act + Assess
    expect(reportId.test('R0123456789ABCDE')).toBe(true);
    expect(['R0123456789abcde', 'R0123456789ABCD', 'X0123456789ABCDE', 'R0123456789ABCDEF'].map((id) => reportId.test(id))).toEqual([
      false,
      false,
      false,
      false,
    ]);
  });
});
