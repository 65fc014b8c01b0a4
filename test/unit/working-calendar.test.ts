import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { NATIONAL_HOLIDAYS } from '#adapters/holidays/chinese-days-table.ts';
import { CHINESE_DAYS_VERSION, FIRST_YEAR } from '#adapters/holidays/national-holidays.ts';
import {
  type CalendarSettings,
  calendarProblems,
  DEFAULT_CALENDAR_SETTINGS,
  dayRule,
  missingYears,
  specialDays,
  workingPolicyTime,
} from '#core/working-calendar.ts';

const HOUR = 3600;
/** Beijing wall time → the instant. */
const bj = (local: string) => new Date(`${local}+08:00`);
const time = (settings: CalendarSettings = DEFAULT_CALENDAR_SETTINGS, timeScale = 1) =>
  workingPolicyTime(settings, NATIONAL_HOLIDAYS, timeScale);

describe('the bundled national table (chinese-days)', () => {
  it('is the installed chinese-days release, day for day from 2020 (npx tsx scripts/holiday-table.ts after an upgrade)', () => {
    // Prepare
    const require = createRequire(import.meta.url);
    const source = require('chinese-days/dist/chinese-days.json') as { holidays: Record<string, string>; workdays: Record<string, string> };
    const byName = (days: Record<string, string>) =>
      Object.fromEntries(
        Object.entries(days)
          .filter(([d]) => Number(d.slice(0, 4)) >= FIRST_YEAR)
          .map(([d, note]) => [d, note.split(',')[1]]),
      );

    // Act / Assess
    expect(CHINESE_DAYS_VERSION).toBe((require('chinese-days/package.json') as { version: string }).version);
    expect(NATIONAL_HOLIDAYS.holidays).toEqual(byName(source.holidays));
    expect(NATIONAL_HOLIDAYS.workdays).toEqual(byName(source.workdays));
  });

  it('holds 2026 with National Day 1–7 October and its make-up days, and not 2027', () => {
    // Act
    const octoberFirst = dayRule(DEFAULT_CALENDAR_SETTINGS, NATIONAL_HOLIDAYS, '2026-10-01');
    const makeUpSaturday = dayRule(DEFAULT_CALENDAR_SETTINGS, NATIONAL_HOLIDAYS, '2026-10-10');

    // Assess
    expect(octoberFirst).toMatchObject({ working: false, source: 'national', name: '国庆节' });
    expect(makeUpSaturday).toMatchObject({ working: true, source: 'national' });
    expect(NATIONAL_HOLIDAYS.years).toContain(2026);
    expect(NATIONAL_HOLIDAYS.years).not.toContain(2027);
  });
});

