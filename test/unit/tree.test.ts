import { describe, expect, it } from 'vitest';
import {
  childLevel,
  codeAtLevel,
  codesAboveByShape,
  isWithin,
  jurisdictionCodes,
  jurisdictionOf,
  levelIndex,
  makeNode,
  NODE_LEVELS,
  nodeCodeProblem,
} from '#core/tree.ts';
import { COUNTY, GRID, OTHER_GRID, OTHER_TOWNSHIP, OTHER_VILLAGE, SIBLING_GRID, TOWNSHIP, VILLAGE } from './fixtures.ts';

describe('tree levels', () => {
  it('orders the levels county → township → village → grid', () => {
    // Act
    const indices = NODE_LEVELS.map(levelIndex);

    // Assess
    expect(NODE_LEVELS).toEqual(['county', 'township', 'village', 'grid']);
    expect(indices).toEqual([0, 1, 2, 3]);
  });

  it('names the child level of every level and none below a grid', () => {
    // Act
    const children = NODE_LEVELS.map(childLevel);

    // Assess
    expect(children).toEqual(['township', 'village', 'grid', null]);
  });
});

describe('makeNode', () => {
  it('makes a county the root of its own path with no parent', () => {
    // Act
    const county = makeNode({ code: 'C1', name: '象州县', level: 'county', parent: null });

    // Assess
    expect(county).toEqual({ code: 'C1', name: '象州县', level: 'county', parentCode: null, path: ['C1'] });
  });

  it('extends the parent path down to the new node', () => {
    // Prepare
    const county = makeNode({ code: 'C1', name: '县', level: 'county', parent: null });
    const township = makeNode({ code: 'T1', name: '乡', level: 'township', parent: county });
    const village = makeNode({ code: 'V1', name: '村', level: 'village', parent: township });

    // Act
    const grid = makeNode({ code: 'G1', name: '网格', level: 'grid', parent: village });

    // Assess
    expect(grid.parentCode).toBe('V1');
    expect(grid.path).toEqual(['C1', 'T1', 'V1', 'G1']);
    expect(township.path).toEqual(['C1', 'T1']);
  });

  it.each(['township', 'village', 'grid'] as const)('refuses a %s without a parent', (level) => {
    // Act
    const make = () => makeNode({ code: 'X', name: 'x', level, parent: null });

    // Assess
    expect(make).toThrow(/only a county may have no parent/);
  });

  it.each([
    { level: 'village', parent: COUNTY },
    { level: 'grid', parent: TOWNSHIP },
    { level: 'county', parent: VILLAGE },
    { level: 'grid', parent: GRID },
    { level: 'township', parent: TOWNSHIP },
  ] as const)('refuses a $level under a $parent.level (a skipped or repeated level)', ({ level, parent }) => {
    // Act
    const make = () => makeNode({ code: 'X', name: 'x', level, parent });

    // Assess
    expect(make).toThrow(`cannot sit under the ${parent.level} ${parent.code}`);
  });
});

describe('jurisdictionOf', () => {
  it('reads the county, township, village and grid codes off a grid path', () => {
    // Act
    const j = jurisdictionOf(GRID);

    // Assess
    expect(j).toEqual({ countyCode: COUNTY.code, townshipCode: TOWNSHIP.code, villageCode: VILLAGE.code, gridCode: GRID.code });
    expect(jurisdictionCodes(j)).toEqual(GRID.path);
  });

  it.each([COUNTY, TOWNSHIP, VILLAGE])('refuses a node that is not a grid ($level)', (node) => {
    // Act
    const read = () => jurisdictionOf(node);

    // Assess
    expect(read).toThrow(`node ${node.code} is not a grid with a full path`);
  });

  it('refuses a grid whose stored path is incomplete', () => {
    // Prepare
    const truncated = { ...GRID, path: [COUNTY.code, GRID.code] };

    // Act
    const read = () => jurisdictionOf(truncated);

    // Assess
    expect(read).toThrow(/not a grid with a full path/);
  });
});

describe('isWithin and codeAtLevel', () => {
  const j = jurisdictionOf(GRID);

  it.each([COUNTY, TOWNSHIP, VILLAGE, GRID])('places the grid inside its own line of nodes ($level $code)', (node) => {
    // Act
    const inside = isWithin(j, node.code);

    // Assess
    expect(inside).toBe(true);
  });

  it.each([SIBLING_GRID, OTHER_GRID, OTHER_VILLAGE, OTHER_TOWNSHIP])('keeps the grid outside $name', (node) => {
    // Act
    const inside = isWithin(j, node.code);

    // Assess
    expect(inside).toBe(false);
  });

  it('does not treat a code prefix as an ancestor', () => {
    // Act
    const inside = isWithin(j, GRID.code.slice(0, -1));

    // Assess
    expect(inside).toBe(false);
  });

  it('picks the node code of each level', () => {
    // Act
    const codes = NODE_LEVELS.map((level) => codeAtLevel(j, level));

    // Assess
    expect(codes).toEqual([COUNTY.code, TOWNSHIP.code, VILLAGE.code, GRID.code]);
  });
});

describe('nodeCodeProblem', () => {
  const county = { code: '451322', level: 'county' as const };
  const township = { code: '451322201', level: 'township' as const };

  it.each([
    ['451322', 'county', null, null],
    ['451322201', 'township', county, null],
    ['451322201001', 'village', township, null],
    ['45132', 'county', null, 'NODE.CODE_SHAPE'],
    ['4513222O1', 'township', county, 'NODE.CODE_SHAPE'],
    ['451321201', 'township', county, 'NODE.CODE_PARENT'],
    ['451322201001', 'village', county, 'NODE.LEVEL_PARENT'],
    ['451322201', 'township', null, 'NODE.ROOT_LEVEL'],
  ] as const)('%s as a %s → %s', (code, level, parent, problem) => {
    expect(nodeCodeProblem(code, level, parent)?.code ?? null).toBe(problem);
  });

  it('says why in Chinese first', () => {
    expect(nodeCodeProblem('451321201', 'township', county)?.message).toMatch(/^代码451321201应以上级代码451322开头/);
  });
});

describe('codesAboveByShape', () => {
  it('reads the county, township and village codes off a grid code, as its ancestors were created', () => {
    // Act
    const above = codesAboveByShape(GRID.code);

    // Assess
    expect(above).toEqual([COUNTY.code, TOWNSHIP.code, VILLAGE.code]);
  });

  it.each([
    ['a county code', '451322', []],
    ['a village code', '451322201001', ['451322', '451322201']],
    ['a code that is not digits', '45-1322', []],
    ['an empty code', '', []],
  ])('guesses nothing it cannot read (%s)', (_case, code, expected) => {
    // Act
    const above = codesAboveByShape(code);

    // Assess
    expect(above).toEqual(expected);
  });
});
