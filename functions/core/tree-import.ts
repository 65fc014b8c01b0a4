/**
 * Importing the jurisdiction tree from a CSV (the format of API.md): reading the rows, checking
 * every one of them in one pass, and planning what to create, update and leave alone. Everything
 * here is pure: the plan is a function of the rows, the records they touch and who imports them,
 * so a dry run and a commit plan alike and a re-import of the same file plans nothing.
 *
 * Messages are Chinese first (the admins read Chinese), English in parentheses; `row` is the row as
 * Excel numbers it, the header being 1.
 */
import { createHash } from 'node:crypto';
import { holdsNode, isOperator } from './admin-access.ts';
import type { Versioned } from './audit.ts';
import { type CsvRecord, isBlankRecord } from './csv.ts';
import { type Actor, isActivePerson, normalizePhone, type Person, phoneProblem, type Role } from './people.ts';
import { CODE_LENGTHS, isActiveNode, levelIndex, NODE_LEVELS, type NodeLevel, nodeCodeProblem, pathKey, type TreeNode } from './tree.ts';

export const IMPORT_COLUMNS = ['code', 'name', 'level', 'parent_code', 'officer_name', 'officer_phone', 'officer_title'] as const;
export type ImportColumn = (typeof IMPORT_COLUMNS)[number];
const REQUIRED_COLUMNS: ImportColumn[] = ['code', 'name', 'level', 'parent_code'];

/** What is wrong with one cell, row or the header: the row (header = 1), the column, a stable code, a message. */
export interface RowError {
  row: number;
  /** The column as the file names it (or should), null for the row as a whole. */
  column: string | null;
  code: string;
  message: string;
}

export interface Officer {
  name: string;
  /** E.164, normalised from what the file has (13977201234 → +8613977201234). */
  phone: string;
  /** Absent: the officer has no title (a blank cell clears one). */
  title?: string;
}

/**
 * A data row as read. What could not be read is null, so the cross-row checks still see the rest
 * (a node whose officer's phone is wrong is still the parent its children name).
 */
export interface ImportRow {
  row: number;
  code: string | null;
  name: string | null;
  level: NodeLevel | null;
  /** null: no parent (a county); undefined: the cell could not be read. */
  parentCode: string | null | undefined;
  /** null: the row names no officer (its officers are left as they are); undefined: unreadable. */
  officer: Officer | null | undefined;
}

export const MAX_IMPORT_ROWS = 100_000;
const MAX_NODE_NAME = 60;
const MAX_PERSON_NAME = 20;
const MAX_TITLE = 40;

// C0/C1 controls, DEL and bidi overrides never belong in a name (the rules of handlers/http/schemas.ts).
const CONTROL_CHARS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
const VISIBLE = /[^\s\u200b-\u200d\u2060\ufeff]/;

/** Cells Excel would run as a formula when the file is opened; the export guards them with a leading '. */
const FORMULA_START = /^[=+\-@\t\r]/;

const LEVEL_WORDS: Record<string, NodeLevel> = {
  county: 'county',
  县: 'county',
  区: 'county',
  '县（区）': 'county',
  '县(区)': 'county',
  县区: 'county',
  township: 'township',
  乡镇: 'township',
  乡: 'township',
  镇: 'township',
  街道: 'township',
  '乡镇（街道）': 'township',
  '乡镇(街道)': 'township',
  village: 'village',
  村: 'village',
  社区: 'village',
  '村（社区）': 'village',
  '村(社区)': 'village',
  grid: 'grid',
  网格: 'grid',
};

/** The level a cell names (`grid`, `网格`, `街道`…), or null. */
export function parseLevel(text: string): NodeLevel | null {
  return LEVEL_WORDS[text.trim().toLowerCase()] ?? null;
}

/** The role of a node's officer as the CSV names them: a grid's grid worker, the others' admins. */
export const OFFICER_ROLE: Record<NodeLevel, Role> = {
  county: 'county_admin',
  township: 'township_admin',
  village: 'village_admin',
  grid: 'grid_worker',
};

