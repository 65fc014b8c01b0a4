/**
 * The tree use cases (core/use-cases/tree.ts) against the in-memory directory, audit log, report
 * store and workflow: who may do what, what each change writes, and that moves and merges re-file
 * open reports, leave closed ones, and can be retried after a crash without writing anything twice.
 */
import { describe, expect, it } from 'vitest';
import { OPERATOR } from '#core/admin-access.ts';
import type { Actor, Person } from '#core/people.ts';
import type { Tier } from '#core/policy.ts';
import { accept, assignFirstTier, close, newReport, type Report, resolve, withWaitingTask } from '#core/report.ts';
import { jurisdictionOf, makeNode, type TreeNode } from '#core/tree.ts';
import type { Deps } from '#core/use-cases/deps.ts';
import { createNode, editNode, listNodeChildren, readNode, retireNode, searchTree } from '#core/use-cases/tree.ts';
import { InMemoryAuditLog, inMemoryDirectory } from '../support/fakes/in-memory-directory.ts';
import { InMemoryReportStore, RecordingWorkflow } from '../support/fakes/in-memory-reports.ts';
import {
  CATEGORY,
  COUNTY,
  countyAdmin,
  DEPARTMENT_CODE,
  deadlinesFor,
  deptOfficer,
  GRID,
  NOW,
  OTHER_GRID,
  OTHER_TOWNSHIP,
  OTHER_VILLAGE,
  otherTownshipAdmin,
  otherVillageAdmin,
  SIBLING_GRID,
  siblingWorker,
  TOWNSHIP,
  townshipAdmin,
  VILLAGE,
  villageAdmin,
  worker,
} from './fixtures.ts';

/** 百丈村, the second village of 百丈乡, with one grid, a secretary and a worker. */
const VILLAGE_2 = makeNode({ code: '451322201002', name: '百丈村', level: 'village', parent: TOWNSHIP });
const GRID_3 = makeNode({ code: '451322201002001', name: '百丈村第一网格', level: 'grid', parent: VILLAGE_2 });
const village2Admin: Actor = { id: 'p-village-2', name: '韦桂芳', role: 'village_admin', scope: VILLAGE_2.code };
const worker4: Actor = { id: 'p-worker-4', name: '黄秀英', role: 'grid_worker', scope: GRID_3.code };

const SQUARE = (west: number, south: number, size: number): [number, number][] => [
  [west, south],
  [west + size, south],
  [west + size, south + size],
  [west, south + size],
  [west, south],
];
const polygon = (ring: [number, number][]) => ({ type: 'Polygon', coordinates: [ring] });

function personOf(actor: Actor, phone: string): Person {
  return { ...actor, phone, title: `${actor.name}的职务` };
}

async function world() {
  const directory = inMemoryDirectory();
  const audit = new InMemoryAuditLog();
  const reports = new InMemoryReportStore();
  const workflow = new RecordingWorkflow();
  let now = NOW;
  const clock = { now: () => now };
  for (const node of [COUNTY, TOWNSHIP, VILLAGE, GRID, SIBLING_GRID, VILLAGE_2, GRID_3, OTHER_TOWNSHIP, OTHER_VILLAGE, OTHER_GRID]) {
    await directory.putNode(node);
  }
  const staff = [
    countyAdmin,
    townshipAdmin,
    otherTownshipAdmin,
    villageAdmin,
    village2Admin,
    otherVillageAdmin,
    worker,
    siblingWorker,
    worker4,
  ];
  for (const [i, actor] of staff.entries()) await directory.putPerson(personOf(actor, `+86139772${String(i).padStart(5, '0')}`));
  await directory.putPerson({ ...personOf(deptOfficer, '+8613977299999') });
  await directory.putDepartment({ code: DEPARTMENT_CODE, name: '象州县住房和城乡建设局' });
  await directory.putCategory({ code: CATEGORY, name: '安全隐患', description: '危房', departmentCode: DEPARTMENT_CODE, public: false });
  const deps = { directory, audit, reports, workflow, clock, timeScale: 1 } as unknown as Deps;
  return { directory, audit, reports, workflow, deps, advance: (ms: number) => (now = new Date(now.getTime() + ms)) };
}

type World = Awaited<ReturnType<typeof world>>;

