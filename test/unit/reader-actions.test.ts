/**
 * What a reader may do with a report now (the console shows only these buttons), and that it
 * agrees with what the actions themselves accept: every listed action succeeds, every other one is
 * refused, for every role in and out of the report's path, at every tier and status.
 */
import { describe, expect, it } from 'vitest';
import { GridWhistleError } from '#core/errors.ts';
import type { Actor } from '#core/people.ts';
import { READER_ACTIONS, type ReaderAction, readerActions } from '#core/reader-actions.ts';
import { accept, assignFirstTier, type Report, resolve } from '#core/report.ts';
import { requestExtension, suspend } from '#core/report-clocks.ts';
import { withVisit } from '#core/report-visit.ts';
import type { Deps } from '#core/use-cases/deps.ts';
import { mergeReport } from '#core/use-cases/duplicates.ts';
import { actOnReport } from '#core/use-cases/reports.ts';
import { inMemoryDirectory } from '../support/fakes/in-memory-directory.ts';
import { InMemoryReportStore, RecordingWorkflow } from '../support/fakes/in-memory-reports.ts';
import {
  acceptedReport,
  asAssignee,
  assignedReport,
  assignmentFor,
  CATEGORY,
  COUNTY,
  countyAdmin,
  DEPARTMENT_CODE,
  deadlinesFor,
  deptOfficer,
  escalatedTo,
  GRID,
  NOW,
  OTHER_GRID,
  OTHER_TOWNSHIP,
  OTHER_VILLAGE,
  otherDeptOfficer,
  otherTownshipAdmin,
  otherVillageAdmin,
  otherWorker,
  SIBLING_GRID,
  siblingWorker,
  submittedReport,
  TOWNSHIP,
  townshipAdmin,
  VILLAGE,
  villageAdmin,
  worker,
} from './fixtures.ts';

describe('readerActions', () => {
  it('offers the tier above 督办 and an extension decision, the assignee 延期, the township 挂起, and the visitor 回访', () => {
    // Prepare
    const asked = requestExtension(assignedReport(), worker, { until: new Date(NOW.getTime() + 86_400_000), reason: '协调' }, NOW).report;
    const resolved = withVisit(
      resolve(acceptedReport(), worker, NOW).report,
      [asAssignee(villageAdmin)],
      new Date(NOW.getTime() + 86_400_000),
      NOW,
    );

    // Act + Assess
    expect(readerActions(worker, assignedReport(), NOW).actions).toEqual(['accept', 'escalate', 'comment', 'request_extension']);
    expect(readerActions(villageAdmin, asked, NOW).actions).toEqual(['escalate', 'merge', 'comment', 'remind', 'decide_extension']);
    expect(readerActions(townshipAdmin, assignedReport(), NOW).actions).toEqual(['escalate', 'merge', 'comment', 'remind', 'suspend']);
    expect(readerActions(villageAdmin, resolved, NOW).actions).toEqual(['merge', 'comment', 'review']);
    expect(readerActions(worker, resolved, NOW).actions).toEqual(['comment']);
  });

  it('offers the grid worker of a freshly assigned report 签收, 提交上级 and comments, and lets them publish a note', () => {
    // Act
    const allowed = readerActions(worker, assignedReport());

    // Assess
    expect(allowed).toEqual({
      actions: ['accept', 'escalate', 'comment', 'request_extension'],
      mayPublishNote: true,
      mayWhistle: true,
      laneActions: [],
    });
  });

  it('offers 办结 instead of 签收 once accepted, and no 退回 at the grid (nobody is below it)', () => {
    // Act
    const allowed = readerActions(worker, acceptedReport());

    // Assess
    expect(allowed.actions).toEqual(['resolve', 'escalate', 'comment', 'request_extension']);
  });

  it('offers the village secretary a report escalated to them 签收, 提交上级 and 退回', () => {
    // Act
    const allowed = readerActions(villageAdmin, escalatedTo('village').report);

    // Assess
    expect(allowed.actions).toEqual(['accept', 'escalate', 'return', 'merge', 'comment', 'request_extension']);
  });

  it('lets the grid worker only comment, internally, once the report has moved up to the village', () => {
    // Act
    const allowed = readerActions(worker, escalatedTo('village').report);

    // Assess
    expect(allowed).toEqual({ actions: ['comment'], mayPublishNote: false, mayWhistle: false, laneActions: [] });
  });

  it('lets an admin above escalate (督办) a report at a lower tier, but not accept it', () => {
    // Act
    const allowed = readerActions(townshipAdmin, assignedReport());

    // Assess
    expect(allowed).toEqual({
      actions: ['escalate', 'merge', 'comment', 'remind', 'suspend'],
      mayPublishNote: true,
      mayWhistle: true,
      laneActions: [],
    });
  });

  it('keeps a village secretary from pushing on a case that sits with the township', () => {
    // Act
    const allowed = readerActions(villageAdmin, escalatedTo('township').report);

    // Assess
    expect(allowed.actions).toEqual(['merge', 'comment']);
  });

  it('offers nothing past county supervision but 签收, 退回 and comments to the county', () => {
    // Act
    const allowed = readerActions(countyAdmin, escalatedTo('supervision').report);

    // Assess
    // Nobody is above supervision to 督办 it or grant an extension; the county may still suspend it.
    expect(allowed.actions).toEqual(['accept', 'return', 'merge', 'comment', 'suspend']);
  });

  it('offers a reader outside the report nothing at all', () => {
    // Act
    const allowed = readerActions(otherVillageAdmin, assignedReport());

    // Assess
    expect(allowed).toEqual({ actions: [], mayPublishNote: false, mayWhistle: false, laneActions: [] });
  });

  it('offers 合并 to no admin once the report is merged or others were merged into it', () => {
    // Prepare
    const merged: Report = { ...assignedReport(), status: 'merged', mergedInto: 'R0000000000FA4E' };
    const parent: Report = { ...assignedReport(), mergedChildren: ['R0000000000FA4F'] };

    // Act
    const offered = [merged, parent].map((r) => readerActions(townshipAdmin, r).actions.includes('merge'));

    // Assess
    expect(offered).toEqual([false, false]);
  });

  it('offers only comments on a resolved report', () => {
    // Act
    const allowed = readerActions(worker, resolve(acceptedReport(), worker, NOW).report);

    // Assess
    expect(allowed.actions).toEqual(['comment']);
  });
});

