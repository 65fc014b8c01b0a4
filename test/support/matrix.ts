/**
 * The route × role × scope matrix: for every role one user whose scope holds the object and one
 * whose scope does not, and for every answer a check of what its body reveals. Each area of the
 * API has its own matrix file (test/integration/authorization-matrix*.test.ts) built from this.
 */
import { describe, expect, it } from 'vitest';
import { makeNode } from '#core/tree.ts';
import { demoCounty } from '#local/demo-county.ts';
import { linkTokenIn, type TestRuntime } from './local-runtime.ts';

/** In scope vs out of scope, per role: the out-of-scope user sits in a sibling branch (admin2: another county). */
export const USERS = {
  county_admin: { in: 'admin', out: 'admin2' },
  township_admin: { in: 'township1', out: 'township2' },
  village_admin: { in: 'village1', out: 'village3' },
  department_officer: { in: 'dept4', out: 'dept2' },
  grid_worker: { in: 'worker1', out: 'worker2' },
} as const;
export type MatrixRole = keyof typeof USERS;
export const ROLES = Object.keys(USERS) as MatrixRole[];

export type Expect = Record<MatrixRole, { in: number; out: number }>;
export const everyone = (inStatus: number, outStatus: number): Expect =>
  Object.fromEntries(ROLES.map((r) => [r, { in: inStatus, out: outStatus }])) as Expect;

export interface MatrixCase {
  name: string;
  expect: Expect;
  request: (role: MatrixRole, which: 'in' | 'out') => Promise<{ status: number; body?: unknown }>;
  /**
   * Whose full phone numbers the answer may show: none by default (readers of reports see numbers
   * masked); the people directory shows them to admins managing people in their own scope.
   */
  mayShowPhones?: (role: MatrixRole, which: 'in' | 'out') => boolean;
}

/** A second county (忻城县) with a county admin and a grid worker, so even the county admin has something out of scope. */
export async function addSecondCounty(rt: TestRuntime): Promise<string> {
  const { directory, deps } = rt.runtime.container;
  const county = makeNode({ code: '451321', name: '忻城县', level: 'county', parent: null });
  const township = makeNode({ code: '451321101', name: '城关镇', level: 'township', parent: county });
  const village = makeNode({ code: '451321101001', name: '城东社区', level: 'village', parent: township });
  const grid = makeNode({ code: '451321101001001', name: '城东社区第一网格', level: 'grid', parent: village });
  for (const node of [county, township, village, grid]) await directory.putNode(node);
  const passwordHash = await deps.passwords.hash('demo');
  const people = [
    { username: 'admin2', id: 'p-c2-admin', name: '蓝海鹰', role: 'county_admin' as const, scope: county.code },
    { username: 'c2worker', id: 'p-c2-worker', name: '韦春兰', role: 'grid_worker' as const, scope: grid.code },
  ];
  for (const p of people) {
    await directory.putPerson({ id: p.id, name: p.name, phone: '+8613900000001', role: p.role, scope: p.scope });
    await directory.putCredential({ username: p.username, personId: p.id, passwordHash });
  }
  return grid.code;
}

/** Every demo person's number, in the forms a body could carry it: E.164 and the bare 11 digits. */
const PHONES = demoCounty().accounts.map(({ username, person }) => ({ username, e164: person.phone, digits: person.phone.slice(3) }));

/**
 * What a response body must never reveal to its reader: an SMS link (the recipient's credential),
 * or (unless the route may) another person's full phone number; the reader's own may show.
 */
export async function revealed(rt: TestRuntime, reader: string, body: unknown, mayShowPhones = false): Promise<string[]> {
  const text = typeof body === 'string' ? body : JSON.stringify(body ?? '');
  const found: string[] = [];
  for (const sms of await rt.inbox()) {
    const token = linkTokenIn(sms.text);
    if (token && text.includes(token)) found.push(`the link token sent to ${sms.to}`);
  }
  if (/\/l[#/][A-Za-z0-9_-]{16}/.test(text)) found.push('an SMS link');
  if (!mayShowPhones) {
    for (const { username, e164, digits } of PHONES) {
      if (username !== reader && (text.includes(e164) || text.includes(digits))) found.push(`${username}'s phone number`);
    }
  }
  return found;
}

/** One test per case × role × in/out of scope: the status, and nothing revealed that should not be. */
export function describeMatrix(cases: MatrixCase[], runtime: () => TestRuntime): void {
  describe.each(cases)('$name', ({ expect: expected, request, mayShowPhones }) => {
    it.each(ROLES.flatMap((role) => (['in', 'out'] as const).map((which) => [role, which] as const)))(
      'as %s, %s of scope',
      async (role, which) => {
        // Act
        const res = await request(role, which);

        // Assess
        expect(res.status).toBe(expected[role][which]);
        expect(await revealed(runtime(), USERS[role][which], res.body, mayShowPhones?.(role, which) ?? false)).toEqual([]);
      },
    );
  });
}
