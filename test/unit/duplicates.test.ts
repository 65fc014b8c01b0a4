/**
 * Duplicates and merging as pure rules (core/duplicates.ts), and the once-only SMS to a merged
 * report's reporter when its parent closes (use-cases/duplicates.ts, on the in-memory store).
 */
import { describe, expect, it } from 'vitest';
import {
  absorbMerged,
  assertMergeable,
  DUPLICATE_RADIUS_METERS,
  distanceMeters,
  duplicateSuggestions,
  mergeAway,
} from '#core/duplicates.ts';
import { GridWhistleError } from '#core/errors.ts';
import { accept, close, type Report, resolve } from '#core/report.ts';
import { mergedParentClosedSms, SMS_SEGMENT } from '#core/sms-templates.ts';
import type { Deps } from '#core/use-cases/deps.ts';
import { tellMergedReporters } from '#core/use-cases/duplicates.ts';
import { inMemoryDirectory } from '../support/fakes/in-memory-directory.ts';
import { InMemoryReportStore } from '../support/fakes/in-memory-reports.ts';
import {
  assignedReport,
  deadlinesFor,
  deptOfficer,
  NOW,
  otherVillageAdmin,
  secondsAfter,
  submittedReport,
  thrownBy,
  townshipAdmin,
  villageAdmin,
  worker,
} from './fixtures.ts';

const PARENT_ID = 'R00000000000A001';
const CHILD_ID = 'R00000000000A002';
const north = (metres: number) => ({ lat: 23.96 + metres / 111_195, lng: 109.69 });
const reportAt = (id: string, patch: Partial<Report> = {}): Report => ({ ...assignedReport(), id, ...patch });
const codeOf = (error: unknown) => (error instanceof GridWhistleError ? error.code : String(error));

describe('distanceMeters', () => {
  it('measures a kilometre of latitude as a kilometre', () => {
    // Act
    const metres = distanceMeters(north(0), north(1000));

    // Assess
    expect(Math.round(metres)).toBe(1000);
  });
});

describe('duplicateSuggestions', () => {
  it('keeps open reports of the same grid and category inside the radius and window, nearest first', () => {
    // Prepare
    const report = reportAt('R00000000000B000', { location: north(0) });
    const near = reportAt('R00000000000B001', { location: north(120) });
    const nearer = reportAt('R00000000000B002', { location: north(40) });
    const far = reportAt('R00000000000B003', { location: north(DUPLICATE_RADIUS_METERS + 50) });
    const otherCategory = reportAt('R00000000000B004', { location: north(10), category: 'dispute' });
    const closed = reportAt('R00000000000B005', { location: north(10), status: 'closed' });
    const tooOld = reportAt('R00000000000B006', { location: north(10), createdAt: secondsAfter(NOW, -8 * 86_400).toISOString() });
    const noLocation = reportAt('R00000000000B007', { location: null });

    // Act
    const found = duplicateSuggestions(townshipAdmin, report, [near, nearer, far, otherCategory, closed, tooOld, noLocation, report]);

    // Assess
    expect(found.map((d) => [d.id, d.distanceMeters])).toEqual([
      [nearer.id, 40],
      [near.id, 120],
      [noLocation.id, null],
    ]);
  });

  it('suggests nothing the reader may not read', () => {
    // Act
    const found = duplicateSuggestions(otherVillageAdmin, reportAt('R00000000000B000'), [reportAt('R00000000000B001')]);

    // Assess
    expect(found).toEqual([]);
  });
});

describe('assertMergeable', () => {
  const parent = reportAt(PARENT_ID);
  const child = reportAt(CHILD_ID);

  it.each([
    ['a grid worker', () => assertMergeable(worker, child, parent), 'REPORT.MERGE_ADMINS_ONLY'],
    ['a department officer', () => assertMergeable(deptOfficer, child, parent), 'REPORT.MERGE_ADMINS_ONLY'],
    ['an admin of another village', () => assertMergeable(otherVillageAdmin, child, parent), 'REPORT.OUT_OF_SCOPE'],
    ['into itself', () => assertMergeable(villageAdmin, child, child), 'REPORT.MERGE_INTO_ITSELF'],
    ['across counties', () => assertMergeable(villageAdmin, child, { ...parent, countyCode: '451321' }), 'REPORT.MERGE_OTHER_COUNTY'],
    [
      'into a merged report',
      () => assertMergeable(villageAdmin, child, { ...parent, status: 'merged', mergedInto: 'R00000000000A009' }),
      'REPORT.MERGE_PARENT_MERGED',
    ],
    ['into a closed report', () => assertMergeable(villageAdmin, child, { ...parent, status: 'closed' }), 'REPORT.MERGE_NOT_OPEN'],
    [
      'a report others were merged into',
      () => assertMergeable(villageAdmin, { ...child, mergedChildren: ['R00000000000A009'] }, parent),
      'REPORT.MERGE_HAS_CHILDREN',
    ],
    [
      'a report merged elsewhere',
      () => assertMergeable(villageAdmin, { ...child, status: 'merged', mergedInto: 'R00000000000A009' }, parent),
      'REPORT.ALREADY_MERGED',
    ],
  ])('refuses %s', (_case, act, code) => {
    // Act
    const error = thrownBy(act);

    // Assess
    expect(codeOf(error)).toBe(code);
  });

  it('calls a merge already made a replay', () => {
    // Act
    const verdict = assertMergeable(villageAdmin, { ...child, status: 'merged', mergedInto: PARENT_ID }, parent);

    // Assess
    expect(verdict).toBe('replay');
  });
});

