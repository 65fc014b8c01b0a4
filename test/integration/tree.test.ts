/**
 * The jurisdiction tree on the real engines (dynalite, the ASL interpreter, the HTTP server):
 * reading, listing, searching, creating and editing nodes, and the moves and merges (撤并) that
 * re-file open reports under their new path — their lists follow, a timeline event says so, the
 * officers who now own a tier get it by SMS — while closed reports stay where they were filed and
 * every moved record leaves its own entry in the audit trail.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, FIRST_GRID, newKey, reportBody, scenario, startTestRuntime, type TestRuntime } from '../support/local-runtime.ts';

let rt: TestRuntime;
let s: ReturnType<typeof scenario>;
const SECOND = 1000;
const FAST = { acceptSeconds: 100, completeSeconds: 200 };

beforeAll(async () => {
  rt = await startTestRuntime();
  s = scenario(rt);
  // Disputes wait at the village, public-security reports climb to the township; every other tier a month.
  await s.usePolicy('dispute', 'normal', { grid: FAST });
  await s.usePolicy('public_security', 'normal', { grid: FAST, village: FAST });
}, 60_000);
afterAll(async () => rt?.stop());

const as = async (username: string, method: string, path: string, body?: unknown) =>
  rt.http(method, path, { token: await rt.login(username), ...(body === undefined ? {} : { body }) });

/** A closed ring around a box, [lng, lat] as GeoJSON orders them. */
const box = (west: number, south: number, east: number, north: number) => ({
  type: 'Polygon',
  coordinates: [
    [
      [west, south],
      [east, south],
      [east, north],
      [west, north],
      [west, south],
    ],
  ],
});

/** Files a report in a grid as its worker; no location, so no grid boundary is in play. */
const file = (username: string, gridCode: string, body: Record<string, unknown> = {}) =>
  s.file({ gridCode, location: undefined, ...body }, username);

/** Files a report and has its grid worker accept and resolve it, and its visitor visit it (回访), until it is closed. */
async function fileAndClose(username: string, gridCode: string): Promise<string> {
  const id = await file(username, gridCode, { title: '已办结的事件' });
  await s.untilParked(id, 1);
  expect((await s.act(id, username, { action: 'accept' })).status).toBe(200);
  await s.untilParked(id, 1, 'complete');
  expect((await s.act(id, username, { action: 'resolve', note: '已处理' })).status).toBe(200);
  await s.visit(id, true);
  await s.until(id, (h) => h.report.status === 'closed');
  return id;
}

/** Lets the report's deadlines lapse until it has reached the assignment `tierSeq` and waits there. */
async function escalateTo(id: string, tierSeq: number): Promise<void> {
  for (let seq = 1; seq < tierSeq; seq++) {
    await s.untilParked(id, seq);
    rt.clock.advance(FAST.acceptSeconds * SECOND);
  }
  await s.untilParked(id, tierSeq);
}

const ids = (items: { id?: string; code?: string }[]) => items.map((i) => i.id ?? i.code);
const historyOf = async (subject: string) => (await as('admin', 'GET', `/api/v1/history?subject=${subject}`)).body.items;

