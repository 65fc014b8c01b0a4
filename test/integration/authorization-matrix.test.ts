/**
 * Object-level authorization, route by route and role by role: for every role one user whose scope
 * holds the object and one whose scope does not. A second county is added so even the county admin
 * has something out of scope. Mass assignment (a client setting status, tier, assignees or
 * deadlines) is refused on every write route.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIRST_GRID, newKey, reportBody, scenario, startTestRuntime, type TestRuntime } from '../support/local-runtime.ts';
import { addSecondCounty, describeMatrix, everyone, type MatrixCase, USERS } from '../support/matrix.ts';

let rt: TestRuntime;
/** A report escalated to the housing department (so every tier has touched it), citing a photo. */
let atDepartment = '';
let photo = '';
/** A report in the second county, out of the first county admin's scope. */
let elsewhere = '';

const TINY_JPEG = Buffer.from(
  '/9j/2wBDAAMCAgICAgMCAgIDAwMDBAYEBAQEBAgGBgUGCQgKCgkICQkKDA8MCgsOCwkJDRENDg8QEBEQCgwSExIQEw8QEBD/yQALCAABAAEBAREA/8wABgAQEAX/2gAIAQEAAD8A0s8g/9k=',
  'base64',
);

beforeAll(async () => {
  rt = await startTestRuntime();
  const s = scenario(rt);
  const fast = { acceptSeconds: 100, completeSeconds: 200 };
  const slow = { acceptSeconds: 3_600_000, completeSeconds: 7_200_000 };
  await rt.runtime.container.directory.putPolicy({
    category: 'safety_hazard',
    urgency: 'normal',
    tiers: { grid: fast, village: fast, township: fast, department: slow, supervision: slow },
  });
  const worker = await rt.login('worker1');
  const slot = await rt.http('POST', '/api/v1/photos', { token: worker, body: { contentType: 'image/jpeg', size: TINY_JPEG.length } });
  photo = slot.body.id;
  expect(
    (await rt.http(slot.body.uploadMethod, slot.body.uploadUrl, { rawBody: TINY_JPEG, headers: slot.body.uploadHeaders })).status,
  ).toBe(200);
  const filed = await rt.http('POST', '/api/v1/reports', {
    token: worker,
    headers: { 'idempotency-key': newKey('matrix') },
    body: reportBody({ category: 'safety_hazard', title: '危桥', photos: [slot.body.url] }),
  });
  atDepartment = filed.body.id;
  for (const tierSeq of [1, 2, 3]) {
    await s.untilParked(atDepartment, tierSeq);
    rt.clock.advance(100_000);
  }
  await s.untilParked(atDepartment, 4);

  const otherGrid = await addSecondCounty(rt);
  const other = await rt.http('POST', '/api/v1/reports', {
    token: await rt.login('c2worker'),
    headers: { 'idempotency-key': newKey('matrix') },
    body: reportBody({ gridCode: otherGrid, location: undefined }),
  });
  expect(other.status).toBe(201);
  elsewhere = other.body.id;
}, 60_000);
afterAll(async () => rt?.stop());

const CASES: MatrixCase[] = [
  {
    name: 'GET /api/v1/reports/{id}',
    expect: everyone(200, 403),
    request: async (role, which) => rt.http('GET', `/api/v1/reports/${atDepartment}`, { token: await rt.login(USERS[role][which]) }),
  },
  {
    name: 'POST /api/v1/reports/{id}/actions (comment)',
    expect: everyone(200, 403),
    request: async (role, which) =>
      rt.http('POST', `/api/v1/reports/${atDepartment}/actions`, {
        token: await rt.login(USERS[role][which]),
        body: { action: 'comment', note: `${role} 跟进` },
      }),
  },
  {
    name: 'GET /api/v1/reports?node=<the report’s grid>',
    expect: { ...everyone(200, 403), department_officer: { in: 403, out: 403 } },
    request: async (role, which) => rt.http('GET', `/api/v1/reports?node=${FIRST_GRID}`, { token: await rt.login(USERS[role][which]) }),
  },
  {
    name: 'GET /api/v1/photos/{id} (cited by the report)',
    expect: everyone(200, 403),
    request: async (role, which) => {
      const res = await fetch(`${rt.url}/api/v1/photos/${photo}`, {
        headers: { authorization: `Bearer ${await rt.login(USERS[role][which])}` },
      });
      return { status: res.status, body: res.headers.get('content-type')?.startsWith('image/') ? '' : await res.text() };
    },
  },
  {
    name: 'POST /api/v1/reports for the report’s grid',
    expect: { ...everyone(403, 403), grid_worker: { in: 201, out: 403 } },
    request: async (role, which) =>
      rt.http('POST', '/api/v1/reports', {
        token: await rt.login(USERS[role][which]),
        headers: { 'idempotency-key': newKey('matrix') },
        body: reportBody(),
      }),
  },
  {
    name: 'POST /api/v1/photos',
    expect: { ...everyone(403, 403), grid_worker: { in: 201, out: 201 } },
    request: async (role, which) =>
      rt.http('POST', '/api/v1/photos', { token: await rt.login(USERS[role][which]), body: { contentType: 'image/png', size: 100 } }),
  },
  {
    name: 'GET /api/v1/categories',
    expect: everyone(200, 200),
    request: async (role, which) => rt.http('GET', '/api/v1/categories', { token: await rt.login(USERS[role][which]) }),
  },
];

