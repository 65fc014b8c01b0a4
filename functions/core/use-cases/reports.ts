/** Report intake, reading and human actions. */
import { createHash } from 'node:crypto';
import type { StoredCategory } from '#ports/directory.ts';
import type { ReportHistory, ReportPage } from '#ports/reports.ts';
import { assertCanListNode, assertCanRead, assertCanReportFor, assertMayPublishNote, mayEscalate } from '../access.ts';
import type { Urgency } from '../catalog.ts';
import { ConflictError, DomainRefusalError, ForbiddenError, NotFoundError, ValidationError } from '../errors.ts';
import { locationFlags } from '../geo.ts';
import type { Actor } from '../people.ts';
import type { Tier } from '../policy.ts';
import { type ReaderActions, readerActions } from '../reader-actions.ts';
import {
  accept,
  type Change,
  comment,
  escalate,
  escalationTarget,
  type FiledUnder,
  type Location,
  newReport,
  type Report,
  type ReportStatus,
  resolve,
  returnDown,
  returnTarget,
} from '../report.ts';
import { assertNotSuspended, type Phase } from '../report-clocks.ts';
import { type ChainVerdict, verifyChain } from '../timeline-chain.ts';
import { codesAboveByShape, isActiveNode, jurisdictionOf, type TreeNode } from '../tree.ts';
import { decideClockAction, isClockAction } from './clock-actions.ts';
import type { Deps } from './deps.ts';
import { loadReport, mutateReport, wakeAfterStored } from './mutate.ts';
import { checkReportPhotos, type PhotoDeps } from './photos.ts';
import { deadlinesFor, resolveAssignment } from './routing.ts';
import { isLaneAction, laneActionChange, settleOnResolve, whistleChange } from './whistle.ts';

export interface CreateReportInput {
  gridCode: string;
  category: string;
  urgency?: Urgency;
  title: string;
  description: string;
  location?: Location;
  photos?: string[];
  occurredAt?: string;
}

/** Stable JSON (sorted keys) so the same body always hashes the same, whatever the key order. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * The report id is derived from (reporter, idempotency key), so concurrent retries of one
 * submission all aim at the same item and a conditional put lets exactly one of them create it.
 */
export function reportIdFor(actorId: string, idempotencyKey: string): string {
  return `R${sha256(`${actorId}\n${idempotencyKey}`).slice(0, 15).toUpperCase()}`;
}

/** How far ahead of our clock a reporter's may run: phone clocks drift by a minute or two. */
export const OCCURRED_AT_SKEW_MS = 5 * 60_000;
/** Nothing a grid worker reports now happened before this; an earlier time is a wrong clock or a typo. */
export const EARLIEST_OCCURRED_AT = '2000-01-01T00:00:00.000Z';

function occurredAtProblem(at: number, now: Date): string | undefined {
  if (Number.isNaN(at)) return 'must be a date and time';
  if (at > now.getTime() + OCCURRED_AT_SKEW_MS) {
    return `must not be in the future (the server's time is ${now.toISOString()}; up to ${OCCURRED_AT_SKEW_MS / 60_000} minutes ahead is taken for clock skew)`;
  }
  if (at < Date.parse(EARLIEST_OCCURRED_AT)) return `must not be before ${EARLIEST_OCCURRED_AT.slice(0, 10)}`;
  return undefined;
}

/** Refuses a time of occurrence that cannot be true, judged by our clock (the client's may be wrong). */
export function assertPlausibleOccurredAt(occurredAt: string | undefined, now: Date): void {
  if (occurredAt === undefined) return;
  const problem = occurredAtProblem(Date.parse(occurredAt), now);
  if (problem)
    throw new ValidationError('REPORT.OCCURRED_AT_IMPLAUSIBLE', `occurredAt ${problem}`, [{ path: 'occurredAt', message: problem }]);
}

