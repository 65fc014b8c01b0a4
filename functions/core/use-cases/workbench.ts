/** The workbench (工作台): the waiting reports of the reader's scope, most urgent first, with counts. */
import { assertCanListNode } from '../access.ts';
import { asSeenByDepartment } from '../assignments.ts';
import { ForbiddenError, NotFoundError } from '../errors.ts';
import type { Actor } from '../people.ts';
import type { Report } from '../report.ts';
import type { NodeLevel } from '../tree.ts';
import { summarizeWorkbench, type WorkbenchSummary } from '../workbench.ts';
import type { Deps } from './deps.ts';

export type WorkbenchScope = { kind: 'node'; code: string; name: string; level: NodeLevel } | { kind: 'department'; code: string };

export interface Workbench extends WorkbenchSummary {
  /** The server's clock when it was read: time left is counted from here, not from the reader's clock. */
  now: string;
  scope: WorkbenchScope;
}

/**
 * Admins read their subtree or a node inside it, grid workers their grid, department officers
 * what reached their department. One pass over the open reports: the byDue index hands a node's
 * in deadline order; a department's come by filing date and are ranked as they pass.
 */
/** A summoned department's reports as its lane shows them (assignments.ts asSeenByDepartment). */
async function* departmentView(reports: AsyncIterable<Report>, departmentCode: string): AsyncIterable<Report> {
  for await (const report of reports) yield asSeenByDepartment(report, departmentCode);
}

export async function readWorkbench(
  deps: Pick<Deps, 'directory' | 'reports' | 'clock'>,
  actor: Actor,
  input: { node?: string },
): Promise<Workbench> {
  const now = deps.clock.now();
  if (actor.role === 'department_officer') {
    if (input.node !== undefined) throw new ForbiddenError('NODE.OUT_OF_SCOPE', 'department officers read their department’s workbench');
    const summary = await summarizeWorkbench(departmentView(deps.reports.openReportsOfDepartment(actor.scope), actor.scope), actor, now);
    return { now: now.toISOString(), scope: { kind: 'department', code: actor.scope }, ...summary };
  }
  const code = input.node ?? actor.scope;
  const node = await deps.directory.getNode(code);
  if (!node) throw new NotFoundError('NODE.NOT_FOUND', `node ${code} does not exist`);
  assertCanListNode(actor, node);
  const summary = await summarizeWorkbench(deps.reports.openReportsUnder(node), actor, now);
  return { now: now.toISOString(), scope: { kind: 'node', code: node.code, name: node.name, level: node.level }, ...summary };
}
