/**
 * The map of a subtree (core/tree-map.ts, use-cases/tree-map.ts) against the in-memory directory
 * and report store: which boundaries it draws at which level, what a report on it shows (and that
 * it shows nothing a reader of reports may not see), who may read it, and where it stops.
 */
import { describe, expect, it } from 'vitest';
import type { Report } from '#core/report.ts';
import { makeNode, type TreeNode } from '#core/tree.ts';
import { MAX_MAP_BOUNDARIES, MAX_MAP_POSITIONS, MAX_MAP_REPORTS, mapLevelProblem, SubtreeMapBuilder } from '#core/tree-map.ts';
import type { Deps } from '#core/use-cases/deps.ts';
import { mapOfSubtree } from '#core/use-cases/tree-map.ts';
import { inMemoryDirectory } from '../support/fakes/in-memory-directory.ts';
import { InMemoryReportStore } from '../support/fakes/in-memory-reports.ts';
import {
  assignedReport,
  COUNTY,
  countyAdmin,
  deptOfficer,
  escalatedTo,
  GRID,
  NOW,
  OTHER_GRID,
  OTHER_TOWNSHIP,
  OTHER_VILLAGE,
  otherVillageAdmin,
  SIBLING_GRID,
  TOWNSHIP,
  townshipAdmin,
  VILLAGE,
  villageAdmin,
  worker,
} from './fixtures.ts';

const square = (west: number, south: number, size = 0.01): [number, number][] => [
  [west, south],
  [west + size, south],
  [west + size, south + size],
  [west, south + size],
  [west, south],
];

const withBoundary = (node: TreeNode, ring: [number, number][]): TreeNode => ({ ...node, boundary: ring });

async function world(nodes: TreeNode[] = []) {
  const directory = inMemoryDirectory();
  const reports = new InMemoryReportStore();
  const tree = [
    withBoundary(COUNTY, square(109.6, 23.9, 0.3)),
    withBoundary(TOWNSHIP, square(109.65, 23.94, 0.1)),
    withBoundary(VILLAGE, square(109.68, 23.95, 0.045)),
    withBoundary(GRID, square(109.68, 23.95, 0.015)),
    withBoundary(SIBLING_GRID, square(109.695, 23.95, 0.015)),
    OTHER_TOWNSHIP,
    OTHER_VILLAGE,
    OTHER_GRID,
    ...nodes,
  ];
  for (const node of tree) await directory.putNode(node);
  const deps = { directory, reports, clock: { now: () => NOW } } as unknown as Deps;
  return { directory, reports, deps };
}

const inGrid = (report: Report, grid: TreeNode, id: string): Report => ({
  ...report,
  id,
  gridCode: grid.code,
  villageCode: grid.path[2] as string,
  townshipCode: grid.path[1] as string,
});

describe('mapOfSubtree', () => {
  it('draws a village’s grids inside its outline, with the open reports and their counts', async () => {
    // Prepare
    const w = await world();
    w.reports.add(inGrid(assignedReport({ title: '便桥塌陷' }), GRID, 'R00000000000000A'));
    w.reports.add({ ...inGrid(assignedReport(), SIBLING_GRID, 'R00000000000000B'), location: null });

    // Act
    const map = await mapOfSubtree(w.deps, villageAdmin, VILLAGE.code);

    // Assess
    expect(map.type).toBe('FeatureCollection');
    expect(map.level).toBe('grid');
    const boundaries = map.features.filter((f) => f.properties.kind !== 'report');
    expect(boundaries.map((f) => [f.properties.kind, 'code' in f.properties ? f.properties.code : ''])).toEqual([
      ['scope', VILLAGE.code],
      ['boundary', GRID.code],
      ['boundary', SIBLING_GRID.code],
    ]);
    expect(boundaries[1]?.properties).toMatchObject({ openReports: 1, overdueReports: 0 });
    const reports = map.features.filter((f) => f.properties.kind === 'report');
    expect(reports).toHaveLength(2);
    expect(reports[0]?.geometry).toEqual({ type: 'Point', coordinates: [109.69, 23.96] });
    expect(map.withoutLocation).toBe(1);
    expect(map.bbox?.map((n) => Number(n.toFixed(6)))).toEqual([109.68, 23.95, 109.725, 23.995]);
  });

  it('shows of a report only what any reader of it may see, and whether it is late', async () => {
    // Prepare
    const w = await world();
    const late = escalatedTo('village');
    w.reports.add(late.report);

    // Act
    const map = await mapOfSubtree({ ...w.deps, clock: { now: () => late.at } }, townshipAdmin, TOWNSHIP.code);

    // Assess
    const report = map.features.find((f) => f.properties.kind === 'report');
    expect(report?.properties).toEqual({
      kind: 'report',
      id: late.report.id,
      title: late.report.title,
      tier: 'village',
      status: 'assigned',
      urgency: 'normal',
      category: late.report.category,
      gridCode: GRID.code,
      overdue: true,
    });
    const text = JSON.stringify(map);
    expect(text).not.toContain(worker.id);
    expect(text).not.toContain(late.report.description);
    expect(text).not.toContain('address');
  });

  it('draws a county at village level: its villages, not its grids, and counts the villages that have no boundary', async () => {
    // Prepare
    const w = await world();

    // Act
    const map = await mapOfSubtree(w.deps, countyAdmin, COUNTY.code, { level: 'village' });

    // Assess
    expect(map.features.map((f) => f.id)).toEqual([`node:${COUNTY.code}`, `node:${VILLAGE.code}`]);
    expect(map.withoutBoundary).toBe(1);
  });

  it('leaves retired nodes off', async () => {
    // Prepare
    const retired = {
      ...withBoundary(makeNode({ code: '451322201001003', name: '已撤网格', level: 'grid', parent: VILLAGE }), square(109.7, 23.95)),
    };
    const w = await world([{ ...retired, status: 'retired' }]);

    // Act
    const map = await mapOfSubtree(w.deps, villageAdmin, VILLAGE.code);

    // Assess
    expect(map.features.map((f) => f.id)).not.toContain(`node:${retired.code}`);
  });

  it('refuses a level above the node', async () => {
    // Prepare
    const w = await world();

    // Act
    const refusal = mapOfSubtree(w.deps, villageAdmin, VILLAGE.code, { level: 'township' });

    // Assess
    await expect(refusal).rejects.toMatchObject({ kind: 'refused', code: 'MAP.LEVEL_ABOVE_NODE' });
  });

  it.each([
    ['a grid worker of the grid', worker],
    ['a department officer', deptOfficer],
    ['the admin of another village', otherVillageAdmin],
  ])('refuses %s', async (_who, actor) => {
    // Prepare
    const w = await world();

    // Act
    const refusal = mapOfSubtree(w.deps, actor, GRID.code);

    // Assess
    await expect(refusal).rejects.toMatchObject({ kind: 'forbidden', code: 'NODE.OUT_OF_SCOPE' });
  });

  it('says a node does not exist', async () => {
    // Prepare
    const w = await world();

    // Act
    const refusal = mapOfSubtree(w.deps, countyAdmin, '451322999');

    // Assess
    await expect(refusal).rejects.toMatchObject({ kind: 'not_found', code: 'NODE.NOT_FOUND' });
  });
});