export async function createReport(
  deps: PhotoDeps,
  actor: Actor,
  input: CreateReportInput,
  idempotencyKey: string,
): Promise<{ report: Report; replayed: boolean }> {
  assertPlausibleOccurredAt(input.occurredAt, deps.clock.now());
  const { grid, read, category } = await gridWithNodesAbove(deps, input.gridCode, input.category);
  if (grid?.level !== 'grid') throw new DomainRefusalError('GRID.UNKNOWN', `grid ${input.gridCode} does not exist`);
  assertCanReportFor(actor, grid);
  if (!isActiveNode(grid))
    throw new DomainRefusalError('GRID.RETIRED', `grid ${grid.code} is retired (撤销): nothing new is filed under it`);
  if (!category) throw new DomainRefusalError('CATEGORY.UNKNOWN', `category ${input.category} does not exist`);
  // Photos are checked (reads only) before anything is stored: a refused photo stores nothing.
  const photos = await checkReportPhotos(deps, actor, input.photos ?? []);

  const filedUnder = await namesAtFiling(deps, grid, read);

  const id = reportIdFor(actor.id, idempotencyKey);
  const now = deps.clock.now();
  const requestHash = sha256(canonicalJson(input));
  const earlier = await deps.reports.claimIdempotencyKey({
    key: idempotencyKey,
    actorId: actor.id,
    requestHash,
    reportId: id,
    createdAt: now.toISOString(),
  });
  if (earlier && earlier.requestHash !== requestHash) {
    throw new ConflictError('IDEMPOTENCY.KEY_REUSED', 'this Idempotency-Key was already used for a different report');
  }

  // Every step below is idempotent, so a retry after a crash at any point finishes the job.
  // Photos are linked before the report exists, so no stored report ever cites an unlinked photo.
  await photos.attachTo(id);
  // Filed when first submitted: every retry builds the same report and first event, whichever stores them.
  const filedAt = earlier ? new Date(earlier.createdAt) : now;
  const created = newReport(
    {
      id,
      jurisdiction: jurisdictionOf(grid),
      category: category.code,
      urgency: input.urgency ?? 'normal',
      title: input.title,
      description: input.description,
      location: input.location ?? null,
      photos: photos.urls,
      occurredAt: input.occurredAt ?? null,
      reporter: actor,
      flags: locationFlags(grid, input.location),
      filedUnder,
    },
    filedAt,
  );
  const stored = await deps.reports.create(created);
  await deps.workflow.start(id);
  // A replay answers with the report as it stands now; a first filing with the report it just stored.
  return { report: stored === 'created' ? created.report : await loadReport(deps, id), replayed: earlier !== null };
}

/**
 * The grid, the report's category and, in the same batch read, the nodes the grid's code says are
 * above it (filing names them): one request whenever the grid was not moved since it was created.
 */
async function gridWithNodesAbove(
  deps: Pick<Deps, 'directory'>,
  gridCode: string,
  categoryCode: string,
): Promise<{ grid: TreeNode | undefined; read: Map<string, TreeNode>; category: StoredCategory | null }> {
  const { nodes, category } = await deps.directory.getNodesAndCategory([gridCode, ...codesAboveByShape(gridCode)], categoryCode);
  const read = new Map(nodes.map((n) => [n.code, n]));
  return { grid: read.get(gridCode), read, category };
}

/** The names of the grid and its ancestors now, which the report keeps whatever later happens to the tree. */
async function namesAtFiling(deps: Pick<Deps, 'directory'>, grid: TreeNode, read: Map<string, TreeNode>): Promise<FiledUnder> {
  const { countyCode, townshipCode, villageCode } = jurisdictionOf(grid);
  // The ancestors read ahead by the code's shape are the grid's own unless it was moved since.
  const missing = [countyCode, townshipCode, villageCode].filter((code) => !read.has(code));
  const more = missing.length > 0 ? await deps.directory.getNodes(missing) : [];
  const names = new Map([...read.values(), ...more].map((n) => [n.code, n.name]));
  return {
    countyName: names.get(countyCode) ?? countyCode,
    townshipName: names.get(townshipCode) ?? townshipCode,
    villageName: names.get(villageCode) ?? villageCode,
    gridName: grid.name,
  };
}

/** A report as its reader gets it: with its timeline, its SMS, and what this reader may do with it now. */
export type ReportRead = ReportHistory & ReaderActions;

export async function getReport(deps: Deps, actor: Actor, id: string): Promise<ReportRead> {
  const history = await deps.reports.getHistory(id);
  if (!history) throw new NotFoundError('REPORT.NOT_FOUND', `report ${id} does not exist`);
  assertCanRead(actor, history.report);
  return { ...history, ...readerActions(actor, history.report, deps.clock.now()) };
}

export interface ListReportsInput {
  node?: string;
  status?: ReportStatus;
  tier?: Tier;
  category?: string;
  overdue?: boolean;
  /** Inclusive bounds on when the report was filed. */
  from?: Date;
  to?: Date;
  cursor?: string;
  limit: number;
}

