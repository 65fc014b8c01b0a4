import { describe, expect, it } from 'vitest';
import { OPERATOR } from '#core/admin-access.ts';
import { formatCsv, parseCsv } from '#core/csv.ts';
import type { Actor } from '#core/people.ts';
import { makeNode } from '#core/tree.ts';
import {
  codesToRead,
  exportRows,
  type ImportPlan,
  isImportedOfficer,
  MAX_IMPORT_ROWS,
  type NodeRecord,
  officerId,
  officerIdsToRead,
  type PersonRecord,
  parseLevel,
  planImport,
  readImportRows,
  staffPathsToRead,
} from '#core/tree-import.ts';
import { COUNTY, countyAdmin, GRID, OTHER_TOWNSHIP, SIBLING_GRID, TOWNSHIP, townshipAdmin, VILLAGE, villageAdmin } from './fixtures.ts';

const HEADER = 'code,name,level,parent_code,officer_name,officer_phone,officer_title';
const csv = (...lines: string[]) => [HEADER, ...lines].join('\r\n');
const TREE: NodeRecord[] = [COUNTY, TOWNSHIP, VILLAGE, GRID, SIBLING_GRID, OTHER_TOWNSHIP];

interface Store {
  nodes: NodeRecord[];
  people: PersonRecord[];
}

function plan(text: string, store: Partial<Store> = {}, actor: Actor = countyAdmin): ImportPlan {
  const read = readImportRows(parseCsv(text).records);
  const nodes = store.nodes ?? TREE;
  return planImport(read, { nodes: new Map(nodes.map((n) => [n.code, n])), people: store.people ?? [] }, actor);
}

/** What the store holds after a plan is applied (as the use case writes it). */
function applied(store: Store, result: ImportPlan): Store {
  const nodes = new Map(store.nodes.map((n) => [n.code, n]));
  const people = new Map(store.people.map((p) => [p.id, p]));
  for (const row of result.rows) {
    if (row.node) nodes.set(row.code, row.node.after);
    if (row.officer) people.set(row.officer.after.id, row.officer.after);
    for (const p of row.replaced) people.set(p.id, { ...p, active: false });
  }
  return { nodes: [...nodes.values()], people: [...people.values()] };
}

const codesOf = (result: ImportPlan) => result.errors.map((e) => [e.row, e.column, e.code]);

describe('reading the header', () => {
  it('takes the columns in any order and in any case or spacing (Parent Code, PARENT_CODE)', () => {
    // Act
    const read = readImportRows(parseCsv('Name,PARENT_CODE,Level,Code\r\n新村,451322201,村,451322201009').records);

    // Assess
    expect(read.errors).toEqual([]);
    expect(read.rows).toEqual([{ row: 2, code: '451322201009', name: '新村', level: 'village', parentCode: '451322201', officer: null }]);
    expect(read.hasOfficerColumns).toBe(false);
  });

  it('reports unknown, duplicate and missing columns on row 1, all of them', () => {
    // Act
    const read = readImportRows(parseCsv('code,名字,code,level,officer_name\r\n1,2,3,4,5').records);

    // Assess
    expect(read.errors.map((e) => [e.row, e.column, e.code])).toEqual([
      [1, '名字', 'IMPORT.UNKNOWN_COLUMN'],
      [1, 'code', 'IMPORT.DUPLICATE_COLUMN'],
      [1, 'name', 'IMPORT.MISSING_COLUMN'],
      [1, 'parent_code', 'IMPORT.MISSING_COLUMN'],
      [1, 'officer_phone', 'IMPORT.MISSING_COLUMN'],
    ]);
    expect(read.rows).toEqual([]);
  });

  it('refuses a file without a header or without rows', () => {
    expect(readImportRows(parseCsv('').records).errors.map((e) => e.code)).toEqual(['IMPORT.NO_HEADER']);
    expect(readImportRows(parseCsv(`${HEADER}\r\n,,,,,,\r\n`).records).errors.map((e) => e.code)).toEqual(['IMPORT.EMPTY']);
  });
});