/**
 * The id of the person an import makes the officer of a node: derived from the node and the phone,
 * so importing the same file again finds the same person, and a different phone is someone else.
 */
export function officerId(code: string, phone: string): string {
  return `p-${createHash('sha256').update(`${code}|${phone}`).digest('hex').slice(0, 16)}`;
}

/** True for a person an import created (their id is the one `officerId` gives their node and phone). */
export function isImportedOfficer(person: Pick<Person, 'id' | 'scope' | 'phone'>): boolean {
  return person.id === officerId(person.scope, person.phone);
}

// ---------------------------------------------------------------------------------------------
// Reading the rows

function headerKey(text: string): string {
  return text
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
}

const COLUMN_BY_KEY = new Map(IMPORT_COLUMNS.map((c) => [headerKey(c), c]));

/** `4.51322E+14`, `451322201001001.0`: what Excel writes for a long code it took for a number. */
const EXCEL_NUMBER = /^\d+(\.\d+)?E\+?\d+$|^\d+\.0+$/i;

function excelNumber(row: number, column: ImportColumn, value: string): RowError {
  const what = column === 'officer_phone' ? '电话号码' : '代码';
  return {
    row,
    column,
    code: 'IMPORT.EXCEL_NUMBER',
    message:
      `“${value}”是Excel把${what}当成数字后改写的结果，原来的数字已经丢失。请在Excel中选中这一列，` +
      `设置单元格格式为“文本”，再重新输入或粘贴${what}，然后另存为CSV ` +
      `(Excel turned the ${column === 'officer_phone' ? 'phone' : 'code'} into a number and its digits are lost: format the column as Text, ` +
      'then type or paste the values again before saving as CSV)',
  };
}

function textProblem(row: number, column: ImportColumn, value: string, max: number): RowError | null {
  if ([...value].length > max) {
    return { row, column, code: 'IMPORT.TOO_LONG', message: `${column}最多${max}个字 (at most ${max} characters)` };
  }
  if (CONTROL_CHARS.test(value) || !VISIBLE.test(value)) {
    return { row, column, code: 'IMPORT.BAD_TEXT', message: `${column}含有控制字符或没有可见文字 (control characters or no visible text)` };
  }
  return null;
}

/** A text cell as its author meant it: trimmed, and the export's formula guard (a leading ') taken off. */
function cellText(raw: string): string {
  const value = raw.trim();
  return value.startsWith("'") && FORMULA_START.test(value.slice(1)) ? value.slice(1) : value;
}

const required = (row: number, column: ImportColumn): RowError => ({
  row,
  column,
  code: 'IMPORT.REQUIRED',
  message: `${column}不能为空 (${column} is required)`,
});

function readCode(row: number, column: 'code' | 'parent_code', value: string, errors: RowError[]): string | null {
  if (EXCEL_NUMBER.test(value)) {
    errors.push(excelNumber(row, column, value));
    return null;
  }
  if (!/^\d{1,20}$/.test(value)) {
    errors.push({
      row,
      column,
      code: 'NODE.CODE_SHAPE',
      message: `代码只能由数字组成，“${value}”不符合 (a code is digits only)`,
    });
    return null;
  }
  return value;
}

