import { describe, expect, it } from 'vitest';
import type { Person } from '#core/people.ts';
import { newReport, type Refiling, refile } from '#core/report.ts';
import type { TreeNode } from '#core/tree.ts';
import {
  mergeProblem,
  moveProblem,
  normalizeContacts,
  OFFICER_ROLE,
  officersOf,
  ownerLeftPath,
  refiledJurisdiction,
  retireProblem,
  sameJurisdiction,
} from '#core/tree-changes.ts';
import {
  acceptedReport,
  assignmentFor,
  COUNTY,
  countyAdmin,
  deadlinesFor,
  escalatedTo,
  GRID,
  JURISDICTION,
  NOW,
  OTHER_TOWNSHIP,
  OTHER_VILLAGE,
  SIBLING_GRID,
  submittedReport,
  TOWNSHIP,
  thrownBy,
  VILLAGE,
  worker,
} from './fixtures.ts';

const retired = (node: TreeNode): TreeNode => ({ ...node, status: 'retired' });

describe('moveProblem', () => {
  it('lets a village move under another active township', () => {
    // Act + Assess
    expect(moveProblem(VILLAGE, OTHER_TOWNSHIP)).toBeNull();
  });

  it.each([
    ['a county', COUNTY, TOWNSHIP, 'NODE.ROOT_MOVE'],
    ['a retired village', retired(VILLAGE), OTHER_TOWNSHIP, 'NODE.RETIRED'],
    ['a village under a village', VILLAGE, OTHER_VILLAGE, 'NODE.LEVEL_PARENT'],
    ['a village under the county', VILLAGE, COUNTY, 'NODE.LEVEL_PARENT'],
    ['a village under a retired township', VILLAGE, retired(OTHER_TOWNSHIP), 'NODE.PARENT_RETIRED'],
  ])('refuses to move %s', (_case, node, parent, code) => {
    // Act + Assess
    expect(moveProblem(node, parent)?.code).toBe(code);
  });
});

describe('mergeProblem', () => {
  it('lets a grid merge into its sibling', () => {
    // Act + Assess
    expect(mergeProblem(GRID, SIBLING_GRID)).toBeNull();
  });

  it.each([
    ['into itself', GRID, GRID, 'NODE.MERGE_INTO_ITSELF'],
    ['into a cousin (another parent)', VILLAGE, OTHER_VILLAGE, 'NODE.MERGE_NOT_SIBLING'],
    ['into another level', VILLAGE, TOWNSHIP, 'NODE.MERGE_NOT_SIBLING'],
    ['into a retired sibling', GRID, retired(SIBLING_GRID), 'NODE.MERGE_TARGET_RETIRED'],
    ['a county', COUNTY, { ...COUNTY, code: '451321' }, 'NODE.ROOT_MERGE'],
  ])('refuses a merge %s', (_case, node, target, code) => {
    // Act + Assess
    expect(mergeProblem(node, target)?.code).toBe(code);
  });
});

describe('retireProblem', () => {
  it.each([
    [{ activeChildren: 0, openReports: 2 }, 'NODE.HAS_OPEN_REPORTS'],
    [{ activeChildren: 3, openReports: 0 }, 'NODE.HAS_ACTIVE_CHILDREN'],
    [{ activeChildren: 0, openReports: 0 }, undefined],
  ])('with %o answers %s', (holds, code) => {
    // Act + Assess
    expect(retireProblem(VILLAGE, holds)?.code).toBe(code);
  });
});

describe('refiledJurisdiction', () => {
  it('puts a moved village’s reports under its new township and keeps their grid', () => {
    // Act
    const to = refiledJurisdiction(JURISDICTION, 'village', [COUNTY.code, OTHER_TOWNSHIP.code, VILLAGE.code]);

    // Assess
    expect(to).toEqual({ countyCode: COUNTY.code, townshipCode: OTHER_TOWNSHIP.code, villageCode: VILLAGE.code, gridCode: GRID.code });
    expect(sameJurisdiction(to, JURISDICTION)).toBe(false);
  });

  it('puts a merged grid’s reports under its sibling', () => {
    // Act
    const to = refiledJurisdiction(JURISDICTION, 'grid', SIBLING_GRID.path);

    // Assess
    expect(to.gridCode).toBe(SIBLING_GRID.code);
    expect(to.villageCode).toBe(VILLAGE.code);
  });

  it('refuses a path that is not of the level’s depth', () => {
    // Act + Assess
    expect(() => refiledJurisdiction(JURISDICTION, 'village', TOWNSHIP.path)).toThrow(/path of 3 codes/);
  });
});

describe('ownerLeftPath', () => {
  it('is true for a village-tier report whose village is no longer on its path', () => {
    // Prepare
    const { report } = escalatedTo('village');

    // Act + Assess
    expect(ownerLeftPath({ ...report, villageCode: OTHER_VILLAGE.code })).toBe(true);
    expect(ownerLeftPath(report)).toBe(false);
  });

  it('is true for a township-tier report once its village moved to another township', () => {
    // Prepare
    const { report } = escalatedTo('township');

    // Act + Assess
    expect(ownerLeftPath({ ...report, townshipCode: OTHER_TOWNSHIP.code })).toBe(true);
  });

  it('leaves a department’s report, an unrouted one and a grid-tier one whose grid stayed', () => {
    // Prepare
    const { report: atDepartment } = escalatedTo('department');

    // Act + Assess
    expect(ownerLeftPath({ ...atDepartment, townshipCode: OTHER_TOWNSHIP.code })).toBe(false);
    expect(ownerLeftPath({ ...submittedReport(), gridCode: SIBLING_GRID.code })).toBe(false);
    expect(ownerLeftPath({ ...acceptedReport(), townshipCode: OTHER_TOWNSHIP.code })).toBe(false);
  });
});