describe('reading the tree', () => {
  it('shows a village with its path, counts, officers and boundary', async () => {
    // Prepare
    await file('worker1', FIRST_GRID);

    // Act
    const res = await as('township1', 'GET', '/api/v1/tree/451322201001');

    // Assess
    expect(res.status).toBe(200);
    expect(res.body.path).toEqual([
      { code: '451322', name: '象州县', level: 'county' },
      { code: '451322201', name: '百丈乡', level: 'township' },
      { code: '451322201001', name: '那沙村', level: 'village' },
    ]);
    expect(res.body.counts).toEqual({ children: 3, openReports: 1, people: 1 });
    expect(res.body.officers).toEqual([
      {
        id: 'p-village-1',
        name: '覃国庆',
        phone: '+8613877200201',
        role: 'village_admin',
        scope: '451322201001',
        title: '那沙村党支部书记',
        active: true,
        username: 'village1',
      },
    ]);
    expect(res.body.vacant).toBe(false);
    expect(res.body.node).toMatchObject({ code: '451322201001', status: 'active', boundary: { type: 'Polygon' } });
    expect(res.body.node.boundary.coordinates[0]).toHaveLength(5);
    expect(res.body.node).not.toHaveProperty('lastChange');
  });

  it('pages a node’s children with their counts', async () => {
    // Act: one township a page, to the end
    const pages: { status: number; body: { items: { code: string }[]; nextCursor: string | null } }[] = [];
    let cursor: string | null = null;
    do {
      const page = await as('admin', 'GET', `/api/v1/tree/451322/children?limit=1${cursor ? `&cursor=${cursor}` : ''}`);
      pages.push(page);
      cursor = page.body.nextCursor;
    } while (cursor && pages.length < 10);
    const items = pages.flatMap((p) => p.body.items);

    // Assess
    expect(pages.every((p) => p.status === 200 && p.body.items.length === 1)).toBe(true);
    expect(items.map((t) => t.code)).toEqual(['451322100', '451322101', '451322102', '451322201']);
    expect(items[1]).toMatchObject({ code: '451322101', name: '石龙镇', counts: { children: 2, openReports: 0, people: 1 } });
    expect(items[3]).toMatchObject({ code: '451322201', counts: { children: 2, openReports: 1, people: 1 } });
    expect(pages.at(-1)?.body.nextCursor).toBeNull();
  });

  it('lists children without their boundaries (read the node for one), saying whether each has one', async () => {
    // Act
    const grids = await as('village1', 'GET', '/api/v1/tree/451322201001/children');

    // Assess
    expect(grids.body.items).toHaveLength(3);
    for (const grid of grids.body.items) {
      expect(grid).not.toHaveProperty('boundary');
      expect(grid.hasBoundary).toBe(true);
    }
  });

  it('searches by name or code prefix within the caller’s own subtree only', async () => {
    // Act
    const mine = await as('township1', 'GET', `/api/v1/tree?q=${encodeURIComponent('那沙')}`);
    const notMine = await as('township2', 'GET', `/api/v1/tree?q=${encodeURIComponent('那沙')}`);
    const byCode = await as('admin', 'GET', '/api/v1/tree?q=451322101001');
    const worker = await as('worker1', 'GET', `/api/v1/tree?q=${encodeURIComponent('那沙')}`);

    // Assess
    expect(ids(mine.body.items)).toEqual(['451322201001', '451322201001001', '451322201001002', '451322201001003']);
    expect(notMine.body.items).toEqual([]);
    expect(ids(byCode.body.items)).toEqual(['451322101001', '451322101001001', '451322101001002', '451322101001003']);
    expect(worker.status).toBe(403);
  });

  it('lists a subtree in tree order, a page at a time (the store’s walk the CSV export reads)', async () => {
    // Prepare
    const directory = rt.runtime.container.directory;
    const codes: string[] = [];

    // Act
    let cursor: string | undefined;
    do {
      const page = await directory.listSubtree(['451322', '451322101'], { limit: 4, cursor });
      codes.push(...page.items.map((n) => n.code));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);

    // Assess
    expect(codes).toEqual([
      '451322101',
      '451322101001',
      '451322101001001',
      '451322101001002',
      '451322101001003',
      '451322101002',
      '451322101002001',
      '451322101002002',
      '451322101002003',
    ]);
  });

  it('answers 404 for a node that does not exist and 400 for a code that cannot be one', async () => {
    // Act + Assess
    expect((await as('admin', 'GET', '/api/v1/tree/451322999')).body.error.code).toBe('NODE.NOT_FOUND');
    expect((await as('admin', 'GET', '/api/v1/tree/45%2F13')).status).toBe(400);
  });
});

