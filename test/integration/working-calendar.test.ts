/**
 * The working calendar and versioned policies on the real engines, on a manual clock: a deadline
 * across the National Day week lands on its make-up Saturday, a report filed on a holiday starts
 * counting on the next working morning, a calendar edit moves the deadlines of open reports (time
 * spent stays spent) and the workflow wakes at the new one, and a report keeps its policy version.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '#adapters/clock/clocks.ts';
import { defaultPolicy } from '#core/policy.ts';
import { eventually, linkTokenIn, scenario, startTestRuntime, type TestRuntime } from '../support/local-runtime.ts';

const HOUR = 3600;
const COUNTY = '451322';
/** Beijing wall time → ISO instant. */
const bj = (local: string) => new Date(`${local}+08:00`).toISOString();

let rt: TestRuntime | undefined;
afterEach(async () => {
  await rt?.stop();
  rt = undefined;
});

type Event = { type: string; data?: Record<string, unknown> };

/** The default normal policy with the grid's figures and a basis, as the county admin would send it. */
function workingPolicy(grid: { acceptSeconds: number; completeSeconds: number }, expectedVersion = 1) {
  return { expectedVersion, tiers: { ...defaultPolicy('infrastructure', 'normal').tiers, grid }, basis: 'working' };
}

async function savePolicy(t: TestRuntime, body: unknown, urgency = 'normal') {
  const res = await t.http('PUT', `/api/v1/counties/${COUNTY}/policies/infrastructure/${urgency}`, {
    token: await t.login('admin'),
    body,
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.policy;
}

describe('deadlines on the working calendar', () => {
  it('counts a deadline across the National Day week onto its make-up Saturday, as the dry run said', async () => {
    // Prepare: Wednesday 30 September 2026, 16:30 in Beijing; 10 working hours to accept, 17 to complete
    rt = await startTestRuntime({}, { clock: new ManualClock(bj('2026-09-30T16:30:00')) });
    const s = scenario(rt);
    const policy = workingPolicy({ acceptSeconds: 10 * HOUR, completeSeconds: 17 * HOUR });
    const dryRun = await rt.http('POST', '/api/v1/policies/dry-run', {
      token: await rt.login('admin'),
      body: { countyCode: COUNTY, policy: { tiers: policy.tiers, basis: 'working' } },
    });
    expect(dryRun.status).toBe(200);
    await savePolicy(rt, policy);

    // Act
    const id = await s.file();
    const parked = await s.untilParked(id, 1);
    rt.clock.advance(Date.parse(bj('2026-10-09T10:30:00')) - rt.clock.now().getTime());
    const escalated = await s.until(id, (h) => h.report.tier === 'village');

    // Assess: 1 h on 9/30, the holiday 10/1–10/7, 7 h on 10/8, 2 h on 10/9; 17 h reach Saturday 10/10 (调休上班)
    expect(parked.acceptBy).toBe(bj('2026-10-09T10:30:00'));
    expect(parked.completeBy).toBe(bj('2026-10-10T10:30:00'));
    expect(parked.policyVersion).toBe(2);
    expect(dryRun.body.tiers[0]).toMatchObject({ tier: 'grid', acceptBy: parked.acceptBy, completeBy: parked.completeBy });
    expect(dryRun.body.tiers[1]).toMatchObject({ tier: 'village', assignedAt: parked.acceptBy });
    expect(escalated.report.breaches).toEqual([expect.objectContaining({ tier: 'grid', phase: 'accept', deadline: parked.acceptBy })]);
    expect(escalated.report.acceptBy).toBe(dryRun.body.tiers[1].acceptBy);
  });

  it('starts the clock of a report filed on a holiday on the next working morning', async () => {
    // Prepare: Saturday 3 October 2026, 10:00, in the National Day holiday
    rt = await startTestRuntime({}, { clock: new ManualClock(bj('2026-10-03T10:00:00')) });
    const s = scenario(rt);
    await savePolicy(rt, workingPolicy({ acceptSeconds: HOUR, completeSeconds: 7 * HOUR }));

    // Act
    const id = await s.file();
    const parked = await s.untilParked(id, 1);

    // Assess
    expect(parked.acceptBy).toBe(bj('2026-10-08T09:30:00'));
    expect(parked.completeBy).toBe(bj('2026-10-08T17:30:00'));
  });

  it('moves the deadlines of open reports when the calendar changes: time spent stays spent, and the workflow wakes at the new one', async () => {
    // Prepare: Monday 2 November 09:00; 13.5 working hours to accept = Tuesday 17:30 … Wednesday 09:00
    rt = await startTestRuntime();
    const s = scenario(rt);
    await savePolicy(rt, workingPolicy({ acceptSeconds: 14 * HOUR, completeSeconds: 21 * HOUR }));
    const elapsed = await s.file({ urgency: 'urgent' }); // the default urgent policy: elapsed time, never moved
    const id = await s.file();
    const before = await s.untilParked(id, 1);
    await s.untilParked(elapsed, 1);
    expect(before.acceptBy).toBe(bj('2026-11-04T09:00:00'));
    rt.clock.advance(HOUR * 1000); // one working hour spent
    const admin = await rt.login('admin');
    const read = await rt.http('GET', `/api/v1/counties/${COUNTY}/calendar`, { token: admin });
    const edited = {
      expectedVersion: read.body.calendar.version,
      workingWeekdays: read.body.calendar.workingWeekdays,
      workingHours: read.body.calendar.workingHours,
      overrides: [{ date: '2026-11-03', kind: 'holiday', name: '县庆', notice: '象政发〔2026〕12号' }],
    };

    // Act
    const saved = await rt.http('PUT', `/api/v1/counties/${COUNTY}/calendar`, { token: admin, body: edited });
    const resent = await rt.http('PUT', `/api/v1/counties/${COUNTY}/calendar`, { token: admin, body: { ...edited, expectedVersion: 1 } });
    const rescheduled = await s.until(id, (h) => h.timeline.some((e: Event) => e.type === 'rescheduled'));
    // Woken, the workflow re-plans and parks again: wait for the new wait's token, not just any parked state.
    const reparked = await eventually(async () => {
      const parked = await s.untilParked(id, 1);
      return parked.waiting?.token !== before.waiting?.token ? parked : undefined;
    });

    // Assess: 13 h left from Monday 10:00 — 5.5 h Monday, Tuesday off, 7 h Wednesday, 0.5 h Thursday
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    expect(saved.body).toMatchObject({ rescheduled: 1, more: false, calendar: { version: 1 } });
    expect(resent.body).toMatchObject({ rescheduled: 0, calendar: { version: 1 } });
    expect(rescheduled.report.acceptBy).toBe(bj('2026-11-05T09:00:00'));
    expect(rescheduled.report.completeBy).toBe(bj('2026-11-06T09:00:00'));
    expect(rescheduled.timeline.filter((e: Event) => e.type === 'rescheduled')).toEqual([
      expect.objectContaining({ data: { acceptBy: bj('2026-11-05T09:00:00'), completeBy: bj('2026-11-06T09:00:00'), calendarVersion: 1 } }),
    ]);
    expect(reparked.waiting?.token).not.toBe(before.waiting?.token);
    expect((await s.history(elapsed)).report.acceptBy).toBe((await rt.runtime.container.deps.reports.get(elapsed))?.acceptBy);
    expect((await s.history(elapsed)).timeline.some((e: Event) => e.type === 'rescheduled')).toBe(false);

    // Act: the old deadline passes quietly; the new one escalates
    rt.clock.advance(Date.parse(bj('2026-11-04T09:00:00')) - rt.clock.now().getTime());
    const stillGrid = await s.history(id);
    rt.clock.advance(Date.parse(bj('2026-11-05T09:00:00')) - rt.clock.now().getTime());
    const escalated = await s.until(id, (h) => h.report.tier === 'village');

    // Assess
    expect(stillGrid.report.tier).toBe('grid');
    expect(escalated.report.breaches).toEqual([expect.objectContaining({ deadline: bj('2026-11-05T09:00:00') })]);
  });
});

describe('SMS links after a calendar change', () => {
  it('keep working until the tier’s new deadline, past the one they were sent with', async () => {
    // Prepare: accepted at the grid; 21 working hours to complete = Thursday 09:00
    rt = await startTestRuntime();
    const s = scenario(rt);
    await savePolicy(rt, workingPolicy({ acceptSeconds: 14 * HOUR, completeSeconds: 21 * HOUR }));
    const id = await s.file();
    await s.untilParked(id, 1);
    const token = linkTokenIn((await rt.inbox({ reportId: id }))[0]?.text ?? '') ?? '';
    expect((await s.act(id, 'worker1', { action: 'accept' })).status).toBe(200);
    await s.untilParked(id, 1, 'complete');
    const admin = await rt.login('admin');
    const read = await rt.http('GET', `/api/v1/counties/${COUNTY}/calendar`, { token: admin });
    const holiday = [{ date: '2026-11-03', kind: 'holiday', notice: '象政发〔2026〕12号' }];
    rt.clock.advance(HOUR * 1000);
    const { workingWeekdays, workingHours } = read.body.calendar;
    const saved = await rt.http('PUT', `/api/v1/counties/${COUNTY}/calendar`, {
      token: admin,
      body: { workingWeekdays, workingHours, overrides: holiday },
    });
    expect(saved.body.rescheduled).toBe(1);

    // Act: Thursday 10:00, past the old 办结 deadline, before the new one (Friday 09:00)
    rt.clock.advance(Date.parse(bj('2026-11-05T10:00:00')) - rt.clock.now().getTime());
    const opened = await rt.http('GET', '/api/v1/link', { headers: { 'link-token': token } });

    // Assess
    expect((await rt.runtime.container.deps.reports.get(id))?.completeBy).toBe(bj('2026-11-06T09:00:00'));
    expect(opened.status, JSON.stringify(opened.body)).toBe(200);
  });
});

describe('versioned county policies', () => {
  it('keeps the version a report started with, lists the history, and starts an emergency at the township', async () => {
    // Prepare
    rt = await startTestRuntime();
    const s = scenario(rt);
    await savePolicy(rt, workingPolicy({ acceptSeconds: 2 * HOUR, completeSeconds: 7 * HOUR }));
    const onVersion2 = await s.file();
    await s.untilParked(onVersion2, 1);

    // Act
    await savePolicy(rt, workingPolicy({ acceptSeconds: 3 * HOUR, completeSeconds: 7 * HOUR }, 2));
    const onVersion3 = await s.file();
    const emergency = await s.file({ urgency: 'emergency' });
    const history = await rt.http('GET', `/api/v1/counties/${COUNTY}/policies/infrastructure/normal`, { token: await rt.login('admin') });
    const stale = await rt.http('PUT', `/api/v1/counties/${COUNTY}/policies/infrastructure/normal`, {
      token: await rt.login('admin'),
      body: workingPolicy({ acceptSeconds: 4 * HOUR, completeSeconds: 7 * HOUR }, 2),
    });

    // Assess
    expect((await s.untilParked(onVersion3, 1)).policyVersion).toBe(3);
    expect((await rt.runtime.container.deps.reports.get(onVersion2))?.policyVersion).toBe(2);
    expect(history.body.versions.map((v: { version: number }) => v.version)).toEqual([3, 2, 1]);
    expect(history.body.policy.tiers.grid.acceptSeconds).toBe(3 * HOUR);
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe('POLICY.VERSION_CONFLICT');
    const started = await s.until(emergency, (h) => h.report.tierSeq === 1);
    expect(started.report.tier).toBe('township');
  });

  it('escalates a report on the policy it started with, after the county saved another', async () => {
    // Prepare: version 2 gives the village 4 hours to accept; the report starts on it
    rt = await startTestRuntime();
    const s = scenario(rt);
    const tiers = defaultPolicy('infrastructure', 'normal').tiers;
    await savePolicy(rt, {
      expectedVersion: 1,
      tiers: {
        ...tiers,
        grid: { acceptSeconds: HOUR, completeSeconds: 7 * HOUR },
        village: { acceptSeconds: 4 * HOUR, completeSeconds: 9 * HOUR },
      },
    });
    const id = await s.file();
    const parked = await s.untilParked(id, 1);

    // Act: version 3 gives the village 1 hour, then the grid's hour passes
    await savePolicy(rt, {
      expectedVersion: 2,
      tiers: {
        ...tiers,
        grid: { acceptSeconds: HOUR, completeSeconds: 7 * HOUR },
        village: { acceptSeconds: HOUR, completeSeconds: 9 * HOUR },
      },
    });
    rt.clock.advance(HOUR * 1000 + 1000);
    const escalated = await s.until(id, (h) => h.report.tier === 'village');

    // Assess: the village's deadline is version 2's, counted from the grid's breach
    expect(parked.policyVersion).toBe(2);
    expect(escalated.report.acceptBy).toBe(new Date(Date.parse(escalated.report.assignedAt) + 4 * HOUR * 1000).toISOString());
    expect(escalated.report).not.toHaveProperty('pinnedPolicy');
  });

  it('warns that next year is missing until its holidays are entered, and refuses a bad calendar storing nothing', async () => {
    // Prepare
    rt = await startTestRuntime();
    const admin = await rt.login('admin');
    const read = await rt.http('GET', `/api/v1/counties/${COUNTY}/calendar?year=2027`, { token: admin });
    const base = { workingWeekdays: [1, 2, 3, 4, 5], workingHours: read.body.calendar.workingHours };

    // Act
    const bad = await rt.http('PUT', `/api/v1/counties/${COUNTY}/calendar`, {
      token: admin,
      body: { ...base, overrides: [{ date: '2027-02-30', kind: 'holiday', notice: '国办发明电〔2026〕8号' }] },
    });
    const good = await rt.http('PUT', `/api/v1/counties/${COUNTY}/calendar`, {
      token: admin,
      body: { ...base, overrides: [{ date: '2027-01-01', kind: 'holiday', name: '元旦', notice: '国办发明电〔2026〕8号' }] },
    });
    const after = await rt.http('GET', `/api/v1/counties/${COUNTY}/calendar?year=2027`, { token: admin });

    // Assess
    expect(read.body).toMatchObject({ missingYears: [2027], nationalYears: { to: 2026 }, calendar: { version: 0 } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('CALENDAR.INVALID');
    expect(good.status).toBe(200);
    expect(after.body.missingYears).toEqual([]);
    expect(after.body.days).toEqual([
      { date: '2027-01-01', working: false, source: 'county', name: '元旦', notice: '国办发明电〔2026〕8号' },
    ]);
    expect(after.body.calendar.version).toBe(1);
  });
});
