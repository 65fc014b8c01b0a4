/**
 * The report listing's page logic (pure-admin style): its columns, its filter form, the node
 * cascader's options and the cursor paging. The filters live in the address (?status=&tier=…), so
 * a link from the workbench, a reload or the back button shows the same listing; the store reads
 * the pages.
 */
import { storeToRefs } from 'pinia';
import { computed, h, reactive, watch } from 'vue';
import { useI18n } from 'vue-i18n';
import { type LocationQuery, RouterLink, useRoute, useRouter } from 'vue-router';
import type { Report, ReportStatus, Tier } from '../../api/reports';
import { useAuthStore } from '../../stores/auth';
import { type NodeOption, type ReportFilters, useReportsStore } from '../../stores/reports';
import { formatDateTime } from '../../utils/format';
import ReportTimeLeft from './ReportTimeLeft.vue';
import { useServerNow } from './useServerNow';

export const STATUS_OPTIONS: ReportStatus[] = ['submitted', 'assigned', 'accepted', 'resolved', 'closed', 'merged'];
export const TIER_OPTIONS: Tier[] = ['grid', 'village', 'township', 'department', 'supervision'];
const DAY = /^\d{4}-\d{2}-\d{2}$/;

export interface FilterForm {
  status: ReportStatus | '';
  tier: Tier | '';
  category: string;
  /** The cascader's path from the caller's scope down to the chosen node. */
  node: string[];
  overdue: boolean;
  dates: [string, string] | null;
}

const one = (value: LocationQuery[string] | undefined): string => (Array.isArray(value) ? (value[0] ?? '') : (value ?? ''));

/**
 * A node's path below the caller's scope, from its code alone: division codes extend their
 * parent's by three digits (township 9, village 12, grid 15).
 */
export function nodePathBelow(scope: string, code: string): string[] {
  if (!code.startsWith(scope) || code === scope) return [];
  const path: string[] = [];
  for (let length = scope.length + 3; length <= code.length; length += 3) path.push(code.slice(0, length));
  return path;
}

export function filtersOfQuery(query: LocationQuery): ReportFilters {
  const status = one(query.status) as ReportStatus;
  const tier = one(query.tier) as Tier;
  const from = one(query.from);
  const to = one(query.to);
  return {
    ...(STATUS_OPTIONS.includes(status) ? { status } : {}),
    ...(TIER_OPTIONS.includes(tier) ? { tier } : {}),
    ...(one(query.category) ? { category: one(query.category) } : {}),
    ...(one(query.node) ? { node: one(query.node) } : {}),
    ...(one(query.overdue) === 'true' ? { overdue: true } : {}),
    ...(DAY.test(from) && DAY.test(to) ? { from, to } : {}),
  };
}

export function queryOfFilters(filters: ReportFilters): Record<string, string> {
  const query: Record<string, string> = {};
  for (const key of ['status', 'tier', 'category', 'node', 'from', 'to'] as const) {
    const value = filters[key];
    if (value) query[key] = value;
  }
  if (filters.overdue) query.overdue = 'true';
  return query;
}