describe('creating nodes', () => {
  it('creates a grid inside its village’s boundary, readable and audited', async () => {
    // Act
    const created = await as('village1', 'POST', '/api/v1/tree', {
      code: '451322201001004',
      name: '那沙村第四网格',
      level: 'grid',
      parentCode: '451322201001',
      boundary: box(109.69, 23.955, 109.7, 23.965),
      contacts: [{ label: '网格员值班电话', phone: '139 7720 1234' }],
    });

    // Assess
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      code: '451322201001004',
      path: ['451322', '451322201', '451322201001', '451322201001004'],
      status: 'active',
      contacts: [{ label: '网格员值班电话', phone: '+8613977201234' }],
      boundary: box(109.69, 23.955, 109.7, 23.965),
    });
    const read = await as('village1', 'GET', '/api/v1/tree/451322201001004');
    expect(read.body).toMatchObject({ vacant: true, officers: [], counts: { children: 0, openReports: 0, people: 0 } });
    expect(await historyOf('node:451322201001004')).toMatchObject([{ change: 'created', actor: { id: 'p-village-1' }, before: null }]);
  });

  it.each([
    ['a code of the wrong shape', { code: '4513222010010' }, 400, 'NODE.CODE_SHAPE', '网格代码应为15位数字'],
    ['a code that does not extend the parent’s', { code: '451322201002009' }, 400, 'NODE.CODE_PARENT', '应以上级代码451322201001开头'],
    ['a level that does not sit under a village', { code: '451322201005', level: 'village' }, 400, 'NODE.LEVEL_PARENT', '不能隶属于'],
    ['a code that exists', { code: FIRST_GRID }, 409, 'NODE.EXISTS', FIRST_GRID],
    ['a boundary outside the village’s', { boundary: box(109.69, 23.96, 109.8, 23.97) }, 422, 'NODE.BOUNDARY_OUTSIDE_PARENT', '那沙村'],
    [
      'a boundary with a hole',
      {
        boundary: {
          type: 'Polygon',
          coordinates: [box(109.69, 23.955, 109.7, 23.965).coordinates[0], box(109.692, 23.957, 109.693, 23.958).coordinates[0]],
        },
      },
      400,
      'NODE.BOUNDARY_HOLES',
      '不支持内环',
    ],
    [
      'a ring left open',
      { boundary: { type: 'Polygon', coordinates: [box(109.69, 23.955, 109.7, 23.965).coordinates[0]?.slice(0, 4)] } },
      400,
      'NODE.BOUNDARY_NOT_CLOSED',
      '未闭合',
    ],
    [
      'more than 5,000 positions',
      { boundary: { type: 'Polygon', coordinates: [Array.from({ length: 5001 }, () => [1, 1])] } },
      400,
      'NODE.BOUNDARY_TOO_LARGE',
      '5001',
    ],
    ['a contact that is no phone number', { contacts: [{ label: '值班', phone: '12345' }] }, 400, 'NODE.CONTACT_PHONE', '12345'],
    ['a status set by the client', { status: 'retired' }, 400, 'REQUEST.INVALID', ''],
    ['a path set by the client', { path: ['451322'] }, 400, 'REQUEST.INVALID', ''],
  ])('refuses %s, saying why and storing nothing', async (_case, change, status, code, says) => {
    // Prepare
    const body = { code: '451322201001005', name: '新网格', level: 'grid', parentCode: '451322201001', ...change };

    // Act
    const res = await as('village1', 'POST', '/api/v1/tree', body);

    // Assess
    expect(res.status).toBe(status);
    expect(res.body.error.code).toBe(code);
    expect(res.body.error.message).toContain(says);
    if (body.code !== FIRST_GRID) expect((await as('admin', 'GET', `/api/v1/tree/${body.code}`)).status).toBe(404);
  });

  it('refuses a boundary too big for a request body with 413', async () => {
    // Prepare
    const ring = Array.from({ length: 4000 }, (_, i) => [109.690001 + i * 1e-7, 23.955001]);

    // Act
    const res = await as('village1', 'POST', '/api/v1/tree', {
      code: '451322201001006',
      name: '新网格',
      level: 'grid',
      parentCode: '451322201001',
      boundary: { type: 'Polygon', coordinates: [ring] },
    });

    // Assess
    expect(res.status).toBe(413);
  });

  it('creates a village with nobody in post yet: vacant', async () => {
    // Act
    const created = await as('township1', 'POST', '/api/v1/tree', {
      code: '451322201009',
      name: '新建村',
      level: 'village',
      parentCode: '451322201',
    });
    const read = await as('township1', 'GET', '/api/v1/tree/451322201009');

    // Assess
    expect(created.status).toBe(201);
    expect(read.body).toMatchObject({ vacant: true, officers: [] });
  });
});

describe('editing nodes', () => {
  it('renames a grid and publishes its contacts, audited with before and after', async () => {
    // Act
    const res = await as('village1', 'PATCH', '/api/v1/tree/451322201001003', {
      name: '那沙村第三网格（大中塘屯）',
      contacts: [{ label: '村委会', phone: '0772-4361234' }],
    });

    // Assess
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      name: '那沙村第三网格（大中塘屯）',
      contacts: [{ label: '村委会', phone: '0772-4361234' }],
      version: 2,
    });
    // The seed created it through the same use case: its creation is the first entry.
    expect(await historyOf('node:451322201001003')).toMatchObject([
      { change: 'updated', before: { name: '那沙村第三网格', contacts: null }, after: { name: '那沙村第三网格（大中塘屯）' } },
      { change: 'created', seq: 1, actor: { id: 'operator' } },
    ]);
  });

  it('refuses a boundary that leaves a grid outside its village, and a village boundary that leaves out its grids', async () => {
    // Act
    const grid = await as('village1', 'PATCH', '/api/v1/tree/451322201001003', { boundary: box(109.71, 23.95, 109.73, 23.975) });
    const village = await as('township1', 'PATCH', '/api/v1/tree/451322201001', { boundary: box(109.68, 23.95, 109.695, 23.975) });

    // Assess
    expect([grid.status, grid.body.error.code]).toEqual([422, 'NODE.BOUNDARY_OUTSIDE_PARENT']);
    expect([village.status, village.body.error.code]).toEqual([422, 'NODE.BOUNDARY_EXCLUDES_CHILD']);
  });
});

