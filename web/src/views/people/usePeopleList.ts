/**
 * The people page's list: its columns, its filters (a node code — the reader's scope by default —
 * or, for a county admin looking at department officers, a department; role; status; a name,
 * phone or username), cursor paging, and which dialog is open for whom.
 */
import { storeToRefs } from 'pinia';
import { computed, onMounted, reactive, ref } from 'vue';
import { useI18n } from 'vue-i18n';
import type { Person, Role } from '../../api/people';
import { useAuthStore } from '../../stores/auth';
import { useCatalogStore } from '../../stores/catalog';
import { type PeopleFilters, usePeopleStore } from '../../stores/people';
import { isNodeCode, ROLES } from './personRules';
import { showError } from './showError';

export interface PeopleColumn {
  key: 'name' | 'phone' | 'role' | 'scope' | 'title' | 'responsible' | 'status' | 'username';
  label: string;
  minWidth?: number;
  width?: number;
}

export function usePeopleList() {
  const { t } = useI18n();
  const store = usePeopleStore();
  const { items, loading, page, hasPrevious, hasNext } = storeToRefs(store);
  const { user } = storeToRefs(useAuthStore());
  const catalog = useCatalogStore();

  const isCountyAdmin = computed(() => user.value?.role === 'county_admin');
  const filters = reactive({
    node: user.value?.scope ?? '',
    department: '',
    role: '' as Role | '',
    active: 'true' as 'true' | 'false' | '',
    q: '',
  });
  /** A county admin lists department officers by department (they belong to no node). */
  const byDepartment = computed(() => isCountyAdmin.value && filters.role === 'department_officer');
  const nodeError = computed(() => {
    const code = filters.node.trim();
    return !byDepartment.value && code !== '' && !isNodeCode(code) ? t('people.filters.nodeInvalid') : '';
  });
  const roleOptions = computed(() =>
    ROLES.filter((r) => r !== 'department_officer' || isCountyAdmin.value).map((r) => ({ value: r, label: t(`roles.${r}`) })),
  );

  const columns = computed<PeopleColumn[]>(() => [
    { key: 'name', label: t('people.columns.name'), minWidth: 90 },
    { key: 'phone', label: t('people.columns.phone'), minWidth: 170 },
    { key: 'role', label: t('people.columns.role'), minWidth: 160 },
    { key: 'scope', label: t('people.columns.scope'), minWidth: 170 },
    { key: 'title', label: t('people.columns.title'), minWidth: 170 },
    { key: 'responsible', label: t('people.columns.responsible'), width: 90 },
    { key: 'status', label: t('people.columns.status'), width: 90 },
    { key: 'username', label: t('people.columns.username'), minWidth: 110 },
  ]);

  function query(): PeopleFilters {
    const q: PeopleFilters = {};
    if (byDepartment.value) {
      if (filters.department) q.department = filters.department;
    } else if (filters.node.trim()) q.node = filters.node.trim();
    if (filters.role) q.role = filters.role;
    if (filters.active) q.active = filters.active;
    if (filters.q.trim()) q.q = filters.q.trim();
    return q;
  }

  async function search() {
    if (nodeError.value || (byDepartment.value && !filters.department)) return;
    await store.search(query()).catch(showError);
  }

  async function reset() {
    Object.assign(filters, { node: user.value?.scope ?? '', department: '', role: '', active: 'true', q: '' });
    await search();
  }

  async function onRoleChange() {
    if (byDepartment.value) {
      if (catalog.departments.length === 0) await catalog.load().catch(showError);
      filters.department ||= catalog.departments[0]?.code ?? '';
    }
    await search();
  }

  const nextPage = () => store.nextPage().catch(showError);
  const previousPage = () => store.previousPage().catch(showError);

  // The dialogs: whom each is open for (null: closed).
  const editing = ref<{ person: Person | null } | null>(null);
  const accountFor = ref<Person | null>(null);
  const deactivating = ref<Person | null>(null);
  const historyOf = ref<Person | null>(null);
  const openNew = () => {
    editing.value = { person: null };
  };
  const openEdit = (person: Person) => {
    editing.value = { person };
  };

  /** Only the admin above deactivates an admin's own account; a deactivated person has nothing left to do. */
  const mayDeactivate = (person: Person) => person.active && person.id !== user.value?.id;
  const mayCreateAccount = (person: Person) => person.active && !person.username;

  onMounted(search);

  return {
    items,
    loading,
    page,
    hasPrevious,
    hasNext,
    columns,
    filters,
    byDepartment,
    nodeError,
    roleOptions,
    departments: storeToRefs(catalog).departments,
    departmentName: storeToRefs(catalog).departmentName,
    search,
    reset,
    onRoleChange,
    nextPage,
    previousPage,
    editing,
    accountFor,
    deactivating,
    historyOf,
    openNew,
    openEdit,
    mayDeactivate,
    mayCreateAccount,
  };
}