describe('workingPolicyTime', () => {
  it('skips the lunch break', () => {
    // Act: 11:00 + 2 working hours = 12:00 (1 h), then 14:00–15:00
    const due = time().add(bj('2026-11-02T11:00:00'), 2 * HOUR);

    // Assess
    expect(due).toEqual(bj('2026-11-02T15:00:00'));
  });

  it('skips the weekend', () => {
    // Act: Friday 17:00 + 1 h = half an hour on Friday, half an hour on Monday morning
    const due = time().add(bj('2026-11-06T17:00:00'), HOUR);

    // Assess
    expect(due).toEqual(bj('2026-11-09T09:00:00'));
  });

  it('spans the National Day week and counts its make-up Saturday', () => {
    // Prepare: Wednesday 30 September 16:30, one working hour left that day
    const from = bj('2026-09-30T16:30:00');

    // Act
    const afterHoliday = time().add(from, 10 * HOUR); // 1 h on 9/30, 7 h on Thursday 10/8, 2 h on Friday 10/9
    const onMakeUpSaturday = time().add(from, 17 * HOUR); // … 7 h on 10/9, 2 h on Saturday 10/10 (调休上班)

    // Assess
    expect(afterHoliday).toEqual(bj('2026-10-09T10:30:00'));
    expect(onMakeUpSaturday).toEqual(bj('2026-10-10T10:30:00'));
    expect(time().between(from, onMakeUpSaturday)).toBe(17 * HOUR);
  });

  it('starts the clock of a report filed on a holiday on the next working morning', () => {
    // Act
    const due = time().add(bj('2026-10-03T10:00:00'), HOUR);

    // Assess
    expect(due).toEqual(bj('2026-10-08T09:30:00'));
    expect(time().between(bj('2026-10-03T10:00:00'), bj('2026-10-08T08:30:00'))).toBe(0);
  });

  it('crosses the year boundary on the weekday rule when next year is missing, and on a county override when entered', () => {
    // Prepare
    const withNewYear: CalendarSettings = {
      ...DEFAULT_CALENDAR_SETTINGS,
      overrides: [{ date: '2027-01-01', kind: 'holiday', name: '元旦', notice: '国办发明电〔2026〕1号' }],
    };
    const from = bj('2026-12-31T17:00:00');

    // Act
    const plain = time().add(from, HOUR);
    const overridden = time(withNewYear).add(from, HOUR);

    // Assess
    expect(plain).toEqual(bj('2027-01-01T09:00:00'));
    expect(overridden).toEqual(bj('2027-01-04T09:00:00'));
  });

  it('counts a make-up day a county adds on a Sunday and a holiday it adds on a weekday', () => {
    // Prepare
    const settings: CalendarSettings = {
      ...DEFAULT_CALENDAR_SETTINGS,
      overrides: [
        { date: '2026-11-06', kind: 'holiday', notice: '县政府通知' },
        { date: '2026-11-08', kind: 'workday', notice: '县政府通知' },
      ],
    };

    // Act: Thursday 17:00 + 2 h: half an hour Thursday, Friday off, Saturday off, 1.5 h on Sunday
    const due = time(settings).add(bj('2026-11-05T17:00:00'), 2 * HOUR);

    // Assess
    expect(due).toEqual(bj('2026-11-08T10:00:00'));
  });

  it('places a one-year policy and counts it back exactly', () => {
    // Prepare
    const from = bj('2026-11-02T09:00:00');
    const year = 366 * 24 * HOUR;

    // Act
    const due = time().add(from, year);

    // Assess: 8,784 working hours at 7 a day is over four calendar years
    expect(due.getUTCFullYear()).toBeGreaterThanOrEqual(2030);
    expect(time().between(from, due)).toBe(year);
  });

  it('compresses the span from `from` by timeScale, and between is its inverse', () => {
    // Prepare
    const from = bj('2026-11-06T17:00:00');
    const onCalendar = time().add(from, HOUR); // Monday 09:00

    // Act
    const scaled = time(DEFAULT_CALENDAR_SETTINGS, 3600).add(from, HOUR);

    // Assess
    expect(scaled.getTime() - from.getTime()).toBe(Math.round((onCalendar.getTime() - from.getTime()) / 3600));
    expect(time(DEFAULT_CALENDAR_SETTINGS, 3600).between(from, scaled)).toBeCloseTo(HOUR, 0);
  });

  it('refuses to loop for ever on a calendar without working time', () => {
    // Prepare
    const never: CalendarSettings = { ...DEFAULT_CALENDAR_SETTINGS, workingWeekdays: [] };

    // Act / Assess
    expect(() => time(never).add(bj('2026-11-02T09:00:00'), HOUR)).toThrow(/no working time/);
  });
});

describe('calendarProblems', () => {
  it('accepts the default and names every problem of a bad calendar', () => {
    // Prepare
    const bad: CalendarSettings = {
      workingWeekdays: [1, 1, 8],
      workingHours: [
        { start: '14:00', end: '12:00' },
        { start: '11:00', end: '13:00' },
      ],
      overrides: [
        { date: '2027-02-30', kind: 'holiday', notice: 'x' },
        { date: '2027-01-01', kind: 'holiday', notice: ' ' },
        { date: '2027-01-01', kind: 'workday', notice: 'y' },
        { date: '2027-05-06', kind: 'holiday', notice: '\u001b[2J通知' },
        { date: '2027-05-07', kind: 'holiday', name: '劳动节\u202e', notice: '通知' },
      ],
    };

    // Act
    const problems = calendarProblems(bad).map((p) => p.path);

    // Assess
    expect(calendarProblems(DEFAULT_CALENDAR_SETTINGS)).toEqual([]);
    expect(problems).toEqual(
      expect.arrayContaining([
        'workingWeekdays',
        'workingWeekdays.2',
        'workingHours.0',
        'workingHours.1',
        'overrides.0.date',
        'overrides.1.notice',
        'overrides.2.date',
        'overrides.3.notice',
        'overrides.4.name',
      ]),
    );
  });
});

describe('missingYears and specialDays', () => {
  it('warns about next year until a holiday of it is entered', () => {
    // Prepare
    const now = bj('2026-12-02T09:00:00');
    const entered: CalendarSettings = {
      ...DEFAULT_CALENDAR_SETTINGS,
      overrides: [{ date: '2027-01-01', kind: 'holiday', name: '元旦', notice: '国办发明电〔2026〕1号' }],
    };

    // Act / Assess
    expect(missingYears(DEFAULT_CALENDAR_SETTINGS, NATIONAL_HOLIDAYS, now)).toEqual([2027]);
    expect(missingYears(entered, NATIONAL_HOLIDAYS, now)).toEqual([]);
    expect(specialDays(entered, NATIONAL_HOLIDAYS, 2027)).toEqual([
      { date: '2027-01-01', working: false, source: 'county', name: '元旦', notice: '国办发明电〔2026〕1号' },
    ]);
  });
});