describe('retiring nodes', () => {
  it('retires an empty grid: still readable, listed as retired, and nothing is filed under it any more', async () => {
    // Act
    const retired = await as('village3', 'POST', '/api/v1/tree/451322101001003/retire', {});
    const read = await as('village3', 'GET', '/api/v1/tree/451322101001003');
    const siblings = await as('village3', 'GET', '/api/v1/tree/451322101001/children');
    const village = await as('village3', 'GET', '/api/v1/tree/451322101001');
    const filed = await rt.http('POST', '/api/v1/reports', {
      token: await rt.login('worker9'),
      headers: { 'idempotency-key': newKey('retired') },
      body: reportBody({ gridCode: '451322101001003', location: undefined }),
    });

    // Assess
    expect(retired.status).toBe(200);
    expect(retired.body).toMatchObject({ status: 'retired' });
    expect(read.body.node.status).toBe('retired');
    expect(siblings.body.items.find((n: { code: string }) => n.code === '451322101001003')).toMatchObject({ status: 'retired' });
    expect(village.body.counts.children).toBe(2);
    expect([filed.status, filed.body.error.code]).toEqual([422, 'GRID.RETIRED']);
    const under = await as('village3', 'POST', '/api/v1/tree', {
      code: '451322101001003001',
      name: 'x',
      level: 'grid',
      parentCode: '451322101001003',
    });
    expect([under.status, under.body.error.code]).toEqual([422, 'NODE.PARENT_RETIRED']);
  });

  it('refuses while a node has open reports or active children, and a node that is the caller’s own scope', async () => {
    // Prepare
    await file('worker8', '451322101001002');

    // Act
    const withReports = await as('village3', 'POST', '/api/v1/tree/451322101001002/retire', {});
    const withChildren = await as('township2', 'POST', '/api/v1/tree/451322101002/retire');
    const own = await as('village3', 'POST', '/api/v1/tree/451322101001/retire', {});

    // Assess
    expect([withReports.status, withReports.body.error.code, withReports.body.error.details]).toEqual([
      409,
      'NODE.HAS_OPEN_REPORTS',
      { activeChildren: 0, openReports: 1 },
    ]);
    expect([withChildren.status, withChildren.body.error.code]).toEqual([409, 'NODE.HAS_ACTIVE_CHILDREN']);
    expect([own.status, own.body.error.code]).toEqual([403, 'NODE.OWN_SCOPE']);
  });
});