const OWNER: Record<'grid' | 'village' | 'township', { role: Person['role']; of: (grid: TreeNode) => string }> = {
  grid: { role: 'grid_worker', of: (g) => g.code },
  village: { role: 'village_admin', of: (g) => g.path[2] as string },
  township: { role: 'township_admin', of: (g) => g.path[1] as string },
};

/** A report filed in `grid`, assigned straight to `tier` and waiting there on a workflow task. */
async function openReport(w: World, id: string, grid: TreeNode, tier: 'grid' | 'village' | 'township' = 'grid'): Promise<Report> {
  const reporter = { id: `reporter-${grid.code}`, name: '网格员', role: 'grid_worker' as const, scope: grid.code };
  const filed = newReport(
    {
      id,
      jurisdiction: jurisdictionOf(grid),
      category: CATEGORY,
      urgency: 'normal',
      title: '便桥塌陷',
      description: '桥面塌陷',
      location: null,
      photos: [],
      occurredAt: null,
      reporter,
      filedUnder: { countyName: '象州县', townshipName: '百丈乡', villageName: '旧名', gridName: grid.name },
    },
    NOW,
  );
  const ownerCode = OWNER[tier].of(grid);
  const assignees = (await w.directory.peopleIn(ownerCode, OWNER[tier].role)).map((p) => ({ id: p.id, name: p.name, role: p.role }));
  const assigned = assignFirstTier(
    filed.report,
    { tier, ownerCode, ownerName: ownerCode, assignees, skipped: [] },
    deadlinesFor(tier),
    NOW,
  );
  const waiting = withWaitingTask(assigned.report, { token: `token-${id}`, tierSeq: assigned.report.tierSeq, phase: 'accept' });
  await w.reports.create({ report: waiting, event: filed.event });
  return waiting;
}

/** A report filed in the first grid, handled there and closed. */
async function closedReport(w: World, id: string): Promise<Report> {
  const open = await openReport(w, id, GRID);
  const handled = resolve(accept(open, worker, NOW).report, worker, NOW).report;
  const closed = close(handled, NOW).report;
  await w.reports.save(closed, open.version);
  return closed;
}

async function rejection(promise: Promise<unknown>): Promise<{ code?: string; kind?: string; message?: string }> {
  try {
    await promise;
  } catch (error) {
    return error as { code?: string; kind?: string };
  }
  throw new Error('expected a refusal');
}

const entriesOf = (w: World, subject: string) => w.audit.entries.filter((e) => e.subject === subject);

describe('readNode', () => {
  it('shows the path, the counts and the officers of a village', async () => {
    // Prepare
    const w = await world();
    await openReport(w, 'R00000000000000A', GRID);
    await openReport(w, 'R00000000000000B', SIBLING_GRID);
    await closedReport(w, 'R00000000000000C');
    await w.directory.putNode({
      ...makeNode({ code: '451322201001003', name: '已撤网格', level: 'grid', parent: VILLAGE }),
      status: 'retired',
    });

    // Act
    const view = await readNode(w.deps, townshipAdmin, VILLAGE.code);

    // Assess
    expect(view.path).toEqual([
      { code: COUNTY.code, name: COUNTY.name, level: 'county' },
      { code: TOWNSHIP.code, name: TOWNSHIP.name, level: 'township' },
      { code: VILLAGE.code, name: VILLAGE.name, level: 'village' },
    ]);
    expect(view.counts).toEqual({ children: 2, openReports: 2, people: 1 });
    expect(view.officers.map((p) => p.id)).toEqual([villageAdmin.id]);
    expect(view.vacant).toBe(false);
  });

  it('calls a post with nobody answering for it vacant', async () => {
    // Prepare
    const w = await world();
    await w.directory.putPerson({ ...personOf(villageAdmin, '+8613977200003'), active: false });

    // Act
    const view = await readNode(w.deps, townshipAdmin, VILLAGE.code);

    // Assess
    expect(view.officers).toEqual([]);
    expect(view.vacant).toBe(true);
    expect(view.counts.people).toBe(0);
  });

  it.each([
    ['a grid worker of the grid', worker],
    ['a department officer', deptOfficer],
    ['the admin of another village', otherVillageAdmin],
    ['the admin of another township', otherTownshipAdmin],
  ])('refuses %s', async (_who, actor) => {
    // Prepare
    const w = await world();

    // Act
    const error = await rejection(readNode(w.deps, actor, GRID.code));

    // Assess
    expect(error).toMatchObject({ kind: 'forbidden', code: 'NODE.OUT_OF_SCOPE' });
  });

  it('answers 404 for a code that is no node', async () => {
    // Prepare
    const w = await world();

    // Act + Assess
    expect(await rejection(readNode(w.deps, countyAdmin, '451322999'))).toMatchObject({ kind: 'not_found', code: 'NODE.NOT_FOUND' });
  });
});

