/**
 * The outcome figures × every role × a node in and out of the caller's scope: village, township
 * and county admins of the subtree only; grid workers and department officers are refused. The
 * bodies carry counts, report ids and titles: no link token, no phone number.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { scenario, startTestRuntime, type TestRuntime } from '../support/local-runtime.ts';
import { addSecondCounty, describeMatrix, type Expect, everyone, type MatrixCase, type MatrixRole, USERS } from '../support/matrix.ts';

let rt: TestRuntime;
let filed = '';
const VILLAGE1 = '451322201001';

beforeAll(async () => {
  rt = await startTestRuntime();
  const s = scenario(rt);
  filed = await s.file({ title: '授权矩阵考核' });
  await s.untilParked(filed, 1);
  await addSecondCounty(rt);
}, 60_000);
afterAll(async () => rt?.stop());

const adminsInScope = (status: number): Expect => ({
  ...everyone(403, 403),
  county_admin: { in: status, out: 403 },
  township_admin: { in: status, out: 403 },
  village_admin: { in: status, out: 403 },
});

const as = async (role: MatrixRole, which: 'in' | 'out') => ({ token: await rt.login(USERS[role][which]) });

const CASES: MatrixCase[] = [
  {
    name: 'GET /api/v1/stats?node=<那沙村>',
    expect: adminsInScope(200),
    request: async (role, which) => rt.http('GET', `/api/v1/stats?node=${VILLAGE1}`, await as(role, which)),
  },
  {
    name: 'GET /api/v1/stats (the caller’s own scope)',
    expect: {
      ...everyone(403, 403),
      county_admin: { in: 200, out: 200 },
      township_admin: { in: 200, out: 200 },
      village_admin: { in: 200, out: 200 },
    },
    request: async (role, which) => rt.http('GET', '/api/v1/stats', await as(role, which)),
  },
  {
    name: 'GET /api/v1/stats/reports?node=<那沙村>&metric=received&part=numerator',
    expect: adminsInScope(200),
    request: async (role, which) =>
      rt.http('GET', `/api/v1/stats/reports?node=${VILLAGE1}&metric=received&part=numerator`, await as(role, which)),
  },
];

describeMatrix(CASES, () => rt);

it('the matrix reads a report behind the figures, by id and title only', async () => {
  // Act
  const res = await rt.http('GET', `/api/v1/stats/reports?node=${VILLAGE1}&metric=received&part=numerator`, {
    token: await rt.login('village1'),
  });

  // Assess
  expect(res.body.items).toEqual([expect.objectContaining({ reportId: filed, title: '授权矩阵考核', unit: 'r' })]);
  expect(Object.keys(res.body.items[0]).sort()).toEqual(['category', 'day', 'reportId', 'title', 'unit']);
});
