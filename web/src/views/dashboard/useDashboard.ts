/**
 * The dashboard's state: the range and node asked for, the figure cards (n / N, %, definition),
 * the chart options built from the breakdowns, and the drill-down into one side of a figure.
 */
import { storeToRefs } from 'pinia';
import { computed, onMounted, reactive } from 'vue';
import { useI18n } from 'vue-i18n';
import type { FigurePart, Metric, StatsFigure } from '../../api/stats';
import { useAuthStore } from '../../stores/auth';
import { useDashboardStore } from '../../stores/dashboard';
import { type NodeOption, useReportsStore } from '../../stores/reports';

export const FIGURES: Metric[] = ['received', 'acceptedOnTime', 'completedOnTime', 'resolution', 'satisfaction', 'breaches'];

export interface FigureCard {
  metric: Metric;
  label: string;
  definition: string;
  figure: StatsFigure;
  /** "n / N" for a rate, the count for a count. */
  counts: string;
  /** "99.27 %" for a rate, '' for a count, the "nothing due" text when N is 0. */
  percent: string;
}

export function percentOf(value: number | null | undefined): string {
  return value === null || value === undefined ? '' : `${(value * 100).toFixed(2)} %`;
}

const pct = (value: number | null) => (value === null ? null : Math.round(value * 10_000) / 100);

export function useDashboard() {
  const { t } = useI18n();
  const store = useDashboardStore();
  const { stats, loading, error, drill } = storeToRefs(store);
  const reports = useReportsStore();
  const { user } = storeToRefs(useAuthStore());
  const form = reactive<{ node: string[]; dates: [string, string] | null }>({ node: [], dates: null });

  const cascaderProps = {
    lazy: true,
    checkStrictly: true,
    emitPath: true,
    lazyLoad: async (node: { level: number; value?: unknown }, resolve: (options: NodeOption[]) => void) => {
      const code = node.level === 0 ? user.value?.scope : String(node.value);
      try {
        resolve(code ? await reports.nodeOptions(code) : []);
      } catch {
        resolve([]);
      }
    },
  };

  async function apply(): Promise<void> {
    await store.load({ node: form.node.at(-1) ?? '', from: form.dates?.[0] ?? '', to: form.dates?.[1] ?? '' });
    if (stats.value) form.dates = [stats.value.from, stats.value.to];
  }

  onMounted(async () => {
    reports.loadCategories().catch(() => undefined);
    await apply();
  });

  const cards = computed<FigureCard[]>(() => {
    const s = stats.value;
    if (!s) return [];
    return FIGURES.map((metric) => {
      const figure = s.metrics[metric];
      const isRate = figure.denominator !== null;
      return {
        metric,
        label: t(`dashboard.figures.${metric}`),
        definition: t(`dashboard.definitions.${metric}`),
        figure,
        counts: isRate ? t('dashboard.of', { n: figure.numerator, d: figure.denominator }) : String(figure.numerator),
        percent: !isRate ? '' : figure.denominator === 0 ? t('dashboard.noneDue') : percentOf(figure.value),
      };
    });
  });

  const overdueLink = computed(() => {
    const s = stats.value;
    return s ? { path: '/reports', query: { node: s.node.code, overdue: 'true' } } : '/reports';
  });

  const axisText = { color: '#4e5969' };
  const trendOption = computed(() => {
    const days = stats.value?.byDay ?? [];
    return {
      aria: { enabled: true },
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 40, right: 40, top: 36, bottom: 28 },
      xAxis: { type: 'category', data: days.map((d) => d.day.slice(5)), axisLabel: axisText },
      yAxis: [
        { type: 'value', minInterval: 1, axisLabel: axisText },
        { type: 'value', max: 100, axisLabel: axisText },
      ],
      series: [
        { name: t('dashboard.charts.received'), type: 'bar', data: days.map((d) => d.received), itemStyle: { color: '#165dff' } },
        {
          name: t('dashboard.charts.resolved'),
          type: 'line',
          yAxisIndex: 1,
          data: days.map((d) => pct(d.resolution.value)),
          itemStyle: { color: '#00a870' },
        },
        {
          name: t('dashboard.charts.onTime'),
          type: 'line',
          yAxisIndex: 1,
          data: days.map((d) => pct(d.completedOnTime.value)),
          itemStyle: { color: '#e37318' },
        },
      ],
    };
  });

  const bars = (labels: string[], series: { name: string; data: number[]; color: string }[]) => ({
    aria: { enabled: true },
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    grid: { left: 40, right: 16, top: 36, bottom: 48 },
    xAxis: { type: 'category', data: labels, axisLabel: { ...axisText, interval: 0, rotate: labels.length > 4 ? 30 : 0 } },
    yAxis: { type: 'value', minInterval: 1, axisLabel: axisText },
    series: series.map((s) => ({ name: s.name, type: 'bar', data: s.data, itemStyle: { color: s.color } })),
  });

  const categoryOption = computed(() => {
    const rows = stats.value?.byCategory ?? [];
    return bars(
      rows.map((r) => reports.categoryName(r.category)),
      [
        { name: t('dashboard.charts.received'), data: rows.map((r) => r.received), color: '#165dff' },
        { name: t('dashboard.charts.resolvedCount'), data: rows.map((r) => r.resolution.numerator), color: '#00a870' },
      ],
    );
  });

  const childOption = computed(() => {
    const rows = stats.value?.byChild ?? [];
    return bars(
      rows.map((r) => r.name),
      [
        { name: t('dashboard.charts.received'), data: rows.map((r) => r.received), color: '#165dff' },
        { name: t('dashboard.charts.breaches'), data: rows.map((r) => r.breaches), color: '#d54941' },
      ],
    );
  });

  const breachOption = computed(() => {
    const rows = stats.value?.breaches.byTier ?? [];
    return bars(
      rows.map((r) => t(`tiers.${r.tier}`)),
      [{ name: t('dashboard.charts.breaches'), data: rows.map((r) => r.count), color: '#d54941' }],
    );
  });

  const workingTime = computed(() => (stats.value?.workingTime ?? []).filter((w) => w.count > 0));

  const drillTitle = computed(() =>
    drill.value
      ? t('dashboard.drill.title', { figure: t(`dashboard.figures.${drill.value.metric}`), part: t(`dashboard.drill.${drill.value.part}`) })
      : '',
  );

  const unitName = (unit: string) => {
    const kind = unit[0] as 'r' | 'a' | 'c' | 'v' | 'b';
    return t(`dashboard.drill.units.${kind}`);
  };

  return {
    stats,
    loading,
    error,
    drill,
    form,
    cascaderProps,
    apply,
    cards,
    overdueLink,
    trendOption,
    categoryOption,
    childOption,
    breachOption,
    workingTime,
    drillTitle,
    unitName,
    openDrill: (metric: Metric, part: FigurePart) => store.openDrill(metric, part),
    moreDrill: () => store.moreDrill(),
    closeDrill: () => store.closeDrill(),
  };
}
