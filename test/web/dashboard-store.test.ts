/**
 * The dashboard store: reads the figures for a node and range (the server's default range when
 * none is given), keeps the range it was answered for, and drills into one side of a figure
 * for exactly that range, page after page.
 */
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { useDashboardStore } from '#web/stores/dashboard.ts';
import { percentOf } from '#web/views/dashboard/useDashboard.ts';

const figure = (numerator: number, denominator: number | null) => ({
  numerator,
  denominator,
  value: denominator ? numerator / denominator : numerator,
  definition: 'resolution',
  reports: { numerator: '/n', denominator: '/d' },
});

vi.mock('#web/api/stats.ts', () => ({
  getStats: vi.fn(async (query: { node?: string; from?: string; to?: string }) => ({
    now: '2026-11-02T01:00:00.000Z',
    node: { code: query.node ?? '451322', name: '象州县', level: 'county' },
    from: query.from ?? '2026-10-04',
    to: query.to ?? '2026-11-02',
    metrics: { resolution: figure(272, 274), received: figure(274, null) },
    byDay: [],
    byCategory: [],
    byChild: [],
    workingTime: [],
    breaches: { total: 0, byTier: [], byOwner: [], byPerson: [] },
    overdueNow: { count: 0, reports: '/api/v1/reports?overdue=true' },
  })),
  listStatsReports: vi.fn(async (query: { cursor?: string }) =>
    query.cursor
      ? { items: [{ reportId: 'R2', title: '二', day: '2026-11-02', unit: 'r', category: 'dispute' }], nextCursor: null }
      : { items: [{ reportId: 'R1', title: '一', day: '2026-11-01', unit: 'r', category: 'dispute' }], nextCursor: 'c1' },
  ),
}));

const api = await import('#web/api/stats.ts');

describe('the dashboard store', () => {
  beforeEach(() => setActivePinia(createPinia()));
  afterEach(() => vi.clearAllMocks());

  it('asks for the server’s default range when none is chosen, and keeps the range it was answered for', async () => {
    // Prepare
    const store = useDashboardStore();

    // Act
    await store.load({ node: '', from: '', to: '' });

    // Assess
    expect(api.getStats).toHaveBeenCalledWith({});
    expect(store.stats?.metrics.resolution).toMatchObject({ numerator: 272, denominator: 274 });
    expect(store.range).toEqual({ node: '', from: '2026-10-04', to: '2026-11-02' });
    expect(percentOf(store.stats?.metrics.resolution.value)).toBe('99.27 %');
  });

  it('drills into a side of a figure for the same node and range, and pages on', async () => {
    // Prepare
    const store = useDashboardStore();
    await store.load({ node: '451322201', from: '2026-11-01', to: '2026-11-02' });

    // Act
    await store.openDrill('resolution', 'denominator');
    await store.moreDrill();

    // Assess
    expect(api.listStatsReports).toHaveBeenNthCalledWith(1, {
      node: '451322201',
      from: '2026-11-01',
      to: '2026-11-02',
      metric: 'resolution',
      part: 'denominator',
    });
    expect(store.drill?.items.map((i) => i.reportId)).toEqual(['R1', 'R2']);
    expect(store.drill?.nextCursor).toBeNull();
    store.closeDrill();
    expect(store.drill).toBeNull();
  });

  it('shows the failure and no stale figures when the read is refused', async () => {
    // Prepare
    const store = useDashboardStore();
    await store.load({ node: '', from: '', to: '' });
    vi.mocked(api.getStats).mockRejectedValueOnce(new Error('仅管理员可查看统计'));

    // Act
    await store.load({ node: '451321', from: '', to: '' });

    // Assess
    expect(store.stats).toBeNull();
    expect(store.error).toBe('仅管理员可查看统计');
  });
});
