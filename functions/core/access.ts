/**
 * Object-level authorization, as pure checks on role + scope. Grid workers see their grid, admins
 * their subtree, department officers what was sent to their department; anyone ever assigned to a
 * report may still read it.
 */
import { ForbiddenError } from './errors.ts';
import { type Actor, isAdmin } from './people.ts';
import type { Report } from './report.ts';
import { isWithin, type TreeNode } from './tree.ts';

export function canRead(actor: Actor, report: Report): boolean {
  if (report.pastAssigneeIds.includes(actor.id)) return true;
  if (actor.role === 'grid_worker') return report.gridCode === actor.scope;
  if (actor.role === 'department_officer') return report.departmentCodes.includes(actor.scope);
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

/** Admins may escalate (提交上级 / 督办) any open report in their subtree, besides its assignees. */
export function mayEscalate(actor: Actor, report: Report): boolean {
  return report.assignees.some((a) => a.id === actor.id) || (isAdmin(actor.role) && isWithin(report, actor.scope));
}

export type ListScope = { kind: 'node'; node: TreeNode } | { kind: 'department'; departmentCode: string };

/** The node listing a caller may see: their own scope, or a node inside it. */
export function assertCanListNode(actor: Actor, node: TreeNode): void {
  const inside = actor.role === 'grid_worker' ? node.code === actor.scope : node.path.includes(actor.scope);
  if (actor.role === 'department_officer' || !inside) {
    throw new ForbiddenError('NODE.OUT_OF_SCOPE', `node ${node.code} is outside your scope`);
  }
}
