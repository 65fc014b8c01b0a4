/** The county's working calendar as its editor shows it: one year's special days, the overrides, the hours. */
import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { CalendarBody, CalendarOverride, CalendarView } from '../api/calendar';
import * as calendarApi from '../api/calendar';

/** Every date from `from` to `to` (YYYY-MM-DD, inclusive); empty when inverted. At most a year. */
export function datesBetween(from: string, to: string): string[] {
  const out: string[] = [];
  const end = Date.parse(`${to}T00:00:00Z`);
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= end && out.length < 366; t += 86_400_000)
    out.push(new Date(t).toISOString().slice(0, 10));
  return out;
}

/** One State Council (or county) arrangement: a run of holidays and its make-up working days, under one notice. */
export interface Arrangement {
  notice: string;
  name?: string;
  holidayFrom: string;
  holidayTo: string;
  workdays: string[];
}

/** The arrangement's days replace whatever the overrides said of the same dates. */
export function withArrangement(overrides: CalendarOverride[], a: Arrangement): CalendarOverride[] {
  const name = a.name?.trim() ? { name: a.name.trim() } : {};
  const added: CalendarOverride[] = [
    ...datesBetween(a.holidayFrom, a.holidayTo).map((date) => ({ date, kind: 'holiday' as const, notice: a.notice.trim(), ...name })),
    ...a.workdays.map((date) => ({ date, kind: 'workday' as const, notice: a.notice.trim(), ...name })),
  ];
  const dates = new Set(added.map((o) => o.date));
  return [...overrides.filter((o) => !dates.has(o.date)), ...added].sort((x, y) => x.date.localeCompare(y.date));
}

/** How many times a save is sent again while the server says more reports are left to move. */
const MAX_RESENDS = 20;

export const useCalendarStore = defineStore('calendar', () => {
  const view = ref<CalendarView | null>(null);
  const countyCode = ref('');
  const year = ref<number | null>(null);
  const loading = ref(false);
  const saving = ref(false);
  /** Open reports whose deadlines the last save moved. */
  const rescheduled = ref<number | null>(null);

  async function load(county: string, forYear?: number) {
    countyCode.value = county;
    loading.value = true;
    try {
      view.value = await calendarApi.getCalendar(county, forYear ?? year.value ?? undefined);
      year.value = view.value.year;
    } finally {
      loading.value = false;
    }
  }

  async function save(change: Partial<Omit<CalendarBody, 'expectedVersion'>>) {
    const current = view.value?.calendar;
    if (!current) return;
    const body: CalendarBody = {
      expectedVersion: current.version,
      workingWeekdays: change.workingWeekdays ?? current.workingWeekdays,
      workingHours: change.workingHours ?? current.workingHours,
      overrides: change.overrides ?? current.overrides,
    };
    saving.value = true;
    try {
      let outcome = await calendarApi.saveCalendar(countyCode.value, body);
      let moved = outcome.rescheduled;
      // A save moves a bounded number of open reports; the same body again moves the rest.
      for (let i = 0; outcome.more && i < MAX_RESENDS; i++) {
        outcome = await calendarApi.saveCalendar(countyCode.value, { ...body, expectedVersion: outcome.calendar.version });
        moved += outcome.rescheduled;
      }
      rescheduled.value = moved;
      await load(countyCode.value, year.value ?? undefined);
    } finally {
      saving.value = false;
    }
  }

  function addArrangement(arrangement: Arrangement) {
    return save({ overrides: withArrangement(view.value?.calendar.overrides ?? [], arrangement) });
  }

  function removeOverride(date: string) {
    return save({ overrides: (view.value?.calendar.overrides ?? []).filter((o) => o.date !== date) });
  }

  return { view, countyCode, year, loading, saving, rescheduled, load, save, addArrangement, removeOverride };
});