function readOfficer(row: number, cell: (c: ImportColumn) => string, errors: RowError[]): Officer | null | undefined {
  const name = cellText(cell('officer_name'));
  const phoneText = cell('officer_phone').trim();
  const title = cellText(cell('officer_title'));
  if (name === '' && phoneText === '' && title === '') return null;
  let broken = false;
  if (name === '') {
    errors.push({
      row,
      column: 'officer_name',
      code: 'IMPORT.OFFICER_INCOMPLETE',
      message: '填写了电话或职务，但没有填写负责人姓名 (a phone or title without the officer’s name)',
    });
    broken = true;
  } else {
    const problem = textProblem(row, 'officer_name', name, MAX_PERSON_NAME);
    if (problem) {
      errors.push(problem);
      broken = true;
    }
  }
  let phone: string | null = null;
  if (phoneText === '') {
    errors.push({
      row,
      column: 'officer_phone',
      code: 'IMPORT.OFFICER_INCOMPLETE',
      message: '填写了负责人，但没有填写手机号码 (an officer without a phone: they get their SMS there)',
    });
    broken = true;
  } else if (EXCEL_NUMBER.test(phoneText)) {
    errors.push(excelNumber(row, 'officer_phone', phoneText));
    broken = true;
  } else {
    phone = normalizePhone(phoneText);
    const problem = phone === null ? phoneProblem(phoneText) : phoneProblem(phone);
    if (problem) {
      errors.push({ row, column: 'officer_phone', code: 'PEOPLE.PHONE_INVALID', message: problem });
      broken = true;
    }
  }
  if (title !== '') {
    const problem = textProblem(row, 'officer_title', title, MAX_TITLE);
    if (problem) {
      errors.push(problem);
      broken = true;
    }
  }
  if (broken || phone === null) return undefined;
  return title === '' ? { name, phone } : { name, phone, title };
}

export interface ReadRows {
  rows: ImportRow[];
  errors: RowError[];
  /** Whether the file has the officer columns (without them, officers are left as they are). */
  hasOfficerColumns: boolean;
}

