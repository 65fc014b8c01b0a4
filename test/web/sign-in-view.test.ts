import { createTestingPinia } from '@pinia/testing';
import { flushPromises, mount } from '@vue/test-utils';
import ElementPlus from 'element-plus';
import { describe, expect, it, vi } from 'vitest';
import { createMemoryHistory, createRouter } from 'vue-router';
import { ApiError } from '#web/api/client.ts';
import { createConsoleI18n } from '#web/i18n/index.ts';
import { useAuthStore } from '#web/stores/auth.ts';
import SignInView from '#web/views/SignInView.vue';

async function mountSignIn() {
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/sign-in', component: SignInView },
      { path: '/', component: { template: '<p>home</p>' } },
    ],
  });
  await router.push('/sign-in');
  const pinia = createTestingPinia({ createSpy: vi.fn });
  const wrapper = mount(SignInView, { global: { plugins: [pinia, router, createConsoleI18n('zh-CN'), ElementPlus] } });
  return { wrapper, router, auth: useAuthStore(pinia) };
}

describe('the sign-in page', () => {
  it('asks for what is missing before calling anyone', async () => {
    // Prepare
    const { wrapper, auth } = await mountSignIn();

    // Act
    await wrapper.find('form').trigger('submit');

    // Assess
    expect(wrapper.text()).toContain('请填写用户名');
    expect(auth.signIn).not.toHaveBeenCalled();
  });

  it('signs in and goes home', async () => {
    // Prepare
    const { wrapper, auth, router } = await mountSignIn();
    await wrapper.find('#username').setValue('admin');
    await wrapper.find('#password').setValue('demo');

    // Act
    await wrapper.find('form').trigger('submit');
    await flushPromises();

    // Assess
    expect(auth.signIn).toHaveBeenCalledWith('admin', 'demo', undefined);
    expect(router.currentRoute.value.path).toBe('/');
  });

  it('asks for a new password when the API says the one-time password must be replaced', async () => {
    // Prepare
    const { wrapper, auth } = await mountSignIn();
    vi.mocked(auth.signIn).mockRejectedValueOnce(new ApiError(403, 'AUTH.PASSWORD_CHANGE_REQUIRED', '首次登录请设置新密码'));
    await wrapper.find('#username').setValue('newbie');
    await wrapper.find('#password').setValue('Ab3d-Ef4h-Jk5m');

    // Act
    await wrapper.find('form').trigger('submit');
    await flushPromises();
    await wrapper.find('#new-password').setValue('a-much-longer-password');
    await wrapper.find('#new-password-again').setValue('a-much-longer-password');
    await wrapper.find('form').trigger('submit');
    await flushPromises();

    // Assess
    expect(wrapper.text()).toContain('首次登录请设置新密码');
    expect(vi.mocked(auth.signIn).mock.calls.at(-1)).toEqual(['newbie', 'Ab3d-Ef4h-Jk5m', 'a-much-longer-password']);
  });
});
