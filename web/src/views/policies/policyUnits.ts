/**
 * Policy seconds as people say them: minutes, hours, days. On a working-time policy a day is a
 * working day (the calendar's daily working hours, 7 by default), so "3 个工作日" is entered as 3.
 */
export type DurationUnit = 'minutes' | 'hours' | 'days';

export interface Duration {
  value: number;
  unit: DurationUnit;
}

export function unitSeconds(unit: DurationUnit, daySeconds: number): number {
  return unit === 'minutes' ? 60 : unit === 'hours' ? 3600 : daySeconds;
}

/** The largest unit the seconds are a whole (or half) number of. */
export function durationOf(seconds: number, daySeconds: number): Duration {
  const whole = (unit: DurationUnit) => Number.isInteger((seconds / unitSeconds(unit, daySeconds)) * 2);
  const unit: DurationUnit = whole('days') && seconds >= daySeconds ? 'days' : whole('hours') && seconds >= 3600 ? 'hours' : 'minutes';
  return { value: Math.round((seconds / unitSeconds(unit, daySeconds)) * 100) / 100, unit };
}

export function secondsOf(duration: Duration, daySeconds: number): number {
  return Math.round(duration.value * unitSeconds(duration.unit, daySeconds));
}

/** The working day of a calendar's hours (HH:MM spans), in seconds. */
export function workingDaySeconds(hours: { start: string; end: string }[]): number {
  const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
  const total = hours.reduce((sum, s) => sum + Math.max(0, minutes(s.end) - minutes(s.start)), 0) * 60;
  return total > 0 ? total : 7 * 3600;
}

/** "50, 80" → [0.5, 0.8]; null when not 1–5 distinct whole percents between 1 and 99. */
export function parseFractions(text: string): number[] | null {
  const parts = text
    .split(/[,，、\s]+/)
    .map((p) => p.trim())
    .filter((p) => p !== '');
  if (parts.length > 5) return null;
  const numbers = parts.map(Number);
  if (numbers.some((n) => !Number.isInteger(n) || n < 1 || n > 99) || new Set(numbers).size !== numbers.length) return null;
  return numbers.sort((a, b) => a - b).map((n) => n / 100);
}
