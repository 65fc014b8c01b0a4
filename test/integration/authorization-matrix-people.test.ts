/**
 * The people, accounts and catalog routes × every role × an object in and out of the caller's
 * scope. The people directory may show full phone numbers, and only to the admins who manage
 * those people; every other answer shows none but the reader's own. Departments and categories
 * belong to the county: every signed-in user reads them, county admins (of any county: departments
 * are not per county) change them.
 */
import { afterAll, beforeAll } from 'vitest';
import type { StoredPerson } from '#ports/directory.ts';
import { startTestRuntime, type TestRuntime } from '../support/local-runtime.ts';
import { addSecondCounty, describeMatrix, type Expect, everyone, type MatrixCase, type MatrixRole, USERS } from '../support/matrix.ts';

let rt: TestRuntime;

/** 那沙村第三网格 and its worker: inside admin, township1 and village1's scope, outside admin2, township2 and village3's. */
const THIRD_GRID = ['451322', '451322201', '451322201001', '451322201001003'];
const TARGET = 'p-worker-3';
const VILLAGE1 = '451322201001';

beforeAll(async () => {
  rt = await startTestRuntime();
  await addSecondCounty(rt);
  const res = await rt.http('POST', '/api/v1/categories', {
    token: await rt.login('admin'),
    body: { code: 'matrix_cat', name: '矩阵测试', description: '授权矩阵用', departmentCode: 'housing' },
  });
  if (res.status !== 201) throw new Error(`category: ${res.status} ${JSON.stringify(res.body)}`);
}, 60_000);
afterAll(async () => rt?.stop());

const ADMINS: MatrixRole[] = ['county_admin', 'township_admin', 'village_admin'];
/** Admins in scope may; everyone else is refused (403). */
const adminsInScope = (status: number): Expect => ({
  ...everyone(403, 403),
  county_admin: { in: status, out: 403 },
  township_admin: { in: status, out: 403 },
  village_admin: { in: status, out: 403 },
});
const countyAdmins = (status: number): Expect => ({ ...everyone(403, 403), county_admin: { in: status, out: status } });
const adminsInScopeSeePhones = (role: MatrixRole, which: 'in' | 'out') => ADMINS.includes(role) && which === 'in';

let counter = 0;
const unique = (prefix: string) => `${prefix}${++counter}`;

/** A fresh grid worker in the third grid, straight into the store (no reports, no account). */
async function freshWorker(): Promise<string> {
  const id = unique('p-matrix-');
  const person: StoredPerson = {
    id,
    name: `矩阵${counter}`,
    phone: `+86139772${String(10000 + counter)}`,
    role: 'grid_worker',
    scope: THIRD_GRID.at(-1) ?? '',
    scopePath: THIRD_GRID,
  };
  await rt.runtime.container.directory.putPerson(person);
  return id;
}

const as = async (role: MatrixRole, which: 'in' | 'out') => ({ token: await rt.login(USERS[role][which]) });

