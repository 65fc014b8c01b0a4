/**
 * The county's working calendar: read by everyone who works in the county, edited by its county
 * admin. Each edit is a new version; an edit moves the deadlines of the county's open reports that
 * run on working time (time already spent stays spent), each move a `rescheduled` event, and wakes
 * their waiting workflows so they sleep until the new deadline.
 */
import { VersionConflictError } from '#ports/versioning.ts';
import { isOperator } from '../admin-access.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../errors.ts';
import type { Actor } from '../people.ts';
import { type Report, reschedule } from '../report.ts';
import {
  type CalendarSettings,
  calendarProblems,
  type DayRule,
  defaultCalendar,
  missingYears,
  specialDays,
  type WorkingCalendar,
  workingPolicyTime,
} from '../working-calendar.ts';
import type { Deps } from './deps.ts';
import { mutateReport, wakeAfterStored } from './mutate.ts';
import { calendarOf, policyFor } from './routing.ts';

/** Reports one calendar save moves at most; sending the same calendar again moves the rest (each report once per version). */
export const MAX_RESCHEDULED_PER_SAVE = 500;

export interface CalendarView {
  calendar: WorkingCalendar;
  year: number;
  /** The year's days that differ from the working week: national holidays and 调休, and the county's overrides. */
  days: (DayRule & { date: string })[];
  /** The years the bundled national table holds. */
  nationalYears: { from: number; to: number };
  /** This year or next, when no holiday is known for it: a county admin should enter the State Council's arrangement. */
  missingYears: number[];
}

export interface CalendarSaveOutcome extends CalendarView {
  /** Open reports whose deadlines moved in this request. */
  rescheduled: number;
  /** More open reports may need moving: send the same calendar again. */
  more: boolean;
}

export async function assertCounty(deps: Pick<Deps, 'directory'>, countyCode: string): Promise<void> {
  const node = await deps.directory.getNode(countyCode);
  if (node?.level !== 'county') throw new NotFoundError('COUNTY.NOT_FOUND', `county ${countyCode} does not exist`);
}

/** Everyone who works in the county reads its calendar (department officers serve the county too). */
export function assertWorksInCounty(actor: Actor, countyCode: string): void {
  if (isOperator(actor) || actor.role === 'department_officer' || actor.scope.startsWith(countyCode)) return;
  throw new ForbiddenError('COUNTY.OUT_OF_SCOPE', `county ${countyCode} is outside your scope`);
}

/** The county's own admin edits its calendar and its policies. */
export function assertCountyAdminOf(actor: Actor, countyCode: string, what: string): void {
  if (isOperator(actor)) return;
  if (actor.role !== 'county_admin' || actor.scope !== countyCode) {
    throw new ForbiddenError('ADMIN.COUNTY_ONLY', `only the county admin of ${countyCode} changes its ${what}`);
  }
}

function viewOf(deps: Pick<Deps, 'directory' | 'clock'>, calendar: WorkingCalendar, year: number): CalendarView {
  const table = deps.directory.nationalHolidays();
  return {
    calendar,
    year,
    days: specialDays(calendar, table, year),
    nationalYears: { from: Math.min(...table.years), to: Math.max(...table.years) },
    missingYears: missingYears(calendar, table, deps.clock.now()),
  };
}

function beijingYear(now: Date): number {
  return new Date(now.getTime() + 8 * 3_600_000).getUTCFullYear();
}

export async function getCalendar(deps: Deps, actor: Actor, countyCode: string, year?: number): Promise<CalendarView> {
  assertWorksInCounty(actor, countyCode);
  await assertCounty(deps, countyCode);
  return viewOf(deps, await calendarOf(deps, countyCode), year ?? beijingYear(deps.clock.now()));
}

const sameSettings = (a: CalendarSettings, b: CalendarSettings) =>
  JSON.stringify([a.workingWeekdays, a.workingHours, a.overrides]) === JSON.stringify([b.workingWeekdays, b.workingHours, b.overrides]);

/**
 * Saves a new version (conditional on `expectedVersion`, the version the editor read), then moves
 * the open reports. A save that changes nothing writes no version and only finishes moving the
 * reports an earlier save left (retry-safe: a report records the version it was moved to).
 */
