/**
 * Issue 11's actions × every role × in and out of scope: manual 督办 (remind), extension requests
 * and decisions, suspend / resume, and the return visit (review). Each request acts on a report of
 * its own (filed in 那沙村第一网格, held by the grid), so one role's success never changes what the
 * next role meets; no body shows an SMS link or anyone's full number.
 */
import { afterAll, beforeAll } from 'vitest';
import { eventually, scenario, startTestRuntime, type TestRuntime } from '../support/local-runtime.ts';
import { addSecondCounty, describeMatrix, everyone, type MatrixCase, type MatrixRole, USERS } from '../support/matrix.ts';

let rt: TestRuntime;
let s: ReturnType<typeof scenario>;

beforeAll(async () => {
  rt = await startTestRuntime();
  s = scenario(rt);
  await addSecondCounty(rt);
}, 60_000);
afterAll(async () => rt?.stop());

/** A report held by the grid (worker1), parked on its accept deadline. */
async function atGrid(): Promise<string> {
  const id = await s.file({ title: '矩阵用例' });
  await s.untilParked(id, 1);
  return id;
}

const act = async (role: MatrixRole, which: 'in' | 'out', id: string, body: Record<string, unknown>) =>
  rt.http('POST', `/api/v1/reports/${id}/actions`, { token: await rt.login(USERS[role][which]), body });

/** The admins above the grid in its subtree: the village, the township, the county. */
const aboveTheGrid = {
  ...everyone(403, 403),
  county_admin: { in: 200, out: 403 },
  township_admin: { in: 200, out: 403 },
  village_admin: { in: 200, out: 403 },
};
/** Township and county admins over the report. */
const townshipOrCounty = { ...everyone(403, 403), county_admin: { in: 200, out: 403 }, township_admin: { in: 200, out: 403 } };

const CASES: MatrixCase[] = [
  {
    name: 'POST /api/v1/reports/{id}/actions remind (督办 by hand)',
    expect: aboveTheGrid,
    request: async (role, which) => act(role, which, await atGrid(), { action: 'remind', note: '请尽快签收' }),
  },
  {
    name: 'POST /api/v1/reports/{id}/actions request_extension',
    expect: { ...everyone(403, 403), grid_worker: { in: 200, out: 403 } },
    request: async (role, which) => act(role, which, await atGrid(), { action: 'request_extension', extraHours: 2, note: '需要协调' }),
  },
  {
    name: 'POST /api/v1/reports/{id}/actions decide_extension',
    expect: aboveTheGrid,
    request: async (role, which) => {
      const id = await atGrid();
      const asked = await s.act(id, 'worker1', { action: 'request_extension', extraHours: 2, note: '需要协调' });
      if (asked.status !== 200) throw new Error(`request_extension: ${asked.status}`);
      return act(role, which, id, { action: 'decide_extension', approved: true });
    },
  },
  {
    name: 'POST /api/v1/reports/{id}/actions suspend',
    expect: townshipOrCounty,
    request: async (role, which) => act(role, which, await atGrid(), { action: 'suspend', note: '等待鉴定' }),
  },
  {
    name: 'POST /api/v1/reports/{id}/actions resume',
    expect: townshipOrCounty,
    request: async (role, which) => {
      const id = await atGrid();
      const suspended = await s.act(id, 'township1', { action: 'suspend', note: '等待鉴定' });
      if (suspended.status !== 200) throw new Error(`suspend: ${suspended.status}`);
      return act(role, which, id, { action: 'resume' });
    },
  },
  {
    name: 'POST /api/v1/reports/{id}/actions review (回访: the village secretary visits what the grid resolved)',
    expect: { ...everyone(403, 403), village_admin: { in: 200, out: 403 } },
    request: async (role, which) => {
      const id = await atGrid();
      await s.act(id, 'worker1', { action: 'accept' });
      await s.untilParked(id, 1, 'complete');
      await s.act(id, 'worker1', { action: 'resolve', note: '已处理' });
      await eventually(async () => {
        const stored = await rt.runtime.container.deps.reports.get(id);
        return stored?.visit?.tierSeq === 1 ? stored : undefined;
      });
      return act(role, which, id, { action: 'review', satisfied: true });
    },
  },
];

describeMatrix(CASES, () => rt);
