/**
 * The dashboard (总览): the outcome figures of a node and a range of Beijing days, and the reports
 * behind one side of a figure when the admin drills into it.
 */
import { defineStore } from 'pinia';
import { ref } from 'vue';
import { type FigurePart, getStats, listStatsReports, type Metric, type Stats, type StatsReportItem } from '../api/stats';

export interface DashboardRange {
  /** A node code; empty: the reader's scope. */
  node: string;
  /** YYYY-MM-DD; empty: the server's default (the 30 days up to today). */
  from: string;
  to: string;
}

export interface Drill {
  metric: Metric;
  part: FigurePart;
  items: StatsReportItem[];
  nextCursor: string | null;
  loading: boolean;
}

export const useDashboardStore = defineStore('dashboard', () => {
  const stats = ref<Stats | null>(null);
  const loading = ref(false);
  const error = ref<string | null>(null);
  const range = ref<DashboardRange | null>(null);
  const drill = ref<Drill | null>(null);
  let request = 0;

  const queryOf = (r: DashboardRange) => ({
    ...(r.node ? { node: r.node } : {}),
    ...(r.from ? { from: r.from } : {}),
    ...(r.to ? { to: r.to } : {}),
  });

  async function load(next: DashboardRange): Promise<void> {
    const mine = ++request;
    range.value = next;
    loading.value = true;
    error.value = null;
    try {
      const answer = await getStats(queryOf(next));
      if (mine !== request) return;
      stats.value = answer;
      // Drill-downs list the very range the figures were read for.
      range.value = { node: next.node, from: answer.from, to: answer.to };
    } catch (failure) {
      if (mine === request) {
        stats.value = null;
        error.value = failure instanceof Error ? failure.message : String(failure);
      }
    } finally {
      if (mine === request) loading.value = false;
    }
  }

  /** Lists the reports behind one side of a figure, for the range the figures were read for. */
  async function openDrill(metric: Metric, part: FigurePart): Promise<void> {
    if (!range.value) return;
    drill.value = { metric, part, items: [], nextCursor: null, loading: true };
    await fetchDrill(range.value, undefined);
  }

  async function moreDrill(): Promise<void> {
    if (!range.value || !drill.value?.nextCursor) return;
    drill.value.loading = true;
    await fetchDrill(range.value, drill.value.nextCursor);
  }

  async function fetchDrill(r: DashboardRange, cursor: string | undefined): Promise<void> {
    const current = drill.value;
    if (!current) return;
    try {
      const page = await listStatsReports({ ...queryOf(r), metric: current.metric, part: current.part, ...(cursor ? { cursor } : {}) });
      if (drill.value !== current) return;
      current.items = cursor ? [...current.items, ...page.items] : page.items;
      current.nextCursor = page.nextCursor;
    } finally {
      if (drill.value === current) current.loading = false;
    }
  }

  function closeDrill(): void {
    drill.value = null;
  }

  return { stats, loading, error, range, drill, load, openDrill, moreDrill, closeDrill };
});
