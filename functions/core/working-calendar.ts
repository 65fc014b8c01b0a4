/**
 * The county's working calendar (工作日历): which days are working days and which hours of them
 * count. A day is decided in this order: the county's own override (each citing its notice, e.g.
 * 国办发明电〔2025〕7号), then the national table (State Council holidays and 调休 make-up working
 * days, bundled from `chinese-days`), then the working weekdays. Hours are Beijing time (UTC+8,
 * no daylight saving), with a lunch break between the spans.
 *
 * `workingPolicyTime` turns it into the PolicyTime deadlines are counted on: it walks day by day
 * (a one-year policy is about 1,600 steps), never minute by minute.
 */
import type { PolicyTime } from './deadlines.ts';

/** Beijing time. China has one zone and no daylight saving. */
export const BEIJING_OFFSET_MINUTES = 8 * 60;

export interface WorkingSpan {
  /** HH:MM, Beijing time. */
  start: string;
  end: string;
}

export type OverrideKind = 'holiday' | 'workday';

/** A day the county decides itself: a holiday, or a make-up working day (调休上班). */
export interface CalendarOverride {
  /** YYYY-MM-DD. */
  date: string;
  kind: OverrideKind;
  /** What the day is (国庆节, 春节调休…). */
  name?: string;
  /** The notice that decided it (国办发明电〔2025〕7号, a county notice…). */
  notice: string;
}

/** What a county admin edits. */
export interface CalendarSettings {
  /** ISO weekdays that are working days: 1 Monday … 7 Sunday. */
  workingWeekdays: number[];
  workingHours: WorkingSpan[];
  overrides: CalendarOverride[];
}

/** A county's calendar as stored: each save is a new version (0: the built-in default, never saved). */
export interface WorkingCalendar extends CalendarSettings {
  countyCode: string;
  version: number;
  savedAt?: string;
  savedBy?: { id: string; name: string };
}

/** The national holiday table: dates (YYYY-MM-DD) to what they are, and the years it covers. */
export interface HolidayTable {
  holidays: Record<string, string>;
  workdays: Record<string, string>;
  years: number[];
}

export const DEFAULT_CALENDAR_SETTINGS: CalendarSettings = {
  workingWeekdays: [1, 2, 3, 4, 5],
  workingHours: [
    { start: '08:30', end: '12:00' },
    { start: '14:00', end: '17:30' },
  ],
  overrides: [],
};

export function defaultCalendar(countyCode: string): WorkingCalendar {
  return { countyCode, version: 0, ...structuredClone(DEFAULT_CALENDAR_SETTINGS) };
}

/** About 25 years of holidays and 调休; keeps a save inside the 64 KB body limit. */
export const MAX_OVERRIDES = 400;
const DAY_MS = 86_400_000;
const OFFSET_MS = BEIJING_OFFSET_MINUTES * 60_000;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME = /^([01]\d|2[0-3]):([0-5]\d)$|^24:00$/;

function minutesOf(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number) as [number, number];
  return h * 60 + m;
}

