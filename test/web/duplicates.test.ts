/**
 * 可能重复 and 合并 in the console: the duplicates store (reads, a merge that reads the report and
 * its duplicates again, a stale answer dropped) and the report page's panel (distances, the link
 * to the parent, the merge button only for those who may, the dialog's confirmation).
 */
import { createTestingPinia } from '@pinia/testing';
import { flushPromises, mount, RouterLinkStub } from '@vue/test-utils';
import ElementPlus from 'element-plus';
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ReportDuplicates } from '#web/api/duplicates.ts';
import { createConsoleI18n } from '#web/i18n/index.ts';
import { useDuplicatesStore } from '#web/stores/duplicates.ts';
import { useReportsStore } from '#web/stores/reports.ts';
import ReportDetailDuplicates from '#web/views/reports/ReportDetailDuplicates.vue';

vi.mock('#web/api/duplicates.ts', () => ({ getDuplicates: vi.fn(), mergeReport: vi.fn(async () => ({})) }));
vi.mock('#web/api/reports.ts', () => ({ getReport: vi.fn(async () => ({ now: '2026-11-02T01:00:00.000Z' })) }));

const api = vi.mocked(await import('#web/api/duplicates.ts'));
const CHILD = 'R0123456789ABCDE';
const PARENT = 'R0123456789ABCDF';

function duplicatesOf(id: string, overrides: Partial<ReportDuplicates> = {}): ReportDuplicates {
  return {
    reportId: id,
    radiusMeters: 300,
    windowDays: 7,
    items: [
      { id: PARENT, title: '宅基地纠纷', status: 'assigned', tier: 'grid', createdAt: '2026-11-02T01:00:00.000Z', distanceMeters: 50 },
      {
        id: 'R0123456789ABCE0',
        title: '无定位的纠纷',
        status: 'accepted',
        tier: 'village',
        createdAt: '2026-11-01T01:00:00.000Z',
        distanceMeters: null,
      },
    ],
    parent: null,
    children: [],
    ...overrides,
  };
}

afterEach(() => {
  vi.clearAllMocks();
  document.body.replaceChildren();
});

describe('the duplicates store', () => {
  beforeEach(() => setActivePinia(createPinia()));

  it('reads a report’s duplicates, and drops a slower answer for a report no longer open', async () => {
    // Prepare
    let answerFirst: (value: ReportDuplicates) => void = () => undefined;
    api.getDuplicates.mockImplementationOnce(() => new Promise((resolve) => (answerFirst = resolve)) as never);
    api.getDuplicates.mockResolvedValueOnce(duplicatesOf(PARENT) as never);
    const store = useDuplicatesStore();

    // Act
    const first = store.load(CHILD);
    await store.load(PARENT);
    answerFirst(duplicatesOf(CHILD));
    await first;

    // Assess
    expect(store.current?.reportId).toBe(PARENT);
    expect(store.loading).toBe(false);
  });

  it('merges, then reads the report and its duplicates again; a refusal is the caller’s to show', async () => {
    // Prepare
    api.getDuplicates.mockResolvedValue(duplicatesOf(CHILD, { items: [] }) as never);
    const store = useDuplicatesStore();
    const reports = useReportsStore();
    const reread = vi.spyOn(reports, 'loadReport').mockResolvedValue();

    // Act
    await store.merge(CHILD, PARENT, '  同一宅基地  ');
    api.mergeReport.mockRejectedValueOnce(new Error('所选事件本身已被合并'));
    const refused = await store.merge(CHILD, PARENT).catch((error: Error) => error.message);

    // Assess
    expect(api.mergeReport).toHaveBeenNthCalledWith(1, CHILD, PARENT, '同一宅基地');
    expect(reread).toHaveBeenCalledWith(CHILD, { quietly: true });
    expect(api.getDuplicates).toHaveBeenCalledWith(CHILD);
    expect(refused).toBe('所选事件本身已被合并');
  });
});

describe('the 可能重复 panel', () => {
  function mountPanel(props: { mayMerge: boolean; mergedInto?: string }, answer = duplicatesOf(CHILD)) {
    api.getDuplicates.mockResolvedValue(answer as never);
    const pinia = createTestingPinia({ createSpy: vi.fn, stubActions: false });
    const wrapper = mount(ReportDetailDuplicates, {
      props: { reportId: CHILD, reportTitle: '宅基地边界争执', ...props },
      global: { plugins: [pinia, createConsoleI18n('zh-CN'), ElementPlus], stubs: { RouterLink: RouterLinkStub } },
      attachTo: document.body,
    });
    return { wrapper, store: useDuplicatesStore(pinia) };
  }

  it('lists the suggestions with their distance, and offers no merge to a reader who may not', async () => {
    // Act
    const { wrapper } = mountPanel({ mayMerge: false });
    await flushPromises();

    // Assess
    expect(wrapper.findAll('[data-test="duplicate-distance"]').map((d) => d.text())).toEqual(['约 50 米', '无定位']);
    expect(wrapper.find('[data-test="merge-open"]').exists()).toBe(false);
    expect(wrapper.find(`[data-test="merge-into-${PARENT}"]`).exists()).toBe(false);
  });

  it('lets an admin merge into the chosen suggestion after confirming', async () => {
    // Prepare
    const { wrapper, store } = mountPanel({ mayMerge: true });
    await flushPromises();
    const merge = vi.spyOn(store, 'merge').mockResolvedValue();

    // Act
    await wrapper.find(`[data-test="merge-into-${PARENT}"]`).trigger('click');
    await flushPromises();
    const dialog = document.body.querySelector('[data-test="merge-dialog"]');
    (document.body.querySelector('[data-test="merge-confirm"]') as HTMLButtonElement).click();
    await flushPromises();

    // Assess
    expect(dialog?.textContent).toContain('宅基地边界争执');
    expect(merge).toHaveBeenCalledWith(CHILD, PARENT, '');
  });

  it('shows the report a merged one went into as a link, and the reports merged into a parent', async () => {
    // Prepare
    const parent = { id: PARENT, title: '宅基地纠纷', status: 'assigned' as const, createdAt: '2026-11-02T01:00:00.000Z' };

    // Act
    const merged = mountPanel({ mayMerge: false, mergedInto: PARENT }, duplicatesOf(CHILD, { items: [], parent }));
    await flushPromises();
    const child = { id: CHILD, title: '宅基地边界争执', status: 'merged' as const, createdAt: '2026-11-02T01:00:00.000Z' };
    const parentPage = mountPanel({ mayMerge: false }, duplicatesOf(PARENT, { items: [], children: [child] }));
    await flushPromises();

    // Assess
    const link = merged.wrapper.findComponent(RouterLinkStub);
    expect(link.props('to')).toEqual({ name: 'report', params: { id: PARENT } });
    expect(merged.wrapper.find('[data-test="merged-into"]').text()).toContain('宅基地纠纷');
    expect(merged.wrapper.find('[data-test="duplicate-suggestions"]').exists()).toBe(false);
    expect(parentPage.wrapper.find('[data-test="merged-children"]').text()).toContain('宅基地边界争执');
  });
});