describe('listNodeChildren', () => {
  it('pages the children with their counts, from one pass over the parent’s open reports', async () => {
    // Prepare
    const w = await world();
    await openReport(w, 'R00000000000000A', GRID);
    await openReport(w, 'R00000000000000B', GRID);
    await openReport(w, 'R00000000000000D', GRID_3);
    let passes = 0;
    const under = w.reports.openReportsUnder.bind(w.reports);
    w.reports.openReportsUnder = (node) => {
      passes++;
      return under(node);
    };

    // Act
    const first = await listNodeChildren(w.deps, townshipAdmin, TOWNSHIP.code, { limit: 1 });
    const second = await listNodeChildren(w.deps, townshipAdmin, TOWNSHIP.code, { limit: 1, cursor: first.nextCursor ?? '' });

    // Assess
    expect(first.items.map((i) => [i.node.code, i.counts])).toEqual([[VILLAGE.code, { children: 2, openReports: 2, people: 1 }]]);
    expect(second.items.map((i) => [i.node.code, i.counts])).toEqual([[VILLAGE_2.code, { children: 1, openReports: 1, people: 1 }]]);
    expect(second.nextCursor).toBeNull();
    expect(passes).toBe(2);
  });
});

describe('searchTree', () => {
  it('finds by part of a name or a code prefix, only inside the caller’s subtree', async () => {
    // Prepare
    const w = await world();

    // Act
    const byName = await searchTree(w.deps, townshipAdmin, { q: '网格', limit: 50 });
    const byCode = await searchTree(w.deps, countyAdmin, { q: '451322101', limit: 50 });
    const elsewhere = await searchTree(w.deps, otherTownshipAdmin, { q: '那沙', limit: 50 });

    // Assess
    expect(byName.items.map((n) => n.code)).toEqual([GRID.code, SIBLING_GRID.code, GRID_3.code]);
    expect(byCode.items.map((n) => n.code)).toEqual([OTHER_TOWNSHIP.code, OTHER_VILLAGE.code, OTHER_GRID.code]);
    expect(elsewhere.items).toEqual([]);
  });

  it('refuses grid workers and department officers', async () => {
    // Prepare
    const w = await world();

    // Act + Assess
    expect(await rejection(searchTree(w.deps, worker, { q: '网格', limit: 5 }))).toMatchObject({ kind: 'forbidden' });
    expect(await rejection(searchTree(w.deps, deptOfficer, { q: '网格', limit: 5 }))).toMatchObject({ kind: 'forbidden' });
  });
});

