import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { datesBetween, useCalendarStore, withArrangement } from '#web/stores/calendar.ts';

const calendarView = (version: number, overrides: { date: string; kind: 'holiday' | 'workday'; notice: string; name?: string }[] = []) => ({
  calendar: {
    countyCode: '451322',
    version,
    workingWeekdays: [1, 2, 3, 4, 5],
    workingHours: [
      { start: '08:30', end: '12:00' },
      { start: '14:00', end: '17:30' },
    ],
    overrides,
  },
  year: 2027,
  days: [],
  nationalYears: { from: 2004, to: 2026 },
  missingYears: version === 0 ? [2027] : [],
});

vi.mock('#web/api/calendar.ts', () => ({
  getCalendar: vi.fn(async () => calendarView(0)),
  saveCalendar: vi.fn(),
}));

const api = await import('#web/api/calendar.ts');

describe('the calendar store', () => {
  beforeEach(() => setActivePinia(createPinia()));
  afterEach(() => vi.clearAllMocks());

  it('expands a holiday run and its make-up days under one notice, replacing what the dates said', () => {
    // Prepare
    const before = [{ date: '2027-02-07', kind: 'holiday' as const, notice: 'old' }];

    // Act
    const after = withArrangement(before, {
      notice: ' 国办发明电〔2026〕8号 ',
      name: '春节',
      holidayFrom: '2027-02-05',
      holidayTo: '2027-02-08',
      workdays: ['2027-02-13'],
    });

    // Assess
    expect(datesBetween('2027-12-30', '2028-01-02')).toEqual(['2027-12-30', '2027-12-31', '2028-01-01', '2028-01-02']);
    expect(after.map((o) => `${o.date}:${o.kind}:${o.notice}`)).toEqual([
      '2027-02-05:holiday:国办发明电〔2026〕8号',
      '2027-02-06:holiday:国办发明电〔2026〕8号',
      '2027-02-07:holiday:国办发明电〔2026〕8号',
      '2027-02-08:holiday:国办发明电〔2026〕8号',
      '2027-02-13:workday:国办发明电〔2026〕8号',
    ]);
  });

  it('saves an arrangement on the version it read, sends it again while reports are left to move, and reloads the year', async () => {
    // Prepare
    const store = useCalendarStore();
    await store.load('451322', 2027);
    vi.mocked(api.saveCalendar)
      .mockResolvedValueOnce({ ...calendarView(1), rescheduled: 500, more: true })
      .mockResolvedValueOnce({ ...calendarView(1), rescheduled: 3, more: false });

    // Act
    await store.addArrangement({
      notice: '国办发明电〔2026〕8号',
      name: '元旦',
      holidayFrom: '2027-01-01',
      holidayTo: '2027-01-01',
      workdays: [],
    });

    // Assess
    const calls = vi.mocked(api.saveCalendar).mock.calls;
    expect(calls.map(([county, body]) => [county, body.expectedVersion])).toEqual([
      ['451322', 0],
      ['451322', 1],
    ]);
    expect(calls[0]?.[1].overrides).toEqual([{ date: '2027-01-01', kind: 'holiday', notice: '国办发明电〔2026〕8号', name: '元旦' }]);
    expect(store.rescheduled).toBe(503);
    expect(vi.mocked(api.getCalendar).mock.calls.at(-1)).toEqual(['451322', 2027]);
  });
});
