/**
 * Outcomes (考核): the published figures of README §Metrics, as facts projected from a report's
 * timeline. The projection is a pure fold over the events in `seq` order: each event yields the
 * facts it settles, each fact counting on one Beijing day under the report's path (county →
 * grid). Stores add the facts to per-node per-day counters, so a range is read in O(days).
 *
 * Facts are a function of the timeline alone (and of the working calendar for durations), so a
 * replay yields the same facts with the same `seq` and `unit`: that is what lets a store apply
 * each one exactly once however often the projection runs.
 */
import type { Tier } from './policy.ts';
import type { Report, TimelineEvent } from './report.ts';

/** The counters a fact moves. `_d` / `_n`: denominator / numerator of a rate. */
export const COUNTERS = [
  'received',
  'accept_d',
  'accept_n',
  'complete_d',
  'complete_n',
  'resolution_d',
  'resolution_n',
  'visit_d',
  'visit_n',
  'breach',
  'overdue',
  'worktime',
] as const;
export type Counter = (typeof COUNTERS)[number];

/** The figures of README §Metrics, each with the counters behind its numerator and denominator. */
export const METRICS = {
  received: { numerator: 'received', denominator: null },
  acceptedOnTime: { numerator: 'accept_n', denominator: 'accept_d' },
  completedOnTime: { numerator: 'complete_n', denominator: 'complete_d' },
  resolution: { numerator: 'resolution_n', denominator: 'resolution_d' },
  satisfaction: { numerator: 'visit_n', denominator: 'visit_d' },
  breaches: { numerator: 'breach', denominator: null },
} as const satisfies Record<string, { numerator: Counter; denominator: Counter | null }>;
export type Metric = keyof typeof METRICS;
export const METRIC_NAMES = Object.keys(METRICS) as Metric[];

/** The day of the open-overdue gauge: not a calendar day but "now". */
export const NOW_DAY = 'NOW';

export interface OutcomeFact {
  /** The event that settled it: with `unit` and `counter`, what makes the fact unique. */
  seq: number;
  counter: Counter;
  /** What is counted: 'r' the report, 'a<seq>'/'c<seq>' the accept/complete phase of the assignment opened at seq, … */
  unit: string;
  /** Beijing date YYYY-MM-DD, or NOW_DAY for the gauge. */
  day: string;
  /** County → grid codes the fact counts under (every prefix is a node whose counters it moves). */
  path: string[];
  delta: 1 | -1;
  category: string;
  /** The tier charged (breach), or that did the work (worktime). */
  tier?: Tier;
  /** The node or department code that held the tier (breach). */
  owner?: string;
  /** The officers who held it, by name as the assigning event recorded them (breach). */
  persons?: string[];
  /** Working seconds (worktime). */
  seconds?: number;
}

/** The Beijing (UTC+8, no DST) calendar day of an instant: the day a fact counts on. */
export function beijingDay(iso: string | Date): string {
  const ms = typeof iso === 'string' ? Date.parse(iso) : iso.getTime();
  return new Date(ms + 8 * 3_600_000).toISOString().slice(0, 10);
}

/** Working seconds between two instants (the county's PolicyTime.between). */
export type Between = (from: Date, to: Date) => number;
const elapsedSeconds: Between = (from, to) => Math.max(0, (to.getTime() - from.getTime()) / 1000);

interface Phase {
  by: string;
  /** The day its denominator fact counts on; null once withdrawn. */
  day: string | null;
  path: string[];
  done: boolean;
}

interface Assignment {
  seq: number;
  tier: Tier;
  owner: string;
  persons: string[];
  openedAt: string;
  accept: Phase;
  complete: Phase;
  supervisedBreach: boolean;
}

/** Events that move the current assignment's deadlines rather than open a new one. */
const DEADLINE_MOVES = new Set(['supervised', 'rescheduled', 'resumed', 'extension_decided']);

type Status = 'submitted' | 'assigned' | 'accepted' | 'resolved' | 'closed';

