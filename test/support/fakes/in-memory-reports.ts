/**
 * The report store and the workflow in memory, with the DynamoDB adapter's rules where use cases
 * depend on them (saves conditional on the version, open reports under a node by its own code),
 * for unit tests of use cases that re-file reports. What no such test needs throws.
 */
import type { Change, Report, TimelineEvent } from '#core/report.ts';
import type {
  IdempotencyRecord,
  OpenReport,
  ReportHistory,
  ReportPage,
  ReportStore,
  SmsListing,
  SmsLogEntry,
  SmsLogQuery,
  SmsRecord,
} from '#ports/reports.ts';
import { type Page, VersionConflictError } from '#ports/versioning.ts';
import type { CycleOutcome, WorkflowEngine } from '#ports/workflow.ts';

const copy = <T>(value: T): T => structuredClone(value);

export class InMemoryReportStore implements ReportStore {
  readonly reports = new Map<string, Report>();
  readonly events = new Map<string, TimelineEvent[]>();
  /** Every save, in order: what a test counts to see that a retry wrote nothing twice. */
  readonly saves: string[] = [];
  /** Claimed SMS with their place in the SMS log, by report id and key. */
  readonly sms = new Map<string, { record: SmsRecord; listing: SmsListing }>();

  /** Puts a report as it is (a test's starting point), with no event. */
  add(report: Report): void {
    this.reports.set(report.id, copy(report));
  }

  /** Every event saved, across reports, in the order saved. */
  get allEvents(): TimelineEvent[] {
    return [...this.events.values()].flat().sort((a, b) => a.at.localeCompare(b.at) || a.seq - b.seq);
  }

  async create(change: Change) {
    if (this.reports.has(change.report.id)) return 'exists' as const;
    this.reports.set(change.report.id, copy(change.report));
    this.events.set(change.report.id, [copy(change.event)]);
    return 'created' as const;
  }
  async get(id: string) {
    const report = this.reports.get(id);
    return report ? copy(report) : null;
  }
  async getHistory(id: string): Promise<ReportHistory | null> {
    const report = this.reports.get(id);
    return report ? { report: copy(report), timeline: copy(this.events.get(id) ?? []), notifications: [] } : null;
  }
  async getEvents(id: string): Promise<TimelineEvent[]> {
    return copy(this.events.get(id) ?? []).sort((a, b) => a.seq - b.seq);
  }
  async save(report: Report, expectedVersion: number, event?: TimelineEvent) {
    if (this.reports.get(report.id)?.version !== expectedVersion) throw new VersionConflictError(report.id);
    this.reports.set(report.id, copy(report));
    this.saves.push(report.id);
    if (event) await this.repairEvent(report.id, event);
  }
  async repairEvent(reportId: string, event: TimelineEvent) {
    const events = this.events.get(reportId) ?? [];
    if (!events.some((e) => e.seq === event.seq)) events.push(copy(event));
    this.events.set(reportId, events);
  }
  async list(): Promise<ReportPage> {
    throw new Error('not in this fake');
  }
  async *openReports(): AsyncIterable<OpenReport> {
    for (const r of this.reports.values()) if (r.status !== 'closed') yield { id: r.id, createdAt: r.createdAt, report: copy(r) };
  }
  async *openReportsUnder(node: { code: string; level: 'county' | 'township' | 'village' | 'grid'; path: string[] }) {
    for (const r of [...this.reports.values()]) {
      if (r.status !== 'closed' && r.countyCode === node.path[0] && r[`${node.level}Code`] === node.code) yield copy(r);
    }
  }
  async *openReportsOfDepartment(departmentCode: string) {
    for (const r of [...this.reports.values()]) if (r.status !== 'closed' && r.departmentCodes.at(-1) === departmentCode) yield copy(r);
  }
  async claimSms(record: SmsRecord, listing: SmsListing): Promise<boolean> {
    const id = `${record.reportId}#${record.key}`;
    const claimed = this.sms.get(id);
    if (claimed && claimed.record.status !== 'failed') return false;
    this.sms.set(id, { record: { ...copy(record), attempts: (claimed?.record.attempts ?? 0) + 1 }, listing: copy(listing) });
    return true;
  }
  async finishSms(reportId: string, key: string, outcome: Pick<SmsRecord, 'status' | 'providerMessageId' | 'error'>): Promise<void> {
    const claimed = this.sms.get(`${reportId}#${key}`);
    if (claimed) Object.assign(claimed.record, outcome);
  }
  /** The whole subtree in one page, newest first (no cursor: tests of the use case need none). */
  async smsLog(query: SmsLogQuery): Promise<Page<SmsLogEntry>> {
    const prefix = `${query.node.path.join('/')}/`;
    const items = [...this.sms.values()]
      .filter(({ record, listing }) => `${listing.path.join('/')}/`.startsWith(prefix) && (!query.status || record.status === query.status))
      .sort((a, b) => b.record.at.localeCompare(a.record.at))
      .slice(0, query.limit)
      .map(({ record, listing }) => ({
        sms: copy(record),
        report: { id: record.reportId, title: listing.reportTitle, tier: listing.tier },
      }));
    return { items, nextCursor: null };
  }
  async claimIdempotencyKey(_record: IdempotencyRecord): Promise<IdempotencyRecord | null> {
    return null;
  }
}

/** Records the tokens it was asked to wake and the reports it started. */
export class RecordingWorkflow implements WorkflowEngine {
  readonly woken: string[] = [];
  readonly started: string[] = [];

  async start(reportId: string) {
    this.started.push(reportId);
  }
  async startSuccessor(reportId: string) {
    this.started.push(reportId);
  }
  async wake(token: string) {
    this.woken.push(token);
  }
  readonly finished: { token: string; outcome: CycleOutcome }[] = [];
  readonly wakeAts: { token: string; at: string }[] = [];
  readonly cancelled: string[] = [];
  async finish(token: string, outcome: CycleOutcome) {
    this.finished.push({ token, outcome });
  }
  async wakeAt(token: string, at: Date) {
    this.wakeAts.push({ token, at: at.toISOString() });
  }
  async cancelWake(token: string) {
    this.cancelled.push(token);
  }
  async runningReportIds() {
    return new Set<string>();
  }
}