export function isCalendarDate(text: string): boolean {
  const m = DATE.exec(text);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return y >= 2000 && y <= 2100 && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

// Every officer of the county reads a day's notice and name: control characters and bidi overrides
// would forge or reorder what they read (the same rule as every other stored text).
const CONTROL_CHARS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

export interface CalendarProblem {
  path: string;
  message: string;
}

/** Everything wrong with an edited calendar, at once (none: it may be saved). */
export function calendarProblems(settings: CalendarSettings): CalendarProblem[] {
  const problems: CalendarProblem[] = [];
  const weekdays = settings.workingWeekdays;
  if (weekdays.length === 0) problems.push({ path: 'workingWeekdays', message: '至少一个工作日 at least one working weekday' });
  if (new Set(weekdays).size !== weekdays.length)
    problems.push({ path: 'workingWeekdays', message: '工作日重复 a weekday is listed twice' });
  weekdays.forEach((d, i) => {
    if (!Number.isInteger(d) || d < 1 || d > 7)
      problems.push({ path: `workingWeekdays.${i}`, message: '1（周一）至 7（周日） 1 Monday to 7 Sunday' });
  });
  const hours = settings.workingHours;
  if (hours.length === 0) problems.push({ path: 'workingHours', message: '至少一个工作时段 at least one span of working hours' });
  let previousEnd = -1;
  hours.forEach((span, i) => {
    if (!TIME.test(span.start) || !TIME.test(span.end)) {
      problems.push({ path: `workingHours.${i}`, message: '时间格式为 HH:MM times are HH:MM' });
      return;
    }
    const [start, end] = [minutesOf(span.start), minutesOf(span.end)];
    if (start >= end) problems.push({ path: `workingHours.${i}`, message: '开始须早于结束 the start must be before the end' });
    if (start < previousEnd) {
      problems.push({ path: `workingHours.${i}`, message: '时段须按时间先后且不重叠 spans in order, not overlapping' });
    }
    previousEnd = Math.max(previousEnd, end);
  });
  if (settings.overrides.length > MAX_OVERRIDES) problems.push({ path: 'overrides', message: `at most ${MAX_OVERRIDES} days` });
  const seen = new Set<string>();
  settings.overrides.forEach((o, i) => {
    if (!isCalendarDate(o.date)) problems.push({ path: `overrides.${i}.date`, message: '日期无效 not a date (YYYY-MM-DD, 2000–2100)' });
    if (seen.has(o.date)) problems.push({ path: `overrides.${i}.date`, message: `${o.date} 重复 is listed twice` });
    seen.add(o.date);
    if (o.notice.trim() === '') problems.push({ path: `overrides.${i}.notice`, message: '须注明依据文件 cite the notice that decided it' });
    for (const field of ['notice', 'name'] as const) {
      if (CONTROL_CHARS.test(o[field] ?? '')) {
        problems.push({ path: `overrides.${i}.${field}`, message: '不能含控制字符 must not contain control characters' });
      }
    }
  });
  return problems;
}

/** What a day is on a calendar, and who said so. */
export interface DayRule {
  working: boolean;
  source: 'county' | 'national' | 'weekday';
  name?: string;
  notice?: string;
}

/** Day number (days since 1970-01-01 in Beijing) ↔ date text. */
function dayText(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

function isoWeekday(day: number): number {
  const d = new Date(day * DAY_MS).getUTCDay();
  return d === 0 ? 7 : d;
}

/** The national table's note "National Day,国庆节,3" → 国庆节. */
function nationalName(note: string): string {
  return note.split(',')[1] ?? note;
}

export function dayRule(calendar: CalendarSettings, table: HolidayTable, date: string): DayRule {
  const override = calendar.overrides.find((o) => o.date === date);
  if (override) return { working: override.kind === 'workday', source: 'county', name: override.name, notice: override.notice };
  const holiday = table.holidays[date];
  if (holiday !== undefined) return { working: false, source: 'national', name: nationalName(holiday) };
  const workday = table.workdays[date];
  if (workday !== undefined) return { working: true, source: 'national', name: nationalName(workday) };
  const day = Math.floor(Date.parse(`${date}T00:00:00Z`) / DAY_MS);
  return { working: calendar.workingWeekdays.includes(isoWeekday(day)), source: 'weekday' };
}

/** The days of a year that differ from the plain working week (holidays on weekdays, 调休 weekends), with their source. */
export function specialDays(calendar: CalendarSettings, table: HolidayTable, year: number): (DayRule & { date: string })[] {
  const dates = new Set<string>([
    ...Object.keys(table.holidays).filter((d) => d.startsWith(`${year}-`)),
    ...Object.keys(table.workdays).filter((d) => d.startsWith(`${year}-`)),
    ...calendar.overrides.map((o) => o.date).filter((d) => d.startsWith(`${year}-`)),
  ]);
  return [...dates].sort().map((date) => ({ date, ...dayRule(calendar, table, date) }));
}

/**
 * Years the calendar cannot count yet: this year and next, when neither the national table nor
 * the county's own overrides hold any holiday for them (the State Council publishes next year's
 * arrangement in autumn; `chinese-days` follows it in a release).
 */
export function missingYears(calendar: CalendarSettings, table: HolidayTable, now: Date): number[] {
  const thisYear = new Date(now.getTime() + OFFSET_MS).getUTCFullYear();
  return [thisYear, thisYear + 1].filter(
    (year) => !table.years.includes(year) && !calendar.overrides.some((o) => o.kind === 'holiday' && o.date.startsWith(`${year}-`)),
  );
}

/**
 * The calendar as a PolicyTime. A day's working spans are [start, end) ms since its Beijing
 * midnight. With `timeScale` ≠ 1 (demos compress policy time), the calendar instant is found as
 * usual and the span from `from` to it is divided by timeScale: a one-working-day window that ends
 * tomorrow at 10:00 on the calendar ends (that span / timeScale) after `from`. `between` is its
 * inverse: the real span from `from` times timeScale, counted on the calendar.
 */
export function workingPolicyTime(calendar: CalendarSettings, table: HolidayTable, timeScale = 1): PolicyTime {
  const spans = calendar.workingHours.map((s) => [minutesOf(s.start) * 60_000, minutesOf(s.end) * 60_000] as const);
  const cache = new Map<number, boolean>();
  const isWorking = (day: number): boolean => {
    let working = cache.get(day);
    if (working === undefined) {
      working = dayRule(calendar, table, dayText(day)).working;
      cache.set(day, working);
    }
    return working;
  };
  // A calendar without a working day in ten years cannot place a deadline: say so instead of looping.
  const MAX_DAYS = 3660;
  const noWorkingTime = () => new Error('the working calendar has no working time to count a deadline on');

  const calendarAdd = (fromMs: number, ms: number): number => {
    if (ms <= 0) return fromMs;
    const local = fromMs + OFFSET_MS;
    let day = Math.floor(local / DAY_MS);
    let position = local - day * DAY_MS;
    let left = ms;
    for (let steps = 0; steps < MAX_DAYS; steps++, day++, position = 0) {
      if (!isWorking(day)) continue;
      for (const [start, end] of spans) {
        if (position >= end) continue;
        const from = Math.max(position, start);
        if (left <= end - from) return day * DAY_MS + from + left - OFFSET_MS;
        left -= end - from;
      }
    }
    throw noWorkingTime();
  };

  const calendarBetween = (fromMs: number, toMs: number): number => {
    if (toMs <= fromMs) return 0;
    const [a, b] = [fromMs + OFFSET_MS, toMs + OFFSET_MS];
    let total = 0;
    for (let day = Math.floor(a / DAY_MS); day * DAY_MS < b; day++) {
      if (!isWorking(day)) continue;
      const base = day * DAY_MS;
      for (const [start, end] of spans) total += Math.max(0, Math.min(b, base + end) - Math.max(a, base + start));
    }
    return total;
  };

  return {
    add: (from, policySeconds) => {
      const f = from.getTime();
      const target = calendarAdd(f, Math.round(policySeconds * 1000));
      return new Date(f + Math.round((target - f) / timeScale));
    },
    between: (from, to) => {
      const f = from.getTime();
      return calendarBetween(f, f + (to.getTime() - f) * timeScale) / 1000;
    },
  };
}
