/**
 * Escalation policy: for each category × urgency, how long each tier has to accept (签收) and to
 * complete (办结) before the report climbs to the next tier. Durations are in policy seconds (real
 * working time); the deadline module turns them into instants.
 */
import type { Urgency } from './catalog.ts';

export const TIERS = ['grid', 'village', 'township', 'department', 'supervision'] as const;
export type Tier = (typeof TIERS)[number];

export interface TierDeadlines {
  acceptSeconds: number;
  completeSeconds: number;
}

/** How a policy's seconds are counted: working time on the county's calendar, or plain elapsed time. */
export type PolicyBasis = 'working' | 'elapsed';

export interface EscalationPolicy {
  category: string;
  urgency: Urgency;
  tiers: Record<Tier, TierDeadlines>;
  /** Absent on policies stored before versions: counts as version 1. A report keeps the version it started with. */
  version?: number;
  /** Absent: 'elapsed' (the behaviour before the working calendar). */
  basis?: PolicyBasis;
  /** When to remind (催办) before each accept and complete deadline, as fractions of the window; absent: DEFAULT_REMINDER_FRACTIONS. */
  reminderFractions?: number[];
  /** Where a report starts (absent: grid). `emergency` starts at the township. */
  startTier?: Tier;
  /** Departments whistled (吹哨) at once when a report starts under this policy. */
  whistleDepartments?: string[];
  /** How long a summoned department has to check in (报到), in policy seconds; absent: DEFAULT_CHECK_IN_SECONDS. */
  checkInSeconds?: number;
  /** Whether every summoned department must finish before the report resolves ('all', the default) or one suffices ('any'). */
  whistleCompletion?: 'all' | 'any';
  /** How long a resolved report waits for its return visit (回访), in policy seconds; absent: report-visit.ts DEFAULT_VISIT_SECONDS. */
  visitSeconds?: number;
}

/** A summoned department checks in (报到) within two hours of policy time unless its policy says otherwise. */
export const DEFAULT_CHECK_IN_SECONDS = 2 * 3600;

/** 催办 at half and at four fifths of every accept and complete window. */
export const DEFAULT_REMINDER_FRACTIONS: readonly number[] = [0.5, 0.8];

export function nextTier(tier: Tier): Tier | null {
  return TIERS[TIERS.indexOf(tier) + 1] ?? null;
}

export function previousTier(tier: Tier): Tier | null {
  return TIERS[TIERS.indexOf(tier) - 1] ?? null;
}

const HOUR = 3600;

/**
 * The demo county's default policy ("小事不出村、大事不出镇"): a normal report gives the grid 2 h
 * to accept and a day to finish, and each tier above gets more room. At supervision the county
 * keeps reminding (督办) at the supervision accept/complete interval. Urgent halves every figure,
 * emergency divides by eight.
 */
const NORMAL: Record<Tier, TierDeadlines> = {
  grid: { acceptSeconds: 2 * HOUR, completeSeconds: 24 * HOUR },
  village: { acceptSeconds: 4 * HOUR, completeSeconds: 48 * HOUR },
  township: { acceptSeconds: 8 * HOUR, completeSeconds: 72 * HOUR },
  department: { acceptSeconds: 24 * HOUR, completeSeconds: 120 * HOUR },
  supervision: { acceptSeconds: 24 * HOUR, completeSeconds: 72 * HOUR },
};

const URGENCY_DIVISOR: Record<Urgency, number> = { normal: 1, urgent: 2, emergency: 8 };

/**
 * An emergency starts at the township (the tiers below could not act in its time) and whistles the
 * category's department at once, when the caller knows it.
 */
