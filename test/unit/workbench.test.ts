/**
 * The workbench (工作台): the waiting reports of a scope, most urgent first, bounded, with counts of
 * all of them; and who may read which scope's.
 */
import { describe, expect, it } from 'vitest';
import { ForbiddenError, NotFoundError } from '#core/errors.ts';
import { accept, assignFirstTier, type Report, resolve } from '#core/report.ts';
import type { Deps } from '#core/use-cases/deps.ts';
import { readWorkbench } from '#core/use-cases/workbench.ts';
import { DUE_SOON_MS, summarizeWorkbench } from '#core/workbench.ts';
import { inMemoryDirectory } from '../support/fakes/in-memory-directory.ts';
import { InMemoryReportStore } from '../support/fakes/in-memory-reports.ts';
import {
  assignedReport,
  assignmentFor,
  COUNTY,
  countyAdmin,
  deptOfficer,
  escalatedTo,
  GRID,
  NOW,
  OTHER_GRID,
  OTHER_TOWNSHIP,
  OTHER_VILLAGE,
  otherVillageAdmin,
  SIBLING_GRID,
  submittedReport,
  TOWNSHIP,
  townshipAdmin,
  VILLAGE,
  worker,
} from './fixtures.ts';

const HOUR_MS = 3_600_000;

/** A report assigned to the grid worker whose 签收 deadline is `acceptInMs` from NOW (negative: already past). */
function dueIn(acceptInMs: number, id: string): Report {
  const acceptBy = new Date(NOW.getTime() + acceptInMs).toISOString();
  const completeBy = new Date(NOW.getTime() + acceptInMs + 48 * HOUR_MS).toISOString();
  return assignFirstTier(submittedReport({ id }), assignmentFor('grid'), { acceptBy, completeBy }, NOW).report;
}

const id = (n: number) => `R${String(n).padStart(15, '0')}`;

describe('summarizeWorkbench', () => {
  it('lists the waiting reports nearest deadline first, whatever order they come in, and leaves out the others', async () => {
    // Prepare
    const later = dueIn(5 * HOUR_MS, id(1));
    const late = dueIn(-2 * HOUR_MS, id(2));
    const soon = dueIn(HOUR_MS, id(3));
    const resolved = resolve(accept(dueIn(HOUR_MS, id(4)), worker, NOW).report, worker, NOW).report;
    const unrouted = submittedReport({ id: id(5) });

    // Act
    const summary = await summarizeWorkbench([later, resolved, late, unrouted, soon], worker, NOW);

    // Assess
    expect(summary.items.map((i) => i.id)).toEqual([id(2), id(3), id(1)]);
    expect(summary.items[0]).toMatchObject({ pastDeadline: true, deadline: late.acceptBy, deadlinePhase: 'accept', mine: true });
    expect(summary.counts.total).toBe(3);
  });

  it('counts by tier and status, past the deadline now and due within a day, and what is the reader’s own', async () => {
    // Prepare
    const reports = [
      dueIn(-HOUR_MS, id(1)),
      dueIn(DUE_SOON_MS, id(2)),
      dueIn(DUE_SOON_MS + 1, id(3)),
      accept(dueIn(HOUR_MS, id(4)), worker, NOW).report,
      { ...escalatedTo('village').report, id: id(5) },
    ];

    // Act
    const { counts } = await summarizeWorkbench(reports, worker, NOW);

    // Assess
    expect(counts).toMatchObject({
      total: 5,
      byTier: { grid: 4, village: 1, township: 0, department: 0, supervision: 0 },
      byStatus: { assigned: 4, accepted: 1 },
      pastDeadline: 1,
      mine: 4,
    });
    // Due soon: the one due in exactly a day and the escalated one (the village's 4 h from its escalation 2 h from now); the
    // accepted one's 办结 deadline is two days off. Overdue (超期): the one past its deadline and the escalated one's breach.
    expect(counts.dueSoon).toBe(2);
    expect(counts.overdue).toBe(2);
  });

  it('keeps only the most urgent `limit` and counts the rest', async () => {
    // Prepare: in deadline order, as the byDue index hands them over, plus one more urgent at the end
    const reports = Array.from({ length: 30 }, (_, n) => dueIn((n + 1) * HOUR_MS, id(n + 10)));
    reports.push(dueIn(-HOUR_MS, id(1)));

    // Act
    const summary = await summarizeWorkbench(reports, worker, NOW, 10);

    // Assess
    expect(summary.items).toHaveLength(10);
    expect(summary.items[0]?.id).toBe(id(1));
    expect(summary.items.at(-1)?.id).toBe(id(18));
    expect(summary.more).toBe(21);
    expect(summary.counts.total).toBe(31);
  });
});

