/**
 * The people page's dialogs, mounted with a testing pinia: the phone checked as it is typed (the
 * API's rules, an 11-digit mobile shown as it will be stored), roles and scopes held to the
 * reader's, the one-time password shown once and forgotten on close, the hand-over shown before a
 * deactivation is confirmed.
 */
import { createTestingPinia } from '@pinia/testing';
import { flushPromises, mount } from '@vue/test-utils';
import ElementPlus from 'element-plus';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { nextTick } from 'vue';
import type { Person } from '#web/api/people.ts';
import { createConsoleI18n } from '#web/i18n/index.ts';
import { usePeopleStore } from '#web/stores/people.ts';
import PeopleViewAccountDialog from '#web/views/people/PeopleViewAccountDialog.vue';
import PeopleViewDeactivateDialog from '#web/views/people/PeopleViewDeactivateDialog.vue';
import PeopleViewPersonDialog from '#web/views/people/PeopleViewPersonDialog.vue';

const WORKER: Person = {
  id: 'p-worker-2',
  name: '韦丽萍',
  phone: '+8613877200302',
  role: 'grid_worker',
  scope: '451322201001002',
  active: true,
  responsible: true,
};

function pinia(user = { id: 'p-township-1', name: '廖振华', role: 'township_admin', scope: '451322201' }) {
  return createTestingPinia({
    createSpy: vi.fn,
    initialState: { auth: { session: { provider: 'local', token: 't', expiresAt: Date.now() + 3_600_000, user } } },
  });
}

/** Mounts a dialog open; Element Plus renders a dialog's content once it has opened. */
async function mountWith<T>(component: T, props: Record<string, unknown>, testingPinia = pinia()) {
  // biome-ignore lint/suspicious/noExplicitAny: each dialog has its own props
  const wrapper = mount(component as any, {
    props,
    global: { plugins: [testingPinia, createConsoleI18n('zh-CN'), ElementPlus] },
  });
  await flushPromises();
  return { wrapper, store: usePeopleStore(testingPinia), pinia: testingPinia };
}

/** The messages the form items show now: Element Plus shows (and hides) a form item's error 100 ms after it changes. */
async function errorsOf(wrapper: ReturnType<typeof mount>): Promise<string[]> {
  await flushPromises();
  vi.advanceTimersByTime(100);
  await flushPromises();
  return wrapper.findAll('.el-form-item__error').map((e) => e.text());
}

beforeEach(() => vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] }));
afterEach(() => vi.useRealTimers());

describe('the person dialog', () => {
  it('checks the phone as it is typed and shows an 11-digit mobile as it will be stored', async () => {
    // Prepare
    const { wrapper } = await mountWith(PeopleViewPersonDialog, { open: true, person: null });
    const phone = wrapper.find('input[data-test="person-phone"]');

    // Act
    await phone.setValue('1397720');
    const partial = await errorsOf(wrapper);
    await phone.setValue('+8612345678901');
    const landline = await errorsOf(wrapper);
    await phone.setValue('139 7720 1234');
    const mobile = { errors: await errorsOf(wrapper), hint: wrapper.find('[data-test="phone-normalized"]').text() };

    // Assess
    expect(partial).toEqual(['不是有效的手机号码（如 13977201234 或 +8613977201234）']);
    expect(landline).toEqual(['不是大陆手机号码（+86 1[3-9] 开头的 11 位）']);
    expect(mobile).toEqual({ errors: [], hint: '将保存为 +8613977201234' });
  });

  it('offers roles up to the reader’s own, and holds the scope to the role’s level inside the reader’s scope', async () => {
    // Prepare
    const { wrapper } = await mountWith(PeopleViewPersonDialog, { open: true, person: null });
    const scope = wrapper.find('input[data-test="person-scope"]');

    // Act
    const roles = wrapper.findAllComponents({ name: 'ElOption' }).map((o) => o.props('value'));
    await scope.setValue('451322201001');
    const village = await errorsOf(wrapper);
    await scope.setValue('451322101001001');
    const elsewhere = await errorsOf(wrapper);

    // Assess
    expect(roles).toEqual(['township_admin', 'village_admin', 'grid_worker']);
    expect(village).toEqual(['网格员的所属节点应为网格（15 位代码）']);
    expect(elsewhere).toEqual(['不在您的管辖范围（451322201）内']);
  });

  it('saves a new person with the phone normalised, and nothing while a field is wrong', async () => {
    // Prepare
    const { wrapper, store } = await mountWith(PeopleViewPersonDialog, { open: true, person: null });
    vi.mocked(store.create).mockResolvedValue({ ...WORKER, id: 'p-new', name: '韦新民' });
    await wrapper.find('input[data-test="person-name"]').setValue('韦新民');
    await wrapper.find('input[data-test="person-phone"]').setValue('13977201234');

    // Act
    await wrapper.find('button[data-test="person-save"]').trigger('click');
    const whileWrong = vi.mocked(store.create).mock.calls.length;
    await wrapper.find('input[data-test="person-scope"]').setValue('451322201001003');
    await wrapper.find('button[data-test="person-save"]').trigger('click');
    await flushPromises();

    // Assess
    expect(whileWrong).toBe(0);
    expect(store.create).toHaveBeenCalledWith({
      name: '韦新民',
      phone: '+8613977201234',
      role: 'grid_worker',
      scope: '451322201001003',
      responsible: true,
    });
    expect(wrapper.emitted('close')).toHaveLength(1);
  });

  it('sends only what an edit changed', async () => {
    // Prepare
    const { wrapper, store } = await mountWith(PeopleViewPersonDialog, { open: true, person: WORKER });
    vi.mocked(store.update).mockResolvedValue({ person: { ...WORKER, title: '网格员' }, handOver: [] });

    // Act
    await wrapper.find('input[data-test="person-title"]').setValue('网格员');
    await wrapper.find('button[data-test="person-save"]').trigger('click');
    await flushPromises();

    // Assess
    expect(store.update).toHaveBeenCalledWith('p-worker-2', { title: '网格员' });
  });
});