describe('moving a village to another township', () => {
  let open = '';
  let closed = '';
  let atTownship = '';

  beforeAll(async () => {
    open = await file('worker10', '451322101002001');
    closed = await fileAndClose('worker10', '451322101002001');
    atTownship = await file('worker11', '451322101002002', { category: 'public_security', title: '可疑人员' });
    await escalateTo(atTownship, 3);
    expect((await s.history(atTownship)).report).toMatchObject({ tier: 'township', ownerCode: '451322101' });
  }, 60_000);

  it('moves it with its grids, keeping their codes', async () => {
    // Act
    const moved = await as('admin', 'PATCH', '/api/v1/tree/451322101002', { parentCode: '451322201' });

    // Assess
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ code: '451322101002', parentCode: '451322201', path: ['451322', '451322201', '451322101002'] });
    const grid = await as('township1', 'GET', '/api/v1/tree/451322101002001');
    expect(grid.body.node.path).toEqual(['451322', '451322201', '451322101002', '451322101002001']);
    expect(grid.body.path.map((p: { name: string }) => p.name)).toEqual(['象州县', '百丈乡', '新团村', '新团村第一网格']);
    expect((await as('township2', 'GET', '/api/v1/tree/451322101002')).status).toBe(403);
    expect((await rt.runtime.container.directory.getPerson('p-worker-10'))?.scopePath).toEqual(grid.body.node.path);
  });

  it('re-files the open report under its new path with a timeline event, keeping the names it was filed under', async () => {
    // Act
    const h = await s.history(open);

    // Assess
    expect(h.report).toMatchObject({ countyCode: '451322', townshipCode: '451322201', villageCode: '451322101002' });
    expect(h.report.filedUnder).toEqual({
      countyName: '象州县',
      townshipName: '石龙镇',
      villageName: '新团村',
      gridName: '新团村第一网格',
    });
    expect(h.timeline.at(-1)).toMatchObject({
      type: 'refiled',
      actor: { id: 'p-county-admin' },
      data: {
        reason: 'moved',
        node: '451322101002',
        from: [{}, { code: '451322101', name: '石龙镇' }, {}, {}],
        to: [{}, { code: '451322201', name: '百丈乡' }, {}, {}],
      },
    });
  });

  it('leaves the closed report where it was filed, and the lists follow the codes', async () => {
    // Act
    const closedNow = await s.history(closed);
    const newTownship = await as('township1', 'GET', '/api/v1/reports?node=451322201&limit=100');
    const oldTownship = await as('township2', 'GET', '/api/v1/reports?node=451322101&limit=100');

    // Assess
    expect(closedNow.report.townshipCode).toBe('451322101');
    expect(closedNow.timeline.map((e: { type: string }) => e.type)).not.toContain('refiled');
    expect(ids(newTownship.body.items)).toContain(open);
    expect(ids(newTownship.body.items)).not.toContain(closed);
    expect(ids(oldTownship.body.items)).toContain(closed);
    expect(ids(oldTownship.body.items)).not.toContain(open);
  });

  it('hands the report its old township held to the new township, which is texted', async () => {
    // Act
    const h = await s.until(atTownship, (x) => x.report.tierSeq === 4 && x.report.notifiedTierSeq === 4, 'township1');

    // Assess
    expect(h.report).toMatchObject({ tier: 'township', ownerCode: '451322201', status: 'assigned', assignees: [{ id: 'p-township-1' }] });
    expect(h.timeline.find((e: { type: string }) => e.type === 'refiled')?.data).toMatchObject({ ownerCode: '451322201' });
    expect(await rt.inbox({ to: '+8613877200100', reportId: atTownship })).toHaveLength(1);
  });

  it('files a new report in the moved grid under the new path and names', async () => {
    // Act
    const id = await file('worker10', '451322101002001');

    // Assess
    expect((await s.history(id)).report).toMatchObject({ townshipCode: '451322201', filedUnder: { townshipName: '百丈乡' } });
  });

  it('leaves an audit entry per moved record, readable per node and person', async () => {
    // Act
    const village = await historyOf('node:451322101002');
    const grid = await historyOf('node:451322101002003');
    const worker = await historyOf('person:p-worker-12');

    // Assess
    expect(village).toMatchObject([
      { change: 'moved', before: { parentCode: '451322101' }, after: { parentCode: '451322201' } },
      { change: 'created' },
    ]);
    expect(grid).toMatchObject([
      { change: 'moved', actor: { id: 'p-county-admin' }, after: { path: ['451322', '451322201', '451322101002', '451322101002003'] } },
      { change: 'created' },
    ]);
    expect(worker).toMatchObject([{ change: 'moved' }, { change: 'account_created' }, { change: 'created' }]);
  });
});

