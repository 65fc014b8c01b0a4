/**
 * The node page's state beside its template (one composable per page, pure-admin style): the node
 * and its map loaded as the route changes, what the reader may do with it, which dialog is open,
 * the columns of its open reports, and the export.
 */
import { ElMessage } from 'element-plus';
import { storeToRefs } from 'pinia';
import { computed, ref, watch } from 'vue';
import { useI18n } from 'vue-i18n';
import { useRoute } from 'vue-router';
import { useAuthStore } from '../../stores/auth';
import { useConsoleStore } from '../../stores/console';
import { DEFAULT_MAP_LEVEL, useMapStore } from '../../stores/map';
import { useTreeStore } from '../../stores/tree';
import { saveBlob } from '../../utils/download';
import { CHILD_LEVEL } from './node-code';

export type GridNodeDialog = 'create' | 'edit' | 'move' | 'retire' | 'import';

export function useGridNode() {
  const { t } = useI18n();
  const route = useRoute();
  const tree = useTreeStore();
  const mapStore = useMapStore();
  const { current, currentLoading, currentError, rootCode } = storeToRefs(tree);
  const { user } = storeToRefs(useAuthStore());
  const { tileUrl, tileAttribution } = storeToRefs(useConsoleStore());
  const { boundaries, reports, map, error: mapError, loading: mapLoading } = storeToRefs(mapStore);

  const code = computed(() => (typeof route.params.code === 'string' ? route.params.code : ''));
  const node = computed(() => (current.value?.node.code === code.value ? current.value.node : null));
  const view = computed(() => (node.value ? current.value : null));
  const active = computed(() => node.value?.status !== 'retired');
  const childLevel = computed(() => (node.value ? CHILD_LEVEL[node.value.level] : null));

  /** Ancestors above the reader's scope are shown, not linked: the reader may not open them. */
  const breadcrumbs = computed(() => {
    const path = view.value?.path ?? [];
    const from = path.findIndex((step) => step.code === rootCode.value);
    return path.map((step, i) => ({ code: step.code ?? '', name: step.name ?? step.code ?? '', linked: from >= 0 && i >= from }));
  });

  const may = computed(() => {
    const n = node.value;
    const restructure = Boolean(n && active.value && n.level !== 'county' && n.code !== user.value?.scope);
    return {
      createChild: Boolean(n && active.value && childLevel.value),
      edit: Boolean(n && active.value),
      move: restructure,
      retire: restructure,
      importCsv: Boolean(n && active.value),
      exportCsv: Boolean(n),
    };
  });

  const dialog = ref<GridNodeDialog | null>(null);
  const open = (which: GridNodeDialog) => {
    dialog.value = which;
  };

  async function load(target: string): Promise<void> {
    if (!target) return;
    const known = tree.nodeOf(target)?.level;
    const mapLoad = known ? mapStore.load(target, DEFAULT_MAP_LEVEL[known]) : null;
    await tree.openNode(target);
    const level = current.value?.node.code === target ? current.value.node.level : null;
    if (!mapLoad && level) await mapStore.load(target, DEFAULT_MAP_LEVEL[level]);
    else await mapLoad;
  }

  watch(code, (next) => void load(next), { immediate: true });

  /** After a change: the node, its map and the tree around it are read again. */
  async function changed(): Promise<void> {
    await load(code.value);
  }

  const exporting = ref(false);
  async function exportCsv(): Promise<void> {
    const n = node.value;
    if (!n) return;
    exporting.value = true;
    try {
      saveBlob(await tree.exportCsv(n.code), `${n.code}-${n.name}.csv`);
    } catch (error) {
      ElMessage.error(error instanceof Error ? error.message : String(error));
    } finally {
      exporting.value = false;
    }
  }

  const reportColumns = computed(() => [
    { prop: 'title', label: t('grid.reports.title') },
    { prop: 'tier', label: t('grid.reports.tier') },
    { prop: 'status', label: t('grid.reports.status') },
  ]);
  const mapReports = computed(() => reports.value.filter((r) => r.properties.kind === 'report'));

  return {
    code,
    node,
    view,
    active,
    childLevel,
    breadcrumbs,
    may,
    dialog,
    open,
    changed,
    exporting,
    exportCsv,
    reportColumns,
    loading: currentLoading,
    error: currentError,
    map,
    mapError,
    mapLoading,
    boundaries,
    reports: mapReports,
    tileUrl,
    tileAttribution,
  };
}
