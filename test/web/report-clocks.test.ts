/**
 * The report page's 督办, 延期, 挂起 / 恢复 and 回访: the store sends each action's own fields (and
 * the tier the reader saw, except for the visit), the dialogs ask for what the API needs before
 * sending, and the timeline says what each new event means.
 */
import { createTestingPinia } from '@pinia/testing';
import { flushPromises, mount } from '@vue/test-utils';
import ElementPlus from 'element-plus';
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ReaderAction, Report, ReportRead, TimelineEvent } from '#web/api/reports.ts';
import { createConsoleI18n } from '#web/i18n/index.ts';
import { useReportsStore } from '#web/stores/reports.ts';
import ReportDetailActions from '#web/views/reports/ReportDetailActions.vue';
import ReportDetailTimeline from '#web/views/reports/ReportDetailTimeline.vue';

vi.mock('#web/api/reports.ts', () => ({
  listReports: vi.fn(),
  getReport: vi.fn(),
  actOnReport: vi.fn(async () => ({})),
  getWorkbench: vi.fn(),
  listCategories: vi.fn(async () => ({ items: [] })),
  nodeChildren: vi.fn(),
  getNode: vi.fn(),
  photoBlob: vi.fn(async () => new Blob(['x'], { type: 'image/jpeg' })),
}));
const api = vi.mocked(await import('#web/api/reports.ts'));

const SERVER_NOW = '2026-11-02T01:00:00.000Z';
function readOf(overrides: Partial<Report> = {}): ReportRead {
  return {
    report: { id: 'R0123456789ABCDE', tier: 'grid', tierSeq: 1, status: 'assigned', photos: [], ...overrides } as Report,
    timeline: [],
    notifications: [],
    actions: ['comment'],
    mayPublishNote: false,
    now: SERVER_NOW,
  };
}

afterEach(() => {
  document.body.replaceChildren();
  vi.clearAllMocks();
});

describe('the reports store', () => {
  it('sends the extra hours, the decision and the visit’s answer only with their own actions', async () => {
    // Prepare
    setActivePinia(createPinia());
    api.getReport.mockResolvedValue(readOf());
    const store = useReportsStore();
    await store.loadReport('R0123456789ABCDE');

    // Act
    await store.act('request_extension', { note: '需协调', extraHours: 8, approved: true });
    await store.act('decide_extension', { approved: false, note: '请按时办结' });
    await store.act('remind', { note: '请尽快签收' });
    await store.act('review', { satisfied: true, note: '群众满意', extraHours: 3 });

    // Assess
    expect(api.actOnReport.mock.calls.map(([, body]) => body)).toEqual([
      { action: 'request_extension', note: '需协调', extraHours: 8, tier: 'grid', tierSeq: 1 },
      { action: 'decide_extension', note: '请按时办结', approved: false, tier: 'grid', tierSeq: 1 },
      { action: 'remind', note: '请尽快签收', tier: 'grid', tierSeq: 1 },
      // A visit is of the resolution, not of a tier the reader saw.
      { action: 'review', note: '群众满意', satisfied: true },
    ]);
  });
});

