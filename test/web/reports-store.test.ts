import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Report, ReportPage, ReportRead } from '#web/api/reports.ts';
import { useAuthStore } from '#web/stores/auth.ts';
import { reportQueryOf, useReportsStore } from '#web/stores/reports.ts';
import { useWorkbenchStore } from '#web/stores/workbench.ts';

vi.mock('#web/api/reports.ts', () => ({
  listReports: vi.fn(),
  getReport: vi.fn(),
  actOnReport: vi.fn(async () => ({})),
  getWorkbench: vi.fn(),
  listCategories: vi.fn(async () => ({ items: [{ code: 'dispute', name: '矛盾纠纷' }] })),
  nodeChildren: vi.fn(),
  getNode: vi.fn(),
  photoBlob: vi.fn(async () => new Blob(['x'], { type: 'image/jpeg' })),
}));

const api = vi.mocked(await import('#web/api/reports.ts'));

const SERVER_NOW = '2026-11-02T01:00:00.000Z';
const page = (ids: string[], nextCursor: string | null): ReportPage => ({
  items: ids.map((id) => ({ id }) as Report),
  nextCursor,
  now: SERVER_NOW,
});

function readOf(overrides: Partial<Report> = {}): ReportRead {
  return {
    report: {
      id: 'R0123456789ABCDE',
      tier: 'village',
      tierSeq: 2,
      status: 'assigned',
      countyCode: '451322',
      townshipCode: '451322201',
      villageCode: '451322201001',
      gridCode: '451322201001001',
      photos: [],
      ...overrides,
    } as Report,
    timeline: [],
    notifications: [],
    actions: ['accept', 'comment'],
    mayPublishNote: true,
    now: SERVER_NOW,
  };
}

describe('reportQueryOf', () => {
  it('turns Beijing calendar days into the first and last instant of each, and leaves out what is not set', () => {
    // Act
    const query = reportQueryOf({ tier: 'village', overdue: true, from: '2026-11-01', to: '2026-11-02', category: '', node: '' }, 'c1');

    // Assess
    expect(query).toEqual({
      node: undefined,
      status: undefined,
      tier: 'village',
      category: undefined,
      overdue: 'true',
      from: '2026-11-01T00:00:00+08:00',
      to: '2026-11-02T23:59:59.999+08:00',
      cursor: 'c1',
      limit: '20',
    });
  });
});

