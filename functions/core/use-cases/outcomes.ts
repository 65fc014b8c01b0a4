/**
 * Outcomes (考核, README §Metrics): projecting each report's timeline into the per-node per-day
 * counters, catching up after a crash, and reading the figures of a node and a date range.
 */
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
} from '../outcomes.ts';
import type { Actor } from '../people.ts';
import { TIERS } from '../policy.ts';
import type { Report } from '../report.ts';
import type { Deps } from './deps.ts';
import { policyFor, policyTimeFor } from './routing.ts';

/**
 * Applies the facts of every event the report's projection has not seen yet, in seq order, then
 * records how far it got. Safe to run any number of times, concurrently too (the store applies a
 * fact once); a timeline with a gap (an event write still to be repaired) is projected up to the
 * gap only. Returns the seq projected up to.
 */
export async function projectOutcomes(deps: Deps, reportId: string): Promise<number | null> {
  const store = deps.outcomes;
  if (!store) return null;
  const history = await deps.reports.getHistory(reportId);
  if (!history) return null;
  const { report, timeline } = history;
  const done = report.outcomesSeq ?? 0;
  let contiguous = 0;
  for (const event of timeline) {
    if (event.seq !== contiguous + 1) break;
    contiguous = event.seq;
  }
  if (contiguous <= done) return done;
  const time = await policyTimeFor(deps, report, await policyFor(deps, report));
  const facts = outcomeFacts(report, timeline.slice(0, contiguous), (from, to) => time.between(from, to));
  const bySeq = new Map<number, OutcomeFact[]>();
  for (const fact of facts) if (fact.seq > done) bySeq.set(fact.seq, [...(bySeq.get(fact.seq) ?? []), fact]);
  const subject = { id: report.id, title: report.title };
  for (const seq of [...bySeq.keys()].sort((a, b) => a - b)) await store.apply(subject, seq, bySeq.get(seq) ?? []);
  await store.markProjected(report.id, contiguous);
  return contiguous;
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
    const seq = await projectOutcomes(deps, report.id);
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