describe('createNode', () => {
  it('creates a grid under the village, audited as created', async () => {
    // Prepare
    const w = await world();

    // Act
    const node = await createNode(w.deps, villageAdmin, {
      code: '451322201001009',
      name: '那沙村第九网格',
      level: 'grid',
      parentCode: VILLAGE.code,
      contacts: [{ label: '网格员', phone: '13977201234' }],
    });

    // Assess
    expect(node).toMatchObject({ path: [...VILLAGE.path, '451322201001009'], status: 'active', version: 1 });
    expect(node.contacts).toEqual([{ label: '网格员', phone: '+8613977201234' }]);
    expect(entriesOf(w, 'node:451322201001009').map((e) => e.change)).toEqual(['created']);
  });

  it.each([
    ['a code of the wrong shape', { code: '45132220100', level: 'village' }, 'NODE.CODE_SHAPE'],
    ['a code that does not extend the parent’s', { code: '451322101009', level: 'village' }, 'NODE.CODE_PARENT'],
    ['a grid right under a township', { code: '451322201009001', level: 'grid' }, 'NODE.LEVEL_PARENT'],
  ] as const)('refuses %s with the reason, storing nothing', async (_case, input, code) => {
    // Prepare
    const w = await world();

    // Act
    const error = await rejection(createNode(w.deps, townshipAdmin, { name: '新村', parentCode: TOWNSHIP.code, ...input }));

    // Assess
    expect(error).toMatchObject({ kind: 'validation', code });
    expect(await w.directory.getNode(input.code)).toBeNull();
    expect(w.audit.entries).toEqual([]);
  });

  it('refuses a boundary outside the parent’s, and one with a hole', async () => {
    // Prepare
    const w = await world();
    await w.directory.putNode({ ...VILLAGE, boundary: SQUARE(109.68, 23.95, 0.04) });
    const grid = { code: '451322201001009', name: '新网格', level: 'grid' as const, parentCode: VILLAGE.code };

    // Act
    const outside = await rejection(createNode(w.deps, villageAdmin, { ...grid, boundary: polygon(SQUARE(109.7, 23.96, 0.05)) }));
    const holed = await rejection(
      createNode(w.deps, villageAdmin, {
        ...grid,
        boundary: { type: 'Polygon', coordinates: [SQUARE(109.68, 23.95, 0.03), SQUARE(109.69, 23.96, 0.001)] },
      }),
    );
    const inside = await createNode(w.deps, villageAdmin, { ...grid, boundary: polygon(SQUARE(109.69, 23.96, 0.01)) });

    // Assess
    expect(outside).toMatchObject({ kind: 'refused', code: 'NODE.BOUNDARY_OUTSIDE_PARENT' });
    expect(holed).toMatchObject({ kind: 'validation', code: 'NODE.BOUNDARY_HOLES' });
    expect(inside.boundary).toEqual(SQUARE(109.69, 23.96, 0.01));
  });

  it('refuses a code that exists, a parent that is retired or unknown, and a parent outside the caller’s scope', async () => {
    // Prepare
    const w = await world();
    await w.directory.putNode({ ...VILLAGE_2, status: 'retired' });
    const grid = { name: '新网格', level: 'grid' as const };

    // Act
    const exists = await rejection(createNode(w.deps, villageAdmin, { ...grid, code: GRID.code, parentCode: VILLAGE.code }));
    const retiredParent = await rejection(
      createNode(w.deps, townshipAdmin, { ...grid, code: '451322201002009', parentCode: VILLAGE_2.code }),
    );
    const unknown = await rejection(createNode(w.deps, townshipAdmin, { ...grid, code: '451322201077009', parentCode: '451322201077' }));
    const outOfScope = await rejection(createNode(w.deps, villageAdmin, { ...grid, code: '451322201002009', parentCode: VILLAGE_2.code }));

    // Assess
    expect(exists).toMatchObject({ kind: 'conflict', code: 'NODE.EXISTS' });
    expect(retiredParent).toMatchObject({ kind: 'refused', code: 'NODE.PARENT_RETIRED' });
    expect(unknown).toMatchObject({ kind: 'refused', code: 'NODE.PARENT_UNKNOWN' });
    expect(outOfScope).toMatchObject({ kind: 'forbidden', code: 'NODE.OUT_OF_SCOPE' });
  });

  it('lets only the operator create a county', async () => {
    // Prepare
    const w = await world();
    const county = { code: '451321', name: '忻城县', level: 'county' as const, parentCode: null };

    // Act
    const refused = await rejection(createNode(w.deps, countyAdmin, county));
    const created = await createNode(w.deps, OPERATOR, county);

    // Assess
    expect(refused).toMatchObject({ kind: 'forbidden', code: 'NODE.ROOT_OPERATOR_ONLY' });
    expect(created).toMatchObject({ code: '451321', parentCode: null, path: ['451321'] });
  });
});

