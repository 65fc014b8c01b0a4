/**
 * Shared unit-test fixtures: a small jurisdiction tree, actors for every role, and reports built
 * through the core lifecycle functions (never hand-written), all on a fixed clock.
 */
import type { Urgency } from '#core/catalog.ts';
import { tierDeadlines } from '#core/deadlines.ts';
import type { Actor } from '#core/people.ts';
import { defaultPolicy, nextTier, type Tier } from '#core/policy.ts';
import { type Assignee, accept, assignFirstTier, escalate, newReport, type Report, type TierAssignment } from '#core/report.ts';
import { jurisdictionOf, makeNode } from '#core/tree.ts';

/** The fixed "now" every test starts from (09:00 Beijing time on a Monday). */
export const NOW = new Date('2026-03-23T01:00:00Z');

export function secondsAfter(base: Date, seconds: number): Date {
  return new Date(base.getTime() + seconds * 1000);
}

export const HOUR = 3600;

// ---- the tree: one county, two townships, a village with two grids, a second village elsewhere ----
export const COUNTY = makeNode({ code: '451322', name: '象州县', level: 'county', parent: null });
export const TOWNSHIP = makeNode({ code: '451322201', name: '百丈乡', level: 'township', parent: COUNTY });
export const VILLAGE = makeNode({ code: '451322201001', name: '那沙村', level: 'village', parent: TOWNSHIP });
export const GRID = makeNode({ code: '451322201001001', name: '那沙村第一网格', level: 'grid', parent: VILLAGE });
export const SIBLING_GRID = makeNode({ code: '451322201001002', name: '那沙村第二网格', level: 'grid', parent: VILLAGE });
export const OTHER_TOWNSHIP = makeNode({ code: '451322101', name: '石龙镇', level: 'township', parent: COUNTY });
export const OTHER_VILLAGE = makeNode({ code: '451322101001', name: '石龙社区', level: 'village', parent: OTHER_TOWNSHIP });
export const OTHER_GRID = makeNode({ code: '451322101001001', name: '石龙社区第一网格', level: 'grid', parent: OTHER_VILLAGE });

export const JURISDICTION = jurisdictionOf(GRID);

/** The department the fixture category (safety_hazard) falls to. */
export const DEPARTMENT_CODE = 'housing';
export const OTHER_DEPARTMENT_CODE = 'justice';
export const CATEGORY = 'safety_hazard';

// ---- actors ----
export const worker: Actor = { id: 'p-worker-1', name: '覃宏', role: 'grid_worker', scope: GRID.code };
export const siblingWorker: Actor = { id: 'p-worker-2', name: '韦丽萍', role: 'grid_worker', scope: SIBLING_GRID.code };
export const otherWorker: Actor = { id: 'p-worker-7', name: '陆海军', role: 'grid_worker', scope: OTHER_GRID.code };
export const villageAdmin: Actor = { id: 'p-village-1', name: '覃国庆', role: 'village_admin', scope: VILLAGE.code };
export const otherVillageAdmin: Actor = { id: 'p-village-3', name: '黄建平', role: 'village_admin', scope: OTHER_VILLAGE.code };
export const townshipAdmin: Actor = { id: 'p-township-1', name: '廖振华', role: 'township_admin', scope: TOWNSHIP.code };
export const otherTownshipAdmin: Actor = { id: 'p-township-2', name: '莫春梅', role: 'township_admin', scope: OTHER_TOWNSHIP.code };
export const countyAdmin: Actor = { id: 'p-county-admin', name: '覃卫东', role: 'county_admin', scope: COUNTY.code };
export const deptOfficer: Actor = { id: 'p-dept-housing', name: '蓝永福', role: 'department_officer', scope: DEPARTMENT_CODE };
export const otherDeptOfficer: Actor = { id: 'p-dept-justice', name: '黄丽娟', role: 'department_officer', scope: OTHER_DEPARTMENT_CODE };

export function asAssignee(actor: Actor): Assignee {
  return { id: actor.id, name: actor.name, role: actor.role };
}

/** The officers who answer for each tier of a report filed in GRID. */
export const TIER_OFFICER: Record<Tier, Actor> = {
  grid: worker,
  village: villageAdmin,
  township: townshipAdmin,
  department: deptOfficer,
  supervision: countyAdmin,
};

const TIER_OWNER: Record<Tier, { code: string; name: string }> = {
  grid: { code: GRID.code, name: GRID.name },
  village: { code: VILLAGE.code, name: VILLAGE.name },
  township: { code: TOWNSHIP.code, name: TOWNSHIP.name },
  department: { code: DEPARTMENT_CODE, name: '象州县住房和城乡建设局' },
  supervision: { code: COUNTY.code, name: COUNTY.name },
};

export function assignmentFor(
  tier: Tier,
  assignees: Actor[] = [TIER_OFFICER[tier]],
  skipped: TierAssignment['skipped'] = [],
): TierAssignment {
  const owner = TIER_OWNER[tier];
  return { tier, ownerCode: owner.code, ownerName: owner.name, assignees: assignees.map(asAssignee), skipped };
}

/** Deadlines for a tier from the default policy, starting at `start`, at time scale 1. */
export function deadlinesFor(tier: Tier, start: Date = NOW, urgency: Urgency = 'normal') {
  return tierDeadlines(start, defaultPolicy(CATEGORY, urgency).tiers[tier], 1);
}

export function submittedReport(overrides: { title?: string; urgency?: Urgency; id?: string } = {}, now: Date = NOW): Report {
  return newReport(
    {
      id: overrides.id ?? 'R0123456789ABCDE',
      jurisdiction: JURISDICTION,
      category: CATEGORY,
      urgency: overrides.urgency ?? 'normal',
      title: overrides.title ?? '那沙村便桥塌陷',
      description: '村口便桥桥面塌陷，村民无法通行。',
      location: { lat: 23.96, lng: 109.69, address: '象州县百丈乡那沙村村口' },
      photos: [],
      occurredAt: null,
      reporter: worker,
    },
    now,
  ).report;
}

/** A report assigned to the grid tier (the grid worker), with default-policy deadlines from NOW. */
export function assignedReport(
  options: { title?: string; assignees?: Actor[]; deadlines?: { acceptBy: string; completeBy: string } } = {},
): Report {
  const report = submittedReport({ title: options.title });
  return assignFirstTier(report, assignmentFor('grid', options.assignees), options.deadlines ?? deadlinesFor('grid'), NOW).report;
}

/** A report the grid worker accepted at NOW. */
export function acceptedReport(): Report {
  return accept(assignedReport(), worker, NOW).report;
}

/**
 * Escalates a report by timeout, tier after tier, until it reaches `target`. Each step happens at
 * the moment the current accept deadline passes. Returns the report and the time of the last step.
 */
export function escalatedTo(target: Tier): { report: Report; at: Date } {
  let report = assignedReport();
  let at = NOW;
  while (report.tier !== target) {
    at = new Date(Date.parse(report.acceptBy ?? ''));
    const next = nextTier(report.tier);
    if (next === null) throw new Error(`no tier above ${report.tier}`);
    report = escalate(report, { kind: 'timeout' }, assignmentFor(next), deadlinesFor(next, at), at).report;
  }
  return { report, at };
}

/** Runs `act` and returns what it threw; fails the test when it does not throw. */
export function thrownBy(act: () => unknown): unknown {
  try {
    act();
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to throw, but it returned');
}