const CASES: MatrixCase[] = [
  {
    name: 'GET /api/v1/people?node=<那沙村>',
    expect: adminsInScope(200),
    request: async (role, which) => rt.http('GET', `/api/v1/people?node=${VILLAGE1}`, await as(role, which)),
    mayShowPhones: adminsInScopeSeePhones,
  },
  {
    name: 'GET /api/v1/people (the caller’s own scope)',
    expect: {
      ...everyone(403, 403),
      county_admin: { in: 200, out: 200 },
      township_admin: { in: 200, out: 200 },
      village_admin: { in: 200, out: 200 },
    },
    request: async (role, which) => rt.http('GET', '/api/v1/people', await as(role, which)),
    mayShowPhones: (role) => ADMINS.includes(role),
  },
  {
    name: 'GET /api/v1/people?department=housing',
    expect: countyAdmins(200),
    request: async (role, which) => rt.http('GET', '/api/v1/people?department=housing', await as(role, which)),
    mayShowPhones: (role) => role === 'county_admin',
  },
  {
    name: 'GET /api/v1/people/{id} (worker1: the grid worker in scope reads themselves)',
    expect: { ...adminsInScope(200), grid_worker: { in: 200, out: 403 } },
    request: async (role, which) => rt.http('GET', '/api/v1/people/p-worker-1', await as(role, which)),
    mayShowPhones: adminsInScopeSeePhones,
  },
  {
    name: 'POST /api/v1/people (a grid worker for the third grid)',
    expect: adminsInScope(201),
    request: async (role, which) =>
      rt.http('POST', '/api/v1/people', {
        ...(await as(role, which)),
        body: { name: unique('新网格员'), phone: `139772${String(20000 + counter)}`, role: 'grid_worker', scope: THIRD_GRID.at(-1) },
      }),
    mayShowPhones: adminsInScopeSeePhones,
  },
  {
    name: 'PATCH /api/v1/people/{id}',
    expect: adminsInScope(200),
    request: async (role, which) =>
      rt.http('PATCH', `/api/v1/people/${TARGET}`, { ...(await as(role, which)), body: { title: unique('那沙村第三网格网格员') } }),
    mayShowPhones: adminsInScopeSeePhones,
  },
  {
    name: 'POST /api/v1/people/{id}/deactivate (dry run)',
    expect: adminsInScope(200),
    request: async (role, which) =>
      rt.http('POST', `/api/v1/people/${TARGET}/deactivate`, { ...(await as(role, which)), body: { dryRun: true } }),
    mayShowPhones: adminsInScopeSeePhones,
  },
  {
    name: 'POST /api/v1/people/{id}/deactivate',
    expect: adminsInScope(200),
    request: async (role, which) => {
      const id = await freshWorker();
      return rt.http('POST', `/api/v1/people/${id}/deactivate`, { ...(await as(role, which)), body: {} });
    },
    mayShowPhones: adminsInScopeSeePhones,
  },
  {
    name: 'POST /api/v1/people/{id}/account',
    expect: adminsInScope(201),
    request: async (role, which) => {
      const id = await freshWorker();
      return rt.http('POST', `/api/v1/people/${id}/account`, { ...(await as(role, which)), body: { username: unique('matrix.') } });
    },
  },
  {
    name: 'POST /api/auth/password (a wrong current password: refused for everyone, nothing changes)',
    expect: everyone(403, 403),
    request: async (role, which) =>
      rt.http('POST', '/api/auth/password', {
        ...(await as(role, which)),
        body: { currentPassword: 'not-the-password', newPassword: 'a-new-password-1' },
      }),
  },
  {
    name: 'GET /api/v1/departments',
    expect: everyone(200, 200),
    request: async (role, which) => rt.http('GET', '/api/v1/departments', await as(role, which)),
  },
  {
    name: 'POST /api/v1/departments',
    expect: countyAdmins(201),
    request: async (role, which) =>
      rt.http('POST', '/api/v1/departments', { ...(await as(role, which)), body: { code: unique('dept_'), name: '矩阵测试局' } }),
  },
  {
    name: 'PATCH /api/v1/departments/{code}',
    expect: countyAdmins(200),
    request: async (role, which) =>
      rt.http('PATCH', '/api/v1/departments/housing', { ...(await as(role, which)), body: { name: '象州县住房和城乡建设局' } }),
  },
  {
    name: 'GET /api/v1/categories',
    expect: everyone(200, 200),
    request: async (role, which) => rt.http('GET', '/api/v1/categories', await as(role, which)),
  },
  {
    name: 'POST /api/v1/categories',
    expect: countyAdmins(201),
    request: async (role, which) =>
      rt.http('POST', '/api/v1/categories', {
        ...(await as(role, which)),
        body: { code: unique('cat_'), name: '矩阵类别', description: '授权矩阵用', departmentCode: 'housing' },
      }),
  },
  {
    name: 'PATCH /api/v1/categories/{code}',
    expect: countyAdmins(200),
    request: async (role, which) =>
      rt.http('PATCH', '/api/v1/categories/matrix_cat', { ...(await as(role, which)), body: { description: unique('授权矩阵用') } }),
  },
];

describeMatrix(CASES, () => rt);