describe('editNode', () => {
  it('renames and publishes contacts in one audited change; sending it again changes nothing', async () => {
    // Prepare
    const w = await world();
    const edit = { name: '那沙村委会', contacts: [{ label: '村委会', phone: '0772-4361234' }] };

    // Act
    const edited = await editNode(w.deps, villageAdmin, VILLAGE.code, edit);
    const again = await editNode(w.deps, villageAdmin, VILLAGE.code, edit);

    // Assess
    expect(edited).toMatchObject({ name: '那沙村委会', contacts: edit.contacts, version: 1 });
    expect(again.version).toBe(1);
    expect(entriesOf(w, `node:${VILLAGE.code}`)).toMatchObject([{ change: 'updated', before: { name: '那沙村' } }]);
  });

  it('refuses a boundary that would leave a child outside it, and takes one that holds them', async () => {
    // Prepare
    const w = await world();
    await w.directory.putNode({ ...GRID, boundary: SQUARE(109.68, 23.95, 0.015) });

    // Act
    const refused = await rejection(editNode(w.deps, villageAdmin, VILLAGE.code, { boundary: polygon(SQUARE(109.7, 23.95, 0.04)) }));
    const taken = await editNode(w.deps, villageAdmin, VILLAGE.code, { boundary: polygon(SQUARE(109.68, 23.95, 0.04)) });
    const removed = await editNode(w.deps, villageAdmin, VILLAGE.code, { boundary: null });

    // Assess
    expect(refused).toMatchObject({ kind: 'refused', code: 'NODE.BOUNDARY_EXCLUDES_CHILD' });
    expect(taken.boundary).toEqual(SQUARE(109.68, 23.95, 0.04));
    expect(removed).not.toHaveProperty('boundary');
  });

  it('refuses to edit a retired node', async () => {
    // Prepare
    const w = await world();
    await w.directory.putNode({ ...GRID, status: 'retired' });

    // Act + Assess
    expect(await rejection(editNode(w.deps, villageAdmin, GRID.code, { name: 'x' }))).toMatchObject({
      kind: 'conflict',
      code: 'NODE.RETIRED',
    });
  });
});

