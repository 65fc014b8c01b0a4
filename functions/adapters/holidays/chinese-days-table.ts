/**
 * The national holiday table (State Council notices: holidays and 调休 make-up working days) as
 * bundled by `chinese-days`. It covers the years the package's release knows (2004–2026 in 1.5.7);
 * a county admin enters a newer year's arrangement as overrides until a release carries it.
 */
import table from 'chinese-days/dist/chinese-days.json' with { type: 'json' };
import type { HolidayTable } from '#core/working-calendar.ts';

const raw = table as { holidays: Record<string, string>; workdays: Record<string, string> };

export const NATIONAL_HOLIDAYS: HolidayTable = {
  holidays: raw.holidays,
  workdays: raw.workdays,
  years: [...new Set(Object.keys(raw.holidays).map((d) => Number(d.slice(0, 4))))].sort((a, b) => a - b),
};