describe('the account dialog', () => {
  it('shows the one-time password once, with its warning, and forgets it when closed', async () => {
    // Prepare
    const { wrapper, store, pinia: testingPinia } = await mountWith(PeopleViewAccountDialog, { person: WORKER });
    vi.mocked(store.createAccount).mockResolvedValue({ username: 'wei.liping', initialPassword: 'Pk4i-6AvW-Tr3x' });
    await wrapper.find('input[data-test="account-username"]').setValue('wei.liping');

    // Act
    await wrapper.find('button[data-test="account-submit"]').trigger('click');
    await flushPromises();
    const shown = {
      password: wrapper.find('[data-test="initial-password"]').text(),
      warning: wrapper.find('[data-test="password-warning"]').text(),
    };
    await wrapper.find('button[data-test="password-done"]').trigger('click');
    await wrapper.setProps({ person: null });
    await wrapper.setProps({ person: WORKER });
    await nextTick();

    // Assess
    expect(shown.password).toBe('Pk4i-6AvW-Tr3x');
    expect(shown.warning).toContain('只显示这一次');
    expect(wrapper.emitted('close')?.length).toBeGreaterThanOrEqual(1);
    expect(wrapper.html()).not.toContain('Pk4i-6AvW-Tr3x');
    expect(wrapper.find('input[data-test="account-username"]').exists()).toBe(true);
    expect(JSON.stringify(testingPinia.state.value)).not.toContain('Pk4i-6AvW-Tr3x');
  });

  it('refuses a username the accounts would refuse, before asking', async () => {
    // Prepare
    const { wrapper, store } = await mountWith(PeopleViewAccountDialog, { person: WORKER });
    await wrapper.find('input[data-test="account-username"]').setValue('Wei Liping');

    // Act
    await wrapper.find('button[data-test="account-submit"]').trigger('click');

    // Assess
    expect(await errorsOf(wrapper)).toEqual(['用户名为 3–32 位小写字母、数字或 _ . -']);
    expect(store.createAccount).not.toHaveBeenCalled();
  });
});

describe('the deactivate dialog', () => {
  it('shows where each open report goes before anything is deactivated, then deactivates on confirm', async () => {
    // Prepare
    const testingPinia = pinia();
    const store = usePeopleStore(testingPinia);
    vi.mocked(store.planDeactivation).mockResolvedValue([
      { reportId: 'r1', title: '那沙村二组水渠堵塞', tier: 'village', action: 'escalated', to: ['覃国庆'] },
    ]);
    vi.mocked(store.deactivate).mockResolvedValue([]);

    // Act
    const { wrapper } = await mountWith(PeopleViewDeactivateDialog, { person: WORKER }, testingPinia);
    await flushPromises();
    const plan = wrapper.find('[data-test="deactivate-plan"]').text();
    const deactivatedBeforeConfirm = vi.mocked(store.deactivate).mock.calls.length;
    await wrapper.find('button[data-test="deactivate-confirm"]').trigger('click');
    await flushPromises();

    // Assess
    expect(store.planDeactivation).toHaveBeenCalledWith('p-worker-2');
    expect(plan).toContain('那沙村二组水渠堵塞');
    expect(plan).toContain('上交上一级');
    expect(plan).toContain('覃国庆');
    expect(deactivatedBeforeConfirm).toBe(0);
    expect(store.deactivate).toHaveBeenCalledWith('p-worker-2');
  });

  it('says why when a report would have nobody, and offers nothing to confirm', async () => {
    // Prepare
    const testingPinia = pinia();
    const store = usePeopleStore(testingPinia);
    vi.mocked(store.planDeactivation).mockRejectedValue(new Error('其手中的事件无人可以接手，请先增加接手人员'));

    // Act
    const { wrapper } = await mountWith(PeopleViewDeactivateDialog, { person: WORKER }, testingPinia);
    await flushPromises();

    // Assess
    expect(wrapper.find('[data-test="deactivate-refused"]').text()).toContain('无人可以接手');
    expect(wrapper.find('button[data-test="deactivate-confirm"]').attributes('disabled')).toBeDefined();
  });
});