/** The longest filing window one listing spans: a year, and a leap day. */
export const MAX_LISTING_WINDOW_DAYS = 366;

/**
 * A filing window the listing refuses: inverted, or longer than a year. An open end counts from
 * now (a `from` alone is the window from then until now); a `to` alone is every report before it.
 */
export function assertListingWindow(from: Date | undefined, to: Date | undefined, now: Date): void {
  if (from === undefined) return;
  const end = to ?? now;
  if (to !== undefined && from.getTime() > to.getTime()) {
    throw new ValidationError('REPORT.DATE_RANGE_INVERTED', '`from` must not be after `to`', [{ path: 'from', message: 'after to' }]);
  }
  if (end.getTime() - from.getTime() > MAX_LISTING_WINDOW_DAYS * 86_400_000) {
    throw new ValidationError('REPORT.DATE_RANGE_TOO_LONG', `a listing spans at most ${MAX_LISTING_WINDOW_DAYS} days of filing dates`, [
      { path: to === undefined ? 'from' : 'to', message: `at most ${MAX_LISTING_WINDOW_DAYS} days after from` },
    ]);
  }
}

export async function listReports(deps: Deps, actor: Actor, input: ListReportsInput): Promise<ReportPage> {
  const now = deps.clock.now();
  assertListingWindow(input.from, input.to, now);
  const common = {
    status: input.status,
    tier: input.tier,
    category: input.category,
    overdueAt: input.overdue ? now : undefined,
    createdFrom: input.from,
    createdTo: input.to,
    limit: input.limit,
    cursor: input.cursor,
  };
  if (actor.role === 'department_officer') {
    if (input.node !== undefined) throw new ForbiddenError('NODE.OUT_OF_SCOPE', 'department officers list by department');
    return deps.reports.list({ ...common, departmentCode: actor.scope });
  }
  const code = input.node ?? actor.scope;
  const node = await deps.directory.getNode(code);
  if (!node) throw new NotFoundError('NODE.NOT_FOUND', `node ${code} does not exist`);
  assertCanListNode(actor, node);
  return deps.reports.list({ ...common, node: { code: node.code, level: node.level, path: node.path } });
}

export const ACTIONS = [
  'accept',
  'resolve',
  'escalate',
  'return',
  'whistle',
  'review',
  'comment',
  // Issue 11 (clock-actions.ts): 督办 by hand, 延期, 挂起 / 恢复.
  'remind',
  'request_extension',
  'decide_extension',
  'suspend',
  'resume',
  // 吹哨: a summoned department's 报到.
  'check_in',
] as const;
export type ActionName = (typeof ACTIONS)[number];

export interface ActionInput {
  action: ActionName;
  note?: string;
  /** The note is for the public feed (Open311 status_notes); notes are internal otherwise. */
  public?: boolean;
  /** The tier the client saw; a report that has moved on answers 409 instead of acting. */
  tier?: Tier;
  /** The exact assignment the client saw (SMS links carry it): stricter than `tier`. */
  tierSeq?: number;
  departments?: string[];
  satisfied?: boolean;
  /** The summoned department whose lane the action is for (报到, and 签收/办结/退回 of its part). */
  department?: string;
  /** The lane an SMS link was issued for (links only). */
  laneSeq?: number;
  /** request_extension: which deadline, and the new one (`until`) or `extraHours` of policy time. */
  phase?: Phase;
  until?: string;
  extraHours?: number;
  /** decide_extension */
  approved?: boolean;
}

/** Actions that move the workflow on: the waiting task is woken after they are stored. */
const WAKING: ReadonlySet<ActionName> = new Set([
  'accept',
  'resolve',
  'escalate',
  'return',
  'review',
  'remind',
  'decide_extension',
  'suspend',
  'resume',
  'whistle',
  'check_in',
]);

/** A suspended report's clocks are paused: nothing moves it on until it is resumed. */
const PAUSED_BY_SUSPENSION: ReadonlySet<ActionName> = new Set(['accept', 'resolve', 'escalate', 'return', 'whistle']);

export async function actOnReport(deps: Deps, actor: Actor, id: string, input: ActionInput): Promise<Report> {
  if (input.public && !input.note) throw new DomainRefusalError('ACTION.NOTE_REQUIRED', 'a public note needs a note');
  const { before, after } = await mutateReport(deps, id, async (report) => {
    assertCanRead(actor, report);
    const change = await decideAction(deps, actor, report, input);
    // After the action's own checks, so a stale action still answers 409; before anything is stored.
    if (input.public) assertMayPublishNote(actor, report);
    return change;
  });
  if (WAKING.has(input.action) && before.waiting) {
    await wakeAfterStored(deps, before.waiting.token);
  }
  return after;
}

