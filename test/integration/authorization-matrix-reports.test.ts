/**
 * The console's report reads × every role × in and out of scope: the workbench (工作台), the listing
 * with its tier and date filters, and a report's read with the reader's actions. A report escalated
 * to the housing department has passed every tier, so each role has a user it concerns and one it
 * does not; no body shows an SMS link or anyone's full number, and the workbench of a user out of
 * scope does not name the report at all.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIRST_GRID, scenario, startTestRuntime, type TestRuntime } from '../support/local-runtime.ts';
import { addSecondCounty, describeMatrix, everyone, type MatrixCase, type MatrixRole, ROLES, USERS } from '../support/matrix.ts';

let rt: TestRuntime;
let atDepartment = '';
let filedAt = '';
const VILLAGE1 = '451322201001';

beforeAll(async () => {
  rt = await startTestRuntime();
  const s = scenario(rt);
  const fast = { acceptSeconds: 100, completeSeconds: 200 };
  await s.usePolicy('safety_hazard', 'normal', { grid: fast, village: fast, township: fast });
  atDepartment = await s.file({ category: 'safety_hazard', title: '危桥' });
  for (const tierSeq of [1, 2, 3]) {
    await s.untilParked(atDepartment, tierSeq);
    rt.clock.advance(100_000);
  }
  filedAt = (await s.untilParked(atDepartment, 4)).createdAt;
  await addSecondCounty(rt);
}, 60_000);
afterAll(async () => rt?.stop());

const as = async (role: MatrixRole, which: 'in' | 'out') => ({ token: await rt.login(USERS[role][which]) });
const window = () => `from=${encodeURIComponent(filedAt)}&to=${encodeURIComponent(new Date(Date.parse(filedAt) + 1).toISOString())}`;

const CASES: MatrixCase[] = [
  {
    name: 'GET /api/v1/workbench (the caller’s own scope)',
    expect: everyone(200, 200),
    request: async (role, which) => rt.http('GET', '/api/v1/workbench', await as(role, which)),
  },
  {
    name: 'GET /api/v1/workbench?node=<那沙村>',
    expect: {
      ...everyone(403, 403),
      county_admin: { in: 200, out: 403 },
      township_admin: { in: 200, out: 403 },
      village_admin: { in: 200, out: 403 },
    },
    request: async (role, which) => rt.http('GET', `/api/v1/workbench?node=${VILLAGE1}`, await as(role, which)),
  },
  {
    name: 'GET /api/v1/reports?node=<the report’s grid>&tier=department&from=&to=',
    expect: { ...everyone(200, 403), department_officer: { in: 403, out: 403 } },
    request: async (role, which) => rt.http('GET', `/api/v1/reports?node=${FIRST_GRID}&tier=department&${window()}`, await as(role, which)),
  },
  {
    name: 'GET /api/v1/reports?tier=department&from=&to= (the caller’s own scope)',
    expect: everyone(200, 200),
    request: async (role, which) => rt.http('GET', `/api/v1/reports?tier=department&${window()}`, await as(role, which)),
  },
  {
    name: 'GET /api/v1/reports/{id} (with the reader’s actions)',
    expect: everyone(200, 403),
    request: async (role, which) => rt.http('GET', `/api/v1/reports/${atDepartment}`, await as(role, which)),
  },
  {
    // Reveals only the verdict and counts: whoever may read the report may check its chain.
    name: 'GET /api/v1/reports/{id}/timeline/verify',
    expect: everyone(200, 403),
    request: async (role, which) => rt.http('GET', `/api/v1/reports/${atDepartment}/timeline/verify`, await as(role, which)),
  },
];

describeMatrix(CASES, () => rt);

const names = (body: { items?: { id: string }[] }) => (body.items ?? []).map((i) => i.id);

describe('what the workbench and the listing name', () => {
  it.each(ROLES)('the report appears for a %s it concerns, and not for one it does not', async (role) => {
    // Act
    const inScope = await rt.http('GET', '/api/v1/workbench', await as(role, 'in'));
    const outOfScope = await rt.http('GET', '/api/v1/workbench', await as(role, 'out'));
    const listedOut = await rt.http('GET', `/api/v1/reports?${window()}`, await as(role, 'out'));

    // Assess
    expect(names(inScope.body)).toContain(atDepartment);
    expect(names(outOfScope.body)).not.toContain(atDepartment);
    expect(names(listedOut.body)).not.toContain(atDepartment);
  });

  it('offers actions only to those who may take them: the department officer it sits with, the county above it', async () => {
    // Act
    const read = async (username: string) =>
      (await rt.http('GET', `/api/v1/reports/${atDepartment}`, { token: await rt.login(username) })).body;
    const [officer, county, township, worker] = await Promise.all(['dept4', 'admin', 'township1', 'worker1'].map(read));

    // Assess
    expect(officer.actions).toEqual(['accept', 'escalate', 'return', 'comment', 'request_extension']);
    // The county is above the department: it may 督办 it by hand and suspend it.
    expect(county.actions).toEqual(['escalate', 'merge', 'comment', 'remind', 'suspend']);
    expect(township.actions).toEqual(['merge', 'comment']);
    expect(worker).toMatchObject({ actions: ['comment'], mayPublishNote: false });
  });
});