describe('moving a village to another township', () => {
  it('moves its subtree and people, re-files its open reports and leaves the closed one', async () => {
    // Prepare
    const w = await world();
    const atGrid = await openReport(w, 'R00000000000000A', GRID);
    const atTownship = await openReport(w, 'R00000000000000B', SIBLING_GRID, 'township');
    const closed = await closedReport(w, 'R00000000000000C');
    const elsewhere = await openReport(w, 'R00000000000000D', GRID_3);

    // Act
    const moved = await editNode(w.deps, countyAdmin, VILLAGE.code, { parentCode: OTHER_TOWNSHIP.code });

    // Assess
    const newPath = [COUNTY.code, OTHER_TOWNSHIP.code, VILLAGE.code];
    expect(moved).toMatchObject({ code: VILLAGE.code, parentCode: OTHER_TOWNSHIP.code, path: newPath });
    expect((await w.directory.getNode(GRID.code))?.path).toEqual([...newPath, GRID.code]);
    expect((await w.directory.getPerson(worker.id))?.scopePath).toEqual([...newPath, GRID.code]);
    expect((await w.directory.getPerson(villageAdmin.id))?.scopePath).toEqual(newPath);
    const refiled = await w.reports.get(atGrid.id);
    expect(refiled).toMatchObject({ townshipCode: OTHER_TOWNSHIP.code, villageCode: VILLAGE.code, gridCode: GRID.code, tierSeq: 1 });
    expect(refiled?.filedUnder).toEqual(atGrid.filedUnder);
    expect(refiled?.lastEvent).toMatchObject({
      type: 'refiled',
      actor: { id: countyAdmin.id },
      data: {
        reason: 'moved',
        node: VILLAGE.code,
        from: [{ name: '象州县' }, { code: TOWNSHIP.code, name: '百丈乡' }, { name: '那沙村' }, { name: GRID.name }],
        to: [{ name: '象州县' }, { code: OTHER_TOWNSHIP.code, name: '石龙镇' }, { name: '那沙村' }, { name: GRID.name }],
      },
    });
    expect(await w.reports.get(closed.id)).toEqual(closed);
    expect(await w.reports.get(elsewhere.id)).toEqual(elsewhere);
    // The township that held the report no longer holds its village: the new township takes it.
    expect(await w.reports.get(atTownship.id)).toMatchObject({
      ownerCode: OTHER_TOWNSHIP.code,
      tierSeq: 2,
      assignees: [{ id: otherTownshipAdmin.id }],
    });
    expect(w.workflow.woken).toEqual([`token-${atTownship.id}`]);
  });

  it('audits every moved record on its own', async () => {
    // Prepare
    const w = await world();

    // Act
    await editNode(w.deps, countyAdmin, VILLAGE.code, { parentCode: OTHER_TOWNSHIP.code });

    // Assess
    for (const subject of [
      `node:${VILLAGE.code}`,
      `node:${GRID.code}`,
      `node:${SIBLING_GRID.code}`,
      `person:${worker.id}`,
      `person:${villageAdmin.id}`,
    ]) {
      expect(
        entriesOf(w, subject).map((e) => e.change),
        subject,
      ).toEqual(['moved']);
    }
    expect(entriesOf(w, `node:${GRID.code}`)[0]).toMatchObject({ before: { path: GRID.path }, actor: { id: countyAdmin.id } });
  });

  it('can be retried after a crash half-way, moving the rest and leaving what had moved', async () => {
    // Prepare
    const w = await world();
    await openReport(w, 'R00000000000000A', GRID);
    const save = w.directory.saveNode;
    let saves = 0;
    w.directory.saveNode = async (node, version) => {
      if (++saves > 1) throw new Error('the process died');
      return save(node, version);
    };
    const crashed = await rejection(editNode(w.deps, countyAdmin, VILLAGE.code, { parentCode: OTHER_TOWNSHIP.code }));
    w.directory.saveNode = save;
    const firstMoved = [GRID, SIBLING_GRID].find((g) => w.directory.nodes.get(g.code)?.version === 1);
    const entriesBefore = w.audit.entries.length;

    // Act
    await editNode(w.deps, countyAdmin, VILLAGE.code, { parentCode: OTHER_TOWNSHIP.code });
    const repeated = await editNode(w.deps, countyAdmin, VILLAGE.code, { parentCode: OTHER_TOWNSHIP.code });

    // Assess
    expect(crashed.message).toBe('the process died');
    expect(firstMoved).toBeDefined();
    expect(w.directory.nodes.get(firstMoved?.code ?? '')?.version).toBe(1);
    expect(w.audit.entries.filter((e) => e.subject === `node:${firstMoved?.code}`)).toHaveLength(1);
    for (const grid of [GRID, SIBLING_GRID]) expect((await w.directory.getNode(grid.code))?.path[1]).toBe(OTHER_TOWNSHIP.code);
    expect(repeated).toMatchObject({ parentCode: OTHER_TOWNSHIP.code, version: 1 });
    expect(w.audit.entries.length).toBeGreaterThan(entriesBefore);
    expect((await w.reports.get('R00000000000000A'))?.townshipCode).toBe(OTHER_TOWNSHIP.code);
    expect(w.reports.saves.filter((id) => id === 'R00000000000000A')).toHaveLength(1);
  });

  it.each([
    ['a township admin, into another township', townshipAdmin, VILLAGE.code, OTHER_TOWNSHIP.code, 'NODE.OUT_OF_SCOPE'],
    ['the village’s own admin', villageAdmin, VILLAGE.code, OTHER_TOWNSHIP.code, 'NODE.OWN_SCOPE'],
    ['the grid’s worker', worker, GRID.code, VILLAGE_2.code, 'NODE.OUT_OF_SCOPE'],
  ])('refuses %s', async (_who, actor, code, parentCode, errorCode) => {
    // Prepare
    const w = await world();

    // Act
    const error = await rejection(editNode(w.deps, actor, code, { parentCode }));

    // Assess
    expect(error).toMatchObject({ kind: 'forbidden', code: errorCode });
    expect((await w.directory.getNode(code))?.version).toBeUndefined();
  });

  it('refuses a parent of the wrong level and a retired one', async () => {
    // Prepare
    const w = await world();
    await w.directory.putNode({ ...OTHER_TOWNSHIP, status: 'retired' });

    // Act
    const wrongLevel = await rejection(editNode(w.deps, countyAdmin, GRID.code, { parentCode: TOWNSHIP.code }));
    const retired = await rejection(editNode(w.deps, countyAdmin, VILLAGE.code, { parentCode: OTHER_TOWNSHIP.code }));

    // Assess
    expect(wrongLevel).toMatchObject({ kind: 'refused', code: 'NODE.LEVEL_PARENT' });
    expect(retired).toMatchObject({ kind: 'refused', code: 'NODE.PARENT_RETIRED' });
  });

  it('refuses a move that would put the node’s boundary outside the new parent’s', async () => {
    // Prepare
    const w = await world();
    await w.directory.putNode({ ...GRID, boundary: SQUARE(109.68, 23.95, 0.01) });
    await w.directory.putNode({ ...VILLAGE_2, boundary: SQUARE(109.73, 23.95, 0.04) });

    // Act
    const error = await rejection(editNode(w.deps, townshipAdmin, GRID.code, { parentCode: VILLAGE_2.code }));

    // Assess
    expect(error).toMatchObject({ kind: 'refused', code: 'NODE.BOUNDARY_OUTSIDE_PARENT' });
    expect((await w.directory.getNode(GRID.code))?.parentCode).toBe(VILLAGE.code);
  });
});

