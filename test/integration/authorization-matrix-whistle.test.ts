/**
 * 吹哨 × every role × in and out of scope: who may whistle departments to a report at the grid
 * (its grid worker, every admin over it), who may act on a summoned department's lane (that
 * department's summoned officers alone), and who may read a whistled report (the summoned
 * department too). Each request gets a fresh report, so one role's success never changes what the
 * next one meets; no body shows an SMS link or anyone's full number.
 */
import { afterAll, beforeAll } from 'vitest';
import { scenario, startTestRuntime, type TestRuntime } from '../support/local-runtime.ts';
import { addSecondCounty, describeMatrix, everyone, type MatrixCase, type MatrixRole, USERS } from '../support/matrix.ts';

let rt: TestRuntime;
let s: ReturnType<typeof scenario>;

beforeAll(async () => {
  rt = await startTestRuntime();
  s = scenario(rt);
  await addSecondCounty(rt);
}, 60_000);
afterAll(async () => rt?.stop());

const as = async (role: MatrixRole, which: 'in' | 'out') => ({ token: await rt.login(USERS[role][which]) });

/** A report at the grid, texted and waiting. */
async function atGrid(): Promise<string> {
  const id = await s.file({ title: '村道塌陷' });
  await s.untilParked(id, 1);
  return id;
}

/** A report at the grid with the housing department (dept4's) summoned and texted. */
async function summoned(): Promise<string> {
  const id = await atGrid();
  const res = await s.act(id, 'township1', { action: 'whistle', departments: ['housing'] });
  if (res.status !== 200) throw new Error(`whistle: ${res.status}`);
  await s.until(id, (h) => h.report.assignments.every((l: { notified: boolean }) => l.notified));
  return id;
}

const whistleOf = async (role: MatrixRole, which: 'in' | 'out') =>
  rt.http('POST', `/api/v1/reports/${await atGrid()}/actions`, {
    ...(await as(role, which)),
    body: { action: 'whistle', departments: ['housing'], note: '请住建到场' },
  });

const laneAction = (body: Record<string, unknown>) => async (role: MatrixRole, which: 'in' | 'out') =>
  rt.http('POST', `/api/v1/reports/${await summoned()}/actions`, { ...(await as(role, which)), body: { department: 'housing', ...body } });

const onlyHousing = { ...everyone(403, 403), department_officer: { in: 200, out: 403 } };

const CASES: MatrixCase[] = [
  {
    name: 'POST /api/v1/reports/{id}/actions whistle (at the grid)',
    expect: { ...everyone(200, 403), department_officer: { in: 403, out: 403 } },
    request: whistleOf,
  },
  { name: 'POST /api/v1/reports/{id}/actions check_in (housing’s lane)', expect: onlyHousing, request: laneAction({ action: 'check_in' }) },
  {
    name: 'POST /api/v1/reports/{id}/actions return (housing’s lane, with a reason)',
    expect: onlyHousing,
    request: laneAction({ action: 'return', note: '不属本局职责' }),
  },
  {
    name: 'GET /api/v1/reports/{id} (whistled to housing)',
    expect: everyone(200, 403),
    request: async (role, which) => rt.http('GET', `/api/v1/reports/${await summoned()}`, await as(role, which)),
  },
];

describeMatrix(CASES, () => rt);
