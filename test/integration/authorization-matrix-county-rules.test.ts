/**
 * The county's working calendar and policies × every role × in and out of the county. Everyone who
 * works in the county reads them (a township admin of another township still works in the county:
 * the calendar is county-wide; department officers serve the county too); only its county admin
 * changes them or runs a dry run. The other county's admin is out of scope for all of it. No answer
 * carries a phone number or an SMS link.
 */
import { afterAll, beforeAll } from 'vitest';
import { defaultPolicy } from '#core/policy.ts';
import { startTestRuntime, type TestRuntime } from '../support/local-runtime.ts';
import { addSecondCounty, describeMatrix, type Expect, everyone, type MatrixCase, type MatrixRole, USERS } from '../support/matrix.ts';

let rt: TestRuntime;
const COUNTY = '451322';

beforeAll(async () => {
  rt = await startTestRuntime();
  await addSecondCounty(rt);
}, 60_000);
afterAll(async () => rt?.stop());

const as = async (role: MatrixRole, which: 'in' | 'out') => ({ token: await rt.login(USERS[role][which]) });

/** Every role in and out reads; only the other county's admin is outside the county. */
const worksInCounty: Expect = { ...everyone(200, 200), county_admin: { in: 200, out: 403 } };
const countyAdminOnly = (status: number): Expect => ({ ...everyone(403, 403), county_admin: { in: status, out: 403 } });

const calendar = {
  workingWeekdays: [1, 2, 3, 4, 5],
  workingHours: [
    { start: '08:30', end: '12:00' },
    { start: '14:00', end: '17:30' },
  ],
  overrides: [{ date: '2027-01-01', kind: 'holiday', name: '元旦', notice: '国办发明电〔2026〕8号' }],
};
const { tiers } = defaultPolicy('infrastructure', 'normal');

const CASES: MatrixCase[] = [
  {
    name: 'GET /api/v1/counties/451322/calendar',
    expect: worksInCounty,
    request: async (role, which) => rt.http('GET', `/api/v1/counties/${COUNTY}/calendar`, await as(role, which)),
  },
  {
    name: 'PUT /api/v1/counties/451322/calendar (the same calendar every time: a resend changes nothing)',
    expect: countyAdminOnly(200),
    request: async (role, which) => rt.http('PUT', `/api/v1/counties/${COUNTY}/calendar`, { ...(await as(role, which)), body: calendar }),
  },
  {
    name: 'GET /api/v1/counties/451322/policies',
    expect: worksInCounty,
    request: async (role, which) => rt.http('GET', `/api/v1/counties/${COUNTY}/policies`, await as(role, which)),
  },
  {
    name: 'GET /api/v1/counties/451322/policies/infrastructure/normal',
    expect: worksInCounty,
    request: async (role, which) => rt.http('GET', `/api/v1/counties/${COUNTY}/policies/infrastructure/normal`, await as(role, which)),
  },
  {
    name: 'PUT /api/v1/counties/451322/policies/infrastructure/urgent (expectedVersion 1: the one allowed save makes version 2)',
    expect: countyAdminOnly(201),
    request: async (role, which) =>
      rt.http('PUT', `/api/v1/counties/${COUNTY}/policies/infrastructure/urgent`, {
        ...(await as(role, which)),
        body: { expectedVersion: 1, tiers, basis: 'working' },
      }),
  },
  {
    name: 'POST /api/v1/policies/dry-run (county 451322)',
    expect: countyAdminOnly(200),
    request: async (role, which) =>
      rt.http('POST', '/api/v1/policies/dry-run', { ...(await as(role, which)), body: { countyCode: COUNTY, policy: { tiers } } }),
  },
];

describeMatrix(CASES, () => rt);
