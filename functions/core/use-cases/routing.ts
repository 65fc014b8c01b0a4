/**
 * Routing a report to a tier: the chain comes from the jurisdiction tree and the category's
 * department, never from fixed lists of people. A vacant post skips to the next tier and says so.
 */

import { elapsedPolicyTime, type PolicyTime, type TierSchedule, tierSchedule } from '../deadlines.ts';
import { DomainRefusalError, NotFoundError } from '../errors.ts';
import { isResponsibleOfficer, type Role } from '../people.ts';
import {
  DEFAULT_REMINDER_FRACTIONS,
  defaultPolicy,
  type EscalationPolicy,
  nextTier,
  previousTier,
  supervisionIntervals,
  type Tier,
} from '../policy.ts';
import type { Assignee, Report, TierAssignment } from '../report.ts';
import { defaultCalendar, type WorkingCalendar, workingPolicyTime } from '../working-calendar.ts';
import type { Deps } from './deps.ts';

const TIER_OWNER: Record<Tier, { role: Role; owner: (r: Report, departmentCode: string) => string }> = {
  grid: { role: 'grid_worker', owner: (r) => r.gridCode },
  village: { role: 'village_admin', owner: (r) => r.villageCode },
  township: { role: 'township_admin', owner: (r) => r.townshipCode },
  department: { role: 'department_officer', owner: (_r, dept) => dept },
  supervision: { role: 'county_admin', owner: (r) => r.countyCode },
};

/** The role that holds a tier's post. */
export function roleOfTier(tier: Tier): Role {
  return TIER_OWNER[tier].role;
}

/**
 * Who answers for a post now: its active, responsible officers (a deactivated officer, or a
 * colleague who is not responsible for the tier, is never assigned).
 */
export async function postOfficers(deps: Pick<Deps, 'directory'>, tier: Tier, ownerCode: string): Promise<Assignee[]> {
  const role = roleOfTier(tier);
  const people = await deps.directory.peopleIn(ownerCode, role);
  return people.filter(isResponsibleOfficer).map((p) => ({ id: p.id, name: p.name, role: p.role }));
}

/**
 * The first tier from `fromTier` (going up for escalation, down for 退回) whose post is filled.
 */
export async function resolveAssignment(
  deps: Deps,
  report: Report,
  fromTier: Tier,
  direction: 'up' | 'down' = 'up',
): Promise<TierAssignment> {
  // Only the department tier is owned through the category: the tiers of the tree need no read of it.
  const departmentCode = async () => {
    const category = await deps.directory.getCategory(report.category);
    if (!category) throw new NotFoundError('CATEGORY.UNKNOWN', `category ${report.category} does not exist`);
    return category.departmentCode;
  };
  const skipped: TierAssignment['skipped'] = [];
  const step = direction === 'up' ? nextTier : previousTier;
  for (let tier: Tier | null = fromTier; tier !== null; tier = step(tier)) {
    const ownerCode = TIER_OWNER[tier].owner(report, tier === 'department' ? await departmentCode() : '');
    const assignees = await postOfficers(deps, tier, ownerCode);
    if (assignees.length === 0) {
      skipped.push({ tier, ownerCode, reason: 'no_officer' });
      continue;
    }
    const ownerName =
      tier === 'department'
        ? ((await deps.directory.getDepartment(ownerCode))?.name ?? ownerCode)
        : ((await deps.directory.getNode(ownerCode))?.name ?? ownerCode);
    return {
      tier,
      ownerCode,
      ownerName,
      assignees,
      skipped,
    };
  }
  if (direction === 'down') throw new DomainRefusalError('TREE.NOBODY_BELOW', 'no tier below has an officer to take it', { skipped });
  throw new DomainRefusalError('TREE.NO_SUPERVISOR', `nobody supervises county ${report.countyCode}`, { skipped });
}

/**
 * A county's policy for category × urgency: the version asked for, else the county's latest, else
 * the deployment default (version 1, the figures every county starts from).
 */
export async function countyPolicy(
  deps: Pick<Deps, 'directory'>,
  countyCode: string,
  category: string,
  urgency: Report['urgency'],
  version?: number,
): Promise<EscalationPolicy> {
  const stored =
    (version !== undefined ? await deps.directory.getCountyPolicy(countyCode, category, urgency, version) : null) ??
    (version === undefined || version > 1 ? await deps.directory.getCountyPolicy(countyCode, category, urgency) : null);
  if (stored) return stored;
  const base = (await deps.directory.getPolicy(category, urgency)) ?? defaultPolicy(category, urgency);
  return { ...base, version: base.version ?? 1 };
}

/** The policy a report runs under: the one it started with (pinned at its first assignment; before it: the current one). */
export async function policyFor(deps: Deps, report: Report): Promise<EscalationPolicy> {
  if (report.pinnedPolicy) return report.pinnedPolicy;
  return countyPolicy(deps, report.countyCode, report.category, report.urgency, report.policyVersion);
}

/** The county's working calendar (its latest version, or the built-in default). */
export async function calendarOf(deps: Pick<Deps, 'directory'>, countyCode: string): Promise<WorkingCalendar> {
  return (await deps.directory.getCalendar(countyCode)) ?? defaultCalendar(countyCode);
}

/** How a policy counts its seconds in a county: on its working calendar, or as plain elapsed time. */
export async function countyPolicyTime(
  deps: Pick<Deps, 'directory' | 'timeScale'>,
  countyCode: string,
  policy: EscalationPolicy,
): Promise<PolicyTime> {
  if (policy.basis !== 'working') return elapsedPolicyTime(deps.timeScale);
  return workingPolicyTime(await calendarOf(deps, countyCode), deps.directory.nationalHolidays(), deps.timeScale);
}

/** How the report's policy counts its seconds: the county's working calendar for a 'working' policy. */
export async function policyTimeFor(deps: Deps, report: Report, policy: EscalationPolicy): Promise<PolicyTime> {
  return countyPolicyTime(deps, report.countyCode, policy);
}

/** A tier's schedule under a given policy and time: the one computation the runtime and the dry run share. */
export function policySchedule(policy: EscalationPolicy, tier: Tier, start: Date, time: PolicyTime): TierSchedule {
  const intervals = tier === 'supervision' ? supervisionIntervals(policy.tiers[tier]) : policy.tiers[tier];
  return tierSchedule(start, intervals, time, policy.reminderFractions ?? DEFAULT_REMINDER_FRACTIONS);
}

/** A tier's deadlines from `start`, with the reminders (催办) due before each. */
export async function scheduleFor(deps: Deps, report: Report, tier: Tier, start: Date): Promise<TierSchedule> {
  const policy = await policyFor(deps, report);
  return policySchedule(policy, tier, start, await policyTimeFor(deps, report, policy));
}

export async function deadlinesFor(deps: Deps, report: Report, tier: Tier, start: Date): Promise<{ acceptBy: string; completeBy: string }> {
  const { acceptBy, completeBy } = await scheduleFor(deps, report, tier, start);
  return { acceptBy, completeBy };
}
