/**
 * The route × role × scope matrix of CSV import and export. Uploading is for admins; the rows of a
 * file are held to the importer's scope when the job runs, so the upload itself is answered 202 to
 * every admin and the job's verdict on the rows is a case of its own. A job is read by its importer
 * and the admins above them; a subtree is exported (with full phone numbers: it is the people
 * directory in another shape) only to an admin who holds it.
 */
import { afterAll, beforeAll, expect } from 'vitest';
import { eventually, startTestRuntime, type TestRuntime } from '../support/local-runtime.ts';
import { addSecondCounty, describeMatrix, type Expect, everyone, type MatrixCase, type MatrixRole, USERS } from '../support/matrix.ts';

let rt: TestRuntime;
/** A dry run village1 (那沙村's secretary) started. */
let villageJob = '';

const VILLAGE = '451322201001';
/** A new grid of 那沙村 with its worker: in scope for admin, township1 and village1. */
const FILE = [
  'code,name,level,parent_code,officer_name,officer_phone,officer_title',
  `${VILLAGE}009,那沙村第九网格,网格,${VILLAGE},韦小兰,13977209009,网格员`,
].join('\r\n');

const admins = (inStatus: number, outStatus: number, others: number): Expect => ({
  ...everyone(inStatus, outStatus),
  department_officer: { in: others, out: others },
  grid_worker: { in: others, out: others },
});

const isAdmin = (role: MatrixRole) => role === 'county_admin' || role === 'township_admin' || role === 'village_admin';

async function upload(username: string) {
  return rt.http('POST', '/api/v1/imports?dryRun=true', {
    token: await rt.login(username),
    rawBody: FILE,
    headers: { 'content-type': 'text/csv' },
  });
}

async function finished(id: string, username: string) {
  return eventually(async () => {
    const res = await rt.http('GET', `/api/v1/imports/${id}`, { token: await rt.login(username) });
    return res.body.status === 'done' || res.body.status === 'failed' ? res : undefined;
  });
}

beforeAll(async () => {
  rt = await startTestRuntime();
  await addSecondCounty(rt);
  const res = await upload('village1');
  expect(res.status).toBe(202);
  villageJob = res.body.id;
  expect((await finished(villageJob, 'village1')).body).toMatchObject({ status: 'done', errors: [] });
}, 60_000);
afterAll(async () => rt?.stop());

const CASES: MatrixCase[] = [
  {
    name: 'POST /api/v1/imports (admins only; the rows are judged by the job)',
    expect: admins(202, 202, 403),
    request: async (role, which) => upload(USERS[role][which]),
  },
  {
    name: 'POST /api/v1/imports → the job’s verdict on a row under 那沙村 (200: accepted, 403: IMPORT.OUT_OF_SCOPE)',
    expect: admins(200, 403, 403),
    request: async (role, which) => {
      const username = USERS[role][which];
      const res = await upload(username);
      if (res.status !== 202) return res;
      const job = await finished(res.body.id, username);
      const codes: string[] = job.body.errors.map((e: { code: string }) => e.code);
      if (codes.length === 0) return { status: 200, body: job.body };
      return { status: codes.every((c) => c === 'IMPORT.OUT_OF_SCOPE') ? 403 : 500, body: job.body };
    },
  },
  {
    name: 'GET /api/v1/imports/{id} (a job village1 started)',
    expect: admins(200, 403, 403),
    request: async (role, which) => rt.http('GET', `/api/v1/imports/${villageJob}`, { token: await rt.login(USERS[role][which]) }),
  },
  {
    name: 'GET /api/v1/tree/{code}/export.csv (那沙村)',
    expect: admins(200, 403, 403),
    request: async (role, which) => rt.http('GET', `/api/v1/tree/${VILLAGE}/export.csv`, { token: await rt.login(USERS[role][which]) }),
    mayShowPhones: (role, which) => isAdmin(role) && which === 'in',
  },
];

describeMatrix(CASES, () => rt);
