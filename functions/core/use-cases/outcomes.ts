/**
 * Outcomes (考核, README §Metrics): projecting each report's timeline into the per-node per-day
 * counters, catching up after a crash, and reading the figures of a node and a date range.
 */

import type { EventFacts } from '#ports/outcomes.ts';
import { assertCanListNode } from '../access.ts';
import { ForbiddenError, NotFoundError, ValidationError } from '../errors.ts';
import {
  beijingDay,
  type Counter,
  METRIC_NAMES,
  METRICS,
  type Metric,
  type OutcomeFact,
  outcomeFacts,
  percentiles,
  ratio,
  settlesNothing,
} from '../outcomes.ts';
import type { Actor } from '../people.ts';
import { TIERS } from '../policy.ts';
import type { Change, Report, TimelineEvent } from '../report.ts';
import type { Deps } from './deps.ts';
import { policyFor, policyTimeFor } from './routing.ts';

/**
 * Applies the facts of every event the report's projection has not seen yet, in seq order, then
 * records how far it got. Safe to run any number of times, concurrently too (the store applies a
 * fact once); a timeline with a gap (an event write still to be repaired) is projected up to the
 * gap only. Returns the seq projected up to. `stored` is the report as its caller just stored or
 * read it (no read of it again); the events come from one Query of the event items alone.
 */
export async function projectOutcomes(deps: Deps, reportId: string, stored?: Report): Promise<number | null> {
  const store = deps.outcomes;
  if (!store) return null;
  const report = stored?.id === reportId ? stored : await deps.reports.get(reportId);
  if (!report) return null;
  const events = await contiguousTimeline(deps, report);
  const done = report.outcomesSeq ?? 0;
  const contiguous = events.at(-1)?.seq ?? 0;
  if (contiguous <= done) return done;
  const pending = byEvent(await factsOf(deps, report, events, done));
  if (pending.length > 0) await store.apply({ id: report.id, title: report.title }, pending);
  await store.markProjected(report.id, contiguous);
  return contiguous;
}

/** The stored timeline up to its first gap (an event write still to be repaired), the report item's last event included. */
async function contiguousTimeline(deps: Deps, report: Report): Promise<TimelineEvent[]> {
  // A report just filed has one event, which its item carries: nothing to read (the first assignment's facts).
  if (report.lastEvent.seq === 1) return [report.lastEvent];
  const timeline = await deps.reports.getEvents(report.id);
  // The last event is also on the report item: if a crash lost its own item, the projection still sees it.
  if (!timeline.some((e) => e.seq === report.lastEvent.seq)) timeline.push(report.lastEvent);
  timeline.sort((a, b) => a.seq - b.seq);
  let contiguous = 0;
  for (const event of timeline) {
    if (event.seq !== contiguous + 1) break;
    contiguous = event.seq;
  }
  return timeline.slice(0, contiguous);
}

/** The facts of the events after `done`, folded over the whole timeline. */
async function factsOf(deps: Deps, report: Report, events: readonly TimelineEvent[], done: number): Promise<OutcomeFact[]> {
  // Only a resolution counts working time: the policy's calendar is read when one is still to be projected.
  const countsWorkingTime = events.some((e) => e.seq > done && e.type === 'resolved');
  const time = countsWorkingTime ? await policyTimeFor(deps, report, await policyFor(deps, report)) : null;
  return outcomeFacts(report, events, time ? (from, to) => time.between(from, to) : undefined).filter((f) => f.seq > done);
}

/** The facts of the events after `done`, grouped by event in seq order (events that settle nothing left out). */
function byEvent(facts: readonly OutcomeFact[]): EventFacts[] {
  const bySeq = new Map<number, OutcomeFact[]>();
  for (const fact of facts) bySeq.set(fact.seq, [...(bySeq.get(fact.seq) ?? []), fact]);
  return [...bySeq.keys()].sort((a, b) => a - b).map((seq) => ({ seq, facts: bySeq.get(seq) ?? [] }));
}

/**
 * A change's outcome facts, known before it is stored: the facts of the change's event, and of any
 * stored event the projection has not seen yet (the filing's, which nothing projects on its own),
 * follow from the stored timeline and the event, so the write that stores the change needs no
 * projection read afterwards, and none at all when nothing is settled (a notification, a comment:
 * stored as projected, no marker). Null when the timeline has a gap (the full projection after the
 * save catches up) or no counters are kept.
 */