describe('retireNode', () => {
  it('retires a grid that holds nothing; asking again answers the retired grid', async () => {
    // Prepare
    const w = await world();

    // Act
    const retired = await retireNode(w.deps, villageAdmin, SIBLING_GRID.code, {});
    const again = await retireNode(w.deps, villageAdmin, SIBLING_GRID.code, {});

    // Assess
    expect(retired).toMatchObject({ status: 'retired', version: 1 });
    expect(again.version).toBe(1);
    expect(entriesOf(w, `node:${SIBLING_GRID.code}`).map((e) => e.change)).toEqual(['retired']);
  });

  it('refuses while the node holds open reports or active children', async () => {
    // Prepare
    const w = await world();
    await openReport(w, 'R00000000000000A', GRID);

    // Act
    const withReports = await rejection(retireNode(w.deps, villageAdmin, GRID.code, {}));
    const withChildren = await rejection(retireNode(w.deps, townshipAdmin, VILLAGE_2.code, {}));

    // Assess
    expect(withReports).toMatchObject({ kind: 'conflict', code: 'NODE.HAS_OPEN_REPORTS', details: { openReports: 1 } });
    expect(withChildren).toMatchObject({ kind: 'conflict', code: 'NODE.HAS_ACTIVE_CHILDREN', details: { activeChildren: 1 } });
  });

  it('refuses the caller’s own scope and a node outside it', async () => {
    // Prepare
    const w = await world();

    // Act + Assess
    expect(await rejection(retireNode(w.deps, villageAdmin, VILLAGE.code, {}))).toMatchObject({ code: 'NODE.OWN_SCOPE' });
    expect(await rejection(retireNode(w.deps, villageAdmin, GRID_3.code, {}))).toMatchObject({ code: 'NODE.OUT_OF_SCOPE' });
  });
});

