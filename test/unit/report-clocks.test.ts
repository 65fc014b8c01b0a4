/**
 * The pure rules of a tier's clocks and of the return visit: what an extension request may ask
 * and when it lapses, who is above a tier, what a suspension keeps, and who visits.
 */
import { describe, expect, it } from 'vitest';
import { resolve } from '#core/report.ts';
import { isAboveTier, pendingExtension, requestExtension, resume, suspend } from '#core/report-clocks.ts';
import { chooseVisitors, closeAfterVisit, withVisit } from '#core/report-visit.ts';
import {
  acceptedReport,
  asAssignee,
  assignedReport,
  countyAdmin,
  escalatedTo,
  NOW,
  otherVillageAdmin,
  secondsAfter,
  thrownBy,
  townshipAdmin,
  villageAdmin,
  worker,
} from './fixtures.ts';

describe('an extension request (延期)', () => {
  it('is refused once its deadline has passed, and must ask for a later one, at most a year later', () => {
    // Prepare
    const report = assignedReport();
    const deadline = new Date(report.acceptBy ?? '');

    // Act
    const late = thrownBy(() => requestExtension(report, worker, { until: secondsAfter(deadline, 3600), reason: '协调' }, deadline));
    const earlier = thrownBy(() => requestExtension(report, worker, { until: secondsAfter(deadline, -60), reason: '协调' }, NOW));
    const yearAndADay = thrownBy(() =>
      requestExtension(report, worker, { until: secondsAfter(deadline, 367 * 86_400), reason: '协调' }, NOW),
    );
    const aYear = requestExtension(report, worker, { until: secondsAfter(deadline, 366 * 86_400), reason: '协调' }, NOW);

    // Assess
    expect(late).toMatchObject({ code: 'EXTENSION.DEADLINE_PASSED', kind: 'conflict' });
    expect(earlier).toMatchObject({ code: 'EXTENSION.NOT_LATER' });
    expect(yearAndADay).toMatchObject({ code: 'EXTENSION.TOO_LONG', kind: 'refused' });
    expect(pendingExtension(aYear.report, NOW)).toMatchObject({ phase: 'accept' });
  });

  it('waits until its deadline passes, then lapses', () => {
    // Prepare
    const report = assignedReport();
    const deadline = new Date(report.acceptBy ?? '');
    const asked = requestExtension(report, worker, { until: secondsAfter(deadline, 3600), reason: '协调' }, NOW).report;

    // Act + Assess
    expect(pendingExtension(asked, NOW)).toMatchObject({ phase: 'accept', reason: '协调' });
    expect(pendingExtension(asked, deadline)).toBeNull();
  });
});

describe('who is above a tier', () => {
  it('is an admin over the report who answers for a higher tier', () => {
    // Act + Assess
    expect(isAboveTier(villageAdmin, assignedReport())).toBe(true);
    expect(isAboveTier(otherVillageAdmin, assignedReport())).toBe(false);
    expect(isAboveTier(villageAdmin, escalatedTo('village').report)).toBe(false);
    expect(isAboveTier(townshipAdmin, escalatedTo('village').report)).toBe(true);
    expect(isAboveTier(countyAdmin, escalatedTo('department').report)).toBe(true);
    expect(isAboveTier(countyAdmin, escalatedTo('supervision').report)).toBe(false);
  });
});

describe('a suspension (挂起)', () => {
  it('clears the deadlines while it lasts and the resume sets the ones it is given', () => {
    // Prepare
    const suspended = suspend(acceptedReport(), townshipAdmin, '等待鉴定', { complete: 3600 }, NOW);

    // Act
    const resumed = resume(suspended.report, townshipAdmin, { completeBy: secondsAfter(NOW, 7200).toISOString() }, secondsAfter(NOW, 3600));

    // Assess
    expect(suspended.report).toMatchObject({ completeBy: null, suspended: { reason: '等待鉴定', remaining: { complete: 3600 } } });
    expect(suspended.event).toMatchObject({ type: 'suspended', note: '等待鉴定' });
    expect(resumed.report).toMatchObject({ suspended: null, completeBy: secondsAfter(NOW, 7200).toISOString() });
    expect(resumed.event.data).toMatchObject({ pausedMs: 3_600_000 });
    expect(thrownBy(() => suspend(acceptedReport(), villageAdmin, 'x', {}, NOW))).toMatchObject({ code: 'SUSPEND.NOT_ALLOWED' });
  });
});

describe('the return visit (回访)', () => {
  it('goes to the first post with someone who did not handle the report', () => {
    // Prepare
    const resolved = resolve(acceptedReport(), worker, NOW).report;

    // Act + Assess
    expect(chooseVisitors(resolved, [[asAssignee(worker)], [asAssignee(villageAdmin)]])).toEqual([asAssignee(villageAdmin)]);
    expect(chooseVisitors(resolved, [[asAssignee(worker)], []])).toEqual([]);
  });

  it('closes flagged not_visited when nobody visited, and unflagged after a satisfied visit', () => {
    // Prepare
    const visiting = withVisit(resolve(acceptedReport(), worker, NOW).report, [asAssignee(villageAdmin)], secondsAfter(NOW, 60), NOW);

    // Act
    const unvisited = closeAfterVisit(visiting, secondsAfter(NOW, 60));

    // Assess
    expect(unvisited.report).toMatchObject({ status: 'closed', flags: ['not_visited'] });
    expect(unvisited.event.data).toMatchObject({ notVisited: true });
  });
});
