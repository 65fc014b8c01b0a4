/**
 * Departments and categories on the real engines: a county admin adds a department and a category
 * that falls to it, and a report of that category climbs to the new department's officer; nobody
 * else changes them; every change is in the audit trail.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scenario, startTestRuntime, type TestRuntime } from '../support/local-runtime.ts';

let rt: TestRuntime;
let s: ReturnType<typeof scenario>;

beforeAll(async () => {
  rt = await startTestRuntime();
  s = scenario(rt);
});
afterAll(async () => rt?.stop());

const send = async (method: string, username: string, path: string, body?: unknown) =>
  rt.http(method, path, { token: await rt.login(username), body });

const WATER = { code: 'water', name: '象州县水利局', contacts: [{ label: '防汛值班', phone: '0772-4321234' }] };
const FLOOD = { code: 'flood', name: '防汛抗旱', description: '山洪、内涝、堤坝险情', departmentCode: 'water' };
/** The water bureau's officer, added through the people directory. */
const OFFICER_PHONE = '+8613977208888';

describe('a new department and category', () => {
  it('are created by a county admin, read by everyone signed in, with the default policies in place', async () => {
    // Act
    const department = await send('POST', 'admin', '/api/v1/departments', WATER);
    const category = await send('POST', 'admin', '/api/v1/categories', FLOOD);
    const departments = await send('GET', 'worker1', '/api/v1/departments');
    const categories = await send('GET', 'dept4', '/api/v1/categories');

    // Assess
    expect(department.status).toBe(201);
    expect(department.body.department).toMatchObject({ ...WATER, version: 1 });
    expect(category.status).toBe(201);
    expect(category.body.category).toMatchObject({ ...FLOOD, public: false, version: 1 });
    expect(departments.body.items.map((d: { code: string }) => d.code)).toContain('water');
    expect(categories.body.items.find((c: { code: string }) => c.code === 'flood')).toMatchObject(FLOOD);
    expect(JSON.stringify(categories.body)).not.toContain('lastChange');
    expect(await rt.runtime.container.directory.getPolicy('flood', 'emergency')).toMatchObject({ category: 'flood', urgency: 'emergency' });
  });

  it('route a report of the category to the department’s officer when the tiers let it lapse', async () => {
    // Prepare: an officer for the bureau, and tiers below it that lapse in minutes.
    const officer = await send('POST', 'admin', '/api/v1/people', {
      name: '蓝水生',
      phone: '13977208888',
      role: 'department_officer',
      scope: 'water',
      title: '水利局联络员',
    });
    expect(officer.status).toBe(201);
    const fast = { acceptSeconds: 300, completeSeconds: 600 };
    await s.usePolicy('flood', 'normal', { grid: fast, village: fast, township: fast });
    const id = await s.file({ category: 'flood', title: '那沙村河堤渗水' });

    // Act
    for (const tierSeq of [1, 2, 3]) {
      await s.untilParked(id, tierSeq);
      rt.clock.advance(300_000);
    }

    // Assess
    const h = await s.until(id, (r) => r.report.tier === 'department' && r.report.notifiedTierSeq === 4);
    expect(h.report).toMatchObject({ ownerCode: 'water', ownerName: '象州县水利局', assignees: [{ id: officer.body.person.id }] });
    expect(await rt.inbox({ to: OFFICER_PHONE, reportId: id })).toHaveLength(1);
  });

  it('are changed by a county admin, every change in the audit trail', async () => {
    // Act
    const changed = await send('PATCH', 'admin', '/api/v1/categories/flood', { public: true, description: '山洪、内涝、堤坝与水库险情' });
    const renamed = await send('PATCH', 'admin', '/api/v1/departments/water', { name: '象州县水利局（防汛办）' });
    const history = await send('GET', 'admin', '/api/v1/history?subject=category:flood');

    // Assess
    expect(changed.status).toBe(200);
    expect(changed.body.category).toMatchObject({ public: true, version: 2 });
    expect(renamed.body.department).toMatchObject({ name: '象州县水利局（防汛办）', version: 2 });
    expect(history.body.items.map((e: { change: string }) => e.change)).toEqual(['updated', 'created']);
    expect(history.body.items[0]).toMatchObject({ actor: { id: 'p-county-admin' }, before: { public: false }, after: { public: true } });
  });
});

describe('refusals', () => {
  it.each([
    [
      'a township admin adding a department',
      'township1',
      'POST',
      '/api/v1/departments',
      { code: 'forestry', name: '林业局' },
      403,
      'ADMIN.COUNTY_ONLY',
    ],
    ['a department officer changing a category', 'dept4', 'PATCH', '/api/v1/categories/flood', { public: false }, 403, 'ADMIN.COUNTY_ONLY'],
    [
      'a category of a department that does not exist',
      'admin',
      'POST',
      '/api/v1/categories',
      { ...FLOOD, code: 'drought', departmentCode: 'nope' },
      422,
      'DEPARTMENT.UNKNOWN',
    ],
    ['a category code that is taken', 'admin', 'POST', '/api/v1/categories', FLOOD, 409, 'CATEGORY.EXISTS'],
    ['a department code that is taken', 'admin', 'POST', '/api/v1/departments', WATER, 409, 'DEPARTMENT.EXISTS'],
    ['a field a client may not set', 'admin', 'PATCH', '/api/v1/categories/flood', { version: 9 }, 400, 'REQUEST.INVALID'],
    ['an empty change', 'admin', 'PATCH', '/api/v1/departments/water', {}, 400, 'REQUEST.INVALID'],
    ['an unknown category', 'admin', 'PATCH', '/api/v1/categories/nope', { public: true }, 404, 'CATEGORY.NOT_FOUND'],
  ])('refuses %s, storing nothing', async (_case, username, method, path, body, status, code) => {
    // Prepare
    const before = await send('GET', 'admin', '/api/v1/categories');

    // Act
    const res = await send(method, username, path, body);

    // Assess
    expect(res.status).toBe(status);
    expect(res.body.error.code).toBe(code);
    expect((await send('GET', 'admin', '/api/v1/categories')).body).toEqual(before.body);
    expect((await send('GET', 'admin', '/api/v1/departments')).body.items.map((d: { code: string }) => d.code)).not.toContain('forestry');
  });
});
