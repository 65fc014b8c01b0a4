import { describe, expect, it } from 'vitest';
import {
  assertCanListNode,
  assertCanRead,
  assertCanReportFor,
  assertMayPublishNote,
  canRead,
  mayEscalate,
  mayPublishNote,
} from '#core/access.ts';
import { ForbiddenError } from '#core/errors.ts';
import type { Actor } from '#core/people.ts';
import { escalate } from '#core/report.ts';
import {
  assignedReport,
  assignmentFor,
  COUNTY,
  countyAdmin,
  deadlinesFor,
  deptOfficer,
  escalatedTo,
  GRID,
  OTHER_GRID,
  OTHER_TOWNSHIP,
  OTHER_VILLAGE,
  otherDeptOfficer,
  otherTownshipAdmin,
  otherVillageAdmin,
  otherWorker,
  SIBLING_GRID,
  siblingWorker,
  TOWNSHIP,
  thrownBy,
  townshipAdmin,
  VILLAGE,
  villageAdmin,
  worker,
} from './fixtures.ts';

describe('canRead', () => {
  const report = assignedReport();

  it.each([
    ['the grid worker of its grid', worker],
    ['the village admin of its village', villageAdmin],
    ['the township admin of its township', townshipAdmin],
    ['the county admin', countyAdmin],
  ])('lets %s read a report from the grid', (_who, actor: Actor) => {
    // Act + Assess
    expect(canRead(actor, report)).toBe(true);
  });

  it.each([
    ['a grid worker of the neighbouring grid', siblingWorker],
    ['a grid worker elsewhere', otherWorker],
    ['the admin of another village', otherVillageAdmin],
    ['the admin of another township', otherTownshipAdmin],
    ['a department officer before the report reaches a department', deptOfficer],
  ])('keeps %s out', (_who, actor: Actor) => {
    // Act + Assess
    expect(canRead(actor, report)).toBe(false);
  });

  it('does not let a grid worker read a report of their village just because the village is an ancestor', () => {
    // Prepare
    const workerScopedToVillage: Actor = { ...worker, id: 'p-odd', scope: VILLAGE.code };

    // Act + Assess
    expect(canRead(workerScopedToVillage, report)).toBe(false);
  });

  it('lets the officer of the department it was sent to read it, and no other department', () => {
    // Prepare
    const { report: atDepartment } = escalatedTo('department');

    // Act + Assess
    expect(canRead(deptOfficer, atDepartment)).toBe(true);
    expect(canRead(otherDeptOfficer, atDepartment)).toBe(false);
  });

  it('keeps a department readable to its officer after the report moves on to county supervision', () => {
    // Prepare
    const { report: supervised } = escalatedTo('supervision');

    // Act + Assess
    expect(canRead(deptOfficer, supervised)).toBe(true);
  });

  it('lets a past assignee outside the scope read the report after it moved on', () => {
    // Prepare: a worker from another township covered the grid, then the report escalated
    const covered = assignedReport({ assignees: [otherWorker] });
    const deadline = new Date(Date.parse(covered.acceptBy ?? ''));
    const moved = escalate(covered, { kind: 'timeout' }, assignmentFor('village'), deadlinesFor('village', deadline), deadline).report;

    // Act + Assess
    expect(moved.assignees.map((a) => a.id)).not.toContain(otherWorker.id);
    expect(canRead(otherWorker, moved)).toBe(true);
  });

  it('throws 403 REPORT.OUT_OF_SCOPE through assertCanRead', () => {
    // Act
    const error = thrownBy(() => assertCanRead(otherWorker, report));

    // Assess
    expect(error).toBeInstanceOf(ForbiddenError);
    expect(error).toMatchObject({ kind: 'forbidden', code: 'REPORT.OUT_OF_SCOPE' });
    expect(() => assertCanRead(worker, report)).not.toThrow();
  });
});

describe('assertCanReportFor', () => {
  it('lets a grid worker report for their own grid', () => {
    // Act + Assess
    expect(() => assertCanReportFor(worker, GRID)).not.toThrow();
  });

  it('refuses a grid worker reporting for another grid with 403 GRID.NOT_YOURS', () => {
    // Act
    const error = thrownBy(() => assertCanReportFor(worker, SIBLING_GRID));

    // Assess
    expect(error).toBeInstanceOf(ForbiddenError);
    expect(error).toMatchObject({ code: 'GRID.NOT_YOURS' });
  });

  it.each([countyAdmin, townshipAdmin, villageAdmin, deptOfficer])('refuses a $role with 403 REPORT.WORKERS_ONLY', (actor) => {
    // Act
    const error = thrownBy(() => assertCanReportFor(actor, GRID));

    // Assess
    expect(error).toBeInstanceOf(ForbiddenError);
    expect(error).toMatchObject({ code: 'REPORT.WORKERS_ONLY' });
  });
});

