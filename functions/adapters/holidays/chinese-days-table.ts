/**
 * The national holiday table (State Council notices: holidays and 调休 make-up working days) as
 * bundled by `chinese-days` (compacted by scripts/holiday-table.ts into national-holidays.ts, from
 * 2020 on). It covers the years the package's release knows (up to 2026 in 1.5.7); a county admin
 * enters a newer year's arrangement as overrides until a release carries it.
 */
import type { HolidayTable } from '#core/working-calendar.ts';
import { HOLIDAYS, WORKDAYS } from './national-holidays.ts';

function expand(compact: Record<string, Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [year, byName] of Object.entries(compact)) {
    for (const [name, days] of Object.entries(byName)) {
      for (const mmdd of days.split(' ')) out[`${year}-${mmdd.slice(0, 2)}-${mmdd.slice(2, 4)}`] = name;
    }
  }
  return out;
}

export const NATIONAL_HOLIDAYS: HolidayTable = {
  holidays: expand(HOLIDAYS),
  workdays: expand(WORKDAYS),
  years: Object.keys(HOLIDAYS)
    .map(Number)
    .sort((a, b) => a - b),
};
