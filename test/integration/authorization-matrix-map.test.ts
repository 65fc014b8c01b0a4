/**
 * GET /api/v1/tree/{code}/map × role × in/out of scope. In scope is 那沙村 (held by the county
 * admin, 百丈乡's officer and the village's own secretary); out of scope sit 忻城县, 石龙镇 and
 * 石龙社区. Grid workers and department officers draw no map: the tree is the admins'. No answer
 * shows a phone number or an SMS link, even with open reports on the map (filed, so texted, first).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIRST_GRID, scenario, startTestRuntime, type TestRuntime } from '../support/local-runtime.ts';
import { addSecondCounty, describeMatrix, type Expect, everyone, type MatrixCase, type MatrixRole, USERS } from '../support/matrix.ts';

let rt: TestRuntime;
const VILLAGE = '451322201001';

beforeAll(async () => {
  rt = await startTestRuntime();
  await addSecondCounty(rt);
  const s = scenario(rt);
  // A report on the map whose grid worker got an SMS with a link: the map must carry neither.
  await s.untilParked(await s.file({ title: '地图上的事件' }), 1);
}, 60_000);
afterAll(async () => rt?.stop());

const adminsInScope = (status: number): Expect => ({
  ...everyone(403, 403),
  county_admin: { in: status, out: 403 },
  township_admin: { in: status, out: 403 },
  village_admin: { in: status, out: 403 },
});

const request = async (role: MatrixRole, which: 'in' | 'out', path: string) =>
  rt.http('GET', path, { token: await rt.login(USERS[role][which]) });

const CASES: MatrixCase[] = [
  {
    name: 'GET /api/v1/tree/{code}/map (a village’s grids)',
    expect: adminsInScope(200),
    request: (role, which) => request(role, which, `/api/v1/tree/${VILLAGE}/map`),
  },
  {
    name: 'GET /api/v1/tree/{code}/map?level=grid (one grid)',
    expect: adminsInScope(200),
    request: (role, which) => request(role, which, `/api/v1/tree/${FIRST_GRID}/map?level=grid`),
  },
];

describeMatrix(CASES, () => rt);

describe('the map without a token', () => {
  it('answers 401', async () => {
    // Act
    const res = await rt.http('GET', `/api/v1/tree/${VILLAGE}/map`);

    // Assess
    expect(res.status).toBe(401);
  });
});
