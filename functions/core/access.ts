/**
 * Object-level authorization, as pure checks on role + scope. Grid workers see their grid, admins
 * their subtree, department officers what was sent to their department; anyone ever assigned to a
 * report may still read it.
 */
import { summonedDepartments } from './assignments.ts';
import { ForbiddenError } from './errors.ts';
import type { Actor, Role } from './people.ts';
import { TIERS, type Tier } from './policy.ts';
import type { Report } from './report.ts';
import { isWithin, type TreeNode } from './tree.ts';

export function canRead(actor: Actor, report: Report): boolean {
  if (report.pastAssigneeIds.includes(actor.id)) return true;
  if (actor.role === 'grid_worker') return report.gridCode === actor.scope;
  if (actor.role === 'department_officer') {
    return report.departmentCodes.includes(actor.scope) || summonedDepartments(report).includes(actor.scope);
  }
  return isWithin(report, actor.scope);
}

export function assertCanRead(actor: Actor, report: Report): void {
  if (!canRead(actor, report)) throw new ForbiddenError('REPORT.OUT_OF_SCOPE', 'this report is outside your scope');
}

/** Only a grid worker files reports, and only for their own grid. */
export function assertCanReportFor(actor: Actor, grid: TreeNode): void {
  if (actor.role !== 'grid_worker') throw new ForbiddenError('REPORT.WORKERS_ONLY', 'only grid workers file reports');
  if (grid.code !== actor.scope) throw new ForbiddenError('GRID.NOT_YOURS', `you report for grid ${actor.scope} only`);
}

/** The highest tier each admin answers for: above it the report is someone else's to move. */
const ADMIN_REACH: Partial<Record<Role, Tier>> = { village_admin: 'village', township_admin: 'township', county_admin: 'supervision' };

/**
 * Besides its assignees, an admin may escalate (提交上级 / 督办) an open report in their subtree
 * while it sits at their own tier or below: a village secretary cannot push a township's case on.
 */
export function mayEscalate(actor: Actor, report: Report): boolean {
  if (report.assignees.some((a) => a.id === actor.id)) return true;
  const reach = ADMIN_REACH[actor.role];
  return reach !== undefined && isWithin(report, actor.scope) && TIERS.indexOf(report.tier) <= TIERS.indexOf(reach);
}

const ADMINS: ReadonlySet<Role> = new Set(['village_admin', 'township_admin', 'county_admin']);

/**
 * Who may whistle (吹哨) departments to an open report: the officers of the tier holding it now,
 * and every admin whose subtree holds it, whatever the tier (网格吹哨 is any tier's to blow).
 */
export function mayWhistle(actor: Actor, report: Report): boolean {
  if (report.status !== 'assigned' && report.status !== 'accepted') return false;
  if (report.assignees.some((a) => a.id === actor.id)) return true;
  return ADMINS.has(actor.role) && isWithin(report, actor.scope);
}

/**
 * Who may mark a note public (the Open311 feed shows it): the officers acting on the report now,
 * and the admins whose subtree holds it. Not a past assignee, a department that no longer has it,
 * nor the reporter as such: what the public reads about a resident is an official's decision.
 */
export function mayPublishNote(actor: Actor, report: Report): boolean {
  if (report.assignees.some((a) => a.id === actor.id)) return true;
  return ADMINS.has(actor.role) && isWithin(report, actor.scope);
}

export function assertMayPublishNote(actor: Actor, report: Report): void {
  if (!mayPublishNote(actor, report)) {
    throw new ForbiddenError('NOTE.NOT_PUBLISHABLE', 'only the officers it is assigned to, or an admin over it, may make a note public');
  }
}

export type ListScope = { kind: 'node'; node: TreeNode } | { kind: 'department'; departmentCode: string };

/** The node listing a caller may see: their own scope, or a node inside it. */
export function assertCanListNode(actor: Actor, node: TreeNode): void {
  const inside = actor.role === 'grid_worker' ? node.code === actor.scope : node.path.includes(actor.scope);
  if (actor.role === 'department_officer' || !inside) {
    throw new ForbiddenError('NODE.OUT_OF_SCOPE', `node ${node.code} is outside your scope`);
  }
}
