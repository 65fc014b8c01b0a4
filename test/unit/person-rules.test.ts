/** The pure rules a person must satisfy before it is stored (the people routes and the CSV importer share them). */
import { describe, expect, it } from 'vitest';
import { normalizePersonFields, type PersonFields, personProblems } from '#core/people.ts';

const WORKER: PersonFields = { name: '覃宏', phone: '+8613877200301', role: 'grid_worker', scope: '451322201001001', title: '网格员' };
const GRID = { node: { code: '451322201001001', level: 'grid' as const } };
const codes = (input: PersonFields, target: Parameters<typeof personProblems>[1]) => personProblems(input, target).map((p) => p.code);

describe('personProblems', () => {
  it('finds nothing wrong with a grid worker at a grid, their 11-digit mobile included', () => {
    expect(personProblems(WORKER, GRID)).toEqual([]);
    expect(personProblems({ ...WORKER, phone: '138 7720 0301' }, GRID)).toEqual([]);
  });

  it.each([
    ['an empty name', { name: '  ' }, 'PEOPLE.INVALID_NAME'],
    ['a name of 41 characters', { name: '覃'.repeat(41) }, 'PEOPLE.INVALID_NAME'],
    ['a name with a control character', { name: '覃\u0007宏' }, 'PEOPLE.INVALID_NAME'],
    ['a name with a bidi override', { name: '覃\u202e宏' }, 'PEOPLE.INVALID_NAME'],
    ['a title of 61 characters', { title: '员'.repeat(61) }, 'PEOPLE.INVALID_TITLE'],
    ['an empty title', { title: '' }, 'PEOPLE.INVALID_TITLE'],
    ['a landline', { phone: '0772-4567890' }, 'PEOPLE.INVALID_PHONE'],
    ['a +86 number that is no mobile', { phone: '+867724567890' }, 'PEOPLE.INVALID_PHONE'],
  ])('refuses %s', (_case, overrides, code) => {
    expect(codes({ ...WORKER, ...overrides }, GRID)).toEqual([code]);
  });

  it('accepts names and titles up to their limits, counting characters, not UTF-16 units', () => {
    expect(personProblems({ ...WORKER, name: '𠀋'.repeat(40), title: '员'.repeat(60) }, GRID)).toEqual([]);
  });

  it.each([
    ['grid_worker', 'village'],
    ['village_admin', 'grid'],
    ['township_admin', 'village'],
    ['county_admin', 'township'],
  ] as const)('refuses a %s scoped to a %s', (role, level) => {
    expect(codes({ ...WORKER, role }, { node: { code: '451322201001', level } })).toEqual(['PEOPLE.SCOPE_MISMATCH']);
  });

  it('scopes each role to its own level, and a department officer to a department', () => {
    expect(codes({ ...WORKER, role: 'village_admin' }, { node: { code: '451322201001', level: 'village' } })).toEqual([]);
    expect(codes({ ...WORKER, role: 'department_officer', scope: 'housing' }, { department: { code: 'housing' } })).toEqual([]);
    expect(codes({ ...WORKER, role: 'department_officer' }, GRID)).toEqual(['PEOPLE.SCOPE_MISMATCH']);
    expect(codes(WORKER, { department: { code: 'housing' } })).toEqual(['PEOPLE.SCOPE_MISMATCH']);
  });

  it('refuses a scope that does not exist or was retired, saying which', () => {
    const unknown = personProblems(WORKER, null);
    expect(unknown).toEqual([expect.objectContaining({ field: 'scope', code: 'PEOPLE.SCOPE_UNKNOWN' })]);
    expect(unknown[0]?.message).toMatch(/不存在/);
    expect(codes(WORKER, { node: { ...GRID.node, status: 'retired' } })).toEqual(['PEOPLE.SCOPE_RETIRED']);
  });

  it('reports every problem at once, Chinese first', () => {
    const problems = personProblems({ ...WORKER, name: '', phone: '123' }, null);
    expect(problems.map((p) => p.field)).toEqual(['name', 'phone', 'scope']);
    expect(problems[0]?.message).toMatch(/^姓名不能为空/);
  });
});

describe('normalizePersonFields', () => {
  it('trims the text and writes a readable phone in E.164, leaving an unreadable one for the rules to refuse', () => {
    expect(normalizePersonFields({ name: ' 覃宏 ', title: ' 网格员 ', phone: '139-7720-1234', scope: ' 451322201001001 ' })).toEqual({
      name: '覃宏',
      title: '网格员',
      phone: '+8613977201234',
      scope: '451322201001001',
    });
    expect(normalizePersonFields({ phone: ' 12345 ' }).phone).toBe('12345');
  });
});
