/**
 * The SMS page mounted with a testing pinia: a page of the log as the API gives it (masked numbers,
 * the report linked), and for a reader the API refuses, its 403 translated in place of the table.
 */
import { createTestingPinia } from '@pinia/testing';
import { flushPromises, mount, RouterLinkStub } from '@vue/test-utils';
import ElementPlus from 'element-plus';
import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '#web/api/client.ts';
import { translated } from '#web/api/interceptors.ts';
import type { SmsLogEntry } from '#web/api/sms.ts';
import { createConsoleI18n } from '#web/i18n/index.ts';
import { useSmsStore } from '#web/stores/sms.ts';
import SmsView from '#web/views/sms/SmsView.vue';

const ENTRY: SmsLogEntry = {
  at: '2026-11-02T01:00:00.000Z',
  to: '+86 138****0302',
  toId: 'p-worker-2',
  toName: '韦丽萍',
  text: '【网格吹哨】那沙村二组水渠堵塞 …/l/••••',
  status: 'failed',
  error: 'carrier rejected',
  attempts: 3,
  tierSeq: 1,
  reminder: 0,
  report: { id: 'r-1', title: '那沙村二组水渠堵塞', tier: 'grid' },
};

function mountAs(role: string, scope: string, search: (store: ReturnType<typeof useSmsStore>) => void) {
  const pinia = createTestingPinia({
    createSpy: vi.fn,
    initialState: {
      auth: {
        session: {
          provider: 'local',
          token: 't',
          expiresAt: Date.now() + 3_600_000,
          user: { id: 'p', name: '覃', role, scope },
        },
      },
    },
  });
  const store = useSmsStore(pinia);
  search(store);
  const i18n = createConsoleI18n('zh-CN');
  const wrapper = mount(SmsView, { global: { plugins: [pinia, i18n, ElementPlus], stubs: { RouterLink: RouterLinkStub } } });
  return { wrapper, store, i18n };
}

describe('the SMS page', () => {
  it('lists what the API gives, its number masked, its status and error, its report linked', async () => {
    // Prepare
    const { wrapper, store } = mountAs('township_admin', '451322201', (s) => {
      vi.mocked(s.search).mockImplementation(async () => {
        s.items = [ENTRY];
      });
    });

    // Act
    await flushPromises();
    const row = wrapper.find('[data-test="sms-table"] .el-table__row');

    // Assess
    expect(store.search).toHaveBeenCalledWith({ node: '451322201' });
    expect(row.text()).toContain('+86 138****0302');
    expect(row.text()).toContain('发送失败');
    expect(row.text()).toContain('失败原因：carrier rejected');
    expect(wrapper.findComponent(RouterLinkStub).props('to')).toBe('/reports/r-1');
  });

  it('shows a department officer the API’s 403 in their language instead of the table', async () => {
    // Prepare
    const { wrapper, store } = mountAs('department_officer', 'housing', (s) => {
      vi.mocked(s.search).mockImplementation(async () => {
        const global = createConsoleI18n('zh-CN').global as unknown as { te: (k: string) => boolean; t: (k: string) => string };
        throw translated(new ApiError(403, 'SMS.ADMINS_ONLY', 'the SMS log is for admins'), (key) =>
          global.te(key) ? global.t(key) : null,
        );
      });
    });

    // Act
    await flushPromises();

    // Assess
    expect(store.search).toHaveBeenCalledWith({});
    expect(wrapper.find('[data-test="sms-refused"]').text()).toContain('短信记录仅管理员可查看');
    expect(wrapper.find('[data-test="sms-table"]').exists()).toBe(false);
  });
});
