/**
 * People and roles. A person's scope is a node code (admins, grid workers) or a department code
 * (department officers); every authorization decision starts from role + scope.
 */
import type { NodeLevel } from './tree.ts';

export const ROLES = ['county_admin', 'township_admin', 'village_admin', 'department_officer', 'grid_worker'] as const;
export type Role = (typeof ROLES)[number];

export interface Person {
  id: string;
  name: string;
  /** E.164, e.g. +8613800000000. */
  phone: string;
  role: Role;
  /** Node code for admins and grid workers, department code for department officers. */
  scope: string;
  /** Job title shown in SMS and the console, e.g. 村党支部书记. */
  title?: string;
  /** Deactivated people keep their history but hold nothing and sign in nowhere. Absent: active. */
  active?: boolean;
  /**
   * Answers for the tier of their scope: reports are assigned to a node's (or department's)
   * responsible officers, and a post with none is vacant. Absent: true.
   */
  responsible?: boolean;
  /** The sign-in name of the person's account, once one was created. */
  username?: string;
  /** Increments on every change; writes are conditional on it. */
  version?: number;
  createdAt?: string;
  updatedAt?: string;
}

export function isActivePerson(person: Pick<Person, 'active'>): boolean {
  return person.active !== false;
}

/** Active and answering for their scope's tier: who a report is assigned to. */
export function isResponsibleOfficer(person: Pick<Person, 'active' | 'responsible'>): boolean {
  return isActivePerson(person) && person.responsible !== false;
}

/** Mainland mobile numbers: +86 and eleven digits starting 13–19. */
export const MAINLAND_MOBILE = /^\+861[3-9]\d{9}$/;

/**
 * A phone number as people write it, in E.164, or null when it is not one. Counties keep their
 * lists in Excel: an 11-digit mainland mobile (13977201234, 139 7720 1234, 139-7720-1234) or one
 * written with 86/0086 becomes +8613977201234.
 */
export function normalizePhone(input: string): string | null {
  const compact = input.trim().replace(/[\s\-().]/g, '');
  if (/^1[3-9]\d{9}$/.test(compact)) return `+86${compact}`;
  if (/^(?:0086|86)1[3-9]\d{9}$/.test(compact)) return `+86${compact.replace(/^(?:0086|86)/, '')}`;
  return isE164(compact) ? compact : null;
}

/**
 * Why a number cannot be a person's (they get SMS at it): not E.164, or a +86 number that is not a
 * mainland mobile (+86 1[3-9] and nine digits). Null when it can.
 */
export function phoneProblem(phone: string): string | null {
  if (!isE164(phone)) return `“${phone}”不是有效的手机号码（E.164，如 +8613977201234） (not an E.164 number)`;
  if (phone.startsWith('+86') && !MAINLAND_MOBILE.test(phone)) {
    return `“${phone}”不是大陆手机号码（+86 1[3-9] 开头的11位） (not a mainland mobile: +86 1[3-9]xxxxxxxxx)`;
  }
  return null;
}

/** The authenticated caller, as the handlers see it after token verification. */
export interface Actor {
  id: string;
  name: string;
  role: Role;
  scope: string;
}

const E164 = /^\+[1-9]\d{7,14}$/;

export function isE164(phone: string): boolean {
  return E164.test(phone);
}

/**
 * A phone number as a report's readers may see it: `+86 138****0201`. Full numbers belong to the
 * people directory, for admins managing people in their own scope; everywhere else a reader
 * recognises the number without being able to call it.
 */
export function maskPhone(phone: string): string {
  const mainland = /^\+86(1\d{2})\d{4}(\d{4})$/.exec(phone);
  if (mainland) return `+86 ${mainland[1]}****${mainland[2]}`;
  if (phone.length <= 6) return '*'.repeat(phone.length);
  return `${phone.slice(0, 4)}${'*'.repeat(phone.length - 6)}${phone.slice(-2)}`;
}

/** The node level an admin or worker role is scoped to (department officers have none). */
export function levelOfRole(role: Role): NodeLevel | null {
  switch (role) {
    case 'county_admin':
      return 'county';
    case 'township_admin':
      return 'township';
    case 'village_admin':
      return 'village';
    case 'grid_worker':
      return 'grid';
    case 'department_officer':
      return null;
  }
}

export function isAdmin(role: Role): boolean {
  return role === 'county_admin' || role === 'township_admin' || role === 'village_admin';
}

/** Longest name and title a person may have: SMS texts and the console's columns are sized for them. */
export const PERSON_NAME_MAX = 40;
export const PERSON_TITLE_MAX = 60;

// C0/C1 controls, DEL, line and paragraph separators and bidi overrides: never part of a name, and
// they forge what an officer reads in an SMS or a terminal.
const CONTROL_CHARS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

/** What a person's record is made of, as an admin or a CSV row gives it (before normalising). */
export interface PersonFields {
  name: string;
  phone: string;
  role: Role;
  scope: string;
  title?: string;
}

export type PersonProblemCode =
  | 'PEOPLE.INVALID_NAME'
  | 'PEOPLE.INVALID_TITLE'
  | 'PEOPLE.INVALID_PHONE'
  | 'PEOPLE.SCOPE_UNKNOWN'
  | 'PEOPLE.SCOPE_MISMATCH'
  | 'PEOPLE.SCOPE_RETIRED';

