/**
 * Optimistic concurrency without transactions: read, apply a pure change, write if nobody else
 * wrote in between, otherwise read again and re-decide. A change that no longer applies after the
 * re-read throws its own domain error (e.g. 409 already accepted), which is the honest answer.
 */

import { VersionConflictError } from '#ports/reports.ts';
import { NotFoundError } from '../errors.ts';
import type { Change, Report } from '../report.ts';
import type { Deps } from './deps.ts';
import { applyFactsAfterStored, factsOfChange, projectAfterStored } from './outcomes.ts';

const MAX_ATTEMPTS = 8;

export async function loadReport(deps: Deps, id: string): Promise<Report> {
  const report = await deps.reports.get(id);
  if (!report) throw new NotFoundError('REPORT.NOT_FOUND', `report ${id} does not exist`);
  return report;
}

/**
 * `decide` returns the change to make, or null for "nothing to do". Returns the report as stored
 * afterwards, and the report as it was read before the winning write. `known` is the report as
 * the caller just read or wrote it: the first attempt decides on it instead of reading again (a
 * stale copy only costs a version conflict and a fresh read).
 */
export async function mutateReport(
  deps: Deps,
  id: string,
  decide: (report: Report) => Promise<Change | Report | null> | Change | Report | null,
  known?: Report,
  /**
   * The caller writes the report again right away (assign is always followed by its notification):
   * the projection's mark goes with that write instead of a write of its own. Should that write
   * not come, the report stays listed as pending and the catch-up marks it (exactly: the facts are in).
   */
  options: { markWithNextWrite?: boolean } = {},
): Promise<{ before: Report; after: Report; changed: boolean }> {
  for (let attempt = 1; ; attempt++) {
    const before = attempt === 1 && known?.id === id ? known : await loadReport(deps, id);
    const outcome = await decide(before);
    // Nothing to write, but the outcomes of an earlier write may still be owed (a crash after it).
    if (outcome === null) {
      const caughtUp = await projectAfterStored(deps, before);
      return { before: caughtUp, after: caughtUp, changed: false };
    }
    const isChange = 'event' in outcome && 'report' in outcome;
    // The facts still owed are known before the write (factsOfChange): when there are none the
    // change is stored as projected (no marker, no mark afterwards).
    const facts = isChange ? await factsOfChange(deps, before, outcome) : null;
    const changed = isChange ? outcome.report : outcome;
    const after = facts?.length === 0 ? { ...changed, outcomesSeq: changed.lastEvent.seq } : changed;
    try {
      await deps.reports.save(after, before.version, isChange ? outcome.event : undefined);
      const projected =
        facts && facts.length > 0 ? await applyFactsAfterStored(deps, after, facts, options) : await projectAfterStored(deps, after);
      return { before, after: projected, changed: true };
    } catch (error) {
      if (!(error instanceof VersionConflictError) || attempt >= MAX_ATTEMPTS) throw error;
    }
  }
}

/**
 * Wakes the workflow task that waited on a report after an action was stored. The action stands
 * whatever happens here: if the wake-up fails (or the process dies before it), the token stays on
 * the report and the reconciler wakes it (waitingTokenIsStale), so the caller is not told that a
 * stored action failed. Returns whether the wake-up went through.
 */
export async function wakeAfterStored(deps: Deps, token: string): Promise<boolean> {
  try {
    await deps.workflow.wake(token);
    return true;
  } catch {
    return false;
  }
}