export function defaultPolicy(category: string, urgency: Urgency, departmentCode?: string): EscalationPolicy {
  const divisor = URGENCY_DIVISOR[urgency];
  const tiers = Object.fromEntries(
    TIERS.map((tier) => [
      tier,
      {
        acceptSeconds: NORMAL[tier].acceptSeconds / divisor,
        completeSeconds: NORMAL[tier].completeSeconds / divisor,
      },
    ]),
  ) as Record<Tier, TierDeadlines>;
  if (urgency !== 'emergency') return { category, urgency, tiers };
  return { category, urgency, tiers, startTier: 'township', ...(departmentCode ? { whistleDepartments: [departmentCode] } : {}) };
}

/** A deadline further off than a year is a typo, and would overflow date arithmetic if infinite. */
export const MAX_POLICY_SECONDS = 366 * 24 * HOUR;

/**
 * County supervision reminds (督办) every supervision interval for as long as nobody acts: a
 * shorter interval would text the county every few minutes and fill the execution's history
 * (25,000 events) within days. Policies are refused below it, and stored ones are held to it.
 */
export const MIN_REMINDER_INTERVAL_SECONDS = 15 * 60;

/** The supervision tier's intervals, never below the minimum reminder interval. */
export function supervisionIntervals(d: TierDeadlines): TierDeadlines {
  return {
    acceptSeconds: Math.max(d.acceptSeconds, MIN_REMINDER_INTERVAL_SECONDS),
    completeSeconds: Math.max(d.completeSeconds, MIN_REMINDER_INTERVAL_SECONDS),
  };
}

export function validatePolicy(policy: EscalationPolicy): string[] {
  const problems: string[] = [];
  for (const tier of TIERS) {
    const d = policy.tiers[tier];
    if (!d) {
      problems.push(`${tier}: missing`);
      continue;
    }
    for (const field of ['acceptSeconds', 'completeSeconds'] as const) {
      const value = d[field];
      if (!Number.isFinite(value) || value <= 0 || value > MAX_POLICY_SECONDS) {
        problems.push(`${tier}: ${field} must be between 1 second and one year`);
      }
    }
  }
  problems.push(...optionalFieldProblems(policy));
  const supervision = policy.tiers.supervision;
  if (supervision && Math.min(supervision.acceptSeconds, supervision.completeSeconds) < MIN_REMINDER_INTERVAL_SECONDS) {
    problems.push(`supervision: reminders (督办) at most every ${MIN_REMINDER_INTERVAL_SECONDS / 60} minutes`);
  }
  return problems;
}

/** Where a report may start: any tier below county supervision. */
export const START_TIERS: readonly Tier[] = ['grid', 'village', 'township', 'department'];
export const MAX_REMINDERS_PER_WINDOW = 5;
export const MAX_WHISTLED_DEPARTMENTS = 10;

function optionalFieldProblems(policy: EscalationPolicy): string[] {
  const problems: string[] = [];
  if (policy.basis !== undefined && policy.basis !== 'working' && policy.basis !== 'elapsed') {
    problems.push('basis: working or elapsed');
  }
  const fractions = policy.reminderFractions;
  if (fractions !== undefined) {
    if (fractions.length > MAX_REMINDERS_PER_WINDOW) problems.push(`reminderFractions: at most ${MAX_REMINDERS_PER_WINDOW}`);
    if (fractions.some((f) => !Number.isFinite(f) || f <= 0 || f >= 1))
      problems.push('reminderFractions: each between 0 and 1 (exclusive)');
    if (new Set(fractions).size !== fractions.length) problems.push('reminderFractions: each once');
  }
  if (policy.startTier !== undefined && !START_TIERS.includes(policy.startTier)) {
    problems.push(`startTier: one of ${START_TIERS.join(', ')}`);
  }
  const whistled = policy.whistleDepartments;
  if (whistled !== undefined) {
    if (whistled.length > MAX_WHISTLED_DEPARTMENTS) problems.push(`whistleDepartments: at most ${MAX_WHISTLED_DEPARTMENTS}`);
    if (new Set(whistled).size !== whistled.length) problems.push('whistleDepartments: each once');
  }
  return problems;
}