describe('reading the rows', () => {
  it('names levels in English or Chinese, 区/街道/社区 included', () => {
    expect(['county', '县', '区', 'Township', '乡镇', '街道', '镇', 'village', '村', '社区', 'grid', '网格'].map(parseLevel)).toEqual([
      'county',
      'county',
      'county',
      'township',
      'township',
      'township',
      'township',
      'village',
      'village',
      'village',
      'grid',
      'grid',
    ]);
    expect(parseLevel('组')).toBeNull();
  });

  it('normalises an 11-digit mainland mobile to +86 and keeps a title', () => {
    // Act
    const read = readImportRows(parseCsv(csv('451322201001003,那沙村第三网格,网格,451322201001,蓝建华,139 7720 1234,网格员')).records);

    // Assess
    expect(read.errors).toEqual([]);
    expect(read.rows[0]?.officer).toEqual({ name: '蓝建华', phone: '+8613977201234', title: '网格员' });
  });

  it('refuses a code Excel turned into a number, saying so and how to keep the column as text', () => {
    // Act
    const read = readImportRows(
      parseCsv(csv('4.51322E+14,那沙村第三网格,网格,451322201001,,,', '451322201001004,第四网格,网格,451322201001.0,,,')).records,
    );

    // Assess
    expect(read.errors.map((e) => [e.row, e.column, e.code])).toEqual([
      [2, 'code', 'IMPORT.EXCEL_NUMBER'],
      [3, 'parent_code', 'IMPORT.EXCEL_NUMBER'],
    ]);
    expect(read.errors[0]?.message).toContain('4.51322E+14');
    expect(read.errors[0]?.message).toContain('Excel');
    expect(read.errors[0]?.message).toContain('设置单元格格式为“文本”');
  });

  it('reports every problem of a row, and of every row, in one pass', () => {
    // Act
    const read = readImportRows(
      parseCsv(
        csv(
          ',,,451322201001,,,',
          '451322201001005,第五网格,组,451322201001,韦小红,1234,',
          '451322201001006,第六网格,网格,451322201001,韦小红,,',
          '451322201001007,第七网格,网格,451322201001,,13977201234,',
          '451322201001008,第八网格,网格,451322201001,,,网格员',
          '451322201001009,第九\u0007网格,网格,451322201001,,,',
          `451322201001010,${'长'.repeat(61)},网格,451322201001,,,`,
          '45132220100101X,第十一网格,网格,451322201001,,,,extra',
        ),
      ).records,
    );

    // Assess
    expect(read.errors.map((e) => [e.row, e.column, e.code])).toEqual([
      [2, 'code', 'IMPORT.REQUIRED'],
      [2, 'name', 'IMPORT.REQUIRED'],
      [2, 'level', 'IMPORT.REQUIRED'],
      [3, 'level', 'IMPORT.BAD_LEVEL'],
      [3, 'officer_phone', 'PEOPLE.PHONE_INVALID'],
      [4, 'officer_phone', 'IMPORT.OFFICER_INCOMPLETE'],
      [5, 'officer_name', 'IMPORT.OFFICER_INCOMPLETE'],
      [6, 'officer_name', 'IMPORT.OFFICER_INCOMPLETE'],
      [6, 'officer_phone', 'IMPORT.OFFICER_INCOMPLETE'],
      [7, 'name', 'IMPORT.BAD_TEXT'],
      [8, 'name', 'IMPORT.TOO_LONG'],
      [9, null, 'IMPORT.EXTRA_FIELDS'],
      [9, 'code', 'NODE.CODE_SHAPE'],
    ]);
  });

  it('takes at most 100,000 rows a file, saying where the first one too many is', () => {
    // Prepare
    const lines = Array.from({ length: MAX_IMPORT_ROWS + 1 }, (_, i) => `${451322201001001 + i},网格,网格,451322201001,,,`);

    // Act
    const read = readImportRows(parseCsv(csv(...lines)).records);

    // Assess
    expect(read.errors).toEqual([expect.objectContaining({ row: MAX_IMPORT_ROWS + 2, column: null, code: 'IMPORT.TOO_MANY_ROWS' })]);
    expect(read.rows).toEqual([]);
  });

  it('keeps Excel’s row numbers when blank rows sit between rows', () => {
    // Act
    const read = readImportRows(parseCsv(csv(',,,,,,', '451322201001003,第三网格,网格,451322201001,,,')).records);

    // Assess
    expect(read.rows.map((r) => r.row)).toEqual([3]);
  });

  it('takes off the formula guard the export puts before a name starting with =', () => {
    // Act
    const read = readImportRows(parseCsv(csv("451322201001003,'=第三网格,网格,451322201001,,,")).records);

    // Assess
    expect(read.rows[0]?.name).toBe('=第三网格');
  });
});

