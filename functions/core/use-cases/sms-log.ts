/**
 * The SMS log: every SMS sent for the reports of an admin's subtree, newest first, with its status
 * and its report. It is the admins' (who was told, did it arrive); a department officer sees the
 * SMS of the reports that reached their department on each report, a grid worker those of their
 * grid's. Numbers and links are masked by the HTTP edge, as on a report (present.ts).
 */
import type { SmsLogEntry, SmsRecord } from '#ports/reports.ts';
import type { Page } from '#ports/versioning.ts';
import { assertCanManageNode, isManager } from '../admin-access.ts';
import { ForbiddenError, NotFoundError } from '../errors.ts';
import type { Actor } from '../people.ts';
import type { Deps } from './deps.ts';

export interface SmsLogInput {
  /** A node in the admin's subtree (default: their scope). */
  node?: string;
  status?: SmsRecord['status'];
  cursor?: string;
  limit: number;
}

export async function listSmsLog(deps: Pick<Deps, 'directory' | 'reports'>, actor: Actor, input: SmsLogInput): Promise<Page<SmsLogEntry>> {
  if (!isManager(actor)) throw new ForbiddenError('SMS.ADMINS_ONLY', 'the SMS log is for admins; a report shows its own SMS');
  const code = input.node ?? actor.scope;
  const node = await deps.directory.getNode(code);
  if (!node) throw new NotFoundError('NODE.NOT_FOUND', `node ${code} does not exist`);
  assertCanManageNode(actor, node);
  return deps.reports.smsLog({
    node: { code: node.code, path: node.path },
    status: input.status,
    cursor: input.cursor,
    limit: input.limit,
  });
}
