import { createTestingPinia } from '@pinia/testing';
import { flushPromises, mount } from '@vue/test-utils';
import ElementPlus from 'element-plus';
import { describe, expect, it, vi } from 'vitest';
import type { ImportJob } from '#web/api/imports.ts';
import type { TreeNodeRecord } from '#web/api/tree.ts';
import { createConsoleI18n } from '#web/i18n/index.ts';
import { useImportsStore } from '#web/stores/imports.ts';
import GridImportDialog from '#web/views/grid/GridImportDialog.vue';

const VILLAGE: TreeNodeRecord = {
  code: '451322201001',
  name: '那沙村',
  level: 'village',
  parentCode: '451322201',
  path: ['451322', '451322201', '451322201001'],
  status: 'active',
};

function job(overrides: Partial<ImportJob> = {}): ImportJob {
  return {
    id: 'j1',
    status: 'done',
    dryRun: true,
    total: 3,
    processed: 3,
    created: 2,
    updated: 0,
    unchanged: 0,
    errors: [],
    errorCount: 0,
    ...overrides,
  };
}
const badRow = { row: 4, column: 'code', code: 'NODE.CODE_SHAPE', message: '代码位数不对 (wrong number of digits)' };

function mountDialog(state: Record<string, unknown>) {
  const pinia = createTestingPinia({ createSpy: vi.fn, initialState: { imports: state } });
  const wrapper = mount(GridImportDialog, {
    props: { node: VILLAGE },
    global: { plugins: [pinia, createConsoleI18n('zh-CN'), ElementPlus] },
    attachTo: document.body,
  });
  return { wrapper, imports: useImportsStore(pinia) };
}

const inBody = (selector: string) => document.body.querySelector(selector);
const button = (test: string) => inBody(`[data-test="${test}"]`) as HTMLButtonElement | null;

describe('the import dialog', () => {
  it('lists every bad row of the dry run by row, column, code and message, and keeps the commit disabled', async () => {
    // Prepare
    const { wrapper, imports } = mountDialog({});
    const checked = job({ errors: [badRow], errorCount: 1 });
    imports.phase = 'checked';
    imports.check = checked;
    // The getters are stubbed by the testing pinia: set what the real store would compute.
    // @ts-expect-error writable in tests
    imports.errors = checked.errors;
    // @ts-expect-error writable in tests
    imports.canCommit = false;
    // @ts-expect-error writable in tests
    imports.canSkip = true;
    await flushPromises();

    // Act
    const table = inBody('[data-test="import-errors"]')?.textContent ?? '';
    button('import-commit')?.click();
    await flushPromises();

    // Assess
    expect(table).toContain('4');
    expect(table).toContain('code');
    expect(table).toContain('NODE.CODE_SHAPE');
    expect(table).toContain('代码位数不对');
    expect(inBody('.el-alert__title')?.textContent).toContain('发现 1 处错误');
    expect(button('import-commit')?.disabled).toBe(true);
    expect(imports.run).not.toHaveBeenCalled();
    wrapper.unmount();
  });

  it('lets the user skip the bad rows, which checks the rest again', async () => {
    // Prepare
    const { wrapper, imports } = mountDialog({});
    imports.phase = 'checked';
    imports.check = job({ errors: [badRow], errorCount: 1 });
    // @ts-expect-error writable in tests
    imports.canSkip = true;
    await flushPromises();

    // Act
    const label = button('import-skip')?.textContent;
    button('import-skip')?.click();
    await flushPromises();

    // Assess
    expect(label).toContain('跳过有误的 1 行');
    expect(imports.skipBadRows).toHaveBeenCalledOnce();
    wrapper.unmount();
  });

  it('commits a file that passed, shows the progress and says so when it is done', async () => {
    // Prepare
    const { wrapper, imports } = mountDialog({});
    imports.phase = 'checked';
    imports.check = job();
    // @ts-expect-error writable in tests
    imports.canCommit = true;
    vi.mocked(imports.run).mockImplementation(async () => {
      imports.phase = 'done';
      imports.commit = job({ dryRun: false });
      // @ts-expect-error writable in tests
      imports.progress = 100;
      return job({ dryRun: false });
    });
    await flushPromises();
    const passed = inBody('[data-test="import-passed"]')?.textContent;

    // Act
    button('import-commit')?.click();
    await flushPromises();

    // Assess
    expect(passed).toContain('检查通过');
    expect(imports.run).toHaveBeenCalledOnce();
    expect(inBody('[data-test="import-progress"]')?.getAttribute('aria-valuenow')).toBe('100');
    expect(inBody('[data-test="import-summary"]')?.textContent).toContain('新建 2');
    expect(wrapper.emitted('imported')).toHaveLength(1);
    wrapper.unmount();
  });

  it('checks a chosen file with a dry run at once', async () => {
    // Prepare
    const { wrapper, imports } = mountDialog({});
    await flushPromises();
    const input = inBody('input[type="file"]') as HTMLInputElement;
    const file = new File(['code,name\r\n'], 'grids.csv', { type: 'text/csv' });

    // Act
    Object.defineProperty(input, 'files', { value: [file] });
    input.dispatchEvent(new Event('change'));
    await flushPromises();

    // Assess
    expect(imports.dryRun).toHaveBeenCalledOnce();
    expect(vi.mocked(imports.dryRun).mock.calls[0]?.[0]).toMatchObject({ name: 'grids.csv' });
    wrapper.unmount();
  });
});
