/** Reports, their timelines, their SMS records and idempotency records. */
import type { Tier } from '#core/policy.ts';
import type { Change, Report, ReportStatus, TimelineEvent } from '#core/report.ts';
import type { Page } from './versioning.ts';

export interface SmsRecord {
  reportId: string;
  /** Deterministic per (tier, reminder, recipient): the guard against a second SMS for one step. */
  key: string;
  tierSeq: number;
  reminder: number;
  /** SMS of a summoned department's lane (吹哨): its department and lane; absent on the tier's own SMS. */
  department?: string;
  laneSeq?: number;
  toId: string;
  toName: string;
  /** The recipient's post (网格员, 村党支部书记…), so a reader knows who was told without the number. */
  toTitle?: string;
  /** E.164. Shown to anyone but its owner only masked (core/people.ts maskPhone). */
  to: string;
  /** The text as sent, with its action link masked: the link itself is never stored. */
  text: string;
  status: 'sending' | 'sent' | 'failed';
  attempts: number;
  at: string;
  providerMessageId?: string;
  error?: string;
}

/**
 * Where an SMS sits in its county's SMS log: its report's jurisdiction (the path from the county
 * to the grid, as filed when the SMS was sent), its title, and the tier the SMS was sent for.
 */
export interface SmsListing {
  path: string[];
  reportTitle: string;
  tier: Tier;
}

/** One line of the SMS log: the record and what it is about. */
export interface SmsLogEntry {
  sms: SmsRecord;
  report: { id: string; title: string; tier: Tier };
}

export interface SmsLogQuery {
  /** The SMS of this node's subtree (any level): a range of its county's log, filtered below the county. */
  node: { code: string; path: string[] };
  status?: SmsRecord['status'];
  limit: number;
  cursor?: string;
}

export interface ReportHistory {
  report: Report;
  timeline: TimelineEvent[];
  notifications: SmsRecord[];
}

export interface ReportQuery {
  /** Exactly one of node (any level) or department selects the partition. */
  node?: { code: string; level: 'county' | 'township' | 'village' | 'grid'; path: string[] };
  departmentCode?: string;
  status?: ReportStatus;
  /** The tier that holds the report now. */
  tier?: Tier;
  category?: string;
  /** Only late reports (assigned or accepted, with a missed deadline at some tier) as of this time. */
  overdueAt?: Date;
  /** Inclusive bounds on createdAt, applied in the index's key condition (not as a filter). */
  createdFrom?: Date;
  createdTo?: Date;
  /** A report left out of the listing: the one whose possible duplicates are looked for. */
  excludingId?: string;
  /**
   * Leaves out, without reading them, the reports of the page that lie farther than `meters` from
   * `location`: the page is still the `limit` newest that match, fewer of them returned. Reports
   * without a location are returned.
   */
  near?: { location: { lat: number; lng: number }; meters: number };
  limit: number;
  cursor?: string;
}

export interface ReportPage {
  items: Report[];
  nextCursor: string | null;
}

export interface IdempotencyRecord {
  key: string;
  actorId: string;
  requestHash: string;
  reportId: string;
  createdAt: string;
}

/** What resuming needs to know of an open report. */
export interface OpenReport {
  id: string;
  createdAt: string;
  /** The report as the listing stored it, when the listing has it (the reconciler checks its waiting token). */
  report?: Report;
}

export interface ReportStore {
  /**
   * Stores a new report's first event, then the report (so a stored report always has its first
   * event); 'exists' when a report with this id is there already.
   */
  create(change: Change): Promise<'created' | 'exists'>;
  get(id: string): Promise<Report | null>;
  /** The report with its timeline and SMS in one read. */
  getHistory(id: string): Promise<ReportHistory | null>;
  /** The stored timeline events alone, in seq order (without the report item, its SMS or lanes): what a projection folds. */
  getEvents(id: string): Promise<TimelineEvent[]>;
  /**
   * Writes the report if it is still at `expectedVersion`, then its event. Throws
   * VersionConflictError when someone else wrote first.
   */
  save(report: Report, expectedVersion: number, event?: TimelineEvent): Promise<void>;
  /** Re-writes an event that may have been lost between a save and its event write. Idempotent. */
  repairEvent(reportId: string, event: TimelineEvent): Promise<void>;
  list(query: ReportQuery): Promise<ReportPage>;
  /** Every report not yet closed, for resuming executions after a restart and by the reconciler. */
  openReports(): AsyncIterable<OpenReport>;
  /**
   * The open reports filed under a node of any level (its grid or an ancestor is the node), by
   * deadline: what a move or merge re-files and what a node's counts show.
   */
  openReportsUnder(node: { code: string; level: 'county' | 'township' | 'village' | 'grid'; path: string[] }): AsyncIterable<Report>;
  /** The open reports that last reached this department. */
  openReportsOfDepartment(departmentCode: string): AsyncIterable<Report>;

  /**
   * Claims an SMS slot; false when this SMS was already sent or is being sent. The listing puts
   * it into its county's SMS log (newest attempt first).
   */
  claimSms(record: SmsRecord, listing: SmsListing): Promise<boolean>;
  finishSms(reportId: string, key: string, outcome: Pick<SmsRecord, 'status' | 'providerMessageId' | 'error'>): Promise<void>;

  /**
   * The SMS sent for the reports of a subtree, newest first: one index Query per page (a filter
   * below the county, or by status, reads a bounded number of rounds and may return a short page
   * with a cursor). SMS claimed before the log existed carry no listing and do not appear.
   */
  smsLog(query: SmsLogQuery): Promise<Page<SmsLogEntry>>;

  /** Records the first request for an idempotency key; returns the earlier record if there is one. */
  claimIdempotencyKey(record: IdempotencyRecord): Promise<IdempotencyRecord | null>;
}

export { VersionConflictError } from './versioning.ts';
