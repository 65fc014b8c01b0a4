/**
 * A county's escalation policies, per category × urgency, versioned: a county admin's save adds a
 * version (the deployment default is version 1, kept in the history when the county first saves),
 * and a report keeps the version it started with. The dry run shows what a policy would do to a
 * sample report nobody acts on, computed by the runtime's own functions (policySchedule on the
 * county's PolicyTime), so the preview cannot drift from what the state machine will do.
 */
import type { StoredPolicy } from '#ports/county-rules.ts';
import { VersionConflictError } from '#ports/versioning.ts';
import { URGENCIES, type Urgency } from '../catalog.ts';
import { ConflictError, DomainRefusalError, NotFoundError, ValidationError } from '../errors.ts';
import type { Actor } from '../people.ts';
import { type EscalationPolicy, nextTier, TIERS, type Tier, validatePolicy } from '../policy.ts';
import { assertCounty, assertCountyAdminOf, assertWorksInCounty } from './calendar.ts';
import type { Deps } from './deps.ts';
import { countyPolicy, countyPolicyTime, policySchedule } from './routing.ts';

/** What a county admin edits (category and urgency are the path's). */
export type PolicyInput = Pick<EscalationPolicy, 'tiers' | 'basis' | 'reminderFractions' | 'startTier' | 'whistleDepartments'>;

async function assertCategory(deps: Pick<Deps, 'directory'>, category: string): Promise<void> {
  if (!(await deps.directory.getCategory(category))) throw new NotFoundError('CATEGORY.UNKNOWN', `category ${category} does not exist`);
}

/** Shape, ranges and the departments named: every problem at once (nothing stored). */
async function assertValid(deps: Pick<Deps, 'directory'>, policy: EscalationPolicy): Promise<void> {
  const problems = validatePolicy(policy);
  if (problems.length > 0) throw new ValidationError('POLICY.INVALID', 'the policy is not valid', problems);
  for (const code of policy.whistleDepartments ?? []) {
    if (!(await deps.directory.getDepartment(code))) {
      throw new DomainRefusalError('DEPARTMENT.UNKNOWN', `department ${code} does not exist`, [
        { path: 'whistleDepartments', message: code },
      ]);
    }
  }
}

export interface PolicyListing {
  items: { category: string; urgency: Urgency; policy: EscalationPolicy; source: 'county' | 'default' }[];
}

/** Every category × urgency with the policy a report filed now would start with. */
export async function listCountyPolicies(deps: Deps, actor: Actor, countyCode: string): Promise<PolicyListing> {
  assertWorksInCounty(actor, countyCode);
  await assertCounty(deps, countyCode);
  const categories = await deps.directory.listCategories();
  const pairs = categories.flatMap((c) => URGENCIES.map((urgency) => ({ category: c.code, urgency })));
  const items = await Promise.all(
    pairs.map(async ({ category, urgency }) => {
      const policy = await countyPolicy(deps, countyCode, category, urgency);
      return { category, urgency, policy, source: 'countyCode' in policy ? ('county' as const) : ('default' as const) };
    }),
  );
  return { items };
}

/** The current policy and every version the county saved, newest first (the default alone before the first save). */
export async function getCountyPolicy(
  deps: Deps,
  actor: Actor,
  countyCode: string,
  category: string,
  urgency: Urgency,
): Promise<{ policy: EscalationPolicy; versions: EscalationPolicy[] }> {
  assertWorksInCounty(actor, countyCode);
  await assertCounty(deps, countyCode);
  await assertCategory(deps, category);
  const versions = await deps.directory.listCountyPolicyVersions(countyCode, category, urgency);
  const policy = versions[0] ?? (await countyPolicy(deps, countyCode, category, urgency));
  return { policy, versions: versions.length > 0 ? versions : [policy] };
}

/**
 * Saves the county's next version, conditional on `expectedVersion` (the one the editor read).
 * The first save also keeps the default it replaces as version 1, so the reports that started on
 * it keep reading it after the deployment default changes.
 */