/** Reads the header and every data row, collecting every problem a row has on its own. */
export function readImportRows(records: readonly CsvRecord[]): ReadRows {
  const errors: RowError[] = [];
  const header = records[0];
  const data = records.slice(1).filter((r) => !isBlankRecord(r));
  if (!header || isBlankRecord(header)) {
    errors.push({
      row: 1,
      column: null,
      code: 'IMPORT.NO_HEADER',
      message: `第1行应为表头：${IMPORT_COLUMNS.join(',')} (the first row is the header)`,
    });
    return { rows: [], errors, hasOfficerColumns: false };
  }
  const indexOf = new Map<ImportColumn, number>();
  header.fields.forEach((text, i) => {
    const column = COLUMN_BY_KEY.get(headerKey(text));
    if (!column) {
      if (text.trim() === '' && data.every((r) => (r.fields[i] ?? '').trim() === '')) return; // a trailing empty column
      errors.push({
        row: 1,
        column: text.trim(),
        code: 'IMPORT.UNKNOWN_COLUMN',
        message: `未知的列“${text.trim()}”，可用的列为：${IMPORT_COLUMNS.join(',')} (unknown column)`,
      });
    } else if (indexOf.has(column)) {
      errors.push({ row: 1, column, code: 'IMPORT.DUPLICATE_COLUMN', message: `列“${column}”出现了两次 (the column appears twice)` });
    } else {
      indexOf.set(column, i);
    }
  });
  for (const column of REQUIRED_COLUMNS) {
    if (!indexOf.has(column)) {
      errors.push({ row: 1, column, code: 'IMPORT.MISSING_COLUMN', message: `缺少必需的列“${column}” (the column is required)` });
    }
  }
  const officerColumns = (['officer_name', 'officer_phone', 'officer_title'] as const).filter((c) => indexOf.has(c));
  if (officerColumns.length > 0) {
    for (const column of ['officer_name', 'officer_phone'] as const) {
      if (!indexOf.has(column)) {
        errors.push({
          row: 1,
          column,
          code: 'IMPORT.MISSING_COLUMN',
          message: `有负责人的列时，officer_name 和 officer_phone 都必须有 (officer columns come with both the name and the phone)`,
        });
      }
    }
  }
  if (errors.some((e) => e.code !== 'IMPORT.UNKNOWN_COLUMN')) return { rows: [], errors, hasOfficerColumns: false };
  if (data.length === 0) {
    errors.push({ row: 2, column: null, code: 'IMPORT.EMPTY', message: '文件只有表头，没有数据行 (the file has no rows)' });
    return { rows: [], errors, hasOfficerColumns: false };
  }
  if (data.length > MAX_IMPORT_ROWS) {
    errors.push({
      row: (data[MAX_IMPORT_ROWS] as CsvRecord).row,
      column: null,
      code: 'IMPORT.TOO_MANY_ROWS',
      message: `一次最多导入${MAX_IMPORT_ROWS}行，请分批导入 (at most ${MAX_IMPORT_ROWS} rows per file)`,
    });
    return { rows: [], errors, hasOfficerColumns: false };
  }

  const hasOfficerColumns = officerColumns.length > 0;
  const rows: ImportRow[] = [];
  for (const record of data) {
    const { row } = record;
    const cell = (column: ImportColumn) => {
      const i = indexOf.get(column);
      return i === undefined ? '' : (record.fields[i] ?? '');
    };
    if (record.fields.slice(header.fields.length).some((f) => f.trim() !== '')) {
      errors.push({
        row,
        column: null,
        code: 'IMPORT.EXTRA_FIELDS',
        message: '这一行的列数多于表头 (more cells than the header has columns)',
      });
    }

    const codeText = cell('code').trim();
    if (codeText === '') errors.push(required(row, 'code'));
    const code = codeText === '' ? null : readCode(row, 'code', codeText, errors);

    const nameText = cellText(cell('name'));
    let name: string | null = null;
    if (nameText === '') errors.push(required(row, 'name'));
    else {
      const problem = textProblem(row, 'name', nameText, MAX_NODE_NAME);
      if (problem) errors.push(problem);
      else name = nameText;
    }

    const levelText = cell('level').trim();
    let level: NodeLevel | null = null;
    if (levelText === '') errors.push(required(row, 'level'));
    else {
      level = parseLevel(levelText);
      if (level === null) {
        errors.push({
          row,
          column: 'level',
          code: 'IMPORT.BAD_LEVEL',
          message: `无法识别的级别“${levelText}”，应为 县/区、乡镇/街道、村/社区、网格 或 county/township/village/grid (unknown level)`,
        });
      }
    }

    const parentText = cell('parent_code').trim();
    const parentCode = parentText === '' ? null : (readCode(row, 'parent_code', parentText, errors) ?? undefined);

    const officer = hasOfficerColumns ? readOfficer(row, cell, errors) : null;
    rows.push({ row, code, name, level, parentCode, officer });
  }
  return { rows, errors, hasOfficerColumns };
}

// ---------------------------------------------------------------------------------------------
// Planning

export type NodeRecord = TreeNode & Versioned;
export type PersonRecord = Person & Versioned & { scopePath?: string[] };

/** What the plan needs to know of the store: the nodes the rows name (and their parents), and the people at them. */
export interface ExistingRecords {
  nodes: ReadonlyMap<string, NodeRecord>;
  /** The people at the rows' existing nodes, and any person whose id an officer row derives. */
  people: readonly PersonRecord[];
}

export type RowOutcome = 'created' | 'updated' | 'unchanged';

export interface PlannedWrite<T> {
  before: T | null;
  after: T;
  change: string;
}

export interface PlannedRow {
  row: number;
  code: string;
  level: NodeLevel;
  outcome: RowOutcome;
  /** The node's write, or null when it stays as it is. */
  node: PlannedWrite<NodeRecord> | null;
  /** The officer's write, or null when they stay as they are (or the row names none). */
  officer: PlannedWrite<PersonRecord> | null;
  /** Officers an earlier import made for this node whom this row replaces (a different phone): deactivated. */
  replaced: PersonRecord[];
}

export interface ImportPlan {
  /** Every problem of every row; a plan with errors is never applied. */
  errors: RowError[];
  /** The rows to apply, parents before children (by level, then row). */
  rows: PlannedRow[];
  counts: Record<RowOutcome, number>;
}