describe('the reports store', () => {
  beforeEach(() => setActivePinia(createPinia()));
  afterEach(() => vi.clearAllMocks());

  it('pages forward by the cursor it was given and back by the cursors it kept', async () => {
    // Prepare
    api.listReports
      .mockResolvedValueOnce(page(['R1', 'R2'], 'cursor-2'))
      .mockResolvedValueOnce(page(['R3', 'R4'], 'cursor-3'))
      .mockResolvedValueOnce(page(['R1', 'R2'], 'cursor-2'));
    const store = useReportsStore();

    // Act
    await store.search({ status: 'assigned' });
    await store.nextPage();
    const onSecond = { page: store.page, ids: store.items.map((r) => r.id), hasPrevious: store.hasPrevious };
    await store.previousPage();

    // Assess
    expect(onSecond).toEqual({ page: 2, ids: ['R3', 'R4'], hasPrevious: true });
    expect(api.listReports.mock.calls.map(([q]) => q.cursor)).toEqual([undefined, 'cursor-2', undefined]);
    expect(api.listReports.mock.calls.every(([q]) => q.status === 'assigned')).toBe(true);
    expect(store.page).toBe(1);
    expect(store.hasPrevious).toBe(false);
    expect(store.hasNext).toBe(true);
  });

  it('starts from the first page when the filters change, and keeps a slower earlier answer from overwriting a later one', async () => {
    // Prepare
    let answerFirst: (p: ReportPage) => void = () => undefined;
    api.listReports
      .mockImplementationOnce(() => new Promise((resolve) => (answerFirst = resolve)))
      .mockResolvedValueOnce(page(['R-village'], null));
    const store = useReportsStore();

    // Act
    const first = store.search({ tier: 'grid' });
    await store.search({ tier: 'village' });
    answerFirst(page(['R-grid'], 'stale'));
    await first;

    // Assess
    expect(store.items.map((r) => r.id)).toEqual(['R-village']);
    expect(store.hasNext).toBe(false);
    expect(store.filters).toEqual({ tier: 'village' });
  });

  it('keeps the message of a refused listing for the page to show', async () => {
    // Prepare
    api.listReports.mockRejectedValueOnce(new Error('上报日期范围不能超过 366 天'));
    const store = useReportsStore();

    // Act
    await store.search({ from: '2020-01-01', to: '2026-01-01' });

    // Assess
    expect(store.listError).toBe('上报日期范围不能超过 366 天');
    expect(store.items).toEqual([]);
  });

  it('acts as the reader saw the report (its tier and assignment travel along) and reads it again', async () => {
    // Prepare
    api.getReport.mockResolvedValueOnce(readOf()).mockResolvedValueOnce(readOf({ status: 'accepted' }));
    const store = useReportsStore();
    await store.loadReport('R0123456789ABCDE');

    // Act
    await store.act('accept', { note: '  已到现场  ' });

    // Assess
    expect(api.actOnReport).toHaveBeenCalledWith('R0123456789ABCDE', { action: 'accept', note: '已到现场', tier: 'village', tierSeq: 2 });
    expect(store.current?.report.status).toBe('accepted');
  });

  it('sends a comment without a tier, and public only with a note', async () => {
    // Prepare
    api.getReport.mockResolvedValue(readOf());
    const store = useReportsStore();
    await store.loadReport('R0123456789ABCDE');

    // Act
    await store.act('comment', { note: '已联系住建局', public: true });
    await store.act('comment', { note: ' ', public: true });

    // Assess
    expect(api.actOnReport.mock.calls.map(([, body]) => body)).toEqual([
      { action: 'comment', note: '已联系住建局', public: true },
      { action: 'comment' },
    ]);
  });

  it('keeps what is shown when a refresh fails, and learns how far the server’s clock runs ahead', async () => {
    // Prepare
    api.getReport.mockResolvedValueOnce(readOf()).mockRejectedValueOnce(new Error('网络连接失败'));
    const store = useReportsStore();
    await store.loadReport('R0123456789ABCDE');

    // Act
    await store.loadReport('R0123456789ABCDE', { quietly: true });

    // Assess
    expect(store.current?.report.id).toBe('R0123456789ABCDE');
    expect(store.detailError).toBeNull();
    expect(Math.abs(store.detailClockOffsetMs - (Date.parse(SERVER_NOW) - Date.now()))).toBeLessThan(5_000);
  });

  it('shows photos by object URL and frees them when asked', async () => {
    // Prepare
    const created: string[] = [];
    const revoked: string[] = [];
    URL.createObjectURL = vi.fn(() => {
      created.push(`blob:photo-${created.length + 1}`);
      return created.at(-1) ?? '';
    });
    URL.revokeObjectURL = vi.fn((url: string) => {
      revoked.push(url);
    });
    const store = useReportsStore();

    // Act
    await store.loadPhotos(['/api/v1/photos/P0123456789ABCDEF0123', 'P0123456789ABCDEF0123', 'not-a-photo']);
    const shown = { ...store.photoUrls };
    store.releasePhotos();

    // Assess
    expect(api.photoBlob).toHaveBeenCalledTimes(1);
    expect(api.photoBlob).toHaveBeenCalledWith('P0123456789ABCDEF0123');
    expect(shown).toEqual({ P0123456789ABCDEF0123: 'blob:photo-1' });
    expect(revoked).toEqual(['blob:photo-1']);
    expect(store.photoUrls).toEqual({});
  });

  it('frees a photo at once when it arrives after the page was left', async () => {
    // Prepare
    const revoked: string[] = [];
    URL.createObjectURL = vi.fn(() => 'blob:late');
    URL.revokeObjectURL = vi.fn((url: string) => {
      revoked.push(url);
    });
    let deliver: (blob: Blob) => void = () => undefined;
    api.photoBlob.mockImplementationOnce(() => new Promise((resolve) => (deliver = resolve)));
    const store = useReportsStore();

    // Act
    const loading = store.loadPhotos(['P0123456789ABCDEF0123']);
    store.releasePhotos();
    deliver(new Blob(['x']));
    await loading;

    // Assess
    expect(revoked).toEqual(['blob:late']);
    expect(store.photoUrls).toEqual({});
  });

  it('asks for the grid’s boundary only for an admin whose scope holds it', async () => {
    // Prepare
    api.getNode.mockResolvedValue({
      node: {
        boundary: {
          type: 'Polygon',
          coordinates: [
            [
              [109.68, 23.95],
              [109.695, 23.95],
              [109.695, 23.975],
              [109.68, 23.95],
            ],
          ],
        },
      },
    } as never);
    const store = useReportsStore();
    const auth = useAuthStore();
    const report = readOf().report;
    const signInAs = (role: 'grid_worker' | 'village_admin', scope: string) => {
      auth.session = { provider: 'local', token: 't', expiresAt: Date.now() + 60_000, user: { id: 'p', name: '甲', role, scope } };
    };

    // Act
    signInAs('grid_worker', '451322201001001');
    const forWorker = await store.gridBoundary(report);
    signInAs('village_admin', '451322201002');
    const forOtherVillage = await store.gridBoundary(report);
    signInAs('village_admin', '451322201001');
    const forVillage = await store.gridBoundary(report);

    // Assess
    expect(forWorker).toBeNull();
    expect(forOtherVillage).toBeNull();
    expect(forVillage).toHaveLength(4);
    expect(api.getNode).toHaveBeenCalledTimes(1);
  });
});

describe('the workbench store', () => {
  beforeEach(() => setActivePinia(createPinia()));

  it('reads the workbench, and keeps it when a refresh fails', async () => {
    // Prepare
    api.getWorkbench
      .mockResolvedValueOnce({
        now: SERVER_NOW,
        scope: { kind: 'node', code: '451322' },
        items: [],
        more: 0,
        counts: { total: 0 },
      } as never)
      .mockRejectedValueOnce(new Error('网络连接失败'));
    const store = useWorkbenchStore();

    // Act
    await store.load();
    await store.load({ quietly: true });

    // Assess
    expect(store.bench?.scope.code).toBe('451322');
    expect(store.error).toBeNull();
    expect(store.loading).toBe(false);
  });
});
