/** Acting from an SMS: the link is the officer's credential for one report, one tier, until its deadline. */
import { AuthenticationError, ConflictError } from '../errors.ts';
import { isAuthentic, type LinkAction, linkActions, linkIdOf } from '../links.ts';
import type { Actor } from '../people.ts';
import type { Report } from '../report.ts';
import type { Deps } from './deps.ts';
import { actOnReport } from './reports.ts';

const invalid = () => new AuthenticationError('LINK.INVALID', 'this link is not valid');

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
  if (Date.parse(link.expiresAt) <= deps.clock.now().getTime()) throw new AuthenticationError('LINK.EXPIRED', 'this link has expired');
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
    expiresAt: link.expiresAt,
  };
}

export async function actThroughLink(deps: Deps, token: string, input: { action: LinkAction; note?: string }) {
  const { link, actor } = await resolveLink(deps, token);
  const action =
    input.action === 'visit_satisfied' || input.action === 'visit_unsatisfied'
      ? { action: 'review' as const, satisfied: input.action === 'visit_satisfied' }
      : { action: input.action };
  const report = await actOnReport(deps, actor, link.reportId, { ...action, note: input.note, tierSeq: link.tierSeq });
  return { report: summary(report), actions: linkActions(report, actor.id) };
}
