/**
 * The tree routes × role × in/out of scope. "In scope" is a node under 那沙村, which every in-scope
 * admin holds (the county, 百丈乡 and 那沙村's own secretary); the out-of-scope admins sit in
 * 忻城县, 石龙镇 and 石龙社区. Grid workers and department officers manage no node. Only a node's
 * own view shows full phone numbers (its officers', to the admins who manage it); listings,
 * searches and writes show none.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeNode } from '#core/tree.ts';
import { FIRST_GRID, startTestRuntime, type TestRuntime } from '../support/local-runtime.ts';
import { addSecondCounty, describeMatrix, type Expect, everyone, type MatrixCase, type MatrixRole, USERS } from '../support/matrix.ts';

let rt: TestRuntime;
const VILLAGE = '451322201001';
const SIBLING_VILLAGE = '451322201002';

beforeAll(async () => {
  rt = await startTestRuntime();
  await addSecondCounty(rt);
}, 60_000);
afterAll(async () => rt?.stop());

/** The admins whose scope holds 那沙村 may; nobody else. */
const adminsInScope = (status: number): Expect => ({
  ...everyone(403, 403),
  county_admin: { in: status, out: 403 },
  township_admin: { in: status, out: 403 },
  village_admin: { in: status, out: 403 },
});

const ADMIN_ROLES: MatrixRole[] = ['county_admin', 'township_admin', 'village_admin'];
const ownNodeView = (role: MatrixRole, which: 'in' | 'out') => which === 'in' && ADMIN_ROLES.includes(role);

let serial = 100;
/** A fresh grid under 那沙村 for a request that moves or retires one (each request its own). */
async function freshGrid(): Promise<string> {
  const directory = rt.runtime.container.directory;
  const village = await directory.getNode(VILLAGE);
  if (!village) throw new Error('the demo county has no 那沙村');
  const grid = makeNode({ code: `${VILLAGE}${serial++}`, name: `测试网格${serial}`, level: 'grid', parent: village });
  await directory.putNode(grid);
  return grid.code;
}

const request = async (role: MatrixRole, which: 'in' | 'out', method: string, path: string, body?: unknown) =>
  rt.http(method, path, { token: await rt.login(USERS[role][which]), ...(body === undefined ? {} : { body }) });

const CASES: MatrixCase[] = [
  {
    name: 'GET /api/v1/tree/{code}',
    expect: adminsInScope(200),
    request: (role, which) => request(role, which, 'GET', `/api/v1/tree/${FIRST_GRID}`),
    // Its officer's (the grid worker's) full number, for the admins who manage the grid.
    mayShowPhones: ownNodeView,
  },
  {
    name: 'GET /api/v1/tree/{code}/children',
    expect: adminsInScope(200),
    request: (role, which) => request(role, which, 'GET', `/api/v1/tree/${VILLAGE}/children`),
  },
  {
    name: 'GET /api/v1/tree?q= (every admin searches their own subtree)',
    expect: {
      ...everyone(403, 403),
      county_admin: { in: 200, out: 200 },
      township_admin: { in: 200, out: 200 },
      village_admin: { in: 200, out: 200 },
    },
    request: (role, which) => request(role, which, 'GET', `/api/v1/tree?q=${encodeURIComponent('网格')}`),
  },
  {
    name: 'POST /api/v1/tree (a grid under 那沙村)',
    expect: adminsInScope(201),
    request: (role, which) =>
      request(role, which, 'POST', '/api/v1/tree', { code: `${VILLAGE}${serial++}`, name: '新网格', level: 'grid', parentCode: VILLAGE }),
  },
  {
    name: 'PATCH /api/v1/tree/{code} (name and contacts)',
    expect: adminsInScope(200),
    request: (role, which) =>
      request(role, which, 'PATCH', `/api/v1/tree/${FIRST_GRID}`, {
        name: `那沙村第一网格（${role}）`,
        contacts: [{ label: '村委会', phone: '0772-4361234' }],
      }),
  },
  {
    name: 'PATCH /api/v1/tree/{code} (a move to 百丈村: the village’s own secretary holds only one of the two)',
    expect: { ...adminsInScope(200), village_admin: { in: 403, out: 403 } },
    request: async (role, which) => request(role, which, 'PATCH', `/api/v1/tree/${await freshGrid()}`, { parentCode: SIBLING_VILLAGE }),
  },
  {
    name: 'POST /api/v1/tree/{code}/retire',
    expect: adminsInScope(200),
    request: async (role, which) => request(role, which, 'POST', `/api/v1/tree/${await freshGrid()}/retire`, {}),
  },
  {
    name: 'POST /api/v1/tree/{code}/retire (merged into the first grid)',
    expect: adminsInScope(200),
    request: async (role, which) => request(role, which, 'POST', `/api/v1/tree/${await freshGrid()}/retire`, { mergeInto: FIRST_GRID }),
  },
  {
    name: 'GET /api/v1/history?subject=node:{code}',
    expect: adminsInScope(200),
    request: (role, which) => request(role, which, 'GET', `/api/v1/history?subject=node:${FIRST_GRID}`),
  },
];

