/**
 * The workbench (工作台): what needs the reader now. Of the open reports in their scope, those that
 * wait for 签收 (assigned) or 办结 (accepted), the most urgent first (the nearest deadline, the
 * longest past one first of all), at most a page of them, and the counts a supervisor reads at a
 * glance: by tier, by status, how many are past their deadline now and how many fall due within a day.
 */
import type { Urgency } from './catalog.ts';
import type { Actor } from './people.ts';
import { TIERS, type Tier } from './policy.ts';
import { currentDeadline, isLate, type Report } from './report.ts';

/** The workbench lists this many; the counts cover them all. */
export const WORKBENCH_LIMIT = 200;
/** "Due soon": within a day. */
export const DUE_SOON_MS = 24 * 3_600_000;

export type WaitingStatus = 'assigned' | 'accepted';

export interface WorkbenchItem {
  id: string;
  title: string;
  category: string;
  urgency: Urgency;
  status: WaitingStatus;
  tier: Tier;
  ownerName: string;
  assignees: string[];
  gridCode: string;
  gridName?: string;
  /** The deadline the report is racing now: 签收 while assigned, 办结 while accepted. */
  deadline: string;
  deadlinePhase: 'accept' | 'complete';
  /** The deadline has passed (the workflow escalates or reminds at that moment). */
  pastDeadline: boolean;
  /** 超期: late at this tier or an earlier one (as a report's `overdue`). */
  overdue: boolean;
  /** The reader is among its current assignees: theirs to accept or resolve. */
  mine: boolean;
  createdAt: string;
}

export interface WorkbenchCounts {
  /** Every waiting report in scope, listed or not. */
  total: number;
  byTier: Record<Tier, number>;
  byStatus: Record<WaitingStatus, number>;
  pastDeadline: number;
  dueSoon: number;
  overdue: number;
  mine: number;
}

export interface WorkbenchSummary {
  items: WorkbenchItem[];
  /** Waiting reports beyond the listed ones. */
  more: number;
  counts: WorkbenchCounts;
}

function isWaiting(report: Report): report is Report & { status: WaitingStatus } {
  return (report.status === 'assigned' || report.status === 'accepted') && currentDeadline(report) !== null;
}

function itemOf(report: Report & { status: WaitingStatus }, reader: Actor, now: Date): WorkbenchItem {
  const deadline = currentDeadline(report) ?? '';
  return {
    id: report.id,
    title: report.title,
    category: report.category,
    urgency: report.urgency,
    status: report.status,
    tier: report.tier,
    ownerName: report.ownerName,
    assignees: report.assignees.map((a) => a.name),
    gridCode: report.gridCode,
    ...(report.filedUnder ? { gridName: report.filedUnder.gridName } : {}),
    deadline,
    deadlinePhase: report.status === 'assigned' ? 'accept' : 'complete',
    pastDeadline: Date.parse(deadline) <= now.getTime(),
    overdue: isLate(report, now),
    mine: report.assignees.some((a) => a.id === reader.id),
    createdAt: report.createdAt,
  };
}

/** Nearest deadline first; ties by id, so a page reads the same twice. */
function moreUrgent(a: WorkbenchItem, b: WorkbenchItem): number {
  return a.deadline.localeCompare(b.deadline) || a.id.localeCompare(b.id);
}

/**
 * Reads the open reports once, keeping only the `limit` most urgent in memory: reports arriving in
 * deadline order (the byDue index) are each compared with the last kept one and dropped at once.
 */
export async function summarizeWorkbench(
  reports: AsyncIterable<Report> | Iterable<Report>,
  reader: Actor,
  now: Date,
  limit = WORKBENCH_LIMIT,
): Promise<WorkbenchSummary> {
  const counts: WorkbenchCounts = {
    total: 0,
    byTier: Object.fromEntries(TIERS.map((t) => [t, 0])) as Record<Tier, number>,
    byStatus: { assigned: 0, accepted: 0 },
    pastDeadline: 0,
    dueSoon: 0,
    overdue: 0,
    mine: 0,
  };
  const kept: WorkbenchItem[] = [];
  for await (const report of reports) {
    if (!isWaiting(report)) continue;
    const item = itemOf(report, reader, now);
    counts.total++;
    counts.byTier[item.tier]++;
    counts.byStatus[item.status]++;
    const left = Date.parse(item.deadline) - now.getTime();
    if (item.pastDeadline) counts.pastDeadline++;
    else if (left <= DUE_SOON_MS) counts.dueSoon++;
    if (item.overdue) counts.overdue++;
    if (item.mine) counts.mine++;
    const last = kept.at(-1);
    if (kept.length < limit || (last && moreUrgent(item, last) < 0)) {
      const at = kept.findIndex((k) => moreUrgent(item, k) < 0);
      kept.splice(at === -1 ? kept.length : at, 0, item);
      if (kept.length > limit) kept.pop();
    }
  }
  return { items: kept, more: counts.total - kept.length, counts };
}
