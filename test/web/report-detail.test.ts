import { createTestingPinia } from '@pinia/testing';
import { flushPromises, mount } from '@vue/test-utils';
import ElementPlus from 'element-plus';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '#web/api/client.ts';
import type { Breach, ReaderAction, TimelineEvent } from '#web/api/reports.ts';
import { createConsoleI18n } from '#web/i18n/index.ts';
import { useReportsStore } from '#web/stores/reports.ts';
import ReportDetailActions from '#web/views/reports/ReportDetailActions.vue';
import ReportDetailSms from '#web/views/reports/ReportDetailSms.vue';
import ReportDetailTimeline from '#web/views/reports/ReportDetailTimeline.vue';

const AT = Date.parse('2026-11-02T01:00:00.000Z');
const iso = (hours: number) => new Date(AT + hours * 3_600_000).toISOString();
const SYSTEM = { id: 'system', name: '系统', role: 'system' };

function event(seq: number, type: string, hours: number, extra: Partial<TimelineEvent> = {}): TimelineEvent {
  return { seq, type, at: iso(hours), tier: 'grid', actor: SYSTEM, ...extra } as TimelineEvent;
}

afterEach(() => document.body.replaceChildren());

describe('the timeline', () => {
  const mountTimeline = (timeline: TimelineEvent[], breaches: Breach[] = [], locale: 'zh-CN' | 'en' = 'zh-CN') =>
    mount(ReportDetailTimeline, { props: { timeline, breaches }, global: { plugins: [createConsoleI18n(locale), ElementPlus] } });

  it('shows each event’s tier, who and when, oldest first, and how late the tier was that an escalation left', () => {
    // Prepare: the grid's 签收 deadline passed at +2 h; the machine was down and escalated at +5 h
    const timeline = [
      event(4, 'escalated', 5, {
        tier: 'village',
        data: { from: 'grid', to: 'village', assignees: ['覃国庆'], reason: 'accept_overdue' },
      }),
      event(1, 'reported', 0, { actor: { id: 'p-worker-1', name: '覃宏', role: 'grid_worker' } }),
      event(2, 'assigned', 0, { data: { assignees: ['覃宏'] } }),
      event(3, 'notified', 0, { data: { sent: ['覃宏'], failed: [] } }),
    ];
    const breaches: Breach[] = [{ tier: 'grid', ownerCode: '451322201001001', phase: 'accept', deadline: iso(2), at: iso(5) }];

    // Act
    const wrapper = mountTimeline(timeline, breaches);

    // Assess
    const items = wrapper.findAll('.el-timeline-item');
    expect(items.map((i) => i.find('.event-title').text())).toEqual(['上报', '分派', '短信通知', '升级']);
    expect(items[0]?.text()).toContain('覃宏（网格员）');
    const escalation = items[3]?.text() ?? '';
    expect(escalation).toContain('村（社区）');
    expect(escalation).toContain('网格 → 村（社区）');
    expect(escalation).toContain('分派给：覃国庆');
    expect(escalation).toContain('逾期未签收，自动升级');
    expect(escalation).toContain('系统');
    expect(items[3]?.find('[data-test="event-late"]').text()).toContain('签收超时（时限 2026/11/02 11:00）');
    expect(items[3]?.find('[data-test="event-late"]').text()).toContain('延误 3 小时');
    expect(items[3]?.text()).toContain('2026/11/02 14:00');
  });

  it('says a tier missed its deadline without a delay when it was escalated the moment it passed, in English too', () => {
    // Prepare
    const timeline = [event(1, 'escalated', 2, { tier: 'village', data: { from: 'grid', to: 'village', reason: 'accept_overdue' } })];
    const breaches: Breach[] = [{ tier: 'grid', ownerCode: 'g', phase: 'accept', deadline: iso(2), at: iso(2) }];

    // Act
    const late = mountTimeline(timeline, breaches, 'en').find('[data-test="event-late"]').text();

    // Assess
    expect(late).toContain('Acceptance deadline missed');
    expect(late).not.toContain('late');
  });

  it('marks a manual escalation’s note internal and a public comment public, with no breach for an escalation on time', () => {
    // Prepare
    const admin = { id: 'p-township-1', name: '廖振华', role: 'township_admin' };
    const timeline = [
      event(1, 'escalated', 1, {
        tier: 'township',
        actor: admin,
        note: '涉及多个村',
        data: { from: 'village', to: 'township', reason: 'manual' },
      }),
      event(2, 'commented', 2, { tier: 'township', actor: admin, note: '已协调住建局', public: true }),
    ];

    // Act
    const items = mountTimeline(timeline).findAll('.el-timeline-item');

    // Assess
    expect(items[0]?.text()).toContain('手动提交上级');
    expect(items[0]?.find('.event-note').text()).toContain('内部');
    expect(items[0]?.find('[data-test="event-late"]').exists()).toBe(false);
    expect(items[1]?.find('.event-note').text()).toContain('公开');
    expect(items[1]?.text()).toContain('廖振华（乡镇（街道）管理员）');
  });
});

