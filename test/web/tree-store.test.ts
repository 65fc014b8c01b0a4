import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { NodeSummary, NodeView, TreeLevel } from '#web/api/tree.ts';
import { type TreeNodeRow, useTreeStore } from '#web/stores/tree.ts';

vi.mock('#web/api/tree.ts', () => ({
  getNode: vi.fn(),
  listChildren: vi.fn(),
  searchTree: vi.fn(),
  createNode: vi.fn(),
  editNode: vi.fn(),
  retireNode: vi.fn(),
  exportCsv: vi.fn(),
}));
const api = await import('#web/api/tree.ts');

const COUNTY = '451322';
const CHILD_LEVEL: Record<TreeLevel, TreeLevel> = { county: 'township', township: 'village', village: 'grid', grid: 'grid' };

function summary(code: string, level: TreeLevel, children = 2): NodeSummary {
  const path = [COUNTY];
  for (let end = 9; end <= code.length; end += 3) path.push(code.slice(0, end));
  return {
    code,
    name: `节点${code}`,
    level,
    parentCode: path.length > 1 ? (path.at(-2) as string) : null,
    path,
    status: 'active',
    hasBoundary: false,
    counts: { children: level === 'grid' ? 0 : children, openReports: 0, people: 1 },
  };
}

function view(code: string, level: TreeLevel): NodeView {
  const { hasBoundary, counts, ...node } = summary(code, level);
  return { node, counts: counts ?? { children: 0, openReports: 0, people: 0 }, officers: [], path: [], vacant: false };
}

/** n children of a node, numbered from 1, a page of `size` at a time. */
function serveChildren(n: number, size = 100) {
  vi.mocked(api.listChildren).mockImplementation(async (code: string, cursor?: string) => {
    const level = code.length === 6 ? 'township' : code.length === 9 ? 'village' : 'grid';
    const from = cursor ? Number(cursor) : 0;
    const to = Math.min(n, from + size);
    const items = Array.from({ length: to - from }, (_, i) => summary(`${code}${String(from + i + 1).padStart(3, '0')}`, level));
    return { items, nextCursor: to < n ? String(to) : null };
  });
}

const nodeRows = (rows: readonly { kind: string }[]) => rows.filter((r): r is TreeNodeRow => r.kind === 'node');

describe('the tree store', () => {
  beforeEach(() => {
    setActivePinia(createPinia());
    vi.mocked(api.getNode).mockImplementation(async (code: string) => view(code, code.length === 6 ? 'county' : CHILD_LEVEL.county));
  });
  afterEach(() => vi.resetAllMocks());

  it('starts at the caller’s scope with its first level open', async () => {
    // Prepare
    serveChildren(3);
    const tree = useTreeStore();

    // Act
    await tree.start(COUNTY);

    // Assess
    expect(tree.rows.map((r) => [r.key, r.depth])).toEqual([
      [COUNTY, 0],
      ['451322001', 1],
      ['451322002', 1],
      ['451322003', 1],
    ]);
    expect(nodeRows(tree.rows)[1]).toMatchObject({ expandable: true, expanded: false, posinset: 1, setsize: 3 });
  });

  it('loads a node’s children once, when it is first expanded, and keeps them when it is closed and opened again', async () => {
    // Prepare
    serveChildren(2);
    const tree = useTreeStore();
    await tree.start(COUNTY);

    // Act
    await Promise.all([tree.toggle('451322001'), tree.loadMore('451322001')]);
    const opened = tree.rows.map((r) => r.key);
    await tree.toggle('451322001');
    const closed = tree.rows.length;
    await tree.toggle('451322001');

    // Assess
    expect(opened).toEqual([COUNTY, '451322001', '451322001001', '451322001002', '451322002']);
    expect(closed).toBe(3);
    expect(tree.rows).toHaveLength(5);
    expect(vi.mocked(api.listChildren).mock.calls.map((c) => c[0])).toEqual([COUNTY, '451322001']);
  });

  it('ends a long list of children with a “more” row that loads the next page', async () => {
    // Prepare
    serveChildren(150);
    const tree = useTreeStore();

    // Act
    await tree.start(COUNTY);
    const firstPage = tree.rows.at(-1);
    await tree.loadMore(COUNTY);

    // Assess
    expect(firstPage).toMatchObject({ kind: 'more', parentCode: COUNTY, posinset: 101, setsize: -1 });
    expect(tree.rows).toHaveLength(151);
    expect(tree.rows.at(-1)).toMatchObject({ kind: 'node', posinset: 150, setsize: 150 });
  });

  it('offers to try a failed page again instead of losing the rows already there', async () => {
    // Prepare
    serveChildren(150);
    const tree = useTreeStore();
    await tree.start(COUNTY);
    vi.mocked(api.listChildren).mockRejectedValueOnce(new Error('网络错误'));

    // Act
    const failure = await tree.loadMore(COUNTY).catch((e: Error) => e.message);

    // Assess
    expect(failure).toBe('网络错误');
    expect(tree.rows).toHaveLength(102);
    expect(tree.rows.at(-1)).toMatchObject({ kind: 'more', failed: true, loading: false });
  });

  it('reveals a search result by opening the path down to it, page after page, and makes it active', async () => {
    // Prepare
    serveChildren(120);
    const tree = useTreeStore();
    await tree.start(COUNTY);
    const target = summary('451322001110', 'village');

    // Act
    await tree.reveal(target);

    // Assess
    expect(tree.activeCode).toBe('451322001110');
    expect(tree.rows.some((r) => r.key === '451322001110')).toBe(true);
    expect(tree.isExpanded('451322001')).toBe(true);
  });

  it('keeps what is loaded when the page is opened again for the same scope', async () => {
    // Prepare
    serveChildren(2);
    const tree = useTreeStore();
    await tree.start(COUNTY);

    // Act
    await tree.start(COUNTY);

    // Assess
    expect(api.getNode).toHaveBeenCalledTimes(1);
    expect(tree.rows).toHaveLength(3);
  });

  it('reads the parent again after a child is created, so the new child shows', async () => {
    // Prepare
    serveChildren(2);
    const tree = useTreeStore();
    await tree.start(COUNTY);
    vi.mocked(api.createNode).mockResolvedValue(summary('451322003', 'township'));
    serveChildren(3);

    // Act
    await tree.createChild({ code: '451322003', name: '新乡镇', level: 'township', parentCode: COUNTY });

    // Assess
    expect(api.createNode).toHaveBeenCalledWith({ code: '451322003', name: '新乡镇', level: 'township', parentCode: COUNTY });
    expect(tree.rows.map((r) => r.key)).toContain('451322003');
  });

  it('reads both parents again after a node moves', async () => {
    // Prepare
    serveChildren(2);
    const tree = useTreeStore();
    await tree.start(COUNTY);
    await tree.expand('451322001');
    await tree.expand('451322002');
    vi.mocked(api.editNode).mockResolvedValue(summary('451322002003', 'village'));
    vi.mocked(api.listChildren).mockClear();

    // Act
    await tree.edit('451322001002', { parentCode: '451322002' });

    // Assess
    expect(api.editNode).toHaveBeenCalledWith('451322001002', { parentCode: '451322002' });
    expect(vi.mocked(api.listChildren).mock.calls.map((c) => c[0])).toEqual(expect.arrayContaining(['451322001', '451322002']));
  });
});
