import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { usePoliciesStore } from '#web/stores/policies.ts';
import { durationOf, parseFractions, secondsOf, workingDaySeconds } from '#web/views/policies/policyUnits.ts';

const HOUR = 3600;
const tiers = Object.fromEntries(
  ['grid', 'village', 'township', 'department', 'supervision'].map((t) => [t, { acceptSeconds: 2 * HOUR, completeSeconds: 24 * HOUR }]),
);
const policy = (version: number) => ({ category: 'infrastructure', urgency: 'normal' as const, version, tiers });

vi.mock('#web/api/policies.ts', () => ({
  listPolicies: vi.fn(async () => ({ items: [] })),
  getPolicy: vi.fn(async () => ({ policy: policy(1), versions: [policy(1)] })),
  savePolicy: vi.fn(async () => ({ policy: policy(2) })),
  dryRun: vi.fn(async () => ({ start: '', basis: 'working', tiers: [], supervision: [], events: [] })),
}));

const api = await import('#web/api/policies.ts');

describe('the policies store', () => {
  beforeEach(() => setActivePinia(createPinia()));
  afterEach(() => vi.clearAllMocks());

  it('previews a draft with its category and urgency, and saves it on the version it opened', async () => {
    // Prepare
    const store = usePoliciesStore();
    await store.load('451322');
    await store.open('infrastructure', 'normal');
    const draft = { tiers: tiers as never, basis: 'working' as const, reminderFractions: [0.5], whistleDepartments: [] };

    // Act
    await store.previewDraft(draft);
    const previewed = store.preview;
    const saved = await store.save(draft);

    // Assess
    expect(vi.mocked(api.dryRun).mock.calls[0]?.[0]).toEqual({
      countyCode: '451322',
      policy: { category: 'infrastructure', urgency: 'normal', ...draft },
    });
    expect(vi.mocked(api.savePolicy).mock.calls[0]).toEqual(['451322', 'infrastructure', 'normal', { expectedVersion: 1, ...draft }]);
    expect(saved?.version).toBe(2);
    expect(previewed).not.toBeNull();
    expect(store.current?.version).toBe(1); // the mocked reload: the editor shows what the server holds
  });
});

describe('policy units', () => {
  it('says seconds in the largest fitting unit, a working day being the calendar’s working hours', () => {
    // Prepare
    const day = workingDaySeconds([
      { start: '08:30', end: '12:00' },
      { start: '14:00', end: '17:30' },
    ]);

    // Act / Assess
    expect(day).toBe(7 * HOUR);
    expect(durationOf(21 * HOUR, day)).toEqual({ value: 3, unit: 'days' });
    expect(durationOf(2 * HOUR, 86_400)).toEqual({ value: 2, unit: 'hours' });
    expect(durationOf(900, 86_400)).toEqual({ value: 15, unit: 'minutes' });
    expect(secondsOf({ value: 3, unit: 'days' }, day)).toBe(21 * HOUR);
    expect(parseFractions('80，50')).toEqual([0.5, 0.8]);
    expect(parseFractions('50, 50')).toBeNull();
    expect(parseFractions('120')).toBeNull();
  });
});
