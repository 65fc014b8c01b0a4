/** The outcome counters (core/outcomes.ts): per node, per Beijing day, applied exactly once. */
import type { Counter, OutcomeFact } from '#core/outcomes.ts';
import type { Page } from './versioning.ts';

/** What a node's counters hold over a range of days. */
export interface OutcomeCounts {
  /** day → counter key (core/outcomes.ts counterKeys) → sum over the day's shards. */
  byDay: Record<string, Record<string, number>>;
  /** Working seconds of every resolution in the range, by tier. */
  worktime: Record<string, number[]>;
  /** The open-overdue gauge now, by counter key. */
  now: Record<string, number>;
  /** Items the read returned (the O(days) the design promises; tests assert on it). */
  itemsRead: number;
}

export interface DrillItem {
  reportId: string;
  title: string;
  day: string;
  /** The unit counted: the report ('r'), or an assignment's phase, visit or breach. */
  unit: string;
  tier?: string;
  category: string;
}

export interface DrillQuery {
  county: string;
  /** The node's path (county first): items of its subtree. */
  path: string[];
  counter: Counter;
  from: string;
  to: string;
  category?: string;
  limit: number;
  cursor?: string;
}

/** The report a fact is about, as the drill-down shows it: no reporter, no place, no phone. */
export interface FactSubject {
  id: string;
  title: string;
}

/** The facts one event settled. */
export interface EventFacts {
  seq: number;
  facts: OutcomeFact[];
}

/** Where the compaction of a county's counter items stands (OutcomeStore.compact). */
export interface CompactionMark {
  /** Every node's items up to this Beijing day are compacted (as far as their reports' projections allowed). */
  through?: string;
  /** A run cut short by its time budget: the days it covers and the subtree page to go on from. */
  running?: { from: string; to: string; cursor?: string };
}

export interface OutcomeStore {
  /**
   * Applies the facts of some events of a report (each event's facts under its seq, the events in
   * seq order), each counter item and drill item at most once whatever the retries: facts of an
   * event the item has already seen change nothing. Facts of a report must be applied in seq order.
   */
  apply(subject: FactSubject, events: readonly EventFacts[]): Promise<void>;
  /** Records that the report's facts up to `seq` are applied; false when a newer event is still to project. */
  markProjected(reportId: string, seq: number): Promise<boolean>;
  /** Reports whose stored timeline is ahead of their projection (a crash between the two), county by county. */
  pending(): AsyncIterable<string>;
  read(node: string, from: string, to: string): Promise<OutcomeCounts>;
  /**
   * Drops from these nodes' day items (days from..to) the watermarks of reports whose projection is
   * marked at or past them: no retry or catch-up replays an event at or below a report's marked
   * seq (projections apply only events after it), so those watermarks guard nothing any more, and
   * a day item the dashboard reads holds its counters and working times instead of one attribute
   * per report that touched it. A watermark that moved meanwhile is left for the next run.
   * Returns how many were dropped.
   */
  compact(nodes: readonly string[], from: string, to: string): Promise<number>;
  compaction(county: string): Promise<CompactionMark>;
  markCompaction(county: string, mark: CompactionMark): Promise<void>;
  drill(query: DrillQuery): Promise<Page<DrillItem>>;
}
