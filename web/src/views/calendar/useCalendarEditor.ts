/** The calendar page: the county it edits, the year shown, the hours being edited and the arrangement dialog. */

import { ElMessage } from 'element-plus';
import { storeToRefs } from 'pinia';
import { computed, onMounted, ref, watch } from 'vue';
import { useI18n } from 'vue-i18n';
import { useAuthStore } from '../../stores/auth';
import { useCalendarStore } from '../../stores/calendar';
import { showError } from '../people/showError';

const HHMM = /^([01]\d|2[0-3]):[0-5]\d$|^24:00$/;

export function useCalendarEditor() {
  const { t } = useI18n();
  const store = useCalendarStore();
  const { view, year, loading, saving } = storeToRefs(store);
  const { user } = storeToRefs(useAuthStore());
  const countyCode = computed(() => user.value?.scope ?? '');

  /** The hours as edited, saved with their own button. */
  const weekdays = ref<number[]>([]);
  const spans = ref<{ start: string; end: string }[]>([]);
  watch(
    () => view.value?.calendar,
    (calendar) => {
      if (!calendar) return;
      weekdays.value = [...calendar.workingWeekdays];
      spans.value = calendar.workingHours.map((s) => ({ ...s }));
    },
    { immediate: true },
  );
  const hoursProblem = computed(() => {
    if (weekdays.value.length === 0) return t('calendar.problems.weekdays');
    const bad = spans.value.some((s) => !HHMM.test(s.start) || !HHMM.test(s.end) || s.start >= s.end);
    return bad || spans.value.length === 0 ? t('calendar.problems.hours') : '';
  });

  /** The arrangement dialog, opened for a year (the missing one) or for any. */
  const arranging = ref<{ year: number | null } | null>(null);
  const years = computed(() => {
    const now = view.value?.year ?? new Date().getFullYear();
    const missing = view.value?.missingYears ?? [];
    return [...new Set([now - 1, now, now + 1, ...missing])].sort();
  });

  async function announce(work: Promise<void>) {
    try {
      await work;
      ElMessage.success(t('calendar.saved', { n: store.rescheduled ?? 0 }));
    } catch (error) {
      showError(error);
    }
  }

  const saveHours = () => announce(store.save({ workingWeekdays: weekdays.value, workingHours: spans.value }));
  const removeOverride = (date: string) => announce(store.removeOverride(date));
  const showYear = (y: number) => store.load(countyCode.value, y).catch(showError);

  onMounted(() => {
    if (countyCode.value) store.load(countyCode.value).catch(showError);
  });

  return { view, year, years, loading, saving, weekdays, spans, hoursProblem, arranging, saveHours, removeOverride, showYear, announce };
}