const LEVEL_NAMES: Record<NodeLevel, string> = { county: '县（区）', township: '乡镇（街道）', village: '村（社区）', grid: '网格' };

/** A code of the right length for some level, when the row's own level is unknown. */
function plausibleCode(code: string): boolean {
  return Object.values(CODE_LENGTHS).includes(code.length);
}

interface Declared {
  row: ImportRow & { code: string };
}

/**
 * Plans an import: every problem of every row in one pass, and for a clean file what to create,
 * update and leave unchanged. Refused: unknown parents, a level that does not fit its parent, a code
 * that does not have its level's shape or does not extend its parent's, cycles, duplicate codes, a
 * retired parent or node, a row that would move or re-level an existing node (moves go through
 * PATCH /api/v1/tree/{code}), a row outside the importer's scope, a county from anyone but the
 * operator, an officer the importer may not appoint.
 */
export function planImport(read: ReadRows, existing: ExistingRecords, actor: Actor): ImportPlan {
  const errors: RowError[] = [...read.errors];
  const brokenRows = new Set(read.errors.map((e) => e.row));
  const err = (row: number, column: string | null, code: string, message: string) => {
    errors.push({ row, column, code, message });
    brokenRows.add(row);
  };

  // Codes declared by the file: the first row of each; later ones are duplicates.
  const declared = new Map<string, Declared>();
  for (const row of read.rows) {
    if (row.code === null) continue;
    const first = declared.get(row.code);
    if (first) {
      err(
        row.row,
        'code',
        'IMPORT.DUPLICATE_CODE',
        `代码${row.code}与第${first.row.row}行重复 (the code appears twice; first at row ${first.row.row})`,
      );
      continue;
    }
    declared.set(row.code, { row: row as ImportRow & { code: string } });
  }

  // Cycles among the file's own parent links.
  const inCycle = new Set<string>();
  const acyclic = new Set<string>();
  for (const start of declared.keys()) {
    const walk: string[] = [];
    const onWalk = new Set<string>();
    let code: string | null | undefined = start;
    while (code && declared.has(code) && !acyclic.has(code) && !inCycle.has(code)) {
      if (onWalk.has(code)) {
        for (const c of walk.slice(walk.indexOf(code))) inCycle.add(c);
        break;
      }
      walk.push(code);
      onWalk.add(code);
      code = declared.get(code)?.row.parentCode;
    }
    for (const c of walk) if (!inCycle.has(c)) acyclic.add(c);
  }

  // Paths: a stored node keeps its own; a new one hangs under its parent's.
  const paths = new Map<string, string[] | null>();
  const pathOf = (code: string, depth = 0): string[] | null => {
    if (paths.has(code)) return paths.get(code) ?? null;
    let path: string[] | null = null;
    const stored = existing.nodes.get(code);
    const entry = declared.get(code);
    if (stored) path = stored.path;
    else if (entry && !inCycle.has(code) && depth <= NODE_LEVELS.length) {
      const parent = entry.row.parentCode;
      if (parent === null) path = entry.row.level === 'county' ? [code] : null;
      else if (parent !== undefined) {
        const parentPath = declared.has(parent) || existing.nodes.has(parent) ? pathOf(parent, depth + 1) : null;
        path = parentPath ? [...parentPath, code] : null;
      }
    }
    paths.set(code, path);
    return path;
  };

  const planned: PlannedRow[] = [];
  const peopleAt = new Map<string, PersonRecord[]>();
  const peopleById = new Map<string, PersonRecord>();
  for (const person of existing.people) {
    peopleById.set(person.id, person);
    const list = peopleAt.get(person.scope) ?? [];
    list.push(person);
    peopleAt.set(person.scope, list);
  }

  for (const { row } of declared.values()) {
    const { code, level, parentCode } = row;
    const stored = existing.nodes.get(code);
    let rowBroken = brokenRows.has(row.row);

    if (inCycle.has(code)) {
      err(row.row, 'parent_code', 'IMPORT.CYCLE', `代码${code}的上级关系形成了循环 (the parent links of ${code} form a cycle)`);
      rowBroken = true;
    }

    // The parent, from the file or the store.
    let parent: { code: string; level: NodeLevel | null; retired: boolean } | null | 'unknown' = 'unknown';
    if (parentCode === null) parent = null;
    else if (parentCode !== undefined && !inCycle.has(code)) {
      const inFile = declared.get(parentCode);
      const storedParent = existing.nodes.get(parentCode);
      if (inFile) parent = { code: parentCode, level: inFile.row.level, retired: storedParent ? !isActiveNode(storedParent) : false };
      else if (storedParent) parent = { code: parentCode, level: storedParent.level, retired: !isActiveNode(storedParent) };
      else {
        err(
          row.row,
          'parent_code',
          'IMPORT.UNKNOWN_PARENT',
          `上级代码${parentCode}既不在文件中，也不在系统中 (unknown parent ${parentCode})`,
        );
        rowBroken = true;
      }
    }

    // The code's shape and its place under the parent. A stored node was checked when it was made,
    // and one moved since keeps its code under a parent whose code it need not extend.
    if (!stored && level) {
      const known =
        parent === null ? null : parent !== 'unknown' && parent.level !== null ? { code: parent.code, level: parent.level } : 'unknown';
      const problem = nodeCodeProblem(code, level, known === 'unknown' ? null : known);
      if (problem && !(problem.code === 'NODE.ROOT_LEVEL' && parent !== null)) {
        err(
          row.row,
          problem.code === 'NODE.LEVEL_PARENT' || problem.code === 'NODE.ROOT_LEVEL' ? 'level' : 'code',
          problem.code,
          problem.message,
        );
        rowBroken = true;
      }
    } else if (!stored && !plausibleCode(code)) {
      err(row.row, 'code', 'NODE.CODE_SHAPE', `代码应为6、9、12或15位数字，“${code}”不符合 (codes have 6, 9, 12 or 15 digits)`);
      rowBroken = true;
    }
    if (parent !== 'unknown' && parent?.retired) {
      err(
        row.row,
        'parent_code',
        'IMPORT.PARENT_RETIRED',
        `上级${parent.code}已撤并，不能再在其下导入 (the parent ${parent.code} is retired)`,
      );
      rowBroken = true;
    }

    // What the store already says about this node.
    if (stored) {
      if (!isActiveNode(stored)) {
        err(row.row, 'code', 'IMPORT.NODE_RETIRED', `节点${code}已撤并，不能再导入 (node ${code} is retired)`);
        rowBroken = true;
      }
      if (level && stored.level !== level) {
        err(
          row.row,
          'level',
          'IMPORT.LEVEL_CHANGE',
          `节点${code}在系统中是${LEVEL_NAMES[stored.level]}，不能改为${LEVEL_NAMES[level]} (node ${code} is a ${stored.level})`,
        );
        rowBroken = true;
      }
      if (parentCode !== undefined && (stored.parentCode ?? null) !== parentCode) {
        err(
          row.row,
          'parent_code',
          'IMPORT.MOVE_REFUSED',
          `节点${code}在系统中隶属于${stored.parentCode ?? '（无）'}；导入不移动节点，请在管理界面调整隶属关系（PATCH /api/v1/tree/${code}） ` +
            `(an import does not move nodes: use PATCH /api/v1/tree/${code})`,
        );
        rowBroken = true;
      }
    }

    // Who may import it: the node must lie in the importer's scope; new counties are the operator's.
    const path = pathOf(code);
    if (level === 'county' && !stored && !isOperator(actor)) {
      err(row.row, 'level', 'IMPORT.COUNTY_OPERATOR_ONLY', '只有系统管理员可以新建县（区） (only the operator creates counties)');
      rowBroken = true;
    } else if (path && !holdsNode(actor, { path })) {
      err(row.row, 'code', 'IMPORT.OUT_OF_SCOPE', `节点${code}不在您的管辖范围内 (node ${code} is outside your scope)`);
      rowBroken = true;
    }
    const role = level ? OFFICER_ROLE[level] : null;

    if (rowBroken || !level || !path || row.name === null || row.officer === undefined || parentCode === undefined) continue;

    // The node.
    let node: PlannedWrite<NodeRecord> | null = null;
    if (!stored) {
      node = { before: null, after: { code, name: row.name, level, parentCode, path }, change: 'created' };
    } else if (stored.name !== row.name) {
      node = { before: stored, after: { ...stored, name: row.name }, change: 'updated' };
    }

    // The officer: the same phone is the same person; another phone replaces what an earlier import made.
    let officer: PlannedWrite<PersonRecord> | null = null;
    let replaced: PersonRecord[] = [];
    if (row.officer && role) {
      const wanted = row.officer;
      const here = (peopleAt.get(code) ?? []).filter((p) => p.role === role).sort((a, b) => a.id.localeCompare(b.id));
      const same = here.find((p) => isActivePerson(p) && p.phone === wanted.phone);
      const target = same ?? peopleById.get(officerId(code, wanted.phone)) ?? null;
      if (target && (target.scope !== code || target.role !== role)) {
        err(
          row.row,
          'officer_phone',
          'IMPORT.PERSON_ELSEWHERE',
          `此前为${code}导入的人员${target.name}已调至${target.scope}，请在人员管理中处理 (this officer was moved to ${target.scope})`,
        );
        continue;
      }
      const desired: PersonRecord = {
        ...(target ?? { id: officerId(code, wanted.phone), phone: wanted.phone, role, scope: code }),
        name: wanted.name,
        active: true,
        responsible: true,
        scopePath: target?.scopePath ?? path,
      } as PersonRecord;
      if (wanted.title === undefined) delete desired.title;
      else desired.title = wanted.title;
      if (!target) officer = { before: null, after: desired, change: 'created' };
      else if (personDiffers(target, desired)) {
        officer = { before: target, after: desired, change: isActivePerson(target) ? 'updated' : 'reactivated' };
      }
      if (!same) replaced = here.filter((p) => isActivePerson(p) && p.id !== desired.id && isImportedOfficer(p));
    }

    const outcome: RowOutcome = node?.change === 'created' ? 'created' : node || officer || replaced.length > 0 ? 'updated' : 'unchanged';
    planned.push({ row: row.row, code, level, outcome, node, officer, replaced });
  }

  errors.sort((a, b) => a.row - b.row || columnOrder(a.column) - columnOrder(b.column));
  planned.sort((a, b) => levelIndex(a.level) - levelIndex(b.level) || a.row - b.row);
  const counts = { created: 0, updated: 0, unchanged: 0 };
  if (errors.length === 0) for (const p of planned) counts[p.outcome]++;
  return { errors, rows: errors.length === 0 ? planned : [], counts };
}