describe('planning an import', () => {
  const NEW_VILLAGE = csv(
    '451322201009,新村,村,451322201,韦国华,13977200001,村党支部书记',
    '451322201009001,新村第一网格,网格,451322201009,蒙小燕,13977200002,网格员',
    '451322201009002,新村第二网格,网格,451322201009,覃志明,13977200003,',
  );

  it('creates new nodes under a stored parent, with their officers in the role of their level', () => {
    // Act
    const result = plan(NEW_VILLAGE);

    // Assess
    expect(result.errors).toEqual([]);
    expect(result.counts).toEqual({ created: 3, updated: 0, unchanged: 0 });
    expect(result.rows.map((r) => [r.code, r.outcome, r.node?.change])).toEqual([
      ['451322201009', 'created', 'created'],
      ['451322201009001', 'created', 'created'],
      ['451322201009002', 'created', 'created'],
    ]);
    expect(result.rows[1]?.node?.after).toEqual({
      code: '451322201009001',
      name: '新村第一网格',
      level: 'grid',
      parentCode: '451322201009',
      path: ['451322', '451322201', '451322201009', '451322201009001'],
    });
    expect(result.rows[0]?.officer?.after).toEqual({
      id: officerId('451322201009', '+8613977200001'),
      name: '韦国华',
      phone: '+8613977200001',
      role: 'village_admin',
      scope: '451322201009',
      scopePath: ['451322', '451322201', '451322201009'],
      title: '村党支部书记',
      active: true,
      responsible: true,
    });
    expect(result.rows[1]?.officer?.after.role).toBe('grid_worker');
    expect(result.rows[2]?.officer?.after).not.toHaveProperty('title');
  });

  it('puts parents before children whatever the file’s order', () => {
    // Act
    const result = plan(
      csv('451322201009001,新村第一网格,网格,451322201009,,,', '451322201009,新村,村,451322201,,,', '451322201008,另一村,村,451322201,,,'),
    );

    // Assess
    expect(result.rows.map((r) => r.code)).toEqual(['451322201009', '451322201008', '451322201009001']);
  });

  it('plans nothing when the same file is imported again', () => {
    // Prepare
    const store = applied({ nodes: TREE, people: [] }, plan(NEW_VILLAGE));

    // Act
    const again = plan(NEW_VILLAGE, store);

    // Assess
    expect(again.errors).toEqual([]);
    expect(again.counts).toEqual({ created: 0, updated: 0, unchanged: 3 });
    expect(again.rows.every((r) => r.node === null && r.officer === null && r.replaced.length === 0)).toBe(true);
  });

  it('updates the name of a node and the title of its officer when only those changed', () => {
    // Prepare
    const store = applied({ nodes: TREE, people: [] }, plan(NEW_VILLAGE));

    // Act
    const result = plan(
      csv(
        '451322201009,新村村,村,451322201,韦国华,13977200001,村党支部书记',
        '451322201009001,新村第一网格,网格,451322201009,蒙小燕,13977200002,专职网格员',
      ),
      store,
    );

    // Assess
    expect(result.counts).toEqual({ created: 0, updated: 2, unchanged: 0 });
    expect(result.rows[0]?.node).toMatchObject({ change: 'updated', before: { name: '新村' }, after: { name: '新村村' } });
    expect(result.rows[0]?.officer).toBeNull();
    expect(result.rows[1]?.node).toBeNull();
    expect(result.rows[1]?.officer).toMatchObject({ change: 'updated', after: { title: '专职网格员' } });
  });

  it('makes a new phone a new officer and replaces the one an earlier import made, not one made by hand', () => {
    // Prepare
    const store = applied({ nodes: TREE, people: [] }, plan(NEW_VILLAGE));
    const byHand: PersonRecord = {
      id: 'p-by-hand',
      name: '黄秀英',
      phone: '+8613977209999',
      role: 'grid_worker',
      scope: '451322201009001',
      scopePath: ['451322', '451322201', '451322201009', '451322201009001'],
    };
    store.people.push(byHand);

    // Act
    const result = plan(csv('451322201009001,新村第一网格,网格,451322201009,莫志强,13977200009,网格员'), store);

    // Assess
    const row = result.rows[0];
    expect(row?.outcome).toBe('updated');
    expect(row?.officer).toMatchObject({
      change: 'created',
      after: { id: officerId('451322201009001', '+8613977200009'), name: '莫志强' },
    });
    expect(row?.replaced.map((p) => p.name)).toEqual(['蒙小燕']);
    expect(isImportedOfficer(byHand)).toBe(false);
  });

  it('reactivates an officer an earlier import replaced when their phone comes back', () => {
    // Prepare
    const first = applied({ nodes: TREE, people: [] }, plan(NEW_VILLAGE));
    const replaced = applied(first, plan(csv('451322201009001,新村第一网格,网格,451322201009,莫志强,13977200009,网格员'), first));

    // Act
    const result = plan(csv('451322201009001,新村第一网格,网格,451322201009,蒙小燕,13977200002,网格员'), replaced);

    // Assess
    expect(result.rows[0]?.officer).toMatchObject({ change: 'reactivated', after: { name: '蒙小燕', active: true } });
    expect(result.rows[0]?.replaced.map((p) => p.name)).toEqual(['莫志强']);
  });

  it('finds the officer by phone whoever made them: a seeded grid worker with the same phone is left as is', () => {
    // Prepare
    const seeded: PersonRecord = {
      id: 'p-worker-1',
      name: '覃宏',
      phone: '+8613877200301',
      role: 'grid_worker',
      scope: GRID.code,
      title: '那沙村第一网格网格员',
    };

    // Act
    const result = plan(csv(`${GRID.code},${GRID.name},grid,${VILLAGE.code},覃宏,13877200301,那沙村第一网格网格员`), {
      people: [seeded],
    });

    // Assess
    expect(result.counts).toEqual({ created: 0, updated: 0, unchanged: 1 });
  });

  it('refuses an officer id that an earlier import made here but who was moved elsewhere since', () => {
    // Prepare
    const moved: PersonRecord = {
      id: officerId(GRID.code, '+8613977200002'),
      name: '蒙小燕',
      phone: '+8613977200002',
      role: 'grid_worker',
      scope: SIBLING_GRID.code,
    };

    // Act
    const result = plan(csv(`${GRID.code},${GRID.name},grid,${VILLAGE.code},蒙小燕,13977200002,`), { people: [moved] });

    // Assess
    expect(codesOf(result)).toEqual([[2, 'officer_phone', 'IMPORT.PERSON_ELSEWHERE']]);
  });

  it('reports every kind of bad row at once and plans no writes', () => {
    // Prepare
    const retiredTownship = {
      ...makeNode({ code: '451322102', name: '已撤乡', level: 'township', parent: COUNTY }),
      status: 'retired' as const,
    };
    const nodes = [...TREE, retiredTownship];

    // Act
    const result = plan(
      csv(
        '451322201009,新村,村,451322201,,,', // fine
        '451322201009001,网格甲,网格,451322999,,,', // unknown parent
        '451322201009002,网格乙,网格,451322201,,,', // a grid under a township
        '451322201008001,网格丙,网格,451322201009,,,', // a code that does not extend its parent's
        '45132220100900,网格丁,网格,451322201009,,,', // a code of the wrong length
        '451322201009,新村重复,村,451322201,,,', // duplicate code
        '451322201007,甲村,村,451322201007001,,,', // cycle with the next row
        '451322201007001,甲网格,网格,451322201007,,,',
        '451322102001,撤并村下新村,村,451322102,,,', // retired parent
        `${VILLAGE.code},那沙村,村,${OTHER_TOWNSHIP.code},,,`, // a move
        `${GRID.code},那沙村第一网格,村,${VILLAGE.code},,,`, // a level change
        '451322201009003,网格戊,网格,451322201009,覃某,1380000,', // malformed phone
        '451323,邻县,县,,,,', // a county from a county admin
        '451322101,石龙镇,乡镇,451322,,,', // fine: a stored township, unchanged
      ),
      { nodes },
    );

    // Assess
    expect(codesOf(result)).toEqual([
      [3, 'parent_code', 'IMPORT.UNKNOWN_PARENT'],
      [4, 'level', 'NODE.LEVEL_PARENT'],
      [5, 'code', 'NODE.CODE_PARENT'],
      [6, 'code', 'NODE.CODE_SHAPE'],
      [7, 'code', 'IMPORT.DUPLICATE_CODE'],
      [8, 'parent_code', 'IMPORT.CYCLE'],
      [9, 'parent_code', 'IMPORT.CYCLE'],
      [10, 'parent_code', 'IMPORT.PARENT_RETIRED'],
      [11, 'parent_code', 'IMPORT.MOVE_REFUSED'],
      [12, 'level', 'IMPORT.LEVEL_CHANGE'],
      [13, 'officer_phone', 'PEOPLE.PHONE_INVALID'],
      [14, 'level', 'IMPORT.COUNTY_OPERATOR_ONLY'],
    ]);
    expect(result.errors.every((e) => e.message.length > 0)).toBe(true);
    expect(result.rows).toEqual([]);
    expect(result.counts).toEqual({ created: 0, updated: 0, unchanged: 0 });
  });

  it('refuses a retired node and a county row without a parent that is not a county', () => {
    // Prepare
    const retired = { ...VILLAGE, status: 'retired' as const };

    // Act
    const result = plan(csv(`${VILLAGE.code},那沙村,村,${TOWNSHIP.code},,,`, '451322201010,无上级村,村,,,,'), {
      nodes: [COUNTY, TOWNSHIP, retired],
    });

    // Assess
    expect(codesOf(result)).toEqual([
      [2, 'code', 'IMPORT.NODE_RETIRED'],
      [3, 'level', 'NODE.ROOT_LEVEL'],
    ]);
  });

  it('leaves alone a node that was moved under a parent whose code it does not extend (codes identify, paths place)', () => {
    // Prepare: 那沙村 moved from 百丈乡 to 石龙镇, keeping its code
    const moved = { ...VILLAGE, parentCode: OTHER_TOWNSHIP.code, path: [COUNTY.code, OTHER_TOWNSHIP.code, VILLAGE.code] };

    // Act
    const result = plan(csv(`${VILLAGE.code},那沙村,村,${OTHER_TOWNSHIP.code},,,`, `451322201001009,第九网格,网格,${VILLAGE.code},,,`), {
      nodes: [COUNTY, TOWNSHIP, OTHER_TOWNSHIP, moved],
    });

    // Assess
    expect(result.errors).toEqual([]);
    expect(result.counts).toEqual({ created: 1, updated: 0, unchanged: 1 });
    expect(result.rows[1]?.node?.after.path).toEqual([COUNTY.code, OTHER_TOWNSHIP.code, VILLAGE.code, '451322201001009']);
  });

  it('keeps an importer to their scope: a township admin may not import under another township', () => {
    // Act
    const result = plan(csv('451322101009,别乡新村,村,451322101,,,', '451322201009,本乡新村,村,451322201,,,'), {}, townshipAdmin);

    // Assess
    expect(codesOf(result)).toEqual([[2, 'code', 'IMPORT.OUT_OF_SCOPE']]);
  });

  it('lets a village admin import grids of their village but not their township', () => {
    // Act
    const result = plan(
      csv(`${TOWNSHIP.code},百丈乡,乡镇,${COUNTY.code},,,`, '451322201001009,第九网格,网格,451322201001,,,'),
      {},
      villageAdmin,
    );

    // Assess
    expect(codesOf(result)).toEqual([[2, 'code', 'IMPORT.OUT_OF_SCOPE']]);
  });

  it('lets the operator create a county with its whole tree', () => {
    // Act
    const result = plan(
      csv('451323,新县,县,,覃县长,13977201000,县综治中心主任', '451323101,新镇,镇,451323,,,', '451323101001,新社区,社区,451323101,,,'),
      { nodes: [] },
      OPERATOR,
    );

    // Assess
    expect(result.errors).toEqual([]);
    expect(result.counts.created).toBe(3);
    expect(result.rows[0]?.officer?.after).toMatchObject({ role: 'county_admin', scope: '451323', scopePath: ['451323'] });
  });
});

