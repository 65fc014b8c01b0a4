/**
 * GET /api/v1/tree/{code}/map on the real engines: a village's grids and open reports as GeoJSON,
 * a report turning overdue as its deadline lapses, the storage requests a map costs (its pages,
 * never one per node), and a map too large to send refused with its limits.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeNode } from '#core/tree.ts';
import { MAX_MAP_POSITIONS } from '#core/tree-map.ts';
import { FIRST_GRID, scenario, startTestRuntime, type TestRuntime } from '../support/local-runtime.ts';

let rt: TestRuntime;
let s: ReturnType<typeof scenario>;
const VILLAGE = '451322201001';
const TOWNSHIP = '451322201';
const FAST = { acceptSeconds: 100, completeSeconds: 200 };

/** Every DynamoDB request the runtime sends from now on. */
let requests = 0;

beforeAll(async () => {
  rt = await startTestRuntime();
  s = scenario(rt);
  await s.usePolicy('dispute', 'normal', { grid: FAST });
  rt.runtime.container.db.middlewareStack.add(
    (next) => async (args) => {
      requests++;
      return next(args);
    },
    { step: 'initialize', name: 'mapTestRequestCounter' },
  );
}, 60_000);
afterAll(async () => rt?.stop());

const as = async (username: string, path: string) => rt.http('GET', path, { token: await rt.login(username) });

// biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON
const reportsOf = (map: any) => map.features.filter((f: any) => f.properties.kind === 'report');

describe('the map of a subtree', () => {
  it('draws a village’s grids inside its outline, with its open reports where they were found', async () => {
    // Prepare
    const id = await s.file({ title: '那沙村便桥塌陷' });
    await s.untilParked(id, 1);

    // Act
    const res = await as('village1', `/api/v1/tree/${VILLAGE}/map`);

    // Assess
    expect(res.status).toBe(200);
    expect(res.body.type).toBe('FeatureCollection');
    expect(res.body.node).toEqual({ code: VILLAGE, name: '那沙村', level: 'village' });
    // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON
    const boundaries = res.body.features.filter((f: any) => f.properties.kind !== 'report');
    // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON
    expect(boundaries.map((f: any) => f.id)).toEqual([`node:${VILLAGE}`, `node:${FIRST_GRID}`, `node:${VILLAGE}002`, `node:${VILLAGE}003`]);
    expect(boundaries[1].geometry.type).toBe('Polygon');
    expect(boundaries[1].properties.openReports).toBeGreaterThanOrEqual(1);
    // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON
    const report = reportsOf(res.body).find((f: any) => f.properties.id === id);
    expect(report.geometry).toEqual({ type: 'Point', coordinates: [109.69, 23.96] });
    expect(report.properties).toEqual({
      kind: 'report',
      id,
      title: '那沙村便桥塌陷',
      tier: 'grid',
      status: 'assigned',
      urgency: 'normal',
      category: 'infrastructure',
      gridCode: FIRST_GRID,
      overdue: false,
    });
    expect(JSON.stringify(res.body)).not.toMatch(/reporter|assignees|description|address|\+86/);
  });

  it('marks a report overdue once its deadline lapsed and it climbed a tier', async () => {
    // Prepare
    const id = await s.file({ category: 'dispute', title: '土地纠纷' });
    await s.untilParked(id, 1);

    // Act
    rt.clock.advance(FAST.acceptSeconds * 1000 + 1000);
    await s.untilParked(id, 2);
    const res = await as('township1', `/api/v1/tree/${TOWNSHIP}/map?level=village`);

    // Assess
    expect(res.status).toBe(200);
    // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON
    const report = reportsOf(res.body).find((f: any) => f.properties.id === id);
    expect(report.properties).toMatchObject({ tier: 'village', overdue: true });
    // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON
    const village = res.body.features.find((f: any) => f.id === `node:${VILLAGE}`);
    expect(village.properties.overdueReports).toBeGreaterThanOrEqual(1);
  });

  it('costs the same storage requests for a village of 3 grids and one of 103: pages, not a request per node', async () => {
    // Prepare
    const token = await rt.login('admin');
    const directory = rt.runtime.container.directory;
    const village = await directory.getNode(`${TOWNSHIP}002`);
    if (!village?.boundary) throw new Error('the demo county has no 百丈村 with a boundary');
    const measure = async () => {
      const before = requests;
      const res = await rt.http('GET', `/api/v1/tree/${village.code}/map`, { token });
      expect(res.status).toBe(200);
      return { requests: requests - before, features: res.body.features.length };
    };
    const small = await measure();
    for (let n = 100; n < 200; n++) {
      const grid = makeNode({ code: `${village.code}${n}`, name: `测试网格${n}`, level: 'grid', parent: village });
      await directory.putNode({ ...grid, boundary: village.boundary });
    }

    // Act
    const large = await measure();

    // Assess
    expect(large.features).toBe(small.features + 100);
    expect(large.requests).toBe(small.requests);
  });

  it('refuses a map with more boundary positions than it may carry, and says how to ask for less', async () => {
    // Prepare
    const directory = rt.runtime.container.directory;
    const township = await directory.getNode('451322102');
    if (!township) throw new Error('the demo county has no 运江镇');
    const village = makeNode({ code: '451322102009', name: '大网格村', level: 'village', parent: township });
    await directory.putNode(village);
    const ring: [number, number][] = Array.from({ length: 4999 }, (_, i) => [109.7 + i / 1e6, 24.1 + (i % 2) / 1e4] as [number, number]);
    ring.push(ring[0] as [number, number]);
    for (let n = 0; n <= MAX_MAP_POSITIONS / ring.length; n++) {
      const grid = makeNode({
        code: `${village.code}${String(n + 1).padStart(3, '0')}`,
        name: `第${n + 1}网格`,
        level: 'grid',
        parent: village,
      });
      await directory.putNode({ ...grid, boundary: ring });
    }

    // Act
    const refused = await as('admin', `/api/v1/tree/${village.code}/map`);
    const coarser = await as('admin', `/api/v1/tree/${township.code}/map?level=village`);

    // Assess
    expect(refused.status).toBe(422);
    expect(refused.body.error).toMatchObject({
      code: 'MAP.TOO_LARGE',
      details: { level: 'grid', limits: { positions: MAX_MAP_POSITIONS } },
    });
    expect(coarser.status).toBe(200);
  });

  it('refuses a level above the node and a level that is not one', async () => {
    // Act
    const above = await as('admin', `/api/v1/tree/${VILLAGE}/map?level=township`);
    const unknown = await as('admin', `/api/v1/tree/${VILLAGE}/map?level=county`);

    // Assess
    expect(above.status).toBe(422);
    expect(above.body.error.code).toBe('MAP.LEVEL_ABOVE_NODE');
    expect(unknown.status).toBe(400);
  });
});