function columnOrder(column: string | null): number {
  const i = (IMPORT_COLUMNS as readonly string[]).indexOf(column ?? '');
  return i < 0 ? -1 : i;
}

/** Whether the officer record would change (what the CSV describes: name, title, active, responsible). */
function personDiffers(before: PersonRecord, after: PersonRecord): boolean {
  return (
    before.name !== after.name || (before.title ?? '') !== (after.title ?? '') || !isActivePerson(before) || before.responsible === false
  );
}

// ---------------------------------------------------------------------------------------------
// What to read before planning

/**
 * The subtrees whose staff the plan must see: the stored nodes of the file that hang under no
 * other stored node of the file (their people, and their descendants' people, are one listing
 * each). Siblings share their parent's listing instead. New nodes have no people yet.
 */
export function staffPathsToRead(rows: readonly ImportRow[], nodes: ReadonlyMap<string, NodeRecord>): string[][] {
  const storedCodes = new Set(rows.map((r) => r.code).filter((c): c is string => c !== null && nodes.has(c)));
  const tops = [...storedCodes]
    .map((c) => nodes.get(c) as NodeRecord)
    .filter((n) => !n.path.slice(0, -1).some((ancestor) => storedCodes.has(ancestor)));
  const byParent = new Map<string, NodeRecord[]>();
  for (const top of tops) {
    const key = top.parentCode ?? '';
    byParent.set(key, [...(byParent.get(key) ?? []), top]);
  }
  const paths: string[][] = [];
  for (const [parentCode, siblings] of byParent) {
    const parent = nodes.get(parentCode);
    if (siblings.length > 1 && parent) paths.push(parent.path);
    else for (const s of siblings) paths.push(s.path);
  }
  // A path under another path is already in that listing.
  const keys = paths.map(pathKey).sort();
  return keys.filter((k, i) => !keys.slice(0, i).some((shorter) => k.startsWith(shorter))).map((k) => k.slice(0, -1).split('/'));
}

