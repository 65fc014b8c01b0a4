/**
 * Optimistic concurrency without transactions: read, apply a pure change, write if nobody else
 * wrote in between, otherwise read again and re-decide. A change that no longer applies after the
 * re-read throws its own domain error (e.g. 409 already accepted), which is the honest answer.
 */

import { VersionConflictError } from '#ports/reports.ts';
import { NotFoundError } from '../errors.ts';
import type { Change, Report } from '../report.ts';
import type { Deps } from './deps.ts';

const MAX_ATTEMPTS = 8;

export async function loadReport(deps: Deps, id: string): Promise<Report> {
  const report = await deps.reports.get(id);
  if (!report) throw new NotFoundError('REPORT.NOT_FOUND', `report ${id} does not exist`);
  return report;
}

/**
 * `decide` returns the change to make, or null for "nothing to do". Returns the report as stored
 * afterwards, and the report as it was read before the winning write.
 */
export async function mutateReport(
  deps: Deps,
  id: string,
  decide: (report: Report) => Promise<Change | Report | null> | Change | Report | null,
): Promise<{ before: Report; after: Report; changed: boolean }> {
  for (let attempt = 1; ; attempt++) {
    const before = await loadReport(deps, id);
    const outcome = await decide(before);
    if (outcome === null) return { before, after: before, changed: false };
    const isChange = 'event' in outcome && 'report' in outcome;
    const after = isChange ? outcome.report : outcome;
    try {
      await deps.reports.save(after, before.version, isChange ? outcome.event : undefined);
      return { before, after, changed: true };
    } catch (error) {
      if (!(error instanceof VersionConflictError) || attempt >= MAX_ATTEMPTS) throw error;
    }
  }
}