describeMatrix(CASES, () => rt);

describe('searching', () => {
  it.each(['county_admin', 'township_admin', 'village_admin'] as const)('finds nothing of 那沙村 for a %s out of scope', async (role) => {
    // Act
    const res = await request(role, 'out', 'GET', `/api/v1/tree?q=${VILLAGE}`);

    // Assess
    expect(res.status).toBe(200);
    expect(res.body.items).toEqual([]);
  });

  it('finds 那沙村 and its grids for its secretary', async () => {
    // Act
    const res = await request('village_admin', 'in', 'GET', `/api/v1/tree?q=${VILLAGE}`);

    // Assess
    expect(res.body.items.map((n: { code: string }) => n.code)).toContain(FIRST_GRID);
    expect(res.body.items.every((n: { path: string[] }) => n.path.includes(VILLAGE))).toBe(true);
  });
});

describe('restructuring one’s own scope', () => {
  it.each([
    ['the village secretary retiring 那沙村', 'village1', `/api/v1/tree/${VILLAGE}/retire`, 'POST', {}],
    ['the township officer merging 百丈乡', 'township1', '/api/v1/tree/451322201/retire', 'POST', { mergeInto: '451322101' }],
    ['the county admin retiring the county', 'admin', '/api/v1/tree/451322/retire', 'POST', {}],
  ])('is refused: %s', async (_case, username, path, method, body) => {
    // Act
    const res = await rt.http(method, path, { token: await rt.login(username), body });

    // Assess
    expect([res.status, res.body.error.code]).toEqual([403, 'NODE.OWN_SCOPE']);
  });

  it('refuses a village secretary moving a grid into a village they do not hold', async () => {
    // Act
    const res = await rt.http('PATCH', `/api/v1/tree/${FIRST_GRID}`, {
      token: await rt.login('village1'),
      body: { parentCode: '451322101001' },
    });

    // Assess
    expect([res.status, res.body.error.code]).toEqual([403, 'NODE.OUT_OF_SCOPE']);
  });
});

describe('without a token', () => {
  it.each([
    ['GET', '/api/v1/tree?q=x'],
    ['GET', `/api/v1/tree/${FIRST_GRID}`],
    ['GET', `/api/v1/tree/${VILLAGE}/children`],
    ['POST', '/api/v1/tree'],
    ['PATCH', `/api/v1/tree/${FIRST_GRID}`],
    ['POST', `/api/v1/tree/${FIRST_GRID}/retire`],
  ])('%s %s answers 401', async (method, path) => {
    // Act
    const res = await rt.http(method, path, method === 'GET' ? {} : { body: {} });

    // Assess
    expect(res.status).toBe(401);
  });
});