describe('what to read before planning', () => {
  const rows = readImportRows(
    parseCsv(
      csv(
        `${GRID.code},那沙村第一网格,网格,${VILLAGE.code},覃宏,13877200301,`,
        `${SIBLING_GRID.code},那沙村第二网格,网格,${VILLAGE.code},韦丽萍,13877200302,`,
        `${OTHER_TOWNSHIP.code},石龙镇,乡镇,${COUNTY.code},,,`,
        '451322101009,新社区,社区,451322101,,,',
      ),
    ).records,
  ).rows;
  const nodes = new Map(TREE.map((n) => [n.code, n]));

  it('looks up every code and every parent the rows name', () => {
    expect(codesToRead(rows).sort()).toEqual(
      [COUNTY.code, OTHER_TOWNSHIP.code, VILLAGE.code, GRID.code, SIBLING_GRID.code, '451322101009'].sort(),
    );
  });

  it('lists the staff of the stored subtrees the file touches, siblings under their parent’s one listing', () => {
    expect(staffPathsToRead(rows, nodes)).toEqual([OTHER_TOWNSHIP.path, VILLAGE.path]);
  });

  it('reads by id only the officers the listings did not return', () => {
    // Prepare
    const listed = new Set([officerId(GRID.code, '+8613877200301')]);

    // Act
    const ids = officerIdsToRead(rows, nodes, listed);

    // Assess
    expect(ids).toEqual([officerId(SIBLING_GRID.code, '+8613877200302')]);
  });
});

