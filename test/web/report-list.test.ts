import { createTestingPinia } from '@pinia/testing';
import { flushPromises, mount } from '@vue/test-utils';
import ElementPlus from 'element-plus';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createMemoryHistory, createRouter } from 'vue-router';
import type { Report } from '#web/api/reports.ts';
import { createConsoleI18n } from '#web/i18n/index.ts';
import { useReportsStore } from '#web/stores/reports.ts';
import ReportsView from '#web/views/reports/ReportsView.vue';
import { filtersOfQuery, nodePathBelow, queryOfFilters } from '#web/views/reports/useReportList.ts';

const COUNTY_ADMIN = { id: 'p-county-admin', name: '覃卫东', role: 'county_admin', scope: '451322' };
const WORKER = { id: 'p-worker-1', name: '覃宏', role: 'grid_worker', scope: '451322201001001' };
const NOW = Date.parse('2026-11-02T01:00:00.000Z');

function report(overrides: Partial<Report>): Report {
  return {
    id: 'R0123456789ABCDE',
    title: '村道小桥塌陷',
    category: 'infrastructure',
    urgency: 'normal',
    status: 'assigned',
    tier: 'village',
    ownerName: '那沙村',
    assignees: [{ id: 'p-village-1', name: '覃国庆', role: 'village_admin' }],
    gridCode: '451322201001001',
    filedUnder: { countyName: '象州县', townshipName: '百丈乡', villageName: '那沙村', gridName: '那沙村第一网格' },
    acceptBy: new Date(NOW - 3 * 3_600_000).toISOString(),
    completeBy: new Date(NOW + 48 * 3_600_000).toISOString(),
    overdue: true,
    createdAt: new Date(NOW - 5 * 3_600_000).toISOString(),
    updatedAt: new Date(NOW).toISOString(),
    description: '',
    location: null,
    ...overrides,
  } as Report;
}

async function mountList(query: Record<string, string>, user = COUNTY_ADMIN, items: Report[] = []) {
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/reports', name: 'reports', component: ReportsView },
      { path: '/reports/:id', name: 'report', component: { template: '<p>detail</p>' } },
    ],
  });
  await router.push({ path: '/reports', query });
  const pinia = createTestingPinia({
    createSpy: vi.fn,
    initialState: {
      auth: { session: { provider: 'local', token: 't', expiresAt: NOW + 3_600_000, user } },
      reports: { items, clockOffsetMs: NOW - Date.now(), categories: [{ code: 'infrastructure', name: '基础设施' }] },
    },
  });
  const wrapper = mount(ReportsView, { global: { plugins: [pinia, router, createConsoleI18n('zh-CN'), ElementPlus] } });
  await flushPromises();
  return { wrapper, router, store: useReportsStore(pinia) };
}

afterEach(() => document.body.replaceChildren());

describe('the report listing’s filters', () => {
  it('read from the address, so a workbench card or a reload lists the same', async () => {
    // Act
    const { store } = await mountList({ tier: 'village', overdue: 'true', status: 'nonsense' });

    // Assess
    expect(store.search).toHaveBeenCalledWith({ tier: 'village', overdue: true });
  });

  it('go into the address on search, and reset to none', async () => {
    // Prepare
    const { wrapper, router, store } = await mountList({ tier: 'village' });

    // Act
    await wrapper.find('[data-test="filter-overdue"] input').setValue(true);
    await wrapper.find('form').trigger('submit');
    await flushPromises();
    const afterSearch = { ...router.currentRoute.value.query };
    await wrapper.find('[data-test="reset"]').trigger('click');
    await flushPromises();

    // Assess
    expect(afterSearch).toEqual({ tier: 'village', overdue: 'true' });
    expect(router.currentRoute.value.query).toEqual({});
    expect(vi.mocked(store.search).mock.calls.map(([filters]) => filters)).toEqual([
      { tier: 'village' },
      { tier: 'village', overdue: true },
      {},
    ]);
  });

  it('offer the node cascader to admins, not to a grid worker whose scope is one grid', async () => {
    // Act
    const admin = await mountList({});
    const worker = await mountList({}, WORKER);

    // Assess
    expect(admin.wrapper.find('[data-test="filter-node"]').exists()).toBe(true);
    expect(worker.wrapper.find('[data-test="filter-node"]').exists()).toBe(false);
  });

  it('show each report with its category’s name, its tier, a link to it, how late it is and an overdue badge', async () => {
    // Act
    const { wrapper } = await mountList({}, COUNTY_ADMIN, [report({})]);

    // Assess
    const row = wrapper.find('[data-test="report-table"] .el-table__body tr');
    expect(row.text()).toContain('基础设施');
    expect(row.text()).toContain('村（社区）');
    expect(row.text()).toContain('已超 3 小时');
    expect(row.find('[data-test="overdue-badge"]').text()).toBe('超期');
    expect(row.find('a').attributes('href')).toBe('/reports/R0123456789ABCDE');
  });
});

describe('the listing’s address', () => {
  it('keeps only filters it understands, with both ends of a date range', () => {
    // Act
    const filters = filtersOfQuery({
      tier: 'township',
      status: 'closed',
      from: '2026-11-01',
      to: 'junk',
      category: 'dispute',
      overdue: 'yes',
    });

    // Assess
    expect(filters).toEqual({ tier: 'township', status: 'closed', category: 'dispute' });
    expect(queryOfFilters({ ...filters, overdue: true, from: '2026-11-01', to: '2026-11-02' })).toEqual({
      status: 'closed',
      tier: 'township',
      category: 'dispute',
      from: '2026-11-01',
      to: '2026-11-02',
      overdue: 'true',
    });
  });

  it('finds a node’s cascader path below the reader’s scope from its code alone', () => {
    // Act + Assess
    expect(nodePathBelow('451322', '451322201001')).toEqual(['451322201', '451322201001']);
    expect(nodePathBelow('451322201', '451322201001001')).toEqual(['451322201001', '451322201001001']);
    expect(nodePathBelow('451322201', '451322101001')).toEqual([]);
  });
});
