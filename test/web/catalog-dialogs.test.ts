/**
 * The catalog page's dialogs, mounted with a testing pinia: a category saved with its default
 * department and public flag (the code fixed once saved), a department's duty line checked by the
 * API's rules before anything is sent.
 */
import { createTestingPinia } from '@pinia/testing';
import { flushPromises, mount } from '@vue/test-utils';
import ElementPlus from 'element-plus';
import { describe, expect, it, vi } from 'vitest';
import type { Category } from '#web/api/catalog.ts';
import { createConsoleI18n } from '#web/i18n/index.ts';
import { useCatalogStore } from '#web/stores/catalog.ts';
import CatalogViewCategoryDialog from '#web/views/catalog/CatalogViewCategoryDialog.vue';
import CatalogViewDepartmentDialog from '#web/views/catalog/CatalogViewDepartmentDialog.vue';

const CATEGORY: Category = {
  code: 'infrastructure',
  name: '基础设施',
  description: '村道、小桥',
  departmentCode: 'housing',
  public: false,
};

function mountDialog<T>(component: T, props: Record<string, unknown>) {
  const pinia = createTestingPinia({
    createSpy: vi.fn,
    initialState: {
      catalog: {
        departments: [
          { code: 'housing', name: '象州县住房和城乡建设局' },
          { code: 'water', name: '象州县水利局' },
        ],
      },
    },
  });
  // biome-ignore lint/suspicious/noExplicitAny: each dialog has its own props
  const wrapper = mount(component as any, { props, global: { plugins: [pinia, createConsoleI18n('zh-CN'), ElementPlus] } });
  return { wrapper, store: useCatalogStore(pinia) };
}

describe('the category dialog', () => {
  it('changes a category’s default department and public flag, its code fixed', async () => {
    // Prepare
    const { wrapper, store } = mountDialog(CatalogViewCategoryDialog, { open: true, category: CATEGORY });
    vi.mocked(store.updateCategory).mockResolvedValue({ ...CATEGORY, departmentCode: 'water', public: true });
    await flushPromises();

    // Act
    wrapper.findComponent({ name: 'ElSelect' }).vm.$emit('update:modelValue', 'water');
    await wrapper.find('[data-test="category-public"]').trigger('click');
    await wrapper.find('button[data-test="category-save"]').trigger('click');
    await flushPromises();

    // Assess
    expect(wrapper.find('input[data-test="category-code"]').attributes('disabled')).toBeDefined();
    expect(wrapper.find('[data-test="public-explained"]').text()).toContain('Open311');
    expect(store.updateCategory).toHaveBeenCalledWith('infrastructure', {
      name: '基础设施',
      description: '村道、小桥',
      departmentCode: 'water',
      public: true,
    });
    expect(wrapper.emitted('close')).toHaveLength(1);
  });

  it('sends nothing for a new category without a code or department', async () => {
    // Prepare
    const { wrapper, store } = mountDialog(CatalogViewCategoryDialog, { open: true, category: null });
    await flushPromises();
    await wrapper.find('input[data-test="category-name"]').setValue('路灯');

    // Act
    await wrapper.find('button[data-test="category-save"]').trigger('click');
    await flushPromises();

    // Assess
    expect(store.createCategory).not.toHaveBeenCalled();
    expect(wrapper.emitted('close')).toBeUndefined();
  });
});

describe('the department dialog', () => {
  it('refuses a duty line the API would refuse, and saves a landline with its area code', async () => {
    // Prepare
    const { wrapper, store } = mountDialog(CatalogViewDepartmentDialog, { open: true, department: null });
    vi.mocked(store.createDepartment).mockResolvedValue({ code: 'water', name: '象州县水利局' });
    await flushPromises();
    await wrapper.find('input[data-test="department-code"]').setValue('water');
    await wrapper.find('input[data-test="department-name"]').setValue('象州县水利局');
    await wrapper.findAll('.contacts > .el-button').at(-1)?.trigger('click');
    const [label, , phone] = wrapper.findAll('.contact-row input');

    // Act
    await label?.setValue('值班电话');
    await phone?.setValue('4567890');
    await wrapper.find('button[data-test="department-save"]').trigger('click');
    await flushPromises();
    const callsWhileWrong = vi.mocked(store.createDepartment).mock.calls.length;
    await phone?.setValue('0772-4567890');
    await wrapper.find('button[data-test="department-save"]').trigger('click');
    await flushPromises();

    // Assess
    expect(callsWhileWrong).toBe(0);
    expect(store.createDepartment).toHaveBeenCalledWith({
      code: 'water',
      name: '象州县水利局',
      contacts: [{ label: '值班电话', phone: '0772-4567890' }],
    });
  });
});
