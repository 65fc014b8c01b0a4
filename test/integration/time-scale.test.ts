/**
 * The demo policy in scaled time: with TIME_SCALE=3600 an hour of deadline passes in a second, so
 * an untouched urgent report (grid 1 h, village 2 h, township 4 h to accept) climbs to the
 * department tier after 1 + 2 + 4 = 7 s of the runtime's clock, each hop exactly on its own deadline.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { defaultPolicy } from '#core/policy.ts';
import { scenario, startTestRuntime, type TestRuntime } from '../support/local-runtime.ts';

const TIME_SCALE = 3600;
let rt: TestRuntime;
let s: ReturnType<typeof scenario>;

beforeAll(async () => {
  rt = await startTestRuntime({ TIME_SCALE: String(TIME_SCALE) });
  s = scenario(rt);
});
afterAll(async () => rt?.stop());

it('escalates an untouched report to the department tier on the schedule the demo policy implies', async () => {
  // Prepare
  const policy = defaultPolicy('environment', 'urgent').tiers;
  const hops = [policy.grid, policy.village, policy.township].map((tier) => (tier.acceptSeconds * 1000) / TIME_SCALE);
  const id = await s.file({ urgency: 'urgent', category: 'environment', title: '养老院下水道堵塞' });

  // Act: at each tier, stop 1 ms short of its scaled accept deadline, then reach it
  const early: string[] = [];
  for (const [i, hopMs] of hops.entries()) {
    await s.untilParked(id, i + 1);
    rt.clock.advance(hopMs - 1);
    early.push((await s.history(id)).report.tier);
    rt.clock.advance(1);
  }
  const atDepartment = await s.until(id, (h) => h.report.tier === 'department');

  // Assess
  expect(early).toEqual(['grid', 'village', 'township']);
  const assignedAt = Date.parse(atDepartment.timeline.find((e: { type: string }) => e.type === 'assigned').at);
  const escalations = atDepartment.timeline.filter((e: { type: string }) => e.type === 'escalated');
  expect(escalations.map((e: { data: { to: string } }) => e.data.to)).toEqual(['village', 'township', 'department']);
  expect(escalations.map((e: { at: string }) => Date.parse(e.at) - assignedAt)).toEqual([
    hops[0],
    hops[0]! + hops[1]!,
    hops[0]! + hops[1]! + hops[2]!,
  ]);
  expect(atDepartment.report).toMatchObject({ status: 'assigned', ownerCode: 'environment', assignees: [{ name: '莫晓东' }] });
});
