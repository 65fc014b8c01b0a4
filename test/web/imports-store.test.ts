import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ImportJob } from '#web/api/imports.ts';
import { useImportsStore } from '#web/stores/imports.ts';

vi.mock('#web/api/imports.ts', () => ({ startImport: vi.fn(), getImport: vi.fn() }));
const api = await import('#web/api/imports.ts');

const HEADER = 'code,name,level,parent_code,officer_name,officer_phone,officer_title';
const GOOD = '451322201001004,那沙村第四网格,网格,451322201001,韦新民,13977299101,专职网格员';
const BAD = '45132220100106,那沙村错号网格,网格,451322201001,蓝海,13977299103,专职网格员';
const csv = (...lines: string[]) => new File([`${[HEADER, ...lines].join('\r\n')}\r\n`], 'grids.csv', { type: 'text/csv' });

function job(overrides: Partial<ImportJob> = {}): ImportJob {
  return {
    id: 'j1',
    status: 'done',
    dryRun: true,
    total: 1,
    processed: 1,
    created: 1,
    updated: 0,
    unchanged: 0,
    errors: [],
    errorCount: 0,
    ...overrides,
  };
}
const badRow = { row: 3, column: 'code', code: 'NODE.CODE_SHAPE', message: '代码位数不对' };

describe('the imports store', () => {
  beforeEach(() => {
    setActivePinia(createPinia());
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.resetAllMocks();
  });

  it('checks a file with a dry run and will not commit it while a row is bad', async () => {
    // Prepare
    vi.mocked(api.startImport).mockResolvedValue({ id: 'j1' });
    vi.mocked(api.getImport).mockResolvedValue(job({ total: 2, errors: [badRow], errorCount: 1 }));
    const store = useImportsStore();

    // Act
    await store.dryRun(csv(GOOD, BAD));
    const committed = await store.run();

    // Assess
    expect(vi.mocked(api.startImport).mock.calls.map((c) => c[1])).toEqual([true]);
    expect(store.phase).toBe('checked');
    expect(store.errors).toEqual([badRow]);
    expect(store.canCommit).toBe(false);
    expect(store.canSkip).toBe(true);
    expect(committed).toBeNull();
  });

  it('skips the bad rows by checking the file again without them', async () => {
    // Prepare
    vi.mocked(api.startImport).mockResolvedValue({ id: 'j1' });
    vi.mocked(api.getImport)
      .mockResolvedValueOnce(job({ total: 2, errors: [badRow], errorCount: 1 }))
      .mockResolvedValueOnce(job({ total: 1 }));
    const store = useImportsStore();
    await store.dryRun(csv(GOOD, BAD));

    // Act
    await store.skipBadRows();

    // Assess
    const sent = vi.mocked(api.startImport).mock.calls[1]?.[0] as File;
    expect(await sent.text()).toBe(`${HEADER}\r\n${GOOD}\r\n`);
    expect(sent.name).toBe('grids.csv');
    expect(store.skipped).toBe(1);
    expect(store.canCommit).toBe(true);
  });

  it('does not offer to skip rows when the header itself is wrong', async () => {
    // Prepare
    vi.mocked(api.startImport).mockResolvedValue({ id: 'j1' });
    vi.mocked(api.getImport).mockResolvedValue(
      job({ total: 1, errors: [{ row: 1, column: null, code: 'IMPORT.MISSING_COLUMN', message: '缺少列' }], errorCount: 1 }),
    );
    const store = useImportsStore();

    // Act
    await store.dryRun(csv(GOOD));

    // Assess
    expect(store.canSkip).toBe(false);
    expect(store.canCommit).toBe(false);
  });

  it('commits a clean file and follows its job until it is done, showing its progress', async () => {
    // Prepare
    vi.mocked(api.startImport).mockResolvedValueOnce({ id: 'check' }).mockResolvedValueOnce({ id: 'commit' });
    vi.mocked(api.getImport)
      .mockResolvedValueOnce(job({ total: 4 }))
      .mockResolvedValueOnce(job({ id: 'commit', dryRun: false, status: 'running', total: 4, processed: 1 }))
      .mockResolvedValueOnce(job({ id: 'commit', dryRun: false, status: 'done', total: 4, processed: 4, created: 4 }));
    const store = useImportsStore();
    await store.dryRun(csv(GOOD));

    // Act
    const running = store.run();
    await vi.advanceTimersByTimeAsync(0);
    const midway = store.progress;
    const phaseMidway = store.phase;
    await vi.advanceTimersByTimeAsync(1000);
    const done = await running;

    // Assess
    expect(phaseMidway).toBe('committing');
    expect(midway).toBe(25);
    expect(done?.status).toBe('done');
    expect(store.phase).toBe('done');
    expect(store.progress).toBe(100);
    expect(vi.mocked(api.startImport).mock.calls.map((c) => c[1])).toEqual([true, false]);
    expect(vi.mocked(api.getImport).mock.calls.map((c) => c[0])).toEqual(['check', 'commit', 'commit']);
  });

  it('forgets a job that is reset while it runs: its late answers change nothing', async () => {
    // Prepare
    vi.mocked(api.startImport).mockResolvedValue({ id: 'j1' });
    vi.mocked(api.getImport).mockResolvedValue(job({ status: 'running', processed: 0 }));
    const store = useImportsStore();
    const checking = store.dryRun(csv(GOOD));

    // Act
    store.reset();
    await vi.advanceTimersByTimeAsync(2000);
    await checking;

    // Assess
    expect(store.phase).toBe('idle');
    expect(store.check).toBeNull();
  });
});
