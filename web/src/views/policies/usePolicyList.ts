/** The policies page: the table of category × urgency, and which one is open in the editor. */
import { storeToRefs } from 'pinia';
import { computed, onMounted, ref } from 'vue';
import { useI18n } from 'vue-i18n';
import type { Urgency } from '../../api/policies';
import { useAuthStore } from '../../stores/auth';
import { useCalendarStore } from '../../stores/calendar';
import { useCatalogStore } from '../../stores/catalog';
import { usePoliciesStore } from '../../stores/policies';
import { showError } from '../people/showError';
import { durationOf, workingDaySeconds } from './policyUnits';

export function usePolicyList() {
  const { t } = useI18n();
  const store = usePoliciesStore();
  const catalog = useCatalogStore();
  const calendar = useCalendarStore();
  const { items, loading } = storeToRefs(store);
  const { user } = storeToRefs(useAuthStore());
  const countyCode = computed(() => user.value?.scope ?? '');

  /** A working day on this county's calendar, for entering working-time policies in days. */
  const daySeconds = computed(() => workingDaySeconds(calendar.view?.calendar.workingHours ?? []));
  const categoryName = (code: string) => catalog.categories.find((c) => c.code === code)?.name ?? code;
  const say = (seconds: number, basis: string | undefined) => {
    const d = durationOf(seconds, basis === 'working' ? daySeconds.value : 86_400);
    return t(`common.${d.unit}`, { n: d.value });
  };

  const rows = computed(() =>
    items.value.map((item) => ({
      ...item,
      categoryName: categoryName(item.category),
      gridAccept: say(item.policy.tiers.grid?.acceptSeconds ?? 0, item.policy.basis),
    })),
  );

  const editing = ref<{ category: string; urgency: Urgency } | null>(null);
  async function edit(category: string, urgency: Urgency) {
    try {
      await store.open(category, urgency);
      editing.value = { category, urgency };
    } catch (error) {
      showError(error);
    }
  }
  function closeEditor() {
    editing.value = null;
    store.close();
  }

  onMounted(() => {
    if (!countyCode.value) return;
    Promise.all([store.load(countyCode.value), catalog.load(), calendar.load(countyCode.value)]).catch(showError);
  });

  return { rows, loading, editing, edit, closeEditor, daySeconds, categoryName };
}
