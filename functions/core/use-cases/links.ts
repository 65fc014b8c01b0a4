/** Acting from an SMS: the link is the officer's credential for one report, one tier, until its deadline. */
import { AuthenticationError, ConflictError } from '../errors.ts';
import { isAuthentic, linkActions, linkIdOf } from '../links.ts';
import type { Actor } from '../people.ts';
import type { Report } from '../report.ts';
import type { Deps } from './deps.ts';
import { actOnReport } from './reports.ts';

const invalid = () => new AuthenticationError('LINK.INVALID', 'this link is not valid');

/**
 * A link lives as long as its tier may act: until the tier's last deadline, which a working
 * calendar change may have moved since the SMS went out. Under county supervision each 督办 round
 * texts a fresh link, so there a link keeps the expiry it was sent with.
 */
function expiryOf(sentWith: string, report: Report): number {
  if (report.tier === 'supervision') return Date.parse(sentWith);
  return Math.max(Date.parse(sentWith), ...[report.acceptBy, report.completeBy].filter((d): d is string => d !== null).map(Date.parse));
}

async function resolveLink(deps: Deps, token: string) {
  const id = linkIdOf(token);
  const link = id ? await deps.links.getLink(id) : null;
  if (!link || !isAuthentic(deps.linkSettings.secret, token, link)) throw invalid();
  const report = await deps.reports.get(link.reportId);
  const person = await deps.directory.getPerson(link.personId);
  if (!report || !person) throw invalid();
  if (report.tierSeq !== link.tierSeq) {
    throw new ConflictError('LINK.TIER_MOVED', `the report has moved on to the ${report.tier} tier`, {
      tier: report.tier,
      status: report.status,
    });
  }
  if (expiryOf(link.expiresAt, report) <= deps.clock.now().getTime())
    throw new AuthenticationError('LINK.EXPIRED', 'this link has expired');
  const actor: Actor = { id: person.id, name: person.name, role: person.role, scope: person.scope };
  return { link, report, actor };
}

/** Only what an officer needs on a phone: no reporter identity, no other officers' numbers. */
function summary(report: Report) {
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

export async function openLink(deps: Deps, token: string) {
  const { link, report, actor } = await resolveLink(deps, token);
  return {
    report: summary(report),
    officer: { id: actor.id, name: actor.name },
    actions: linkActions(report, actor.id),
    expiresAt: new Date(expiryOf(link.expiresAt, report)).toISOString(),
  };
}

export async function actThroughLink(deps: Deps, token: string, input: { action: 'accept' | 'resolve' | 'return'; note?: string }) {
  const { link, actor } = await resolveLink(deps, token);
  const report = await actOnReport(deps, actor, link.reportId, { action: input.action, note: input.note, tierSeq: link.tierSeq });
  return { report: summary(report), actions: linkActions(report, actor.id) };
}
