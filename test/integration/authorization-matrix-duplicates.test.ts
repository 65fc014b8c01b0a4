/**
 * Duplicates and merging × every role × in and out of scope: a report's possible duplicates are
 * read by whoever may read the report (and name only reports they may read, never a reporter's
 * number); a merge only by a village, township or county admin whose scope holds both reports.
 * The first admin in scope merges, the others in scope repeat it (200, nothing changes).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scenario, startTestRuntime, type TestRuntime } from '../support/local-runtime.ts';
import { addSecondCounty, describeMatrix, everyone, type MatrixCase, type MatrixRole, USERS } from '../support/matrix.ts';

let rt: TestRuntime;
let parentId = '';
let childId = '';

beforeAll(async () => {
  rt = await startTestRuntime();
  const s = scenario(rt);
  await s.usePolicy('dispute', 'normal', {});
  parentId = await s.file({ category: 'dispute', title: '宅基地纠纷' });
  childId = await s.file({ category: 'dispute', title: '宅基地纠纷（重复）', location: { lat: 23.9602, lng: 109.69 } });
  await s.untilParked(childId, 1);
  await addSecondCounty(rt);
}, 60_000);
afterAll(async () => rt?.stop());

const as = async (role: MatrixRole, which: 'in' | 'out') => ({ token: await rt.login(USERS[role][which]) });
const admins = { county_admin: { in: 200, out: 403 }, township_admin: { in: 200, out: 403 }, village_admin: { in: 200, out: 403 } };

const CASES: MatrixCase[] = [
  {
    name: 'GET /api/v1/reports/{id}/duplicates',
    // The department officer in scope is the one the report would reach at the department tier: not yet.
    expect: { ...everyone(200, 403), department_officer: { in: 403, out: 403 } },
    request: async (role, which) => rt.http('GET', `/api/v1/reports/${childId}/duplicates`, await as(role, which)),
  },
  {
    name: 'POST /api/v1/reports/{id}/merge',
    expect: { ...everyone(403, 403), ...admins },
    request: async (role, which) => rt.http('POST', `/api/v1/reports/${childId}/merge`, { ...(await as(role, which)), body: { parentId } }),
  },
];

describeMatrix(CASES, () => rt);

describe('what the duplicates read and the merge reveal', () => {
  it('names the merged report to a reader in scope by id, title, status and time only', async () => {
    // Act
    const res = await rt.http('GET', `/api/v1/reports/${parentId}/duplicates`, await as('township_admin', 'in'));

    // Assess
    expect(res.status).toBe(200);
    expect(res.body.children.map((c: { id: string }) => c.id)).toEqual([childId]);
    expect(Object.keys(res.body.children[0]).sort()).toEqual(['createdAt', 'id', 'status', 'title']);
    expect(JSON.stringify(res.body)).not.toContain('reporter');
  });

  it('leaves exactly one merged event on each report after every role tried', async () => {
    // Act
    const child = await rt.http('GET', `/api/v1/reports/${childId}`, await as('county_admin', 'in'));
    const parent = await rt.http('GET', `/api/v1/reports/${parentId}`, await as('county_admin', 'in'));

    // Assess
    expect(child.body.timeline.filter((e: { type: string }) => e.type === 'merged')).toHaveLength(1);
    expect(parent.body.timeline.filter((e: { type: string }) => e.type === 'merged')).toHaveLength(1);
    expect(parent.body.report.mergedChildren).toEqual([childId]);
  });
});