describe('newReport', () => {
  it('keeps the names it was filed under when given them, and has none otherwise', () => {
    // Prepare
    const filedUnder = { countyName: '象州县', townshipName: '百丈乡', villageName: '那沙村', gridName: '那沙村第一网格' };
    const { id: _id, ...base } = submittedReport();

    // Act
    const { report } = newReport({ ...base, id: 'R0000000000000F1', jurisdiction: JURISDICTION, reporter: worker, filedUnder }, NOW);

    // Assess
    expect(report.filedUnder).toEqual(filedUnder);
    expect(submittedReport()).not.toHaveProperty('filedUnder');
  });
});

describe('refile', () => {
  const refiling: Refiling = {
    reason: 'moved',
    nodeCode: VILLAGE.code,
    to: { ...JURISDICTION, townshipCode: OTHER_TOWNSHIP.code },
    fromPath: [{ code: TOWNSHIP.code, name: TOWNSHIP.name }],
    toPath: [{ code: OTHER_TOWNSHIP.code, name: OTHER_TOWNSHIP.name }],
  };

  it('changes the codes, keeps the names it was filed under and records from where to where', () => {
    // Prepare
    const report = {
      ...acceptedReport(),
      filedUnder: { countyName: '象州县', townshipName: '百丈乡', villageName: '那沙村', gridName: '那沙村第一网格' },
    };

    // Act
    const { report: after, event } = refile(report, refiling, countyAdmin, NOW);

    // Assess
    expect(after).toMatchObject({ townshipCode: OTHER_TOWNSHIP.code, villageCode: VILLAGE.code, version: report.version + 1 });
    expect(after.filedUnder).toEqual(report.filedUnder);
    expect(after.tierSeq).toBe(report.tierSeq);
    expect(after.status).toBe('accepted');
    expect(event).toMatchObject({
      type: 'refiled',
      seq: report.lastEvent.seq + 1,
      actor: { id: countyAdmin.id },
      data: { reason: 'moved', node: VILLAGE.code, from: refiling.fromPath, to: refiling.toPath },
    });
  });

  it('hands the report to the new owner with a fresh assignment when one is given', () => {
    // Prepare
    const { report, at } = escalatedTo('township');

    // Act
    const { report: after, event } = refile(report, refiling, countyAdmin, at, {
      assignment: { ...assignmentFor('township'), ownerCode: OTHER_TOWNSHIP.code },
      deadlines: deadlinesFor('township', at),
    });

    // Assess
    expect(after).toMatchObject({ tierSeq: report.tierSeq + 1, ownerCode: OTHER_TOWNSHIP.code, status: 'assigned', waiting: null });
    expect(event.data).toMatchObject({ ownerCode: OTHER_TOWNSHIP.code });
  });

  it('refuses a closed report: it stays where it was filed', () => {
    // Prepare
    const closed = { ...acceptedReport(), status: 'closed' as const };

    // Act
    const error = thrownBy(() => refile(closed, refiling, countyAdmin, NOW));

    // Assess
    expect(error).toMatchObject({ code: 'REPORT.CLOSED' });
  });
});

describe('officersOf', () => {
  const person = (over: Partial<Person>): Person => ({
    id: 'x',
    name: 'x',
    phone: '+8613800000000',
    role: 'village_admin',
    scope: 'v',
    ...over,
  });

  it('keeps the active, responsible people of the level’s role', () => {
    // Prepare
    const people = [
      person({ id: 'secretary' }),
      person({ id: 'gone', active: false }),
      person({ id: 'deputy', responsible: false }),
      person({ id: 'worker', role: 'grid_worker' }),
    ];

    // Act
    const officers = officersOf('village', people);

    // Assess
    expect(officers.map((p) => p.id)).toEqual(['secretary']);
    expect(OFFICER_ROLE).toEqual({ county: 'county_admin', township: 'township_admin', village: 'village_admin', grid: 'grid_worker' });
  });
});

describe('normalizeContacts', () => {
  it('stores mobiles in E.164 and landlines with their area code', () => {
    // Act
    const result = normalizeContacts([
      { label: '村书记', name: '覃国庆', phone: '139 7720 1234' },
      { label: '综治中心值班电话', phone: '0772-4361234' },
      { label: '总机', phone: '+867724361234' },
    ]);

    // Assess
    expect(result).toEqual({
      contacts: [
        { label: '村书记', name: '覃国庆', phone: '+8613977201234' },
        { label: '综治中心值班电话', phone: '0772-4361234' },
        { label: '总机', phone: '+867724361234' },
      ],
    });
  });

  it('refuses a number that is neither, saying which contact', () => {
    // Act
    const result = normalizeContacts([
      { label: 'a', phone: '13977201234' },
      { label: 'b', phone: '12345' },
    ]);

    // Assess
    expect(result).toMatchObject({ problem: { code: 'NODE.CONTACT_PHONE' } });
    expect('problem' in result && result.problem.message).toContain('第2个联系方式');
  });

  it('refuses more than ten contacts', () => {
    // Act
    const result = normalizeContacts(Array.from({ length: 11 }, () => ({ label: 'a', phone: '13977201234' })));

    // Assess
    expect(result).toMatchObject({ problem: { code: 'NODE.CONTACTS_TOO_MANY' } });
  });
});
