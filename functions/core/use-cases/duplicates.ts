/**
 * Duplicates (core/duplicates.ts) against the stores: the suggestions on filing and on a report's
 * page, read by one bounded Query of the grid's listing; the merge of a duplicate into its parent;
 * and, when a parent closes, the SMS to each merged report's reporter.
 */
import type { SmsRecord } from '#ports/reports.ts';
import { assertCanRead, canRead } from '../access.ts';
import {
  absorbMerged,
  assertMergeable,
  DUPLICATE_CANDIDATE_LIMIT,
  DUPLICATE_RADIUS_METERS,
  DUPLICATE_WINDOW_DAYS,
  type DuplicateSuggestion,
  duplicateSuggestions,
  duplicateWindow,
  type MergeRelative,
  mergeAway,
  mergeRelative,
  noteParentClosed,
} from '../duplicates.ts';
import type { Actor } from '../people.ts';
import { currentDeadline, isOpen, type Report } from '../report.ts';
import { mergedParentClosedSms } from '../sms-templates.ts';
import type { Deps } from './deps.ts';
import { loadReport, mutateReport, wakeAfterStored } from './mutate.ts';
import type { PhotoDeps } from './photos.ts';
import { type CreateReportInput, createReport } from './reports.ts';
import { deliverOnce } from './sms-delivery.ts';

/**
 * The reports of the same grid and category filed in the window, newest first: one Query of the
 * grid's listing (byGrid, the window in its key condition, the category as a filter), bounded.
 */
async function candidatesFor(deps: Pick<Deps, 'reports'>, report: Report, side: 'before' | 'around'): Promise<Report[]> {
  const { from, to } = duplicateWindow(report, side);
  const page = await deps.reports.list({
    node: { code: report.gridCode, level: 'grid', path: [report.countyCode, report.townshipCode, report.villageCode, report.gridCode] },
    category: report.category,
    createdFrom: from,
    createdTo: to,
    excludingId: report.id,
    limit: DUPLICATE_CANDIDATE_LIMIT,
    ...(report.location ? { near: { location: report.location, meters: DUPLICATE_RADIUS_METERS } } : {}),
  });
  return page.items;
}

/**
 * Files a report (createReport) and suggests the open reports it may duplicate. Only reports
 * filed before it count, so a replay of the same submission suggests what the first answer did
 * (less any that closed meanwhile).
 */
export async function fileReport(
  deps: PhotoDeps,
  actor: Actor,
  input: CreateReportInput,
  idempotencyKey: string,
): Promise<{ report: Report; replayed: boolean; possibleDuplicates: DuplicateSuggestion[] }> {
  const filed = await createReport(deps, actor, input, idempotencyKey);
  const possibleDuplicates = duplicateSuggestions(actor, filed.report, await candidatesFor(deps, filed.report, 'before'));
  return { ...filed, possibleDuplicates };
}

export interface ReportDuplicates {
  reportId: string;
  radiusMeters: number;
  windowDays: number;
  /** Open reports that may be the same case (none once this one is closed or merged). */
  items: DuplicateSuggestion[];
  /** The report this one was merged into, when the reader may read it. */
  parent: MergeRelative | null;
  /** The duplicates merged into this one that the reader may read. */
  children: MergeRelative[];
}

/** A report page's duplicates: suggestions filed up to the window before or after it, its parent, its merged children. */
export async function reportDuplicates(deps: Deps, actor: Actor, id: string): Promise<ReportDuplicates> {
  const report = await loadReport(deps, id);
  assertCanRead(actor, report);
  const items = isOpen(report) ? duplicateSuggestions(actor, report, await candidatesFor(deps, report, 'around')) : [];
  const relatives = await Promise.all(
    [report.mergedInto, ...(report.mergedChildren ?? [])].map((relative) => (relative ? deps.reports.get(relative) : null)),
  );
  const readable = (r: Report | null | undefined): r is Report => r != null && canRead(actor, r);
  const [parent, ...children] = relatives;
  return {
    reportId: report.id,
    radiusMeters: DUPLICATE_RADIUS_METERS,
    windowDays: DUPLICATE_WINDOW_DAYS,
    items,
    parent: readable(parent) ? mergeRelative(parent) : null,
    children: children.filter(readable).map(mergeRelative),
  };
}