describe('exporting a subtree', () => {
  const people: PersonRecord[] = [
    { id: 'p-b', name: '韦丽萍', phone: '+8613877200302', role: 'grid_worker', scope: GRID.code, title: '网格员' },
    { id: 'p-a', name: '覃宏', phone: '+8613877200301', role: 'grid_worker', scope: GRID.code, active: false },
    { id: 'p-c', name: '=蓝', phone: '+85291234567', role: 'village_admin', scope: VILLAGE.code },
    { id: 'p-d', name: '副书记', phone: '+8613877200999', role: 'village_admin', scope: VILLAGE.code, responsible: false },
  ];

  it('writes the import format in tree order, with each node’s first active responsible officer of its level', () => {
    // Prepare
    const retired = {
      ...makeNode({ code: '451322201002', name: '撤并村', level: 'village', parent: TOWNSHIP }),
      status: 'retired' as const,
    };
    const underRetired = makeNode({ code: '451322201002001', name: '撤并村网格', level: 'grid', parent: retired });

    // Act
    const rows = exportRows([SIBLING_GRID, GRID, retired, underRetired, VILLAGE, TOWNSHIP], people);

    // Assess
    expect(rows).toEqual([
      ['code', 'name', 'level', 'parent_code', 'officer_name', 'officer_phone', 'officer_title'],
      [TOWNSHIP.code, '百丈乡', 'township', COUNTY.code, '', '', ''],
      [VILLAGE.code, '那沙村', 'village', TOWNSHIP.code, "'=蓝", '+85291234567', ''],
      [GRID.code, '那沙村第一网格', 'grid', VILLAGE.code, '韦丽萍', '13877200302', '网格员'],
      [SIBLING_GRID.code, '那沙村第二网格', 'grid', VILLAGE.code, '', '', ''],
    ]);
  });

  it('round-trips: importing the export plans nothing', () => {
    // Prepare
    const store: Store = { nodes: TREE, people };
    const text = formatCsv(exportRows([TOWNSHIP, VILLAGE, GRID, SIBLING_GRID], people)).slice(1);

    // Act
    const result = plan(text, store, townshipAdmin);

    // Assess
    expect(result.errors).toEqual([]);
    expect(result.counts).toEqual({ created: 0, updated: 0, unchanged: 4 });
  });
});