export async function saveCalendar(
  deps: Deps,
  actor: Actor,
  countyCode: string,
  input: CalendarSettings & { expectedVersion?: number },
): Promise<CalendarSaveOutcome> {
  assertCountyAdminOf(actor, countyCode, 'working calendar');
  await assertCounty(deps, countyCode);
  const settings: CalendarSettings = {
    workingWeekdays: [...input.workingWeekdays].sort((a, b) => a - b),
    workingHours: input.workingHours,
    overrides: [...input.overrides]
      .map((o) => ({ ...o, notice: o.notice.trim(), ...(o.name?.trim() ? { name: o.name.trim() } : { name: undefined }) }))
      .map((o) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as typeof o)
      .sort((a, b) => a.date.localeCompare(b.date)),
  };
  const problems = calendarProblems(settings);
  if (problems.length > 0) throw new ValidationError('CALENDAR.INVALID', 'the working calendar is not valid', problems);
  const current = await calendarOf(deps, countyCode);
  if (input.expectedVersion !== undefined && input.expectedVersion !== current.version) {
    throw new ConflictError('CALENDAR.VERSION_CONFLICT', `the calendar is at version ${current.version} now`, { version: current.version });
  }
  let saved = current;
  // The calendar the current version replaced (version 0 is the built-in default, never stored).
  let previous: WorkingCalendar =
    current.version > 1
      ? ((await deps.directory.getCalendar(countyCode, current.version - 1)) ?? defaultCalendar(countyCode))
      : defaultCalendar(countyCode);
  if (!sameSettings(settings, current)) {
    saved = {
      countyCode,
      version: current.version + 1,
      ...settings,
      savedAt: deps.clock.now().toISOString(),
      savedBy: { id: actor.id, name: actor.name },
    };
    try {
      await deps.directory.addCalendarVersion(saved);
    } catch (error) {
      if (error instanceof VersionConflictError) {
        throw new ConflictError('CALENDAR.VERSION_CONFLICT', 'someone else saved the calendar first', { version: current.version + 1 });
      }
      throw error;
    }
    previous = current;
  }
  const { rescheduled, more } = saved.version > 0 ? await rescheduleOpenReports(deps, previous, saved) : { rescheduled: 0, more: false };
  return { ...viewOf(deps, saved, beijingYear(deps.clock.now())), rescheduled, more };
}

/**
 * Moves every deadline still ahead of an open working-time report from the old calendar to the new
 * one: the policy time it had left (old.between(now, deadline), which is the window minus the time
 * spent since assignment) is counted again from now on the new calendar. Deadlines already passed
 * stay: the workflow is acting on them.
 */
async function rescheduleOpenReports(
  deps: Deps,
  old: WorkingCalendar,
  next: WorkingCalendar,
): Promise<{ rescheduled: number; more: boolean }> {
  const table = deps.directory.nationalHolidays();
  const oldTime = workingPolicyTime(old, table, deps.timeScale);
  const newTime = workingPolicyTime(next, table, deps.timeScale);
  let rescheduled = 0;
  for await (const listed of deps.reports.openReportsUnder({ code: next.countyCode, level: 'county', path: [next.countyCode] })) {
    if (!needsMove(listed, next)) continue;
    if (rescheduled >= MAX_RESCHEDULED_PER_SAVE) return { rescheduled, more: true };
    const { before, changed } = await mutateReport(deps, listed.id, async (report) => {
      if (!needsMove(report, next)) return null;
      if ((await policyFor(deps, report)).basis !== 'working') return null;
      const now = deps.clock.now();
      const move = (deadline: string | null) => {
        if (deadline === null || Date.parse(deadline) <= now.getTime()) return deadline;
        return newTime.add(now, oldTime.between(now, new Date(deadline))).toISOString();
      };
      const deadlines = { acceptBy: move(report.acceptBy), completeBy: move(report.completeBy) };
      if (deadlines.acceptBy === report.acceptBy && deadlines.completeBy === report.completeBy) return null;
      return reschedule(report, deadlines, next.version, now);
    });
    if (!changed) continue;
    rescheduled++;
    if (before.waiting) await wakeAfterStored(deps, before.waiting.token);
  }
  return { rescheduled, more: false };
}

/** Running, not moved to this version yet, and not assigned since it was saved (those deadlines are on it already). */
function needsMove(report: Report, calendar: WorkingCalendar): boolean {
  if (report.status !== 'assigned' && report.status !== 'accepted') return false;
  if ((report.calendarVersion ?? 0) >= calendar.version) return false;
  return !(report.assignedAt && calendar.savedAt && report.assignedAt >= calendar.savedAt);
}