function pathOf(j: { countyCode: string; townshipCode: string; villageCode: string; gridCode: string }): string[] {
  return [j.countyCode, j.townshipCode, j.villageCode, j.gridCode];
}

function codesOf(steps: unknown): string[] | null {
  if (!Array.isArray(steps) || steps.length !== 4) return null;
  const codes = steps.map((s) =>
    s && typeof s === 'object' && typeof (s as { code?: unknown }).code === 'string' ? (s as { code: string }).code : null,
  );
  return codes.every((c) => c !== null) ? (codes as string[]) : null;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/**
 * Every fact the timeline settles, in event order. `report` supplies what events do not repeat:
 * the category and the jurisdiction (the first `refiled` event's `from` says where it was filed).
 */
export function outcomeFacts(
  report: Pick<Report, 'id' | 'category' | 'countyCode' | 'townshipCode' | 'villageCode' | 'gridCode'>,
  timeline: readonly TimelineEvent[],
  between: Between = elapsedSeconds,
): OutcomeFact[] {
  const facts: OutcomeFact[] = [];
  const firstRefile = timeline.find((e) => e.type === 'refiled');
  let path = codesOf(firstRefile?.data?.from) ?? pathOf(report);
  let status = 'submitted' as Status;
  let current = null as Assignment | null;
  let received: { day: string; path: string[] } | null = null;
  let resolvedNow = false;
  let breached = false;
  let lateAt: string[] | null = null;
  let seq = 0;
  /** Summoned departments (吹哨), by lane seq: each is an assignment of its own with its own phases and breaches. */
  const lanes = new Map<number, Assignment & { checkInBy: string | null; laneStatus: 'summoned' | 'checked_in' | 'accepted' | 'ended' }>();

  const push = (fact: Omit<OutcomeFact, 'seq' | 'category'>) => facts.push({ seq, category: report.category, ...fact });
  const phaseFact = (counter: Counter, unit: string, phase: Phase, delta: 1 | -1) => {
    if (phase.day !== null) push({ counter, unit, day: phase.day, path: phase.path, delta });
  };
  const setLate = (late: boolean) => {
    if (late && lateAt === null) {
      lateAt = path;
      push({ counter: 'overdue', unit: 'r', day: NOW_DAY, path, delta: 1 });
    } else if (!late && lateAt !== null) {
      push({ counter: 'overdue', unit: 'r', day: NOW_DAY, path: lateAt, delta: -1 });
      lateAt = null;
    }
  };
  const breach = (a: Assignment, deadline: string) => {
    push({
      counter: 'breach',
      unit: `b${seq}`,
      day: beijingDay(deadline),
      path,
      delta: 1,
      tier: a.tier,
      owner: a.owner,
      persons: a.persons,
    });
    breached = true;
    setLate(true);
  };

  /** The current assignment ends at `at` because of `type`: phases still open before their deadline are withdrawn. */
  const end = (at: string, type: string) => {
    const a = current;
    if (!a) return;
    const chargeable = type === 'escalated' || type === 'handed_over';
    const pending = status === 'assigned' ? a.accept : status === 'accepted' ? a.complete : null;
    if (chargeable && pending && !pending.done && at >= pending.by && !(a.tier === 'supervision' && a.supervisedBreach))
      breach(a, pending.by);
    for (const [phase, counter] of [
      [a.accept, 'accept_d'],
      [a.complete, 'complete_d'],
    ] as const) {
      if (!phase.done && at < phase.by) phaseFact(counter, `${counter[0]}${a.seq}`, phase, -1);
      phase.done = true;
    }
    current = null;
  };

  const open = (event: TimelineEvent, acceptBy: string, completeBy: string) => {
    const data = event.data ?? {};
    const persons = Array.isArray(data.assignees) ? data.assignees.filter((n): n is string => typeof n === 'string') : [];
    const owner = str(data.ownerCode) ?? '';
    const phase = (by: string): Phase => ({ by, day: beijingDay(by), path, done: false });
    const a: Assignment = {
      seq,
      tier: event.tier,
      owner,
      persons,
      openedAt: event.at,
      accept: phase(acceptBy),
      complete: phase(completeBy),
      supervisedBreach: false,
    };
    current = a;
    status = 'assigned';
    phaseFact('accept_d', `a${seq}`, a.accept, 1);
    phaseFact('complete_d', `c${seq}`, a.complete, 1);
    setLate(breached);
  };

  /** A pending phase's deadline moves (calendar change, resume, approved extension): its fact moves to the new day. */
  const move = (phase: Phase, counter: 'accept_d' | 'complete_d', unitSeq: number, to: string, at: string) => {
    if (phase.done || at >= phase.by || to === phase.by) return;
    const day = beijingDay(to);
    if (day !== phase.day) {
      phaseFact(counter, `${counter[0]}${unitSeq}`, phase, -1);
      phase.day = day;
      phase.path = path;
      // A re-added unit is a new fact of this seq: the withdrawn one keeps its own.
      push({ counter, unit: `${counter[0]}${unitSeq}`, day, path, delta: 1 });
    }
    phase.by = to;
  };

  /** A lane ends (returned, or withdrawn when one department sufficed): phases not yet due leave the rates. */
  const endLane = (lane: Assignment & { laneStatus: string }, at: string) => {
    for (const [phase, counter] of [
      [lane.accept, 'accept_d'],
      [lane.complete, 'complete_d'],
    ] as const) {
      if (!phase.done && at < phase.by) phaseFact(counter, `${counter[0]}${lane.seq}L`, phase, -1);
      phase.done = true;
    }
    lane.laneStatus = 'ended';
  };

  /** An event on a summoned department's lane (data.lane): the tier's own assignment is untouched. */
  const laneEvent = (event: TimelineEvent, laneSeq: number) => {
    const lane = lanes.get(laneSeq);
    if (!lane || lane.laneStatus === 'ended') return;
    switch (event.type) {
      case 'checked_in':
        lane.laneStatus = 'checked_in';
        break;
      case 'accepted':
        if (!lane.accept.done && event.at <= lane.accept.by) phaseFact('accept_n', `a${lane.seq}L`, lane.accept, 1);
        lane.accept.done = true;
        lane.laneStatus = 'accepted';
        break;
      case 'resolved':
        if (!lane.complete.done && event.at <= lane.complete.by) phaseFact('complete_n', `c${lane.seq}L`, lane.complete, 1);
        lane.accept.done = true;
        lane.complete.done = true;
        push({
          counter: 'worktime',
          unit: `w${lane.seq}L`,
          day: beijingDay(event.at),
          path,
          delta: 1,
          tier: 'department',
          seconds: Math.round(between(new Date(lane.openedAt), new Date(event.at))),
        });
        lane.laneStatus = 'ended';
        break;
      case 'returned':
        endLane(lane, event.at);
        break;
      case 'escalated': {
        // The lane's first missed deadline (报到, 签收 or 办结) is charged to the department; later 督办 are not charged again.
        const missed =
          lane.laneStatus === 'summoned' && lane.checkInBy
            ? lane.checkInBy
            : lane.laneStatus === 'accepted'
              ? lane.complete.by
              : lane.laneStatus === 'checked_in' || lane.laneStatus === 'summoned'
                ? lane.accept.by
                : null;
        if (missed && !lane.supervisedBreach) {
          push({
            counter: 'breach',
            unit: `b${seq}`,
            day: beijingDay(missed),
            path,
            delta: 1,
            tier: 'department',
            owner: lane.owner,
            persons: lane.persons,
          });
          lane.supervisedBreach = true;
        }
        break;
      }
      default:
        break;
    }
  };

  for (const event of timeline) {
    seq = event.seq;
    const data = event.data ?? {};
    if (event.type === 'whistled' && Array.isArray(data.departments)) {
      for (const d of data.departments as Record<string, unknown>[]) {
        const laneSeq = typeof d.seq === 'number' ? d.seq : null;
        const by = { accept: str(d.acceptBy), complete: str(d.completeBy) };
        if (laneSeq === null || !by.accept || !by.complete || lanes.has(laneSeq)) continue;
        const phase = (at: string): Phase => ({ by: at, day: beijingDay(at), path, done: false });
        const lane = {
          seq: laneSeq,
          tier: 'department' as Tier,
          owner: str(d.code) ?? '',
          persons: Array.isArray(d.assignees) ? d.assignees.filter((n): n is string => typeof n === 'string') : [],
          openedAt: event.at,
          accept: phase(by.accept),
          complete: phase(by.complete),
          supervisedBreach: false,
          checkInBy: str(d.checkInBy) ?? null,
          laneStatus: 'summoned' as const,
        };
        lanes.set(laneSeq, lane);
        phaseFact('accept_d', `a${laneSeq}L`, lane.accept, 1);
        phaseFact('complete_d', `c${laneSeq}L`, lane.complete, 1);
      }
      continue;
    }
    if (typeof data.lane === 'number' && typeof data.department === 'string') {
      laneEvent(event, data.lane);
      continue;
    }
    const acceptBy = str(data.acceptBy);
    const completeBy = str(data.completeBy);
    if (event.type === 'refiled') {
      const to = codesOf(data.to);
      if (to) {
        const late = lateAt !== null;
        setLate(false);
        path = to;
        setLate(late);
      }
    }
    if (event.type === 'reported') {
      received = { day: beijingDay(event.at), path };
      push({ counter: 'received', unit: 'r', day: received.day, path, delta: 1 });
      push({ counter: 'resolution_d', unit: 'r', day: received.day, path, delta: 1 });
      continue;
    }
    if (event.type === 'reopened' && resolvedNow && received) {
      push({ counter: 'resolution_n', unit: 'r', day: received.day, path: received.path, delta: -1 });
      resolvedNow = false;
    }
    if (acceptBy && completeBy && !DEADLINE_MOVES.has(event.type)) {
      end(event.at, event.type);
      open(event, acceptBy, completeBy);
      continue;
    }
    const a = current as Assignment | null;
    switch (event.type) {
      case 'accepted':
        if (a && status === 'assigned' && data.department === undefined) {
          if (!a.accept.done && event.at <= a.accept.by) phaseFact('accept_n', `a${a.seq}`, a.accept, 1);
          a.accept.done = true;
          status = 'accepted';
        }
        break;
      case 'resolved':
        if (a && data.department === undefined) {
          if (!a.complete.done && event.at <= a.complete.by) phaseFact('complete_n', `c${a.seq}`, a.complete, 1);
          a.accept.done = true;
          a.complete.done = true;
          push({
            counter: 'worktime',
            unit: `w${a.seq}`,
            day: beijingDay(event.at),
            path,
            delta: 1,
            tier: a.tier,
            seconds: Math.round(between(new Date(a.openedAt), new Date(event.at))),
          });
        }
        // Lanes still open when the tier resolves end as withdrawn (one department sufficed).
        for (const lane of lanes.values()) if (lane.laneStatus !== 'ended') endLane(lane, event.at);
        if (!resolvedNow && received) {
          push({ counter: 'resolution_n', unit: 'r', day: received.day, path: received.path, delta: 1 });
          resolvedNow = true;
        }
        status = 'resolved';
        setLate(false);
        break;
      case 'closed':
        status = 'closed';
        setLate(false);
        break;
      case 'merged':
        // The duplicate's work is its parent's: it leaves the rates it had not settled.
        if (data.parentId !== undefined) {
          end(event.at, event.type);
          if (received && !resolvedNow) push({ counter: 'resolution_d', unit: 'r', day: received.day, path: received.path, delta: -1 });
          setLate(false);
        }
        break;
      case 'visited':
        push({ counter: 'visit_d', unit: `v${seq}`, day: beijingDay(event.at), path, delta: 1 });
        if (data.satisfied === true) push({ counter: 'visit_n', unit: `v${seq}`, day: beijingDay(event.at), path, delta: 1 });
        break;
      case 'supervised':
        if (a && !a.supervisedBreach) {
          const pending = status === 'assigned' ? a.accept : a.complete;
          breach({ ...a, tier: 'supervision' }, str(data.overdueSince) ?? pending.by);
          a.supervisedBreach = true;
        }
        break;
      case 'handed_over':
        if (a && Array.isArray(data.to)) a.persons = data.to.filter((n): n is string => typeof n === 'string');
        break;
      case 'rescheduled':
      case 'resumed':
        if (a) {
          if (acceptBy) move(a.accept, 'accept_d', a.seq, acceptBy, event.at);
          if (completeBy) move(a.complete, 'complete_d', a.seq, completeBy, event.at);
        }
        break;
      case 'extension_decided': {
        const until = str(data.until);
        if (a && data.approved === true && until) {
          if (data.phase === 'accept') move(a.accept, 'accept_d', a.seq, until, event.at);
          if (data.phase === 'complete') move(a.complete, 'complete_d', a.seq, until, event.at);
        }
        break;
      }
      default:
        break;
    }
  }
  return facts;
}

/**
 * Events that settle no fact whatever came before them: the fold above has no case for their type
 * and they carry no new deadlines (which would open an assignment). A change recording one needs
 * no projection read at all.
 */
const SETTLES_NOTHING: ReadonlySet<string> = new Set(['notified', 'sms_failed', 'commented', 'reminded', 'extension_requested']);

export function settlesNothing(event: Pick<TimelineEvent, 'type' | 'data'>): boolean {
  const data = event.data ?? {};
  return SETTLES_NOTHING.has(event.type) && typeof data.lane !== 'number' && !(str(data.acceptBy) && str(data.completeBy));
}

/** The nodes a fact counts under: every prefix of its path (county, township, village, grid). */
export function nodesOf(path: readonly string[]): { code: string; child: string | undefined }[] {
  return path.map((code, i) => ({ code, child: path[i + 1] }));
}

/** Median and 90th percentile (nearest rank) of working seconds. */
export function percentiles(values: readonly number[]): { count: number; median: number | null; p90: number | null } {
  if (values.length === 0) return { count: 0, median: null, p90: null };
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p: number) => sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)] ?? null;
  return { count: sorted.length, median: rank(0.5), p90: rank(0.9) };
}

