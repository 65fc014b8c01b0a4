import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { useSmsStore } from '#web/stores/sms.ts';

const entry = (toName: string) => ({
  at: '2026-11-02T01:00:00.000Z',
  to: '+86 138****0301',
  toId: `p-${toName}`,
  toName,
  text: '【网格吹哨】…/l/••••',
  status: 'sent' as const,
  attempts: 1,
  tierSeq: 1,
  reminder: 0,
  report: { id: 'r1', title: '小桥', tier: 'grid' as const },
});

vi.mock('#web/api/sms.ts', () => ({
  listSms: vi.fn(async (query: { cursor?: string }) =>
    query.cursor ? { items: [entry('覃国庆')], nextCursor: null } : { items: [entry('覃宏')], nextCursor: 'next' },
  ),
}));

const api = await import('#web/api/sms.ts');

describe('the SMS store', () => {
  beforeEach(() => setActivePinia(createPinia()));
  afterEach(() => vi.clearAllMocks());

  it('reads a filter’s first page and pages with the cursor, keeping the filter', async () => {
    // Prepare
    const store = useSmsStore();

    // Act
    await store.search({ node: '451322201', status: 'failed' });
    await store.nextPage();
    const onSecond = { names: store.items.map((i) => i.toName), page: store.page, hasNext: store.hasNext };
    await store.search({ status: 'sent' });

    // Assess
    expect(onSecond).toEqual({ names: ['覃国庆'], page: 2, hasNext: false });
    expect(store.page).toBe(1);
    expect(vi.mocked(api.listSms).mock.calls.map(([q]) => q)).toEqual([
      { node: '451322201', status: 'failed', cursor: undefined, limit: '20' },
      { node: '451322201', status: 'failed', cursor: 'next', limit: '20' },
      { status: 'sent', cursor: undefined, limit: '20' },
    ]);
  });
});