describeMatrix(CASES, () => rt);

describe('department listings', () => {
  it('show a department officer what reached their department, and nothing of another department', async () => {
    // Act
    const mine = await rt.http('GET', '/api/v1/reports', { token: await rt.login('dept4') });
    const theirs = await rt.http('GET', '/api/v1/reports', { token: await rt.login('dept2') });

    // Assess
    expect(mine.body.items.map((r: { id: string }) => r.id)).toContain(atDepartment);
    expect(theirs.body.items.map((r: { id: string }) => r.id)).not.toContain(atDepartment);
  });

  it('never let a county admin read or list another county', async () => {
    // Act + Assess
    expect((await rt.http('GET', `/api/v1/reports/${elsewhere}`, { token: await rt.login('admin') })).status).toBe(403);
    expect((await rt.http('GET', `/api/v1/reports/${elsewhere}`, { token: await rt.login('admin2') })).status).toBe(200);
    expect((await rt.http('GET', '/api/v1/reports?node=451321', { token: await rt.login('admin') })).status).toBe(403);
    expect((await rt.http('GET', '/api/v1/reports?node=451321', { token: await rt.login('admin2') })).status).toBe(200);
  });
});

describe('acting on the report: only its current assignee', () => {
  it.each([
    ['the county admin (supervises, not assigned)', 'admin', 403],
    ['the township officer it passed through', 'township1', 409],
    ['the village officer it passed through', 'village1', 409],
    ['the grid worker it passed through', 'worker1', 409],
    ['another department', 'dept2', 403],
    ['another township', 'township2', 403],
  ])('refuses accept by %s', async (_who, username, status) => {
    // Act
    const res = await rt.http('POST', `/api/v1/reports/${atDepartment}/actions`, {
      token: await rt.login(username),
      body: { action: 'accept' },
    });

    // Assess
    expect(res.status).toBe(status);
  });

  it('lets the housing department officer accept it', async () => {
    // Act
    const res = await rt.http('POST', `/api/v1/reports/${atDepartment}/actions`, {
      token: await rt.login('dept4'),
      body: { action: 'accept' },
    });

    // Assess
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'accepted', tier: 'department' });
  });
});

describe('no mass assignment', () => {
  it.each([
    ['status', { status: 'closed' }],
    ['tier', { tier: 'department' }],
    ['assignees', { assignees: [{ id: 'p-worker-2' }] }],
    ['acceptBy', { acceptBy: '2030-01-01T00:00:00Z' }],
    ['completeBy', { completeBy: '2030-01-01T00:00:00Z' }],
    ['id', { id: 'R000000000000001' }],
    ['flags', { flags: [] }],
  ])('refuses a new report that sets %s', async (_field, extra) => {
    // Act
    const res = await rt.http('POST', '/api/v1/reports', {
      token: await rt.login('worker1'),
      headers: { 'idempotency-key': newKey('mass') },
      body: { ...reportBody(), ...extra },
    });

    // Assess
    expect(res.status).toBe(400);
  });

  it.each([
    ['status', { status: 'closed' }],
    ['assignees', { assignees: [] }],
    ['completeBy', { completeBy: '2030-01-01T00:00:00Z' }],
  ])('refuses an action that sets %s', async (_field, extra) => {
    // Act
    const res = await rt.http('POST', `/api/v1/reports/${atDepartment}/actions`, {
      token: await rt.login('admin'),
      body: { action: 'comment', note: '督办', ...extra },
    });

    // Assess
    expect(res.status).toBe(400);
  });
});

describe('without a token', () => {
  it.each([
    ['GET', '/api/v1/categories'],
    ['GET', '/api/v1/reports'],
    ['POST', '/api/v1/reports'],
    ['GET', '/api/v1/reports/R000000000000000'],
    ['POST', '/api/v1/reports/R000000000000000/actions'],
    ['POST', '/api/v1/photos'],
    ['GET', '/api/v1/photos/abc'],
    ['POST', '/api/auth/logout'],
  ])('%s %s answers 401', async (method, path) => {
    // Act
    const res = await rt.http(method, path, method === 'POST' ? { body: {} } : {});

    // Assess
    expect(res.status).toBe(401);
  });
});