describe('merging a village into its sibling (撤并)', () => {
  let open = '';
  let closed = '';

  beforeAll(async () => {
    open = await file('worker4', '451322201002001', { category: 'dispute', title: '宅基地纠纷' });
    closed = await fileAndClose('worker4', '451322201002001');
    await escalateTo(open, 2);
    expect((await s.history(open)).report).toMatchObject({ tier: 'village', ownerCode: '451322201002' });
  }, 60_000);

  it('retires it into the sibling, which takes over its grids and its secretary', async () => {
    // Act
    const merged = await as('township1', 'POST', '/api/v1/tree/451322201002/retire', { mergeInto: '451322201001' });

    // Assess
    expect(merged.status).toBe(200);
    expect(merged.body).toMatchObject({ code: '451322201002', status: 'retired', mergedInto: '451322201001' });
    const target = await as('township1', 'GET', '/api/v1/tree/451322201001');
    expect(target.body.officers.map((p: { id: string }) => p.id).sort()).toEqual(['p-village-1', 'p-village-2']);
    const children = await as('township1', 'GET', '/api/v1/tree/451322201001/children');
    expect(ids(children.body.items)).toEqual(expect.arrayContaining(['451322201002001', '451322201002002', '451322201002003']));
    const gone = await as('township1', 'GET', '/api/v1/tree/451322201002');
    expect(gone.body).toMatchObject({ node: { status: 'retired', mergedInto: '451322201001' }, counts: { children: 0, people: 0 } });
  });

  it('re-files its open report under the sibling, which gets it by SMS, and leaves its closed one', async () => {
    // Act
    const h = await s.until(open, (x) => x.report.tierSeq === 3 && x.report.notifiedTierSeq === 3, 'township1');
    const closedNow = await s.history(closed);

    // Assess
    expect(h.report).toMatchObject({
      villageCode: '451322201001',
      gridCode: '451322201002001',
      ownerCode: '451322201001',
      tier: 'village',
    });
    expect(h.report.filedUnder.villageName).toBe('百丈村');
    expect(h.report.assignees.map((a: { id: string }) => a.id).sort()).toEqual(['p-village-1', 'p-village-2']);
    expect(h.timeline.find((e: { type: string }) => e.type === 'refiled')?.data).toMatchObject({
      reason: 'merged',
      node: '451322201002',
      mergedInto: '451322201001',
    });
    expect(await rt.inbox({ to: '+8613877200201', reportId: open })).toHaveLength(1);
    expect(closedNow.report.villageCode).toBe('451322201002');
  });

  it('audits the merge, the re-scoped secretary and each moved grid', async () => {
    // Act + Assess
    expect(await historyOf('node:451322201002')).toMatchObject([
      { change: 'merged', after: { status: 'retired', mergedInto: '451322201001' } },
      { change: 'created' },
    ]);
    expect(await historyOf('person:p-village-2')).toMatchObject([
      { change: 'rescoped', before: { scope: '451322201002' }, after: { scope: '451322201001' } },
      { change: 'account_created' },
      { change: 'created' },
    ]);
    expect(await historyOf('node:451322201002002')).toMatchObject([
      { change: 'moved', after: { parentCode: '451322201001' } },
      { change: 'created' },
    ]);
  });

  it('answers a repeated merge with the retired node, and refuses anything new under it', async () => {
    // Act
    const again = await as('township1', 'POST', '/api/v1/tree/451322201002/retire', { mergeInto: '451322201001' });
    const elsewhere = await as('township1', 'POST', '/api/v1/tree/451322201002/retire', { mergeInto: '451322201009' });
    const under = await as('township1', 'POST', '/api/v1/tree', {
      code: '451322201002009',
      name: 'x',
      level: 'grid',
      parentCode: '451322201002',
    });
    const moveUnder = await as('township1', 'PATCH', '/api/v1/tree/451322201001001', { parentCode: '451322201002' });

    // Assess
    expect([again.status, again.body.version]).toEqual([200, (await historyOf('node:451322201002'))[0].seq]);
    expect([elsewhere.status, elsewhere.body.error.code]).toEqual([409, 'NODE.RETIRED']);
    expect([under.status, under.body.error.code]).toEqual([422, 'NODE.PARENT_RETIRED']);
    expect([moveUnder.status, moveUnder.body.error.code]).toEqual([422, 'NODE.PARENT_RETIRED']);
  });

  it('refuses a merge into a node that is not a sibling', async () => {
    // Act
    const res = await as('admin', 'POST', '/api/v1/tree/451322201001/retire', { mergeInto: '451322101001' });

    // Assess
    expect([res.status, res.body.error.code]).toEqual([422, 'NODE.MERGE_NOT_SIBLING']);
    expect((await as('admin', 'GET', '/api/v1/tree/451322201001')).body.node.status).toBe('active');
  });
});

describe('the open reports a report listing counts', () => {
  it('match the node counts after the moves', async () => {
    // Act
    const view = await as('township1', 'GET', '/api/v1/tree/451322201');
    const listed = await eventually(async () => {
      const res = await as('township1', 'GET', '/api/v1/reports?node=451322201&limit=100');
      return res.status === 200 ? res.body.items.filter((r: { status: string }) => r.status !== 'closed') : undefined;
    });

    // Assess
    expect(view.body.counts.openReports).toBe(listed.length);
    // 那沙村, 新建村 and the moved 新团村: 百丈村 was merged away.
    expect(view.body.counts.children).toBe(3);
  });
});