/** The derived officer ids of rows at stored nodes that the staff listings did not return (moved or missing people). */
export function officerIdsToRead(
  rows: readonly ImportRow[],
  nodes: ReadonlyMap<string, NodeRecord>,
  listed: ReadonlySet<string>,
): string[] {
  const ids = new Set<string>();
  for (const row of rows) {
    if (!row.code || !row.officer || !nodes.has(row.code)) continue;
    const id = officerId(row.code, row.officer.phone);
    if (!listed.has(id)) ids.add(id);
  }
  return [...ids];
}

/** The codes the plan must look up: every row's code and every parent the rows name. */
export function codesToRead(rows: readonly ImportRow[]): string[] {
  const codes = new Set<string>();
  for (const row of rows) {
    if (row.code) codes.add(row.code);
    if (row.parentCode) codes.add(row.parentCode);
  }
  return [...codes];
}

// ---------------------------------------------------------------------------------------------
// Export

/** A text cell Excel would run as a formula gets a leading ' (OWASP's CSV-injection guard); the import takes it off. */
function guardCell(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

/** Mainland mobiles as the 11 digits Excel keeps intact (it reads +86… as a number and drops the +); others in E.164. */
function phoneCell(phone: string): string {
  return /^\+861[3-9]\d{9}$/.test(phone) ? phone.slice(3) : phone;
}

/**
 * A subtree as import rows, parents before children (tree order): active nodes only, each with its
 * first active responsible officer of its level (by id), so importing the export changes nothing.
 */
export function exportRows(nodes: readonly NodeRecord[], people: readonly PersonRecord[]): string[][] {
  const retired = nodes.filter((n) => !isActiveNode(n)).map((n) => pathKey(n.path));
  const live = nodes
    .filter((n) => !retired.some((r) => pathKey(n.path).startsWith(r)))
    .sort((a, b) => pathKey(a.path).localeCompare(pathKey(b.path)));
  const officers = new Map<string, PersonRecord>();
  for (const p of [...people].sort((a, b) => a.id.localeCompare(b.id))) {
    if (!isActivePerson(p) || p.responsible === false) continue;
    const key = `${p.scope}#${p.role}`;
    if (!officers.has(key)) officers.set(key, p);
  }
  const rows: string[][] = [[...IMPORT_COLUMNS]];
  for (const node of live) {
    const officer = officers.get(`${node.code}#${OFFICER_ROLE[node.level]}`);
    rows.push([
      node.code,
      guardCell(node.name),
      node.level,
      node.parentCode ?? '',
      officer ? guardCell(officer.name) : '',
      officer ? phoneCell(officer.phone) : '',
      officer?.title ? guardCell(officer.title) : '',
    ]);
  }
  return rows;
}