export async function saveCountyPolicy(
  deps: Deps,
  actor: Actor,
  countyCode: string,
  category: string,
  urgency: Urgency,
  input: PolicyInput & { expectedVersion: number },
): Promise<{ policy: StoredPolicy }> {
  assertCountyAdminOf(actor, countyCode, 'policies');
  await assertCounty(deps, countyCode);
  await assertCategory(deps, category);
  const { expectedVersion, ...fields } = input;
  const candidate: EscalationPolicy = { category, urgency, ...withoutUndefined(fields) };
  await assertValid(deps, candidate);
  const current = await countyPolicy(deps, countyCode, category, urgency);
  const currentVersion = current.version ?? 1;
  if (expectedVersion !== currentVersion) {
    throw new ConflictError('POLICY.VERSION_CONFLICT', `the policy is at version ${currentVersion} now`, { version: currentVersion });
  }
  const savedAt = deps.clock.now().toISOString();
  try {
    if (!('countyCode' in current)) {
      // The default as it was when the county took over: version 1 of its history.
      const snapshot = { ...current, version: 1, countyCode, savedAt, savedBy: { id: 'system', name: '默认策略' } } as StoredPolicy;
      await deps.directory.addCountyPolicyVersion(snapshot).catch((error: unknown) => {
        if (!(error instanceof VersionConflictError)) throw error;
      });
    }
    const policy: StoredPolicy = {
      ...candidate,
      version: currentVersion + 1,
      countyCode,
      savedAt,
      savedBy: { id: actor.id, name: actor.name },
    };
    await deps.directory.addCountyPolicyVersion(policy);
    return { policy };
  } catch (error) {
    if (error instanceof VersionConflictError) {
      throw new ConflictError('POLICY.VERSION_CONFLICT', 'someone else saved this policy first', { version: currentVersion + 1 });
    }
    throw error;
  }
}

function withoutUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

/** One tier of the dry run: assigned when the tier below let its 签收 deadline pass. */
export interface DryRunTier {
  tier: Tier;
  assignedAt: string;
  acceptBy: string;
  completeBy: string;
  acceptReminders: string[];
  completeReminders: string[];
}

export interface DryRunEvent {
  at: string;
  tier: Tier;
  kind: 'assigned' | 'accept_reminder' | 'complete_reminder' | 'accept_deadline' | 'complete_deadline' | 'supervised';
}

export interface DryRun {
  start: string;
  basis: 'working' | 'elapsed';
  tiers: DryRunTier[];
  /** The first 督办 rounds at county supervision: each when the last 签收 deadline passed, with the next one. */
  supervision: { at: string; acceptBy: string }[];
  /** Every instant above, in order. */
  events: DryRunEvent[];
}

export const DRY_RUN_SUPERVISION_ROUNDS = 3;

/**
 * The timeline a policy gives a sample report that nobody accepts: from the start tier, each tier
 * assigned when the one below missed its 签收 deadline, up to county supervision and its first
 * 督办 rounds. Deadlines and reminders come from policySchedule on the county's PolicyTime, the
 * functions the state machine uses, with this deployment's timeScale.
 */
export async function dryRunPolicy(
  deps: Deps,
  actor: Actor,
  input: { countyCode: string; start?: string; policy: PolicyInput & { category?: string; urgency?: Urgency } },
): Promise<DryRun> {
  assertCountyAdminOf(actor, input.countyCode, 'policies');
  await assertCounty(deps, input.countyCode);
  const { category = 'dry-run', urgency = 'normal', ...fields } = input.policy;
  const policy: EscalationPolicy = { category, urgency, ...withoutUndefined(fields) };
  await assertValid(deps, policy);
  const time = await countyPolicyTime(deps, input.countyCode, policy);
  const start = input.start ? new Date(input.start) : deps.clock.now();
  const tiers: DryRunTier[] = [];
  const events: DryRunEvent[] = [];
  let assignedAt = start;
  for (let tier: Tier | null = policy.startTier ?? 'grid'; tier !== null; tier = nextTier(tier)) {
    const schedule = policySchedule(policy, tier, assignedAt, time);
    tiers.push({ tier, assignedAt: assignedAt.toISOString(), ...schedule });
    events.push({ at: assignedAt.toISOString(), tier, kind: 'assigned' });
    for (const at of schedule.acceptReminders) events.push({ at, tier, kind: 'accept_reminder' });
    for (const at of schedule.completeReminders) events.push({ at, tier, kind: 'complete_reminder' });
    events.push({ at: schedule.acceptBy, tier, kind: 'accept_deadline' });
    events.push({ at: schedule.completeBy, tier, kind: 'complete_deadline' });
    assignedAt = new Date(schedule.acceptBy);
  }
  const supervision: DryRun['supervision'] = [];
  let due = assignedAt;
  for (let round = 0; round < DRY_RUN_SUPERVISION_ROUNDS; round++) {
    const { acceptBy } = policySchedule(policy, 'supervision', due, time);
    supervision.push({ at: due.toISOString(), acceptBy });
    events.push({ at: due.toISOString(), tier: 'supervision', kind: 'supervised' });
    due = new Date(acceptBy);
  }
  events.sort((a, b) => a.at.localeCompare(b.at) || TIERS.indexOf(a.tier) - TIERS.indexOf(b.tier));
  return { start: start.toISOString(), basis: policy.basis ?? 'elapsed', tiers, supervision, events };
}