describe('absorbMerged', () => {
  it('moves the parent to the duplicate’s earlier deadline for the same phase, once', () => {
    // Prepare
    const parent = reportAt(PARENT_ID);
    const child = reportAt(CHILD_ID, { acceptBy: secondsAfter(NOW, 600).toISOString() });

    // Act
    const first = absorbMerged(parent, child, villageAdmin, NOW);
    const again = first ? absorbMerged(first.report, child, villageAdmin, NOW) : undefined;

    // Assess
    expect(first?.report).toMatchObject({ acceptBy: child.acceptBy, completeBy: parent.completeBy, mergedChildren: [CHILD_ID] });
    expect(first?.event).toMatchObject({
      type: 'merged',
      data: { childId: CHILD_ID, acceptBy: child.acceptBy, movedFrom: parent.acceptBy },
    });
    expect(again).toBeNull();
  });

  it('keeps the parent’s deadline when the duplicate races another phase, or a later deadline', () => {
    // Prepare
    const parent = reportAt(PARENT_ID);
    const accepted = accept({ ...reportAt(CHILD_ID), completeBy: secondsAfter(NOW, 60).toISOString() }, worker, NOW).report;
    const later = reportAt(CHILD_ID, { acceptBy: secondsAfter(NOW, 10 * 86_400).toISOString() });

    // Act
    const outcomes = [accepted, later].map((child) => absorbMerged(parent, child, villageAdmin, NOW)?.report);

    // Assess
    expect(outcomes.map((r) => [r?.acceptBy, r?.completeBy])).toEqual([
      [parent.acceptBy, parent.completeBy],
      [parent.acceptBy, parent.completeBy],
    ]);
  });
});

describe('mergedParentClosedSms', () => {
  it('fits one segment with the longest title and names the report', () => {
    // Act
    const text = mergedParentClosedSms({ ...submittedReport(), title: '桥'.repeat(100) }, '欧阳春花');

    // Assess
    expect([...text].length).toBeLessThanOrEqual(SMS_SEGMENT);
    expect(text).toContain('桥桥桥桥');
  });
});

describe('tellMergedReporters', () => {
  async function closedParentWithChild() {
    const directory = inMemoryDirectory();
    await directory.putPerson({ ...worker, phone: '+8613877200301' });
    const reports = new InMemoryReportStore();
    const sent: { to: string; text: string }[] = [];
    const deps = {
      directory,
      reports,
      sms: {
        send: async (m: { to: string; text: string }) => {
          sent.push(m);
          return { providerMessageId: `m${sent.length}` };
        },
      },
      clock: { now: () => NOW },
      timeScale: 1,
    } as unknown as Deps;
    const accepted = accept({ ...assignedReport({ deadlines: deadlinesFor('grid') }), id: PARENT_ID }, worker, NOW).report;
    const child = mergeAway(reportAt(CHILD_ID), accepted, villageAdmin, NOW).report;
    const parent = close(resolve({ ...accepted, mergedChildren: [CHILD_ID] }, worker, NOW).report, NOW).report;
    reports.add(parent);
    reports.add(child);
    return { deps, reports, parent, sent };
  }

  it('texts the reporter once and notes it once, even when a crash lost the note and it runs again', async () => {
    // Prepare
    const { deps, reports, parent, sent } = await closedParentWithChild();

    // Act
    await tellMergedReporters(deps, parent);
    const noted = reports.reports.get(CHILD_ID);
    if (noted) reports.add({ ...noted, parentClosedAt: undefined });
    await tellMergedReporters(deps, parent);

    // Assess
    expect(sent.map((m) => m.to)).toEqual(['+8613877200301']);
    expect(reports.sms.get(`${CHILD_ID}#MERGED#${PARENT_ID}#${worker.id}`)?.record.status).toBe('sent');
    expect(reports.reports.get(CHILD_ID)?.parentClosedAt).toBe(NOW.toISOString());
  });

  it('tells nobody while the parent is still open', async () => {
    // Prepare
    const { deps, parent, sent } = await closedParentWithChild();

    // Act
    await tellMergedReporters(deps, { ...parent, status: 'resolved' });

    // Assess
    expect(sent).toEqual([]);
  });
});