describe('SubtreeMapBuilder', () => {
  const grid = (n: number, ring: [number, number][] = square(109, 23)) =>
    withBoundary(
      makeNode({ code: `${VILLAGE.code}${String(n).padStart(3, '0')}`, name: `第${n}网格`, level: 'grid', parent: VILLAGE }),
      ring,
    );

  it(`refuses a map of more than ${MAX_MAP_BOUNDARIES} boundaries, saying the limits`, () => {
    // Prepare
    const map = new SubtreeMapBuilder(VILLAGE, 'grid', NOW);
    for (let n = 0; n < MAX_MAP_BOUNDARIES; n++) map.addNode(grid(n % 1000));

    // Act
    let refusal: unknown;
    try {
      map.addNode(grid(1));
    } catch (error) {
      refusal = error;
    }

    // Assess
    expect(refusal).toMatchObject({ code: 'MAP.TOO_LARGE', details: { level: 'grid', limits: { boundaries: MAX_MAP_BOUNDARIES } } });
  });

  it(`refuses a map of more than ${MAX_MAP_POSITIONS} boundary positions`, () => {
    // Prepare
    const ring: [number, number][] = Array.from({ length: 4999 }, (_, i) => [109 + i / 1e5, 23] as [number, number]);
    ring.push(ring[0] as [number, number]);
    const map = new SubtreeMapBuilder(VILLAGE, 'grid', NOW);
    const fits = Math.floor(MAX_MAP_POSITIONS / ring.length);
    for (let n = 0; n < fits; n++) map.addNode(grid(n, ring));

    // Act
    const add = () => map.addNode(grid(fits, ring));

    // Assess
    expect(add).toThrow(expect.objectContaining({ code: 'MAP.TOO_LARGE' }));
  });

  it(`carries the ${MAX_MAP_REPORTS} most pressing reports and says there were more, while every boundary counts them all`, () => {
    // Prepare
    const map = new SubtreeMapBuilder(VILLAGE, 'grid', NOW);
    const report = inGrid(assignedReport(), GRID, 'R00000000000000A');

    // Act
    for (let n = 0; n <= MAX_MAP_REPORTS; n++) map.addReport({ ...report, id: `R${String(n).padStart(15, '0')}` });
    map.addNode(withBoundary(GRID, square(109, 23)));
    const built = map.build();

    // Assess
    expect(built.features.filter((f) => f.properties.kind === 'report')).toHaveLength(MAX_MAP_REPORTS);
    expect(built.reportsTruncated).toBe(true);
    expect(built.features[0]?.properties).toMatchObject({ code: GRID.code, openReports: MAX_MAP_REPORTS + 1 });
  });

  it('says which levels a node may be drawn at', () => {
    // Assess
    expect(mapLevelProblem(GRID, 'grid')).toBeNull();
    expect(mapLevelProblem(COUNTY, 'township')).toBeNull();
    expect(mapLevelProblem(VILLAGE, 'township')?.code).toBe('MAP.LEVEL_ABOVE_NODE');
  });
});