export async function factsOfChange(deps: Deps, before: Report, change: Change): Promise<EventFacts[] | null> {
  if (!deps.outcomes || change.event.seq !== before.lastEvent.seq + 1) return null;
  const done = before.outcomesSeq ?? 0;
  if (done >= before.lastEvent.seq && settlesNothing(change.event)) return [];
  const events = await contiguousTimeline(deps, before);
  if ((events.at(-1)?.seq ?? 0) !== before.lastEvent.seq) return null;
  return byEvent(await factsOf(deps, change.report, [...events, change.event], done));
}

/** After a change whose facts were known before it was stored (factsOfChange): they are applied and the projection marked. */
export async function applyFactsAfterStored(
  deps: Deps,
  report: Report,
  pending: readonly EventFacts[],
  options: { markWithNextWrite?: boolean } = {},
): Promise<Report> {
  const store = deps.outcomes;
  if (!store) return report;
  try {
    await store.apply({ id: report.id, title: report.title }, pending);
    // The caller's next write stores the mark (mutateReport's markWithNextWrite).
    if (options.markWithNextWrite) return { ...report, outcomesSeq: report.lastEvent.seq };
    const caughtUp = await store.markProjected(report.id, report.lastEvent.seq);
    return caughtUp ? { ...report, outcomesSeq: report.lastEvent.seq } : report;
  } catch {
    // The change stands: the report stays listed as pending, and the next change or the catch-up projects it.
    return report;
  }
}

/**
 * After a report change is stored: bring its outcomes up to date. The change stands whatever
 * happens here; a projection cut short leaves the report listed as pending, and the next change
 * or the reconciler's catch-up finishes it. Returns the report with the seq it is projected to,
 * the same version as stored, so a caller writing again does not set the marker back.
 */
export async function projectAfterStored(deps: Deps, report: Report): Promise<Report> {
  if (!deps.outcomes || (report.outcomesSeq ?? 0) >= report.lastEvent.seq) return report;
  try {
    const seq = await projectOutcomes(deps, report.id, report);
    return seq !== null && seq === report.lastEvent.seq ? { ...report, outcomesSeq: seq } : report;
  } catch {
    return report;
  }
}

/** The reconciler's and the boot's catch-up: every report whose timeline is ahead of its projection. */
export async function catchUpOutcomes(deps: Deps): Promise<number> {
  if (!deps.outcomes) return 0;
  let count = 0;
  for await (const id of deps.outcomes.pending()) {
    await projectOutcomes(deps, id);
    count++;
  }
  return count;
}

/**
 * Days a compaction leaves alone: today's and yesterday's (Beijing). A step that applied facts and
 * has not marked its projection yet is minutes old at most, and its facts are dated by its events;
 * this keeps a compaction well clear of it even with clocks a little apart.
 */
export const COMPACTION_HORIZON_DAYS = 2;
/** Days a compaction looks back over again: later events count on their report's earlier days (a resolution on its day of receipt). */
export const COMPACTION_LOOKBACK_DAYS = 30;
const COMPACTION_PAGE = 200;

/** The Beijing day `days` before another. */
export function daysBefore(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) - days * 86_400_000).toISOString().slice(0, 10);
}

/**
 * The reconciler's nightly compaction of the outcome counters (OutcomeStore.compact), county by
 * county: the days since the last run (with a lookback) up to the horizon, every node of the
 * county's subtree. Runs at most once a day per county; a run cut short by `until` records where
 * it stopped and the next run goes on from there. Safe at any time and concurrently (each
 * watermark is dropped only while it holds what was read).
 */