async function decideAction(deps: Deps, actor: Actor, report: Report, input: ActionInput): Promise<Change> {
  const now = deps.clock.now();
  const opts = { note: input.note, public: input.public, expectedTier: input.tier, expectedTierSeq: input.tierSeq };
  // An action addressed to a summoned department's lane (吹哨) is that lane's, not the tier's.
  if (isLaneAction(input.action) && (input.department !== undefined || input.action === 'check_in')) {
    return laneActionChange(deps, actor, report, { ...input, action: input.action });
  }
  if (isClockAction(input.action)) {
    if (input.action !== 'review') assertExpectedTierSeen(report, input);
    return decideClockAction(deps, actor, report, { ...input, action: input.action });
  }
  if (PAUSED_BY_SUSPENSION.has(input.action)) assertNotSuspended(report);
  switch (input.action) {
    case 'accept':
      return accept(report, actor, now, opts);
    case 'resolve':
      return settleOnResolve(deps, report, resolve(report, actor, now, opts));
    case 'comment':
      if (!input.note) throw new DomainRefusalError('ACTION.NOTE_REQUIRED', 'a comment needs a note');
      return comment(report, actor, input.note, now, { public: input.public });
    case 'escalate': {
      if ((input.tier !== undefined && input.tier !== report.tier) || (input.tierSeq !== undefined && input.tierSeq !== report.tierSeq)) {
        throw new ConflictError('REPORT.MOVED_ON', `the report has moved on to the ${report.tier} tier`);
      }
      if (!mayEscalate(actor, report)) {
        if (report.pastAssigneeIds.includes(actor.id)) {
          throw new ConflictError('REPORT.MOVED_ON', `the report has moved on to the ${report.tier} tier`);
        }
        throw new ForbiddenError('REPORT.NOT_ASSIGNED_TO_YOU', 'only its assignees or a supervising admin may escalate');
      }
      const target = escalationTarget(report);
      if (target === null || (report.status !== 'assigned' && report.status !== 'accepted')) {
        throw new ConflictError('REPORT.NOT_ESCALATABLE', `a ${report.status} report at the ${report.tier} tier cannot be escalated`);
      }
      const assignment = await resolveAssignment(deps, report, target);
      const deadlines = await deadlinesFor(deps, report, assignment.tier, now);
      return escalate(report, { kind: 'manual', actor, note: input.note, public: input.public }, assignment, deadlines, now);
    }
    case 'return': {
      if (!input.note) throw new DomainRefusalError('ACTION.REASON_REQUIRED', 'say why the report is returned (退回原因)');
      const target = returnTarget(report);
      if (target === null) throw new DomainRefusalError('REPORT.NOTHING_BELOW', 'the grid tier has nobody below to return to');
      const assignment = await resolveAssignment(deps, report, target, 'down');
      const deadlines = await deadlinesFor(deps, report, assignment.tier, now);
      return returnDown(report, actor, input.note, assignment, deadlines, now, opts);
    }
    case 'whistle':
      return whistleChange(deps, actor, report, input);
    default:
      throw new DomainRefusalError('ACTION.NOT_AVAILABLE', `the ${input.action} action is not available yet`);
  }
}

/** The tier the client saw, if it says: an action on clocks that moved on since answers 409. */
function assertExpectedTierSeen(report: Report, input: ActionInput): void {
  if ((input.tier !== undefined && input.tier !== report.tier) || (input.tierSeq !== undefined && input.tierSeq !== report.tierSeq)) {
    throw new ConflictError('REPORT.MOVED_ON', `the report has moved on to the ${report.tier} tier`, {
      tier: report.tier,
      status: report.status,
    });
  }
}

/**
 * Whether a report's stored timeline is the one its events were chained into (timeline-chain.ts):
 * whoever may read the report may check it.
 */
export async function verifyReportTimeline(deps: Deps, actor: Actor, id: string): Promise<ChainVerdict & { reportId: string }> {
  const history = await deps.reports.getHistory(id);
  if (!history) throw new NotFoundError('REPORT.NOT_FOUND', `report ${id} does not exist`);
  assertCanRead(actor, history.report);
  return { reportId: id, ...verifyChain(history.timeline, history.report.lastEvent) };
}
