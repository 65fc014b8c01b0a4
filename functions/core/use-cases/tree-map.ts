/**
 * The map of a subtree for the admins who hold the node: one pass over the subtree in path order
 * (GSI2, a page of many nodes per request) and one over its open reports, read at once, so a
 * county's map costs its number of pages, never a request per node (core/tree-map.ts says what it
 * holds and where it stops).
 */
import { assertCanManageNode } from '../admin-access.ts';
import { DomainRefusalError, NotFoundError } from '../errors.ts';
import type { Actor } from '../people.ts';
import type { NodeLevel } from '../tree.ts';
import { mapLevelProblem, type SubtreeMap, SubtreeMapBuilder } from '../tree-map.ts';
import type { Deps } from './deps.ts';

/** Nodes per subtree page: boundaries make them large, and DynamoDB stops a page at 1 MB anyway. */
const SUBTREE_PAGE = 1000;

export async function mapOfSubtree(
  deps: Pick<Deps, 'directory' | 'reports' | 'clock'>,
  actor: Actor,
  code: string,
  options: { level?: NodeLevel } = {},
): Promise<SubtreeMap> {
  const node = await deps.directory.getNode(code);
  if (!node) throw new NotFoundError('NODE.NOT_FOUND', `node ${code} does not exist`);
  assertCanManageNode(actor, node);
  const level = options.level ?? 'grid';
  const problem = mapLevelProblem(node, level);
  if (problem) throw new DomainRefusalError(problem.code, problem.message);

  const map = new SubtreeMapBuilder(node, level, deps.clock.now());
  // A map refused half-way (too large) stops the other pass too, rather than reading on for nothing.
  let refused = false;
  const readNodes = async () => {
    let cursor: string | undefined;
    do {
      const page = await deps.directory.listSubtree(node.path, { limit: SUBTREE_PAGE, cursor });
      for (const item of page.items) map.addNode(item);
      cursor = page.nextCursor ?? undefined;
    } while (cursor && !refused);
  };
  const readReports = async () => {
    for await (const report of deps.reports.openReportsUnder(node)) {
      if (refused) break;
      map.addReport(report);
    }
  };
  const stopOnFailure = (pass: Promise<void>) =>
    pass.catch((error: unknown) => {
      refused = true;
      throw error;
    });
  await Promise.all([stopOnFailure(readNodes()), stopOnFailure(readReports())]);
  return map.build();
}
