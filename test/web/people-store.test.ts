import { createPinia, getActivePinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Person } from '#web/api/people.ts';
import { usePeopleStore } from '#web/stores/people.ts';

const person = (id: string, extra: Partial<Person> = {}): Person => ({
  id,
  name: `人员${id}`,
  phone: '+8613877200301',
  role: 'grid_worker',
  scope: '451322201001001',
  active: true,
  responsible: true,
  ...extra,
});

vi.mock('#web/api/people.ts', () => ({
  listPeople: vi.fn(async (query: { cursor?: string }) =>
    query.cursor === 'page-2' ? { items: [person('p3')], nextCursor: null } : { items: [person('p1'), person('p2')], nextCursor: 'page-2' },
  ),
  createPerson: vi.fn(async (body: Partial<Person>) => ({ person: person('p-new', { ...body, phone: '+8613977201234' }) })),
  updatePerson: vi.fn(async (id: string, patch: Partial<Person>) => ({
    person: person(id, patch),
    handOver: [{ reportId: 'r1', title: '小桥', tier: 'village', action: 'escalated', to: ['覃国庆'] }],
  })),
  deactivatePerson: vi.fn(async (id: string, dryRun: boolean) => ({
    person: person(id, { active: dryRun }),
    handOver: [{ reportId: 'r1', title: '小桥', tier: 'village', action: 'escalated', to: ['覃国庆'] }],
  })),
  createAccount: vi.fn(async (_id: string, username: string) => ({ username, initialPassword: 'Pk4i-6AvW-Tr3x' })),
  personHistory: vi.fn(async (_id: string, cursor?: string) => ({
    items: [
      {
        subject: 'person:p1',
        seq: cursor ? 1 : 2,
        at: '2026-11-02T01:00:00.000Z',
        actor: { name: '覃卫东' },
        change: 'updated',
        before: {},
        after: {},
      },
    ],
    nextCursor: cursor ? null : 'older',
  })),
}));

const api = await import('#web/api/people.ts');

describe('the people store', () => {
  beforeEach(() => setActivePinia(createPinia()));
  afterEach(() => vi.clearAllMocks());

  it('reads a filter’s first page, pages forward with the cursor and back with the one before', async () => {
    // Prepare
    const store = usePeopleStore();

    // Act
    await store.search({ node: '451322201', role: 'grid_worker' });
    const first = store.items.map((p) => p.id);
    await store.nextPage();
    const second = { ids: store.items.map((p) => p.id), page: store.page, hasNext: store.hasNext };
    await store.previousPage();

    // Assess
    expect(first).toEqual(['p1', 'p2']);
    expect(second).toEqual({ ids: ['p3'], page: 2, hasNext: false });
    expect(store.items.map((p) => p.id)).toEqual(['p1', 'p2']);
    expect(store.hasPrevious).toBe(false);
    expect(vi.mocked(api.listPeople).mock.calls.map(([q]) => q)).toEqual([
      { node: '451322201', role: 'grid_worker', cursor: undefined, limit: '20' },
      { node: '451322201', role: 'grid_worker', cursor: 'page-2', limit: '20' },
      { node: '451322201', role: 'grid_worker', cursor: undefined, limit: '20' },
    ]);
  });

  it('puts a new person first and an edited one in place, with the edit’s hand-over', async () => {
    // Prepare
    const store = usePeopleStore();
    await store.search({});

    // Act
    await store.create({ name: '韦新民', phone: '13977201234', role: 'grid_worker', scope: '451322201001003' });
    const { handOver } = await store.update('p2', { scope: '451322201001002' });

    // Assess
    expect(store.items.map((p) => p.id)).toEqual(['p-new', 'p1', 'p2']);
    expect(store.items[0]?.phone).toBe('+8613977201234');
    expect(store.items[2]?.scope).toBe('451322201001002');
    expect(handOver).toHaveLength(1);
  });

  it('plans a deactivation without changing anything, then deactivates', async () => {
    // Prepare
    const store = usePeopleStore();
    await store.search({});

    // Act
    const plan = await store.planDeactivation('p1');
    const activeAfterPlan = store.items[0]?.active;
    await store.deactivate('p1');

    // Assess
    expect(plan.map((h) => h.to)).toEqual([['覃国庆']]);
    expect(activeAfterPlan).toBe(true);
    expect(store.items[0]?.active).toBe(false);
    expect(vi.mocked(api.deactivatePerson).mock.calls).toEqual([
      ['p1', true],
      ['p1', false],
    ]);
  });

  it('hands a new account’s one-time password to its caller and keeps only the username', async () => {
    // Prepare
    const store = usePeopleStore();
    await store.search({});

    // Act
    const issued = await store.createAccount('p1', 'wei.xinmin');

    // Assess
    expect(issued.initialPassword).toBe('Pk4i-6AvW-Tr3x');
    expect(store.items[0]?.username).toBe('wei.xinmin');
    expect(JSON.stringify(getActivePinia()?.state.value)).not.toContain('Pk4i-6AvW-Tr3x');
  });

  it('reads a person’s history and its older pages', async () => {
    // Prepare
    const store = usePeopleStore();

    // Act
    await store.loadHistory('p1');
    await store.moreHistory('p1');

    // Assess
    expect(store.history.map((e) => e.seq)).toEqual([2, 1]);
    expect(store.historyNextCursor).toBeNull();
    expect(vi.mocked(api.personHistory).mock.calls).toEqual([['p1'], ['p1', 'older']]);
  });
});
