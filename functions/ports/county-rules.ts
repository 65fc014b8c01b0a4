/**
 * What a county decides for itself: its working calendar and its escalation policies. Both are
 * versioned and append-only: each save adds version n+1 (conditional: a version is written once,
 * so two admins saving at once cannot both win), and every earlier version stays readable (a report
 * keeps the policy version it started with; a calendar change recomputes from the one it replaces).
 */
import type { Urgency } from '#core/catalog.ts';
import type { EscalationPolicy } from '#core/policy.ts';
import type { HolidayTable, WorkingCalendar } from '#core/working-calendar.ts';

/** A county's policy version as stored: who saved it and when. */
export interface StoredPolicy extends EscalationPolicy {
  version: number;
  countyCode: string;
  savedAt: string;
  savedBy: { id: string; name: string };
}

export interface CountyRulesStore {
  /** The bundled national holiday and 调休 table. */
  nationalHolidays(): HolidayTable;
  /** The county's calendar: the given version, or the latest; null when never saved. */
  getCalendar(countyCode: string, version?: number): Promise<WorkingCalendar | null>;
  /** Adds a version; VersionConflictError when that version exists already. */
  addCalendarVersion(calendar: WorkingCalendar): Promise<void>;
  /** The county's policy for category × urgency: the given version, or the latest; null when the county never saved one. */
  getCountyPolicy(countyCode: string, category: string, urgency: Urgency, version?: number): Promise<StoredPolicy | null>;
  /** Every version the county saved, newest first. */
  listCountyPolicyVersions(countyCode: string, category: string, urgency: Urgency): Promise<StoredPolicy[]>;
  /** Adds a version; VersionConflictError when that version exists already. */
  addCountyPolicyVersion(policy: StoredPolicy): Promise<void>;
}