/** Why a person cannot be saved as given: the field, a stable code, and what to tell an admin (Chinese first). */
export interface PersonProblem {
  field: 'name' | 'title' | 'phone' | 'scope';
  code: PersonProblemCode;
  message: string;
}

/** Problems a request can fix by itself (the shape of a field), as opposed to the scope it names. */
export function isFieldProblem(problem: PersonProblem): boolean {
  return problem.field !== 'scope';
}

/**
 * Where a person's scope points once looked up: a node (admins, grid workers) or a department
 * (department officers); null when nothing has that code.
 */
export type PersonScopeTarget =
  | { node: { code: string; level: NodeLevel; status?: 'active' | 'retired' } }
  | { department: { code: string } }
  | null;

/** The record's text as stored: names and titles trimmed, the phone in E.164 when it can be read as one. */
export function normalizePersonFields<T extends Partial<PersonFields>>(input: T): T {
  const out = { ...input };
  if (typeof out.name === 'string') out.name = out.name.trim();
  if (typeof out.title === 'string') out.title = out.title.trim();
  if (typeof out.phone === 'string') out.phone = normalizePhone(out.phone) ?? out.phone.trim();
  if (typeof out.scope === 'string') out.scope = out.scope.trim();
  return out;
}

function textProblem(value: string, max: number): string | null {
  const text = value.trim();
  if (text.length === 0) return '不能为空 (must not be empty)';
  if ([...text].length > max) return `最多${max}个字 (at most ${max} characters)`;
  if (CONTROL_CHARS.test(text)) return '不能含控制字符 (must not contain control characters)';
  return null;
}

const SCOPE_NAMES: Record<NodeLevel, string> = { county: '县（区）', township: '乡镇（街道）', village: '村（社区）', grid: '网格' };

/**
 * Everything wrong with a person as given, once their scope was looked up (pure: the CSV importer
 * calls it per row): name 1–40 and title 1–60 characters without control characters, a phone that
 * can receive SMS (mainland mobiles +86 1[3-9]…; 11-digit input is normalised first), and a scope
 * that fits the role — a grid worker's is a grid, a village admin's a village, a township admin's a
 * township, a county admin's a county, a department officer's an existing department — and is not
 * retired. An empty list: the person may be saved.
 */
export function personProblems(input: PersonFields, target: PersonScopeTarget): PersonProblem[] {
  const scope = personScopeProblem(input.role, input.scope, target);
  return [...personFieldProblems(input), ...(scope ? [scope] : [])];
}

/** The problems of the fields a person's record holds as text: name, title, phone. */
export function personFieldProblems(input: Pick<PersonFields, 'name' | 'phone' | 'title'>): PersonProblem[] {
  const problems: PersonProblem[] = [];
  const name = textProblem(input.name, PERSON_NAME_MAX);
  if (name) problems.push({ field: 'name', code: 'PEOPLE.INVALID_NAME', message: `姓名${name}` });
  if (input.title !== undefined) {
    const title = textProblem(input.title, PERSON_TITLE_MAX);
    if (title) problems.push({ field: 'title', code: 'PEOPLE.INVALID_TITLE', message: `职务${title}` });
  }
  const phone = phoneProblem(normalizePhone(input.phone) ?? input.phone.trim());
  if (phone) problems.push({ field: 'phone', code: 'PEOPLE.INVALID_PHONE', message: phone });
  return problems;
}

/** Why a role cannot hold this scope (unknown, of the wrong kind or level, retired); null when it can. */
export function personScopeProblem(role: Role, scope: string, target: PersonScopeTarget): PersonProblem | null {
  const level = levelOfRole(role);
  if (target === null) {
    const what = level === null ? '部门' : '节点';
    return { field: 'scope', code: 'PEOPLE.SCOPE_UNKNOWN', message: `${what}“${scope}”不存在 (no ${level ?? 'department'} ${scope})` };
  }
  if ('department' in target) {
    if (level === null) return null;
    return {
      field: 'scope',
      code: 'PEOPLE.SCOPE_MISMATCH',
      message: `${role}的范围应为${SCOPE_NAMES[level]}，“${scope}”是部门 (a ${role} is scoped to a ${level}, not a department)`,
    };
  }
  if (level === null) {
    return {
      field: 'scope',
      code: 'PEOPLE.SCOPE_MISMATCH',
      message: `部门联络员的范围应为部门，“${scope}”是${SCOPE_NAMES[target.node.level]} (a department officer is scoped to a department)`,
    };
  }
  if (target.node.level !== level) {
    return {
      field: 'scope',
      code: 'PEOPLE.SCOPE_MISMATCH',
      message: `${role}的范围应为${SCOPE_NAMES[level]}，“${scope}”是${SCOPE_NAMES[target.node.level]} (a ${role} is scoped to a ${level}, not a ${target.node.level})`,
    };
  }
  if (target.node.status === 'retired') {
    return { field: 'scope', code: 'PEOPLE.SCOPE_RETIRED', message: `“${scope}”已撤并 (node ${scope} is retired)` };
  }
  return null;
}