/** A rate as the API shows it: n / N and the value (null when nothing was due). */
export function ratio(numerator: number, denominator: number): { numerator: number; denominator: number; value: number | null } {
  return { numerator, denominator, value: denominator === 0 ? null : numerator / denominator };
}

/**
 * The counters a fact moves at one node: the total, by category, by the child it passed through
 * (e.g. the township under a county) and, for a breach, by the tier, owner and people charged.
 */
export function counterKeys(fact: OutcomeFact, child: string | undefined): string[] {
  const keys: string[] = [fact.counter, `${fact.counter}|cat:${fact.category}`];
  if (child !== undefined) keys.push(`${fact.counter}|child:${child}`);
  if (fact.counter === 'breach') {
    if (fact.tier) keys.push(`breach|tier:${fact.tier}`);
    if (fact.owner) keys.push(`breach|owner:${fact.owner}`);
    for (const person of new Set(fact.persons ?? [])) keys.push(`breach|person:${person}`);
  }
  return keys;
}

/** The counters whose facts are kept one by one, so a figure's reports can be listed (drill-down). */
export const DRILLABLE: ReadonlySet<Counter> = new Set<Counter>(
  Object.values(METRICS).flatMap((m): Counter[] => (m.denominator === null ? [m.numerator] : [m.numerator, m.denominator])),
);
