/** Acting from an SMS: the link is the officer's credential for one report, one tier, until its deadline. */
import { laneActionsFor, laneBySeq } from '../assignments.ts';
import { AuthenticationError, ConflictError } from '../errors.ts';
import { isAuthentic, type LinkAction, linkActions, linkIdOf } from '../links.ts';
import type { Actor } from '../people.ts';
import type { Report } from '../report.ts';
import type { Deps } from './deps.ts';
import { actOnReport } from './reports.ts';

const invalid = () => new AuthenticationError('LINK.INVALID', 'this link is not valid');

/**
 * A link lives as long as its tier may act: until the tier's last deadline, which a working
 * calendar change may have moved since the SMS went out. Under county supervision each 督办 round
 * texts a fresh link, so there a link keeps the expiry it was sent with. A summoned department's
 * link lives until its lane's last deadline (which 督办 moves out: the department still acts).
 */
function expiryOf(sentWith: string, report: Report, laneSeq?: number): number {
  const lane = laneSeq === undefined ? undefined : laneBySeq(report, laneSeq);
  const deadlines = lane ? [lane.checkInBy, lane.acceptBy, lane.completeBy] : [report.acceptBy, report.completeBy];
  if (!lane && report.tier === 'supervision') return Date.parse(sentWith);
  return Math.max(Date.parse(sentWith), ...deadlines.filter((d): d is string => typeof d === 'string').map(Date.parse));
}

async function resolveLink(deps: Deps, token: string) {
  const id = linkIdOf(token);
  const link = id ? await deps.links.getLink(id) : null;
  if (!link || !isAuthentic(deps.linkSettings.secret, token, link)) throw invalid();
  const report = await deps.reports.get(link.reportId);
  const person = await deps.directory.getPerson(link.personId);
  if (!report || !person) throw invalid();
  // A summoned department's link acts on its lane, whatever the tier does meanwhile.
  if (link.laneSeq === undefined && report.tierSeq !== link.tierSeq) {
    throw new ConflictError('LINK.TIER_MOVED', `the report has moved on to the ${report.tier} tier`, {
      tier: report.tier,
      status: report.status,
    });
  }
  if (expiryOf(link.expiresAt, report, link.laneSeq) <= deps.clock.now().getTime())
    throw new AuthenticationError('LINK.EXPIRED', 'this link has expired');
  const actor: Actor = { id: person.id, name: person.name, role: person.role, scope: person.scope };
  return { link, report, actor };
}

/** Only what an officer needs on a phone: no reporter identity, no other officers' numbers. */
function summary(report: Report, laneSeq?: number) {
  const lane = laneSeq === undefined ? undefined : laneBySeq(report, laneSeq);
  if (lane) {
    // A department's link shows its own part: its department, status and deadlines.
    return {
      id: report.id,
      title: report.title,
      description: report.description,
      category: report.category,
      urgency: report.urgency,
      status: lane.status,
      tier: lane.tier,
      ownerName: lane.ownerName,
      location: report.location,
      checkInBy: lane.checkInBy,
      acceptBy: lane.acceptBy,
      completeBy: lane.completeBy,
      createdAt: report.createdAt,
    };
  }
  return {
    id: report.id,
    title: report.title,
    description: report.description,
    category: report.category,
    urgency: report.urgency,
    status: report.status,
    tier: report.tier,
    ownerName: report.ownerName,
    location: report.location,
    acceptBy: report.acceptBy,
    completeBy: report.completeBy,
    createdAt: report.createdAt,
  };
}

function actionsOf(report: Report, personId: string, laneSeq?: number) {
  if (laneSeq === undefined) return linkActions(report, personId);
  const lane = laneBySeq(report, laneSeq);
  return lane ? laneActionsFor(lane, personId) : [];
}

export async function openLink(deps: Deps, token: string) {
  const { link, report, actor } = await resolveLink(deps, token);
  return {
    report: summary(report, link.laneSeq),
    officer: { id: actor.id, name: actor.name },
    actions: actionsOf(report, actor.id, link.laneSeq),
    expiresAt: new Date(expiryOf(link.expiresAt, report, link.laneSeq)).toISOString(),
  };
}

export async function actThroughLink(deps: Deps, token: string, input: { action: LinkAction | 'check_in'; note?: string }) {
  const { link, actor } = await resolveLink(deps, token);
  const lane = link.laneSeq === undefined ? undefined : laneBySeq(await loadLinkReport(deps, link.reportId), link.laneSeq);
  const visitAnswer = input.action === 'visit_satisfied' || input.action === 'visit_unsatisfied';
  if (lane) {
    if (visitAnswer) invalidAction('a department’s summons cannot record a return visit (回访)');
    const report = await actOnReport(deps, actor, link.reportId, {
      action: input.action as 'accept' | 'resolve' | 'return' | 'check_in',
      note: input.note,
      department: lane.ownerCode,
      laneSeq: lane.seq,
    });
    return { report: summary(report, link.laneSeq), actions: actionsOf(report, actor.id, link.laneSeq) };
  }
  if (input.action === 'check_in') invalidAction('this link cannot check in (报到): it is not a department’s summons');
  const action = visitAnswer
    ? { action: 'review' as const, satisfied: input.action === 'visit_satisfied' }
    : { action: input.action as 'accept' | 'resolve' | 'return' };
  const report = await actOnReport(deps, actor, link.reportId, { ...action, note: input.note, tierSeq: link.tierSeq });
  return { report: summary(report), actions: actionsOf(report, actor.id) };
}

async function loadLinkReport(deps: Deps, id: string): Promise<Report> {
  const report = await deps.reports.get(id);
  if (!report) throw invalid();
  return report;
}

function invalidAction(message: string): never {
  throw new ConflictError('LINK.ACTION_UNAVAILABLE', message);
}