// ---- agreement with the actions themselves ----

const NODES = [COUNTY, TOWNSHIP, VILLAGE, GRID, SIBLING_GRID, OTHER_TOWNSHIP, OTHER_VILLAGE, OTHER_GRID];
const READERS: Actor[] = [
  worker,
  siblingWorker,
  otherWorker,
  villageAdmin,
  otherVillageAdmin,
  townshipAdmin,
  otherTownshipAdmin,
  countyAdmin,
  deptOfficer,
  otherDeptOfficer,
];

async function depsWith(report: Report) {
  const directory = inMemoryDirectory();
  for (const node of NODES) await directory.putNode(node);
  const paths = new Map(NODES.map((n) => [n.code, n.path]));
  for (const [i, p] of READERS.entries()) {
    const scopePath = paths.get(p.scope);
    await directory.putPerson({ ...p, phone: `+8613877210${String(100 + i)}`, ...(scopePath ? { scopePath } : {}) });
  }
  await directory.putDepartment({ code: DEPARTMENT_CODE, name: '象州县住房和城乡建设局' });
  await directory.putCategory({ code: CATEGORY, name: '安全隐患', description: '危房', departmentCode: DEPARTMENT_CODE, public: false });
  const reports = new InMemoryReportStore();
  reports.add(report);
  const deps = {
    directory,
    reports,
    workflow: new RecordingWorkflow(),
    clock: { now: () => NOW },
    timeScale: 1,
  } as unknown as Deps;
  return deps;
}

/** Whether the action goes through; a refusal by the rules (403, 409, 422) is false, anything else fails the test. */
async function goesThrough(report: Report, actor: Actor, action: ReaderAction): Promise<boolean> {
  const deps = await depsWith(report);
  try {
    if (action === 'merge') {
      // 合并 has its own route: into another open report of the same grid, which every admin over this one holds too.
      const parent: Report = { ...assignedReport(), id: 'R0000000000FA4E' };
      (deps.reports as InMemoryReportStore).add(parent);
      await mergeReport(deps, actor, report.id, { parentId: parent.id });
      return true;
    }
    // What each action needs besides a note: extra hours (延期), a decision, a 回访 answer.
    await actOnReport(deps, actor, report.id, { action, note: '理由', public: false, extraHours: 1, approved: true, satisfied: true });
    return true;
  } catch (error) {
    if (error instanceof GridWhistleError && ['forbidden', 'conflict', 'refused'].includes(error.kind)) return false;
    throw error;
  }
}

const STATES: [string, () => Report][] = [
  ['submitted', () => submittedReport()],
  ['assigned at the grid', () => assignedReport()],
  ['accepted at the grid', () => acceptedReport()],
  ['assigned at the village', () => escalatedTo('village').report],
  ['accepted at the township', () => accept(escalatedTo('township').report, townshipAdmin, NOW).report],
  ['assigned at the department', () => escalatedTo('department').report],
  ['assigned at supervision', () => escalatedTo('supervision').report],
  ['resolved at the grid', () => resolve(acceptedReport(), worker, NOW).report],
  ['resolved at the village', () => resolve(accept(escalatedTo('village').report, villageAdmin, NOW).report, villageAdmin, NOW).report],
  ['suspended at the grid', () => suspend(assignedReport(), townshipAdmin, '等待鉴定', { accept: 100, complete: 1000 }, NOW).report],
  [
    'with an extension request at the grid',
    () => requestExtension(assignedReport(), worker, { until: new Date(NOW.getTime() + 30 * 86_400_000), reason: '协调' }, NOW).report,
  ],
  [
    'resolved at the grid, visited by the village',
    () => withVisit(resolve(acceptedReport(), worker, NOW).report, [asAssignee(villageAdmin)], new Date(NOW.getTime() + 86_400_000), NOW),
  ],
  [
    'assigned to two grid workers',
    () => assignFirstTier(submittedReport(), assignmentFor('grid', [worker, siblingWorker]), deadlinesFor('grid'), NOW).report,
  ],
];

describe('readerActions agrees with the actions', () => {
  it.each(STATES)('for a report %s, for every reader and every action', async (_state, make) => {
    // Prepare
    const report = make();
    const disagreements: string[] = [];

    // Act
    for (const reader of READERS) {
      const { actions } = readerActions(reader, report, NOW);
      for (const action of READER_ACTIONS) {
        const listed = actions.includes(action);
        if (listed !== (await goesThrough(report, reader, action))) {
          disagreements.push(`${reader.id} ${action}: ${listed ? 'listed but refused' : 'not listed but accepted'}`);
        }
      }
    }

    // Assess
    expect(disagreements).toEqual([]);
  });
});
