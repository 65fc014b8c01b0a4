/**
 * Duplicates (重复上报) and their merge (合并). Two workers who see the same broken bridge file two
 * reports; on filing, the open reports of the same grid and category filed nearby within a few
 * days are suggested, and an admin over both merges the duplicate into its parent. The duplicate
 * ends (status `merged`), the parent carries the case and keeps the earlier deadline, and the
 * duplicate's reporter is told when the parent closes.
 */
import { canRead } from './access.ts';
import { ConflictError, DomainRefusalError, ForbiddenError } from './errors.ts';
import type { Actor, Role } from './people.ts';
import type { Tier } from './policy.ts';
import { type Change, commit, currentDeadline, isOpen, type Location, type Report, type ReportStatus, SYSTEM_ACTOR } from './report.ts';
import { isWithin } from './tree.ts';

/** How close two reports must lie to be suggested as one case (metres, great-circle). */
export const DUPLICATE_RADIUS_METERS = 300;
/** How far apart in filing time two reports may lie to be suggested as one case. */
export const DUPLICATE_WINDOW_DAYS = 7;
/** At most this many suggestions: the nearest first. */
export const MAX_DUPLICATE_SUGGESTIONS = 10;
/** Candidates one suggestion read looks at: a grid files a handful of reports of one category a week. */
export const DUPLICATE_CANDIDATE_LIMIT = 50;

/** What a suggestion shows: no reporter, no description, nothing its reader could not read anyway. */
export interface DuplicateSuggestion {
  id: string;
  title: string;
  status: ReportStatus;
  tier: Tier;
  createdAt: string;
  /** Null when either report has no location (then the grid, category and window matched). */
  distanceMeters: number | null;
}

/** A merged report or merged child as a report page names it. */
export interface MergeRelative {
  id: string;
  title: string;
  status: ReportStatus;
  createdAt: string;
}

const EARTH_RADIUS_METERS = 6_371_008.8;
const radians = (degrees: number) => (degrees * Math.PI) / 180;

