/** One figure of 总览: n / N and %, its definition for hover, each side a button that drills. */
import { mount } from '@vue/test-utils';
import ElementPlus from 'element-plus';
import { describe, expect, it } from 'vitest';
import { createConsoleI18n } from '#web/i18n/index.ts';
import DashboardFigure from '#web/views/dashboard/DashboardFigure.vue';
import type { FigureCard } from '#web/views/dashboard/useDashboard.ts';

const card: FigureCard = {
  metric: 'resolution',
  label: '办结率',
  definition: '统计期内上报的事件中目前已办结的件数 ÷ 统计期内上报的事件数',
  figure: { numerator: 272, denominator: 274, value: 272 / 274, definition: 'resolution', reports: { numerator: '/n', denominator: '/d' } },
  counts: '272 / 274',
  percent: '99.27 %',
};

describe('a dashboard figure', () => {
  it('shows n / N and %, names its definition, and drills into the side clicked', async () => {
    // Prepare
    const wrapper = mount(DashboardFigure, { props: { card }, global: { plugins: [createConsoleI18n('zh-CN'), ElementPlus] } });

    // Act
    await wrapper.find('[data-test="figure-denominator"]').trigger('click');
    await wrapper.find('[data-test="figure-numerator"]').trigger('click');

    // Assess
    expect(wrapper.text().replace(/\s+/g, '')).toContain('272/274');
    expect(wrapper.text()).toContain('99.27 %');
    expect(wrapper.find('[data-test="definition-resolution"]').attributes('aria-label')).toBe(card.definition);
    expect(wrapper.emitted('drill')).toEqual([['denominator'], ['numerator']]);
  });
});