describe('merging a village into its sibling (撤并)', () => {
  it('moves its grids, re-scopes its people, re-files its open reports and retires it', async () => {
    // Prepare
    const w = await world();
    const atGrid = await openReport(w, 'R00000000000000A', GRID_3);
    const atVillage = await openReport(w, 'R00000000000000B', GRID_3, 'village');
    const inTarget = await openReport(w, 'R00000000000000C', GRID);

    // Act
    const merged = await retireNode(w.deps, townshipAdmin, VILLAGE_2.code, { mergeInto: VILLAGE.code });

    // Assess
    expect(merged).toMatchObject({ status: 'retired', mergedInto: VILLAGE.code });
    expect(await w.directory.getNode(GRID_3.code)).toMatchObject({ parentCode: VILLAGE.code, path: [...VILLAGE.path, GRID_3.code] });
    expect((await w.directory.listChildren(VILLAGE.code)).map((n) => n.code)).toEqual([GRID.code, SIBLING_GRID.code, GRID_3.code]);
    expect(await w.directory.getPerson(village2Admin.id)).toMatchObject({ scope: VILLAGE.code, scopePath: VILLAGE.path });
    expect((await w.directory.getPerson(worker4.id))?.scopePath).toEqual([...VILLAGE.path, GRID_3.code]);
    expect(await w.reports.get(atGrid.id)).toMatchObject({ villageCode: VILLAGE.code, gridCode: GRID_3.code, tierSeq: 1 });
    expect((await w.reports.get(atGrid.id))?.lastEvent).toMatchObject({
      type: 'refiled',
      data: { reason: 'merged', node: VILLAGE_2.code, mergedInto: VILLAGE.code },
    });
    // Its village is gone: the village the report now lies in takes it over, both secretaries now.
    expect(await w.reports.get(atVillage.id)).toMatchObject({ ownerCode: VILLAGE.code, tierSeq: 2, status: 'assigned' });
    expect((await w.reports.get(atVillage.id))?.assignees.map((a) => a.id).sort()).toEqual([villageAdmin.id, village2Admin.id]);
    expect(w.workflow.woken).toEqual([`token-${atVillage.id}`]);
    expect(await w.reports.get(inTarget.id)).toEqual(inTarget);
    expect(entriesOf(w, `node:${VILLAGE_2.code}`).map((e) => e.change)).toEqual(['merged']);
    expect(entriesOf(w, `person:${village2Admin.id}`).map((e) => e.change)).toEqual(['rescoped']);
    expect(entriesOf(w, `node:${GRID_3.code}`).map((e) => e.change)).toEqual(['moved']);
  });

  it('can be retried after a crash, and answers the retired node once done', async () => {
    // Prepare
    const w = await world();
    await openReport(w, 'R00000000000000A', GRID_3);
    const save = w.directory.savePerson;
    w.directory.savePerson = async () => {
      throw new Error('the process died');
    };
    await rejection(retireNode(w.deps, townshipAdmin, VILLAGE_2.code, { mergeInto: VILLAGE.code }));
    w.directory.savePerson = save;

    // Act
    const merged = await retireNode(w.deps, townshipAdmin, VILLAGE_2.code, { mergeInto: VILLAGE.code });
    const repeated = await retireNode(w.deps, townshipAdmin, VILLAGE_2.code, { mergeInto: VILLAGE.code });
    const otherTarget = await rejection(retireNode(w.deps, townshipAdmin, VILLAGE_2.code, { mergeInto: '451322201003' }));

    // Assess
    expect(merged).toMatchObject({ status: 'retired', mergedInto: VILLAGE.code });
    expect(repeated).toEqual(merged);
    expect(otherTarget).toMatchObject({ kind: 'conflict', code: 'NODE.RETIRED' });
    expect((await w.reports.get('R00000000000000A'))?.villageCode).toBe(VILLAGE.code);
    expect(entriesOf(w, `node:${GRID_3.code}`)).toHaveLength(1);
  });

  it.each([
    ['a cousin', OTHER_VILLAGE.code, 'NODE.MERGE_NOT_SIBLING'],
    ['itself', VILLAGE_2.code, 'NODE.MERGE_INTO_ITSELF'],
    ['a node that does not exist', '451322201077', 'NODE.MERGE_TARGET_UNKNOWN'],
  ])('refuses a merge into %s, changing nothing', async (_case, mergeInto, code) => {
    // Prepare
    const w = await world();

    // Act
    const error = await rejection(retireNode(w.deps, countyAdmin, VILLAGE_2.code, { mergeInto }));

    // Assess
    expect(error).toMatchObject({ kind: 'refused', code });
    expect(w.audit.entries).toEqual([]);
  });

  it('combines townships: the villages go over with their codes, and every open report follows', async () => {
    // Prepare
    const w = await world();
    const report = await openReport(w, 'R00000000000000A', GRID_3, 'township');

    // Act
    await retireNode(w.deps, countyAdmin, TOWNSHIP.code, { mergeInto: OTHER_TOWNSHIP.code });

    // Assess
    expect((await w.directory.listChildren(OTHER_TOWNSHIP.code)).map((n) => n.code)).toEqual([
      OTHER_VILLAGE.code,
      VILLAGE.code,
      VILLAGE_2.code,
    ]);
    expect((await w.directory.getNode(GRID_3.code))?.path).toEqual([COUNTY.code, OTHER_TOWNSHIP.code, VILLAGE_2.code, GRID_3.code]);
    expect(await w.directory.getPerson(townshipAdmin.id)).toMatchObject({ scope: OTHER_TOWNSHIP.code });
    const after = await w.reports.get(report.id);
    expect(after).toMatchObject({ townshipCode: OTHER_TOWNSHIP.code, villageCode: VILLAGE_2.code, ownerCode: OTHER_TOWNSHIP.code });
    expect(after?.lastEvent.data).toMatchObject({ reason: 'merged', node: TOWNSHIP.code });
  });
});

describe('handing over when nobody is left to take it', () => {
  it('goes up to the first tier with an officer', async () => {
    // Prepare
    const w = await world();
    const report = await openReport(w, 'R00000000000000A', GRID_3, 'village');
    for (const secretary of [villageAdmin, village2Admin]) w.directory.people.delete(secretary.id);

    // Act
    await retireNode(w.deps, townshipAdmin, VILLAGE_2.code, { mergeInto: VILLAGE.code });

    // Assess
    const after = await w.reports.get(report.id);
    expect(after).toMatchObject({ tier: 'township' satisfies Tier, ownerCode: TOWNSHIP.code, tierSeq: 2 });
    expect(after?.lastEvent.data).toMatchObject({ skipped: [{ tier: 'village', ownerCode: VILLAGE.code, reason: 'no_officer' }] });
  });
});
