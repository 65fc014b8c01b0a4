import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Assignment, Report, ReportRead } from '#web/api/reports.ts';
import { useReportsStore } from '#web/stores/reports.ts';
import { useWhistleStore } from '#web/stores/whistle.ts';

vi.mock('#web/api/reports.ts', () => ({
  getReport: vi.fn(),
  actOnReport: vi.fn(async () => ({})),
}));
vi.mock('#web/api/catalog.ts', () => ({
  listDepartments: vi.fn(async () => ({
    items: [
      { code: 'housing', name: '县住建局' },
      { code: 'public_security', name: '县公安局' },
    ],
  })),
}));

const api = vi.mocked(await import('#web/api/reports.ts'));
const catalog = vi.mocked(await import('#web/api/catalog.ts'));

const lane = (ownerCode: string, seq: number, status: Assignment['status']) =>
  ({ ownerCode, ownerName: ownerCode, seq, status }) as Assignment;

function readOf(assignments: Assignment[], extra: Partial<ReportRead> = {}): ReportRead {
  return {
    report: { id: 'R0123456789ABCDE', tier: 'grid', tierSeq: 1, status: 'assigned', assignments } as Report,
    timeline: [],
    notifications: [],
    actions: ['comment'],
    mayPublishNote: false,
    mayWhistle: true,
    laneActions: [{ department: 'housing', seq: 1, actions: ['check_in', 'return'] }],
    now: '2026-11-02T01:00:00.000Z',
    ...extra,
  };
}

beforeEach(() => {
  setActivePinia(createPinia());
  vi.clearAllMocks();
});

describe('the whistle store', () => {
  it('whistles the chosen departments with a trimmed note and reads the report again', async () => {
    // Prepare
    const reports = useReportsStore();
    reports.current = readOf([]);
    api.getReport.mockResolvedValue(readOf([lane('housing', 1, 'summoned')]) as never);
    const store = useWhistleStore();

    // Act
    await store.whistle(['housing', 'public_security'], '  请到场  ');

    // Assess
    expect(api.actOnReport).toHaveBeenCalledWith('R0123456789ABCDE', {
      action: 'whistle',
      departments: ['housing', 'public_security'],
      note: '请到场',
    });
    expect(store.lanes.map((l) => l.ownerCode)).toEqual(['housing']);
  });

  it('addresses a lane action to its department, and offers lane actions only where the API gives them', async () => {
    // Prepare
    const reports = useReportsStore();
    reports.current = readOf([lane('housing', 1, 'summoned'), lane('public_security', 2, 'summoned')]);
    api.getReport.mockResolvedValue(reports.current as never);
    const store = useWhistleStore();

    // Act
    await store.actOnLane('housing', 'check_in');

    // Assess
    expect(api.actOnReport).toHaveBeenCalledWith('R0123456789ABCDE', { action: 'check_in', department: 'housing' });
    expect(store.actionsOn(1)).toEqual(['check_in', 'return']);
    expect(store.actionsOn(2)).toEqual([]);
  });

  it('reads the departments once, and does not offer those with an open lane', async () => {
    // Prepare
    const reports = useReportsStore();
    reports.current = readOf([lane('housing', 1, 'accepted'), lane('public_security', 2, 'returned')]);
    const store = useWhistleStore();

    // Act
    await store.loadDepartments();
    await store.loadDepartments();

    // Assess
    expect(catalog.listDepartments).toHaveBeenCalledTimes(1);
    expect(store.departments.map((d) => d.code)).toEqual(['housing', 'public_security']);
    expect([...store.summonedNow]).toEqual(['housing']);
  });
});
