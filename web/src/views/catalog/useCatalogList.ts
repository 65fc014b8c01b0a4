/** The catalog page's two tables (departments, categories): their columns and which dialog is open for what. */
import { storeToRefs } from 'pinia';
import { computed, onMounted, ref } from 'vue';
import { useI18n } from 'vue-i18n';
import type { Category, Department } from '../../api/catalog';
import { useCatalogStore } from '../../stores/catalog';
import { showError } from '../people/showError';

export function useCatalogList() {
  const { t } = useI18n();
  const store = useCatalogStore();
  const { departments, categories, loading, departmentName } = storeToRefs(store);

  const departmentColumns = computed(() => [
    { key: 'name', label: t('catalog.name'), minWidth: 200 },
    { key: 'code', label: t('catalog.code'), minWidth: 140 },
    { key: 'contacts', label: t('catalog.contacts'), minWidth: 220 },
  ]);
  const categoryColumns = computed(() => [
    { key: 'name', label: t('catalog.name'), minWidth: 110 },
    { key: 'code', label: t('catalog.code'), minWidth: 130 },
    { key: 'description', label: t('catalog.description'), minWidth: 220 },
    { key: 'departmentCode', label: t('catalog.department'), minWidth: 190 },
    { key: 'public', label: t('catalog.public'), width: 100 },
  ]);

  /** The dialog open: `{ department: null }` adds one. */
  const editingDepartment = ref<{ department: Department | null } | null>(null);
  const editingCategory = ref<{ category: Category | null } | null>(null);

  onMounted(() => store.load().catch(showError));

  return { departments, categories, loading, departmentName, departmentColumns, categoryColumns, editingDepartment, editingCategory };
}