describe('readWorkbench', () => {
  async function setup() {
    const directory = inMemoryDirectory();
    for (const node of [COUNTY, TOWNSHIP, VILLAGE, GRID, SIBLING_GRID, OTHER_TOWNSHIP, OTHER_VILLAGE, OTHER_GRID]) {
      await directory.putNode(node);
    }
    const reports = new InMemoryReportStore();
    const here = assignedReport();
    const elsewhere = {
      ...assignedReport(),
      id: id(9),
      countyCode: COUNTY.code,
      townshipCode: OTHER_TOWNSHIP.code,
      villageCode: OTHER_VILLAGE.code,
      gridCode: OTHER_GRID.code,
    };
    const atDepartment = { ...escalatedTo('department').report, id: id(8) };
    for (const r of [here, elsewhere, atDepartment]) reports.add(r);
    const deps = { directory, reports, clock: { now: () => NOW } } as unknown as Deps;
    return { deps, here, elsewhere, atDepartment };
  }

  it('shows an admin their own subtree by default, with the server’s time to count from', async () => {
    // Prepare
    const { deps, here, atDepartment } = await setup();

    // Act
    const bench = await readWorkbench(deps, townshipAdmin, {});

    // Assess
    expect(bench.scope).toEqual({ kind: 'node', code: TOWNSHIP.code, name: TOWNSHIP.name, level: 'township' });
    expect(bench.items.map((i) => i.id).sort()).toEqual([here.id, atDepartment.id].sort());
    expect(bench.now).toBe(NOW.toISOString());
  });

  it('narrows the county admin’s to a township they hold', async () => {
    // Prepare
    const { deps, elsewhere } = await setup();

    // Act
    const bench = await readWorkbench(deps, countyAdmin, { node: OTHER_TOWNSHIP.code });

    // Assess
    expect(bench.items.map((i) => i.id)).toEqual([elsewhere.id]);
    expect(bench.items[0]?.mine).toBe(false);
  });

  it('refuses a node outside the reader’s scope, and an unknown one', async () => {
    // Prepare
    const { deps } = await setup();

    // Act
    const outside = await readWorkbench(deps, otherVillageAdmin, { node: VILLAGE.code }).catch((e: unknown) => e);
    const unknown = await readWorkbench(deps, countyAdmin, { node: '451322999' }).catch((e: unknown) => e);

    // Assess
    expect(outside).toBeInstanceOf(ForbiddenError);
    expect(unknown).toBeInstanceOf(NotFoundError);
  });

  it('shows a grid worker their grid and a department officer what reached their department', async () => {
    // Prepare
    const { deps, here, atDepartment } = await setup();

    // Act
    const grid = await readWorkbench(deps, worker, {});
    const department = await readWorkbench(deps, deptOfficer, {});
    const departmentByNode = await readWorkbench(deps, deptOfficer, { node: GRID.code }).catch((e: unknown) => e);

    // Assess
    expect(grid.items.map((i) => i.id).sort()).toEqual([here.id, atDepartment.id].sort());
    expect(department.scope).toEqual({ kind: 'department', code: deptOfficer.scope });
    expect(department.items).toMatchObject([{ id: atDepartment.id, tier: 'department', mine: true }]);
    expect(departmentByNode).toBeInstanceOf(ForbiddenError);
  });
});
