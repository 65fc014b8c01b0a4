import { describe, expect, it } from 'vitest';
import { defaultPolicy } from '#core/policy.ts';
import { saveCalendar } from '#core/use-cases/calendar.ts';
import type { Deps } from '#core/use-cases/deps.ts';
import { DEFAULT_CALENDAR_SETTINGS } from '#core/working-calendar.ts';
import { inMemoryDirectory } from '../support/fakes/in-memory-directory.ts';
import { InMemoryReportStore, RecordingWorkflow } from '../support/fakes/in-memory-reports.ts';
import { assignedReport, CATEGORY, COUNTY, countyAdmin, GRID, HOUR, NOW, TOWNSHIP, VILLAGE } from './fixtures.ts';

/** Monday 23 March 2026, 09:00 in Beijing (NOW), and a working-time policy of 14 working hours to accept. */
async function setup() {
  const directory = inMemoryDirectory();
  for (const node of [COUNTY, TOWNSHIP, VILLAGE, GRID]) await directory.putNode(node);
  const tiers = { ...defaultPolicy(CATEGORY, 'normal').tiers, grid: { acceptSeconds: 14 * HOUR, completeSeconds: 21 * HOUR } };
  await directory.addCountyPolicyVersion({
    category: CATEGORY,
    urgency: 'normal',
    tiers,
    basis: 'working',
    version: 2,
    countyCode: COUNTY.code,
    savedAt: NOW.toISOString(),
    savedBy: { id: countyAdmin.id, name: countyAdmin.name },
  });
  const reports = new InMemoryReportStore();
  const workflow = new RecordingWorkflow();
  let now = NOW;
  const deps = {
    directory,
    reports: reports as unknown as Deps['reports'],
    workflow,
    clock: { now: () => now },
    timeScale: 1,
  } as unknown as Deps;
  // Its deadlines on the default calendar: Wednesday 09:00 and Thursday 09:00.
  const report = {
    ...assignedReport({ deadlines: { acceptBy: '2026-03-25T01:00:00.000Z', completeBy: '2026-03-26T01:00:00.000Z' } }),
    policyVersion: 2,
    waiting: { token: 'token-1', tierSeq: 1, phase: 'accept' as const },
  };
  await reports.create({ report, event: report.lastEvent });
  return { deps, directory, reports, workflow, report, later: (ms: number) => (now = new Date(NOW.getTime() + ms)) };
}

describe('saveCalendar', () => {
  it('finishes moving the reports a save was cut short before, when the same calendar is sent again', async () => {
    // Prepare: version 1 (Tuesday off) was stored an hour in, and the process died before moving anything
    const { deps, directory, reports, workflow, report, later } = await setup();
    later(HOUR * 1000);
    const settings = {
      ...DEFAULT_CALENDAR_SETTINGS,
      overrides: [{ date: '2026-03-24', kind: 'holiday' as const, notice: '象政发〔2026〕3号' }],
    };
    await directory.addCalendarVersion({
      countyCode: COUNTY.code,
      version: 1,
      ...settings,
      savedAt: new Date(NOW.getTime() + HOUR * 1000).toISOString(),
    });

    // Act
    const outcome = await saveCalendar(deps, countyAdmin, COUNTY.code, settings);
    const again = await saveCalendar(deps, countyAdmin, COUNTY.code, settings);

    // Assess: 13 working hours left from Monday 10:00 on the new calendar: Thursday 09:00; 20 left: Friday 09:00
    const moved = await reports.get(report.id);
    expect(outcome).toMatchObject({ rescheduled: 1, more: false, calendar: { version: 1 } });
    expect(again.rescheduled).toBe(0);
    expect(moved).toMatchObject({ acceptBy: '2026-03-26T01:00:00.000Z', completeBy: '2026-03-27T01:00:00.000Z', calendarVersion: 1 });
    expect(workflow.woken).toEqual(['token-1']);
  });

  it('refuses anyone but the county’s own admin, and a calendar with problems, storing nothing', async () => {
    // Prepare
    const { deps, directory } = await setup();
    const otherCountyAdmin = { ...countyAdmin, id: 'p-other', scope: '451321' };

    // Act
    const foreign = await saveCalendar(deps, otherCountyAdmin, COUNTY.code, DEFAULT_CALENDAR_SETTINGS).catch((e: unknown) => e);
    const bad = await saveCalendar(deps, countyAdmin, COUNTY.code, { ...DEFAULT_CALENDAR_SETTINGS, workingHours: [] }).catch(
      (e: unknown) => e,
    );

    // Assess
    expect(foreign).toMatchObject({ code: 'ADMIN.COUNTY_ONLY' });
    expect(bad).toMatchObject({ code: 'CALENDAR.INVALID' });
    expect(await directory.getCalendar(COUNTY.code)).toBeNull();
  });
});