export function useReportList() {
  const { t, locale } = useI18n();
  const route = useRoute();
  const router = useRouter();
  const store = useReportsStore();
  const { items, listLoading, listError, page, hasNext, hasPrevious, categories, clockOffsetMs } = storeToRefs(store);
  const { user, isAdmin } = storeToRefs(useAuthStore());
  const now = useServerNow(clockOffsetMs);

  const form = reactive<FilterForm>({ status: '', tier: '', category: '', node: [], overdue: false, dates: null });

  function formOf(filters: ReportFilters): void {
    form.status = filters.status ?? '';
    form.tier = filters.tier ?? '';
    form.category = filters.category ?? '';
    form.node = filters.node && user.value ? nodePathBelow(user.value.scope, filters.node) : [];
    form.overdue = filters.overdue ?? false;
    form.dates = filters.from && filters.to ? [filters.from, filters.to] : null;
  }

  function filtersOfForm(): ReportFilters {
    return {
      ...(form.status ? { status: form.status } : {}),
      ...(form.tier ? { tier: form.tier } : {}),
      ...(form.category ? { category: form.category } : {}),
      ...(form.node.length > 0 ? { node: form.node.at(-1) } : {}),
      ...(form.overdue ? { overdue: true } : {}),
      ...(form.dates ? { from: form.dates[0], to: form.dates[1] } : {}),
    };
  }

  /** The address holds the filters: changing it (here, a link, back) reads the first page again. */
  watch(
    () => route.query,
    async (query) => {
      const filters = filtersOfQuery(query);
      formOf(filters);
      await store.search(filters);
    },
    { immediate: true },
  );

  async function search(): Promise<void> {
    const query = queryOfFilters(filtersOfForm());
    if (JSON.stringify(query) === JSON.stringify(queryOfFilters(filtersOfQuery(route.query)))) await store.search(filtersOfForm());
    else await router.replace({ query });
  }

  async function reset(): Promise<void> {
    formOf({});
    await search();
  }

  async function loadCategories(): Promise<void> {
    try {
      await store.loadCategories();
    } catch {
      // the category filter stays empty; the listing still works
    }
  }
  void loadCategories();

  /** Admins narrow by a node of their subtree, one level at a time; others' scope is one grid or a department. */
  const showNodeFilter = computed(() => isAdmin.value);
  const cascaderProps = {
    lazy: true,
    checkStrictly: true,
    emitPath: true,
    lazyLoad: async (node: { level: number; value?: unknown }, resolve: (options: NodeOption[]) => void) => {
      const code = node.level === 0 ? user.value?.scope : String(node.value);
      try {
        resolve(code ? ((await store.nodeOptions(code)) ?? []) : []);
      } catch {
        resolve([]);
      }
    },
  };

  const categoryLabel = (code: string) => store.categoryName(code);

  /** The deadline of the phase the report waits in (签收 while assigned, 办结 while accepted), and the overdue badge. */
  function deadlineCell(row: Report, where: 'column' | 'narrow' = 'column') {
    const deadline = row.status === 'assigned' ? row.acceptBy : row.status === 'accepted' ? row.completeBy : null;
    const suffix = where === 'narrow' ? '-narrow' : '';
    return h('span', { class: 'deadline-cell' }, [
      h(ReportTimeLeft, { deadline, now: now.value, 'data-test': `time-left${suffix}` }),
      row.overdue ? h('span', { class: 'overdue-badge', 'data-test': `overdue-badge${suffix}` }, t('common.overdue')) : null,
    ]);
  }

  /** Widths that fit the nine columns in a 1440 px screen beside the menu; narrower screens scroll the table. */
  const columns = computed(() => [
    {
      key: 'title',
      label: t('reports.columns.title'),
      minWidth: 180,
      render: (row: Report) => [
        h(RouterLink, { to: { name: 'report', params: { id: row.id } }, class: 'report-link' }, () => row.title),
        // A phone shows the first columns only: where it stands and its time left ride under the title.
        h('div', { class: 'narrow-only' }, [
          h('span', { class: 'secondary' }, `${t(`statuses.${row.status}`)} · ${t(`tiers.${row.tier}`)}`),
          deadlineCell(row, 'narrow'),
        ]),
      ],
    },
    { key: 'category', label: t('reports.columns.category'), minWidth: 96, render: (row: Report) => categoryLabel(row.category) },
    { key: 'urgency', label: t('reports.columns.urgency'), width: 80, render: (row: Report) => t(`urgencies.${row.urgency}`) },
    { key: 'status', label: t('reports.columns.status'), width: 86, render: (row: Report) => t(`statuses.${row.status}`) },
    { key: 'tier', label: t('reports.columns.tier'), width: 108, render: (row: Report) => t(`tiers.${row.tier}`) },
    {
      key: 'owner',
      label: t('reports.columns.owner'),
      minWidth: 130,
      render: (row: Report) =>
        h('div', [h('div', row.ownerName || '—'), h('div', { class: 'secondary' }, row.assignees.map((a) => a.name).join('、'))]),
    },
    { key: 'grid', label: t('reports.columns.grid'), minWidth: 124, render: (row: Report) => row.filedUnder?.gridName ?? row.gridCode },
    {
      key: 'createdAt',
      label: t('reports.columns.createdAt'),
      width: 138,
      render: (row: Report) => formatDateTime(row.createdAt, locale.value),
    },
    {
      key: 'deadline',
      label: t('reports.columns.deadline'),
      width: 156,
      render: (row: Report) => deadlineCell(row),
    },
  ]);

  return {
    form,
    columns,
    categories,
    cascaderProps,
    showNodeFilter,
    items,
    loading: listLoading,
    error: listError,
    page,
    hasNext,
    hasPrevious,
    search,
    reset,
    nextPage: () => store.nextPage(),
    previousPage: () => store.previousPage(),
    statusOptions: STATUS_OPTIONS,
    tierOptions: TIER_OPTIONS,
  };
}