/** Great-circle distance (haversine) in metres. */
export function distanceMeters(a: Pick<Location, 'lat' | 'lng'>, b: Pick<Location, 'lat' | 'lng'>): number {
  const dLat = radians(b.lat - a.lat);
  const dLng = radians(b.lng - a.lng);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(radians(a.lat)) * Math.cos(radians(b.lat)) * Math.sin(dLng / 2) ** 2;
  return 2 * EARTH_RADIUS_METERS * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** The filing window around a report in which others count as its possible duplicates. */
export function duplicateWindow(report: Pick<Report, 'createdAt'>, side: 'before' | 'around'): { from: Date; to: Date } {
  const at = Date.parse(report.createdAt);
  const span = DUPLICATE_WINDOW_DAYS * 86_400_000;
  return { from: new Date(at - span), to: new Date(side === 'before' ? at : at + span) };
}

/**
 * The possible duplicates of `report` among `candidates` (read from its grid's listing): open,
 * the same grid and category, filed within the window, within the radius when both have a
 * location, and readable by `reader`. Nearest first; those without a distance after, newest first.
 */
export function duplicateSuggestions(reader: Actor, report: Report, candidates: readonly Report[]): DuplicateSuggestion[] {
  const window = duplicateWindow(report, 'around');
  const suggestions: DuplicateSuggestion[] = [];
  for (const other of candidates) {
    if (other.id === report.id || !isOpen(other)) continue;
    if (other.gridCode !== report.gridCode || other.category !== report.category) continue;
    const at = Date.parse(other.createdAt);
    if (at < window.from.getTime() || at > window.to.getTime()) continue;
    if (!canRead(reader, other)) continue;
    const distance = report.location && other.location ? distanceMeters(report.location, other.location) : null;
    if (distance !== null && distance > DUPLICATE_RADIUS_METERS) continue;
    suggestions.push({
      id: other.id,
      title: other.title,
      status: other.status,
      tier: other.tier,
      createdAt: other.createdAt,
      distanceMeters: distance === null ? null : Math.round(distance),
    });
  }
  return suggestions
    .sort((a, b) => {
      if (a.distanceMeters !== null && b.distanceMeters !== null) return a.distanceMeters - b.distanceMeters;
      if (a.distanceMeters !== b.distanceMeters) return a.distanceMeters === null ? 1 : -1;
      return b.createdAt.localeCompare(a.createdAt);
    })
    .slice(0, MAX_DUPLICATE_SUGGESTIONS);
}

export function mergeRelative(report: Report): MergeRelative {
  return { id: report.id, title: report.title, status: report.status, createdAt: report.createdAt };
}

const MERGING_ADMINS: ReadonlySet<Role> = new Set(['village_admin', 'township_admin', 'county_admin']);

/**
 * Whether the reader may merge this report into another (the parent is checked when named): an
 * admin whose subtree holds it, while it is open and has no duplicates of its own merged into it.
 */
export function mayMergeAway(actor: Actor, report: Report): boolean {
  return MERGING_ADMINS.has(actor.role) && isWithin(report, actor.scope) && isOpen(report) && (report.mergedChildren ?? []).length === 0;
}

/**
 * Every rule a merge of `child` into `parent` must pass, in the order a client can fix them.
 * Returns 'replay' when the child is already merged into this parent (a retried request): the
 * caller finishes the parent's side, if a crash left it undone, and changes nothing else.
 */
export function assertMergeable(actor: Actor, child: Report, parent: Report): 'merge' | 'replay' {
  if (!MERGING_ADMINS.has(actor.role))
    throw new ForbiddenError('REPORT.MERGE_ADMINS_ONLY', 'only village, township and county admins merge reports');
  if (!isWithin(child, actor.scope) || !isWithin(parent, actor.scope)) {
    throw new ForbiddenError('REPORT.OUT_OF_SCOPE', 'both reports must lie inside your scope');
  }
  if (child.id === parent.id) throw new DomainRefusalError('REPORT.MERGE_INTO_ITSELF', 'a report cannot be merged into itself');
  if (child.countyCode !== parent.countyCode) {
    throw new DomainRefusalError('REPORT.MERGE_OTHER_COUNTY', 'only reports of the same county are merged');
  }
  if (child.status === 'merged') {
    if (child.mergedInto === parent.id) return 'replay';
    throw new ConflictError('REPORT.ALREADY_MERGED', `report ${child.id} is already merged into ${child.mergedInto}`, {
      parentId: child.mergedInto,
    });
  }
  if (parent.status === 'merged') {
    throw new ConflictError(
      'REPORT.MERGE_PARENT_MERGED',
      `report ${parent.id} is itself merged into ${parent.mergedInto}: merge into that one`,
      {
        parentId: parent.mergedInto,
      },
    );
  }
  if (!isOpen(child) || !isOpen(parent)) {
    throw new ConflictError('REPORT.MERGE_NOT_OPEN', 'both reports must still be open', {
      status: isOpen(child) ? parent.status : child.status,
    });
  }
  if ((child.mergedChildren ?? []).length > 0) {
    throw new ConflictError('REPORT.MERGE_HAS_CHILDREN', `duplicates were merged into ${child.id}: merge the others into it instead`);
  }
  return 'merge';
}

function asEventActor(actor: Actor) {
  return { id: actor.id, name: actor.name, role: actor.role };
}

/** The duplicate's side: it ends as `merged`, its workflow stops at its next advance. */
export function mergeAway(child: Report, parent: Report, actor: Actor, now: Date, note?: string): Change {
  return commit(child, { status: 'merged', mergedInto: parent.id, waiting: null, smsRetry: null }, now, {
    type: 'merged',
    actor: asEventActor(actor),
    note,
    data: { parentId: parent.id },
  });
}

/**
 * The parent's side: it remembers the child, and when the child's deadline for the same phase
 * (签收 while both wait for it, 办结 while both are being handled) is the earlier one, the
 * parent's moves to it. Null when the child is already remembered (a retry).
 */
export function absorbMerged(parent: Report, child: Report, actor: Actor, now: Date): Change | null {
  const children = parent.mergedChildren ?? [];
  if (children.includes(child.id)) return null;
  const patch: Partial<Report> = { mergedChildren: [...children, child.id] };
  const ours = currentDeadline(parent);
  const theirs = parent.status === child.status ? currentDeadline(child) : null;
  const moved = ours !== null && theirs !== null && theirs < ours;
  if (moved && parent.status === 'assigned') patch.acceptBy = theirs;
  if (moved && parent.status === 'accepted') patch.completeBy = theirs;
  return commit(parent, patch, now, {
    type: 'merged',
    actor: asEventActor(actor),
    data: {
      childId: child.id,
      ...(moved ? { acceptBy: patch.acceptBy ?? parent.acceptBy, completeBy: patch.completeBy ?? parent.completeBy, movedFrom: ours } : {}),
    },
  });
}

/**
 * The note on a merged report's timeline once its parent closed, saying whether its reporter was
 * texted. Null when noted before.
 */
export function noteParentClosed(child: Report, parent: Report, now: Date, reporterTold: boolean): Change | null {
  if (child.parentClosedAt !== undefined || child.mergedInto !== parent.id) return null;
  return commit(child, { parentClosedAt: now.toISOString() }, now, {
    type: 'commented',
    actor: SYSTEM_ACTOR,
    note: `并入的事件 ${parent.id}「${parent.title}」已办结${reporterTold ? '，已短信告知上报人' : ''}`,
    data: { parentId: parent.id, parentClosed: true, reporterTold },
  });
}
