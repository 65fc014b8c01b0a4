/**
 * The demo policy in scaled time: with TIME_SCALE=3600 an hour of deadline passes in a second, so
 * an untouched urgent report (grid 1 h, village 2 h, township 4 h to accept) must reach the
 * department tier about 7 s after it was filed, each hop on its own deadline.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { defaultPolicy } from '#core/policy.ts';
import { eventually, newKey, reportBody, startTestRuntime, type TestRuntime } from '../support/local-runtime.ts';

const TIME_SCALE = 3600;
let rt: TestRuntime;

beforeAll(async () => {
  rt = await startTestRuntime({ TIME_SCALE: String(TIME_SCALE) });
});
afterAll(async () => rt?.stop());

it('escalates an untouched report to the department tier on the schedule the demo policy implies', async () => {
  const token = await rt.login('worker1');
  const created = await rt.http('POST', '/api/v1/reports', {
    token,
    body: reportBody({ urgency: 'urgent', category: 'environment', title: '养老院下水道堵塞' }),
    headers: { 'idempotency-key': newKey('scale') },
  });
  expect(created.status).toBe(201);
  const id = created.body.id as string;

  const atDepartment = await eventually(
    async () => {
      const res = await rt.http('GET', `/api/v1/reports/${id}`, { token });
      return res.body.report.tier === 'department' ? res.body : undefined;
    },
    20_000,
    100,
  );

  const policy = defaultPolicy('environment', 'urgent').tiers;
  const expectedOffsets = [policy.grid, policy.village, policy.township].reduce<number[]>((acc, tier) => {
    acc.push((acc.at(-1) ?? 0) + (tier.acceptSeconds * 1000) / TIME_SCALE);
    return acc;
  }, []);
  const assignedAt = Date.parse(atDepartment.timeline.find((e: { type: string }) => e.type === 'assigned').at);
  const escalations = atDepartment.timeline.filter((e: { type: string }) => e.type === 'escalated');
  expect(escalations.map((e: { data: { to: string } }) => e.data.to)).toEqual(['village', 'township', 'department']);
  escalations.forEach((e: { at: string }, i: number) => {
    const offset = Date.parse(e.at) - assignedAt;
    expect(offset).toBeGreaterThanOrEqual((expectedOffsets[i] ?? 0) - 50);
    expect(offset).toBeLessThan((expectedOffsets[i] ?? 0) + 1_000);
  });
  expect(atDepartment.report).toMatchObject({ status: 'assigned', ownerCode: 'environment', assignees: [{ name: '莫晓东' }] });
}, 30_000);