describe('the dialogs', () => {
  function mountActions(actions: ReaderAction[], report: Partial<Report> = {}) {
    const pinia = createTestingPinia({ createSpy: vi.fn });
    const store = useReportsStore(pinia);
    store.current = readOf(report);
    const wrapper = mount(ReportDetailActions, {
      props: { actions, mayPublishNote: false },
      global: { plugins: [pinia, createConsoleI18n('zh-CN'), ElementPlus] },
      attachTo: document.body,
    });
    return { wrapper, store };
  }
  const inDialog = (test: string) => document.body.querySelector<HTMLElement>(`[data-test="${test}"]`);
  const radio = (test: string) => document.body.querySelector<HTMLInputElement>(`[data-test="${test}"] input`);

  it('draws 督办, 延期, 挂起 and 回访 only when offered', () => {
    // Act
    const { wrapper } = mountActions(['comment', 'remind', 'suspend']);

    // Assess
    expect(wrapper.findAll('[data-test^="action-"]').map((b) => b.text())).toEqual(['备注', '督办', '挂起']);
    expect(wrapper.find('[data-test="action-review"]').exists()).toBe(false);
  });

  it('asks the visitor whether the resident is satisfied before recording the visit', async () => {
    // Prepare
    const { wrapper, store } = mountActions(['comment', 'review'], { status: 'resolved' });
    await wrapper.find('[data-test="action-review"]').trigger('click');
    await flushPromises();

    // Act
    inDialog('action-submit')?.click();
    await flushPromises();
    const refused = document.body.textContent ?? '';
    radio('action-unsatisfied')?.click();
    await flushPromises();
    inDialog('action-submit')?.click();
    await flushPromises();

    // Assess
    expect(refused).toContain('请选择群众评价');
    expect(store.act).toHaveBeenCalledTimes(1);
    expect(store.act).toHaveBeenCalledWith('review', { note: '', public: false, satisfied: false });
  });

  it('shows the pending extension request to the one who decides it, and needs a decision', async () => {
    // Prepare
    const request = { until: '2026-11-03T01:00:00.000Z', reason: '需协调供电所', by: { name: '覃宏' }, phase: 'accept' };
    const { wrapper, store } = mountActions(['comment', 'decide_extension'], { extensionRequest: request } as unknown as Partial<Report>);
    await wrapper.find('[data-test="action-decide_extension"]').trigger('click');
    await flushPromises();

    // Act
    const shown = inDialog('extension-pending')?.textContent ?? '';
    inDialog('action-submit')?.click();
    await flushPromises();
    radio('action-approve')?.click();
    await flushPromises();
    inDialog('action-submit')?.click();
    await flushPromises();

    // Assess
    expect(shown).toContain('需协调供电所');
    expect(shown).toContain('覃宏');
    expect(store.act).toHaveBeenCalledWith('decide_extension', { note: '', public: false, approved: true });
  });

  it('needs a reason to suspend', async () => {
    // Prepare
    const { wrapper, store } = mountActions(['comment', 'suspend']);
    await wrapper.find('[data-test="action-suspend"]').trigger('click');
    await flushPromises();

    // Act
    inDialog('action-submit')?.click();
    await flushPromises();

    // Assess
    expect(document.body.textContent).toContain('请填写挂起原因');
    expect(store.act).not.toHaveBeenCalled();
  });
});

describe('the timeline', () => {
  const SYSTEM = { id: 'system', name: '系统', role: 'system' };
  const at = (minutes: number) => new Date(Date.parse(SERVER_NOW) + minutes * 60_000).toISOString();
  const event = (seq: number, type: string, data: Record<string, unknown>, actor = SYSTEM) =>
    ({ seq, type, at: at(seq), tier: 'grid', actor, data }) as TimelineEvent;

  it('says what each reminder, extension, suspension and visit meant', () => {
    // Prepare
    const village = { id: 'p-village-1', name: '覃国庆', role: 'village_admin' };
    const timeline = [
      event(1, 'reminded', { phase: 'accept', reminder: 101, sent: ['覃宏'] }),
      event(2, 'reminded', { phase: 'accept', reminder: 1001, manual: true }, village),
      event(3, 'extension_decided', { approved: false, phase: 'accept', until: at(600) }, village),
      event(4, 'resumed', { pausedMs: 2 * 3_600_000 }, village),
      event(5, 'visited', { satisfied: false }, village),
      event(6, 'reopened', { from: 'grid', to: 'grid', assignees: ['覃宏'] }),
      event(7, 'closed', { notVisited: true }),
    ];

    // Act
    const wrapper = mount(ReportDetailTimeline, {
      props: { timeline, breaches: [] },
      global: { plugins: [createConsoleI18n('zh-CN'), ElementPlus] },
    });
    const text = wrapper.text();

    // Assess
    expect(text).toContain('签收前催办（第 1 次）');
    expect(text).toContain('上级督办');
    expect(text).toContain('不同意延期');
    expect(text).toContain('挂起 2 小时 后恢复计时');
    expect(text).toContain('群众不满意');
    expect(text).toContain('回访期限内未回访，销号并标记');
  });
});