export async function compactOutcomes(
  deps: Pick<Deps, 'outcomes' | 'directory' | 'clock'>,
  run: { until?: Date } = {},
): Promise<{ nodes: number; watermarks: number; finished: boolean }> {
  const store = deps.outcomes;
  const result = { nodes: 0, watermarks: 0, finished: true };
  if (!store) return result;
  const to = daysBefore(beijingDay(deps.clock.now()), COMPACTION_HORIZON_DAYS);
  for (const county of await deps.directory.listRoots()) {
    const mark = await store.compaction(county.code);
    if (!mark.running && mark.through !== undefined && mark.through >= to) continue;
    const running = mark.running ?? { from: mark.through ? daysBefore(mark.through, COMPACTION_LOOKBACK_DAYS) : '0000-01-01', to };
    let cursor = running.cursor;
    do {
      if (run.until && deps.clock.now() >= run.until) {
        await store.markCompaction(county.code, {
          ...mark,
          running: { from: running.from, to: running.to, ...(cursor ? { cursor } : {}) },
        });
        return { ...result, finished: false };
      }
      const page = await deps.directory.listSubtree(county.path, { limit: COMPACTION_PAGE, cursor });
      result.watermarks += await store.compact(
        page.items.map((node) => node.code),
        running.from,
        running.to,
      );
      result.nodes += page.items.length;
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    await store.markCompaction(county.code, { through: running.to });
  }
  return result;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;
export const STATS_MAX_DAYS = 366;

function daysBetween(from: string, to: string): string[] {
  const days: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += 86_400_000) {
    days.push(new Date(t).toISOString().slice(0, 10));
  }
  return days;
}

/** The range asked for, in Beijing days: by default the 30 days up to today. */
function statsRange(input: { from?: string; to?: string }, now: Date): { from: string; to: string } {
  const to = input.to ?? beijingDay(now);
  const from = input.from ?? new Date(Date.parse(`${to}T00:00:00Z`) - 29 * 86_400_000).toISOString().slice(0, 10);
  for (const d of [from, to]) {
    // Date.parse rolls 2026-02-30 over to 2 March rather than failing: a real day reads back as itself.
    const parsed = Date.parse(`${d}T00:00:00Z`);
    if (!DAY.test(d) || Number.isNaN(parsed) || new Date(parsed).toISOString().slice(0, 10) !== d) {
      throw new ValidationError('STATS.INVALID_DAY', `${d} is not a day (YYYY-MM-DD, Beijing time)`);
    }
  }
  if (from > to) throw new ValidationError('STATS.DATE_RANGE_INVERTED', 'from is after to');
  if (daysBetween(from, to).length > STATS_MAX_DAYS) {
    throw new ValidationError('STATS.DATE_RANGE_TOO_LONG', `a range covers at most ${STATS_MAX_DAYS} days`);
  }
  return { from, to };
}

/** The node an admin asks about: village, township and county admins, inside their scope. */
async function statsNode(deps: Pick<Deps, 'directory'>, actor: Actor, code: string | undefined) {
  if (actor.role !== 'county_admin' && actor.role !== 'township_admin' && actor.role !== 'village_admin') {
    throw new ForbiddenError('STATS.ADMINS_ONLY', 'outcomes are for the admins of a village, township or county');
  }
  const node = await deps.directory.getNode(code ?? actor.scope);
  if (!node) throw new NotFoundError('NODE.NOT_FOUND', `node ${code} does not exist`);
  assertCanListNode(actor, node);
  return node;
}

export interface Figure {
  numerator: number;
  denominator: number | null;
  value: number | null;
  /** The key of its definition in README §Metrics (and the console's tooltip). */
  definition: Metric;
  reports: { numerator: string; denominator: string | null };
}

type Sums = Record<string, number>;

function sumDays(byDay: Record<string, Sums>): Sums {
  const total: Sums = {};
  for (const day of Object.values(byDay)) for (const [k, v] of Object.entries(day)) total[k] = (total[k] ?? 0) + v;
  return total;
}

const rateOf = (sums: Sums, metric: Metric, suffix = '') => {
  const { numerator, denominator } = METRICS[metric];
  const n = sums[`${numerator}${suffix}`] ?? 0;
  return denominator === null ? { numerator: n, denominator: null, value: n } : ratio(n, sums[`${denominator}${suffix}`] ?? 0);
};

/** The figures a breakdown row carries: a rate as n / N for each rate, counts for the rest. */
function row(sums: Sums, suffix: string, gauge: Sums) {
  return {
    received: sums[`received${suffix}`] ?? 0,
    acceptedOnTime: rateOf(sums, 'acceptedOnTime', suffix),
    completedOnTime: rateOf(sums, 'completedOnTime', suffix),
    resolution: rateOf(sums, 'resolution', suffix),
    satisfaction: rateOf(sums, 'satisfaction', suffix),
    breaches: sums[`breach${suffix}`] ?? 0,
    overdueNow: gauge[`overdue${suffix}`] ?? 0,
  };
}

function keysWith(sums: Sums, prefix: string): string[] {
  return [...new Set(Object.keys(sums).filter((k) => k.startsWith(prefix)))];
}

/** GET /api/v1/stats: the figures of a node's subtree over a range of Beijing days, read in O(days). */
export async function readStats(deps: Deps, actor: Actor, input: { node?: string; from?: string; to?: string }) {
  const now = deps.clock.now();
  const node = await statsNode(deps, actor, input.node);
  const { from, to } = statsRange(input, now);
  if (!deps.outcomes) throw new Error('the outcome store is not wired');
  const counts = await deps.outcomes.read(node.code, from, to);
  const total = sumDays(counts.byDay);
  const link = (metric: Metric, part: 'numerator' | 'denominator') =>
    `/api/v1/stats/reports?${new URLSearchParams({ node: node.code, from, to, metric, part })}`;
  const metrics = Object.fromEntries(
    METRIC_NAMES.map((metric): [Metric, Figure] => [
      metric,
      {
        ...rateOf(total, metric),
        definition: metric,
        reports: { numerator: link(metric, 'numerator'), denominator: METRICS[metric].denominator ? link(metric, 'denominator') : null },
      },
    ]),
  ) as Record<Metric, Figure>;
  const children = node.level === 'grid' ? [] : await deps.directory.listChildren(node.code);
  const childCodes = new Set([
    ...children.map((c) => c.code),
    ...keysWith(total, 'received|child:').map((k) => k.slice('received|child:'.length)),
  ]);
  const categories = keysWith(total, 'received|cat:').map((k) => k.slice('received|cat:'.length));
  const tally = (prefix: string) =>
    keysWith(total, prefix)
      .map((k) => ({ key: k.slice(prefix.length), count: total[k] ?? 0 }))
      .filter((e) => e.count !== 0)
      .sort((a, b) => b.count - a.count || a.key.localeCompare(b.key));
  return {
    now: now.toISOString(),
    node: { code: node.code, name: node.name, level: node.level },
    from,
    to,
    metrics,
    workingTime: TIERS.map((tier) => ({ tier, ...percentiles(counts.worktime[tier] ?? []) })),
    overdueNow: { count: counts.now.overdue ?? 0, reports: `/api/v1/reports?${new URLSearchParams({ node: node.code, overdue: 'true' })}` },
    breaches: {
      total: total.breach ?? 0,
      byTier: TIERS.map((tier) => ({ tier, count: total[`breach|tier:${tier}`] ?? 0 })),
      byOwner: tally('breach|owner:')
        .slice(0, 20)
        .map(({ key, count }) => ({ code: key, count })),
      byPerson: tally('breach|person:')
        .slice(0, 20)
        .map(({ key, count }) => ({ name: key, count })),
    },
    byDay: daysBetween(from, to).map((day) => {
      const sums = counts.byDay[day] ?? {};
      return { day, ...row(sums, '', {}) };
    }),
    byCategory: categories.sort().map((category) => ({ category, ...row(total, `|cat:${category}`, counts.now) })),
    byChild: [...childCodes].sort().map((code) => ({
      code,
      name: children.find((c) => c.code === code)?.name ?? code,
      ...row(total, `|child:${code}`, counts.now),
    })),
    itemsRead: counts.itemsRead,
  };
}

export type Stats = Awaited<ReturnType<typeof readStats>>;

/** GET /api/v1/stats/reports: the reports behind one side of a figure, by the day they count on. */
export async function readStatsReports(
  deps: Deps,
  actor: Actor,
  input: {
    node?: string;
    from?: string;
    to?: string;
    metric: Metric;
    part: 'numerator' | 'denominator';
    category?: string;
    cursor?: string;
    limit?: number;
  },
) {
  const node = await statsNode(deps, actor, input.node);
  const { from, to } = statsRange(input, deps.clock.now());
  const counter: Counter | null = METRICS[input.metric][input.part];
  if (counter === null) throw new ValidationError('STATS.NO_DENOMINATOR', `${input.metric} is a count: it has no denominator`);
  if (!deps.outcomes) throw new Error('the outcome store is not wired');
  const page = await deps.outcomes.drill({
    county: node.path[0] ?? node.code,
    path: node.path,
    counter,
    from,
    to,
    category: input.category,
    limit: input.limit ?? 50,
    cursor: input.cursor,
  });
  return { node: { code: node.code, name: node.name, level: node.level }, metric: input.metric, part: input.part, from, to, ...page };
}
