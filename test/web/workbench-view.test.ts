import { createTestingPinia } from '@pinia/testing';
import { flushPromises, mount } from '@vue/test-utils';
import ElementPlus from 'element-plus';
import { describe, expect, it, vi } from 'vitest';
import { createMemoryHistory, createRouter } from 'vue-router';
import type { Workbench } from '#web/api/reports.ts';
import { createConsoleI18n } from '#web/i18n/index.ts';
import { useWorkbenchStore } from '#web/stores/workbench.ts';
import WorkbenchView from '#web/views/workbench/WorkbenchView.vue';

/** The server's clock, years away from the browser's (a test clock, a demo): time left is counted from it. */
const SERVER_NOW = Date.parse('2031-05-06T01:00:00.000Z');
const at = (hours: number) => new Date(SERVER_NOW + hours * 3_600_000).toISOString();

const BENCH: Workbench = {
  now: at(0),
  scope: { kind: 'node', code: '451322201', name: '百丈乡', level: 'township' },
  items: [
    {
      id: 'R000000000000001',
      title: '危房墙体开裂',
      category: 'safety_hazard',
      urgency: 'urgent',
      status: 'assigned',
      tier: 'village',
      ownerName: '那沙村',
      assignees: ['覃国庆'],
      gridCode: '451322201001001',
      gridName: '那沙村第一网格',
      deadline: at(-2),
      deadlinePhase: 'accept',
      pastDeadline: true,
      overdue: true,
      mine: false,
      createdAt: at(-8),
    },
    {
      id: 'R000000000000002',
      title: '村道小桥塌陷',
      category: 'infrastructure',
      urgency: 'normal',
      status: 'accepted',
      tier: 'grid',
      ownerName: '那沙村第一网格',
      assignees: ['覃宏'],
      gridCode: '451322201001001',
      deadline: at(5),
      deadlinePhase: 'complete',
      pastDeadline: false,
      overdue: false,
      mine: true,
      createdAt: at(-1),
    },
  ],
  more: 3,
  counts: {
    total: 5,
    byTier: { grid: 3, village: 2, township: 0, department: 0, supervision: 0 },
    byStatus: { assigned: 4, accepted: 1 },
    pastDeadline: 1,
    dueSoon: 2,
    overdue: 1,
    mine: 1,
  },
};

async function mountWorkbench() {
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/workbench', name: 'workbench', component: WorkbenchView },
      { path: '/reports', name: 'reports', component: { template: '<p>list</p>' } },
      { path: '/reports/:id', name: 'report', component: { template: '<p>detail</p>' } },
    ],
  });
  await router.push('/workbench');
  const pinia = createTestingPinia({
    createSpy: vi.fn,
    initialState: { workbench: { bench: BENCH, clockOffsetMs: SERVER_NOW - Date.now() } },
  });
  const wrapper = mount(WorkbenchView, { global: { plugins: [pinia, router, createConsoleI18n('zh-CN'), ElementPlus] } });
  await flushPromises();
  return { wrapper, store: useWorkbenchStore(pinia) };
}

describe('the workbench', () => {
  it('reads itself when opened, and shows the counts by tier as links to the listing at that tier', async () => {
    // Act
    const { wrapper, store } = await mountWorkbench();

    // Assess
    expect(store.load).toHaveBeenCalled();
    const village = wrapper.find('[data-test="tier-card-village"]');
    expect(village.text()).toContain('村（社区）');
    expect(village.text()).toContain('2');
    expect(village.attributes('href')).toBe('/reports?tier=village');
    expect(wrapper.find('[data-test="state-card-pastDeadline"]').text()).toContain('1');
    expect(wrapper.find('[data-test="state-card-dueSoon"]').text()).toContain('2');
    expect(wrapper.find('[data-test="workbench-scope"]').text()).toContain('百丈乡');
  });

  it('lists the waiting reports with the time left on the server’s clock, late ones marked, the reader’s own tagged', async () => {
    // Act
    const { wrapper } = await mountWorkbench();

    // Assess
    const rows = wrapper.findAll('[data-test="workbench-table"] .el-table__body tr');
    expect(rows).toHaveLength(2);
    expect(rows[0]?.text()).toContain('危房墙体开裂');
    expect(rows[0]?.find('[data-test="time-left"]').text()).toBe('已超 2 小时');
    expect(rows[0]?.text()).toContain('超期');
    expect(rows[1]?.find('[data-test="time-left"]').text()).toBe('剩余 5 小时');
    expect(rows[1]?.text()).toContain('我的');
    expect(rows[1]?.find('a').attributes('href')).toBe('/reports/R000000000000002');
    expect(wrapper.find('[data-test="workbench-more"]').text()).toContain('另有 3 件待办未列出');
  });
});