describe('the SMS log', () => {
  it('shows the recipient by name and post, the number and text as the API masked them, and no link', async () => {
    // Prepare
    const notifications = [
      {
        at: iso(0),
        to: '+86 138****0301',
        toName: '覃宏',
        toTitle: '那沙村第一网格网格员',
        text: '【网格吹哨】请签收：村道小桥塌陷 …/l/••••',
        status: 'sent' as const,
        attempts: 1,
      },
    ];

    // Act
    const wrapper = mount(ReportDetailSms, { props: { notifications }, global: { plugins: [createConsoleI18n('zh-CN'), ElementPlus] } });
    await flushPromises();

    // Assess
    const row = wrapper.find('.el-table__body tr').text();
    expect(row).toContain('覃宏');
    expect(row).toContain('那沙村第一网格网格员');
    expect(row).toContain('+86 138****0301');
    expect(row).toContain('…/l/••••');
    expect(row).toContain('已发送');
    expect(wrapper.find('.el-table__body a').exists()).toBe(false);
  });
});

describe('the action buttons', () => {
  function mountActions(actions: ReaderAction[], mayPublishNote = false) {
    const pinia = createTestingPinia({ createSpy: vi.fn });
    const wrapper = mount(ReportDetailActions, {
      props: { actions, mayPublishNote },
      global: { plugins: [pinia, createConsoleI18n('zh-CN'), ElementPlus] },
      attachTo: document.body,
    });
    return { wrapper, store: useReportsStore(pinia) };
  }
  const inDialog = (test: string) => document.body.querySelector<HTMLElement>(`[data-test="${test}"]`);
  /** Element Plus puts an input's attributes on the textarea itself. */
  const noteField = () => document.body.querySelector<HTMLTextAreaElement>('textarea[data-test="action-note"]');

  it('draws only the actions the reader may take', () => {
    // Act
    const { wrapper } = mountActions(['accept', 'comment']);

    // Assess
    expect(wrapper.findAll('[data-test^="action-"]').map((b) => b.text())).toEqual(['签收', '备注']);
    expect(wrapper.find('[data-test="action-resolve"]').exists()).toBe(false);
    expect(wrapper.find('[data-test="action-escalate"]').exists()).toBe(false);
  });

  it('says so when the reader may only read', () => {
    // Act
    const { wrapper } = mountActions([]);

    // Assess
    expect(wrapper.text()).toContain('您对该事件只能查看');
    expect(wrapper.find('button').exists()).toBe(false);
  });

  it('asks for a reason before returning a report, then sends it', async () => {
    // Prepare
    const { wrapper, store } = mountActions(['accept', 'return', 'comment']);
    await wrapper.find('[data-test="action-return"]').trigger('click');
    await flushPromises();

    // Act
    inDialog('action-submit')?.click();
    await flushPromises();
    const refused = document.body.textContent ?? '';
    const note = noteField();
    if (!note) throw new Error('no note field');
    note.value = '属于村里处理的事项';
    note.dispatchEvent(new Event('input'));
    await flushPromises();
    inDialog('action-submit')?.click();
    await flushPromises();

    // Assess
    expect(refused).toContain('请填写退回原因');
    expect(store.act).toHaveBeenCalledTimes(1);
    expect(store.act).toHaveBeenCalledWith('return', { note: '属于村里处理的事项', public: false });
    expect(inDialog('action-public')).toBeNull();
  });

  it('offers to make a comment public only to those who may, and shows a refusal in the reader’s language', async () => {
    // Prepare
    const { wrapper, store } = mountActions(['comment'], true);
    vi.mocked(store.act).mockRejectedValueOnce(new ApiError(409, 'REPORT.MOVED_ON', '事件已流转到其他层级'));
    await wrapper.find('[data-test="action-comment"]').trigger('click');
    await flushPromises();
    const note = noteField();
    if (!note) throw new Error('no note field');
    note.value = '已协调';
    note.dispatchEvent(new Event('input'));
    inDialog('action-public')?.querySelector('input')?.click();
    await flushPromises();

    // Act
    inDialog('action-submit')?.click();
    await flushPromises();

    // Assess
    expect(store.act).toHaveBeenCalledWith('comment', { note: '已协调', public: true });
    expect(inDialog('action-error')?.textContent).toContain('事件已流转到其他层级');
  });

  it('keeps the public switch from a reader who may not publish', async () => {
    // Prepare
    const { wrapper } = mountActions(['comment'], false);

    // Act
    await wrapper.find('[data-test="action-comment"]').trigger('click');
    await flushPromises();

    // Assess
    expect(noteField()).not.toBeNull();
    expect(inDialog('action-public')).toBeNull();
  });
});