export interface MergeInput {
  parentId: string;
  note?: string;
}

/**
 * 合并: the duplicate `childId` ends as merged into `parentId`, then the parent records it (and
 * takes the earlier deadline). No transaction spans the two: the child is written first, and a
 * retry of the same merge finds it merged into this parent, changes nothing on it and finishes the
 * parent's side if a crash left it undone, so a repeated merge is a 200 with no second event.
 */
export async function mergeReport(
  deps: Deps,
  actor: Actor,
  childId: string,
  input: MergeInput,
): Promise<{ report: Report; parent: Report }> {
  let parentSeen: Report | undefined;
  let replay = false;
  const merged = await mutateReport(deps, childId, async (child) => {
    assertCanRead(actor, child);
    const parent = await loadReport(deps, input.parentId);
    parentSeen = parent;
    replay = assertMergeable(actor, child, parent) === 'replay';
    return replay ? null : mergeAway(child, parent, actor, deps.clock.now(), input.note);
  });
  const child = merged.after;
  // The deadline to compare is the one the duplicate raced before it merged (a replay that finds the
  // parent's side undone has only the merged report, whose deadline no longer runs).
  const raced = replay ? child : merged.before;
  const absorbed = await mutateReport(deps, input.parentId, (parent) => absorbMerged(parent, raced, actor, deps.clock.now()), parentSeen);
  // The duplicate's workflow ends at its next advance; the parent's re-plans when its deadline moved.
  if (!replay && merged.before.waiting) await wakeAfterStored(deps, merged.before.waiting.token);
  if (currentDeadline(absorbed.before) !== currentDeadline(absorbed.after) && absorbed.before.waiting) {
    await wakeAfterStored(deps, absorbed.before.waiting.token);
  }
  // The parent closed between the checks and its write: nothing else will tell this reporter.
  if (absorbed.after.status === 'closed') await tellMergedReporters(deps, absorbed.after);
  return { report: child, parent: absorbed.after };
}

/**
 * Texts the reporter of a merged report that its parent closed, once: the SMS is claimed by a key
 * of its own (parent and recipient), so a retried advance sends nothing twice. Returns whether the
 * reporter was (or had already been) texted.
 */
async function textReporter(deps: Deps, child: Report, parent: Report): Promise<boolean> {
  const person = await deps.directory.getPerson(child.reporter.id);
  if (!person) return false;
  const now = deps.clock.now();
  const text = mergedParentClosedSms(child, person.name);
  const record: SmsRecord = {
    reportId: child.id,
    key: `MERGED#${parent.id}#${person.id}`,
    tierSeq: child.tierSeq,
    reminder: 0,
    toId: person.id,
    toName: person.name,
    ...(person.title ? { toTitle: person.title } : {}),
    to: person.phone,
    text,
    status: 'sending',
    attempts: 1,
    at: now.toISOString(),
  };
  const listing = {
    path: [child.countyCode, child.townshipCode, child.villageCode, child.gridCode],
    reportTitle: child.title,
    tier: child.tier,
  };
  // Claimed before (a retry after a crash): it counts as told, never texted twice.
  return (await deliverOnce(deps, record, listing, text)) !== 'failed';
}

/**
 * A closed report's merged duplicates: each reporter is texted and each duplicate's timeline gets
 * a note. Runs at the end of every closed report's workflow (whatever closed it) and is idempotent:
 * a duplicate already noted is skipped, and its SMS claim stops a second text after a crash.
 */
export async function tellMergedReporters(deps: Deps, parent: Report): Promise<void> {
  if (parent.status !== 'closed') return;
  for (const childId of parent.mergedChildren ?? []) {
    const child = await deps.reports.get(childId);
    if (!child || child.mergedInto !== parent.id || child.parentClosedAt !== undefined) continue;
    const told = await textReporter(deps, child, parent);
    await mutateReport(deps, child.id, (current) => noteParentClosed(current, parent, deps.clock.now(), told), child);
  }
}