describe('mayEscalate', () => {
  const report = assignedReport();

  it.each([
    ['the current assignee', worker],
    ['the village admin above', villageAdmin],
    ['the township admin above', townshipAdmin],
    ['the county admin', countyAdmin],
  ])('lets %s escalate', (_who, actor: Actor) => {
    // Act + Assess
    expect(mayEscalate(actor, report)).toBe(true);
  });

  it.each([
    ['a grid worker of the neighbouring grid', siblingWorker],
    ['the admin of another township', otherTownshipAdmin],
    ['the admin of another village', otherVillageAdmin],
    ['a department officer not assigned to it', deptOfficer],
  ])('does not let %s escalate', (_who, actor: Actor) => {
    // Act + Assess
    expect(mayEscalate(actor, report)).toBe(false);
  });

  it('does not let a past assignee escalate once the report moved on', () => {
    // Prepare
    const { report: atVillage } = escalatedTo('village');

    // Act + Assess
    expect(mayEscalate(worker, atVillage)).toBe(false);
    expect(mayEscalate(villageAdmin, atVillage)).toBe(true);
  });

  it('keeps an admin from pushing on a report that already sits above their tier', () => {
    // Prepare
    const { report: atTownship } = escalatedTo('township');
    const { report: atDepartment } = escalatedTo('department');

    // Act + Assess
    expect(mayEscalate(villageAdmin, atTownship)).toBe(false);
    expect(mayEscalate(townshipAdmin, atTownship)).toBe(true);
    expect(mayEscalate(townshipAdmin, atDepartment)).toBe(false);
    expect(mayEscalate(countyAdmin, atDepartment)).toBe(true);
  });

  it('lets the department officer escalate while the report is assigned to their department', () => {
    // Prepare
    const { report: atDepartment } = escalatedTo('department');

    // Act + Assess
    expect(mayEscalate(deptOfficer, atDepartment)).toBe(true);
    expect(mayEscalate(otherDeptOfficer, atDepartment)).toBe(false);
  });
});

describe('mayPublishNote', () => {
  const report = assignedReport();

  it.each([
    ['the current assignee', worker],
    ['the village admin above', villageAdmin],
    ['the township admin above', townshipAdmin],
    ['the county admin', countyAdmin],
  ])('lets %s make a note public', (_who, actor: Actor) => {
    // Act + Assess
    expect(mayPublishNote(actor, report)).toBe(true);
  });

  it.each([
    ['a grid worker of the neighbouring grid', siblingWorker],
    ['the admin of another village', otherVillageAdmin],
    ['the admin of another township', otherTownshipAdmin],
    ['a department officer it was never sent to', deptOfficer],
  ])('does not let %s make a note public', (_who, actor: Actor) => {
    // Act + Assess
    expect(mayPublishNote(actor, report)).toBe(false);
    expect(thrownBy(() => assertMayPublishNote(actor, report))).toBeInstanceOf(ForbiddenError);
  });

  it('does not let the reporter publish once the report has moved on from their grid', () => {
    // Prepare
    const { report: atVillage } = escalatedTo('village');

    // Act + Assess
    expect(mayPublishNote(worker, atVillage)).toBe(false);
    expect(mayPublishNote(villageAdmin, atVillage)).toBe(true);
  });

  it('lets the department officer publish only while the report is with their department', () => {
    // Prepare
    const { report: atDepartment } = escalatedTo('department');

    // Act + Assess
    expect(mayPublishNote(deptOfficer, atDepartment)).toBe(true);
    expect(mayPublishNote(otherDeptOfficer, atDepartment)).toBe(false);
  });
});

describe('assertCanListNode', () => {
  const listable = (actor: Actor, node: Parameters<typeof assertCanListNode>[1]) => {
    try {
      assertCanListNode(actor, node);
      return true;
    } catch (error) {
      expect(error).toBeInstanceOf(ForbiddenError);
      expect(error).toMatchObject({ code: 'NODE.OUT_OF_SCOPE' });
      return false;
    }
  };

  it('lets a grid worker list their own grid only, not the village above it', () => {
    // Act + Assess
    expect(listable(worker, GRID)).toBe(true);
    expect(listable(worker, SIBLING_GRID)).toBe(false);
    expect(listable(worker, VILLAGE)).toBe(false);
  });

  it('lets a township admin list their township and every node inside it, nothing above or beside', () => {
    // Act + Assess
    expect([TOWNSHIP, VILLAGE, GRID, SIBLING_GRID].map((n) => listable(townshipAdmin, n))).toEqual([true, true, true, true]);
    expect([COUNTY, OTHER_TOWNSHIP, OTHER_VILLAGE, OTHER_GRID].map((n) => listable(townshipAdmin, n))).toEqual([
      false,
      false,
      false,
      false,
    ]);
  });

  it('lets a village admin list their village and its grids only', () => {
    // Act + Assess
    expect([VILLAGE, GRID, TOWNSHIP, OTHER_GRID].map((n) => listable(villageAdmin, n))).toEqual([true, true, false, false]);
  });

  it('lets the county admin list every node', () => {
    // Act + Assess
    expect([COUNTY, TOWNSHIP, OTHER_VILLAGE, GRID].map((n) => listable(countyAdmin, n))).toEqual([true, true, true, true]);
  });

  it('never lets a department officer list nodes, not even the county', () => {
    // Act + Assess
    expect([COUNTY, TOWNSHIP, GRID].map((n) => listable(deptOfficer, n))).toEqual([false, false, false]);
  });
});
