/**
 * The SMS log × every role × a subtree in and out of the caller's scope. It is the admins' (of the
 * subtree); grid workers and department officers are refused (they read a report's SMS on the
 * report). No answer shows a link token, nor anyone's full number but the reader's own: the log
 * holds SMS to a grid worker, a village secretary and a township officer, so every admin in scope
 * reads at least one number that is not theirs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scenario, startTestRuntime, type TestRuntime } from '../support/local-runtime.ts';
import { addSecondCounty, describeMatrix, type Expect, everyone, type MatrixCase, type MatrixRole, USERS } from '../support/matrix.ts';

let rt: TestRuntime;
let filed = '';
const VILLAGE1 = '451322201001';

beforeAll(async () => {
  rt = await startTestRuntime();
  const s = scenario(rt);
  const fast = { acceptSeconds: 100, completeSeconds: 200 };
  await s.usePolicy('infrastructure', 'normal', { grid: fast, village: fast });
  filed = await s.file({ title: '授权矩阵短信' });
  for (const tierSeq of [1, 2]) {
    await s.untilParked(filed, tierSeq);
    rt.clock.advance(100_000);
  }
  await s.untilParked(filed, 3);
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
    name: 'GET /api/v1/sms?node=<那沙村>',
    expect: adminsInScope(200),
    request: async (role, which) => rt.http('GET', `/api/v1/sms?node=${VILLAGE1}`, await as(role, which)),
  },
  {
    name: 'GET /api/v1/sms (the caller’s own scope)',
    expect: {
      ...everyone(403, 403),
      county_admin: { in: 200, out: 200 },
      township_admin: { in: 200, out: 200 },
      village_admin: { in: 200, out: 200 },
    },
    request: async (role, which) => rt.http('GET', '/api/v1/sms', await as(role, which)),
  },
  {
    name: 'GET /api/v1/sms?node=<那沙村>&status=sent&limit=1',
    expect: adminsInScope(200),
    request: async (role, which) => rt.http('GET', `/api/v1/sms?node=${VILLAGE1}&status=sent&limit=1`, await as(role, which)),
  },
];

describeMatrix(CASES, () => rt);

describe('what the matrix reads', () => {
  it('holds SMS to three people of 那沙村’s chain, each shown to an admin in scope', async () => {
    // Act
    const res = await rt.http('GET', `/api/v1/sms?node=${VILLAGE1}`, { token: await rt.login('village1') });

    // Assess
    expect(res.body.items.map((i: { toName: string; report: { id: string } }) => [i.report.id, i.toName])).toEqual([
      [filed, '廖振华'],
      [filed, '覃国庆'],
      [filed, '覃宏'],
    ]);
  });
});
