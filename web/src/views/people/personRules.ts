/**
 * What the person dialog checks as the admin types, the API's own rules (core/people.ts,
 * core/admin-access.ts) in the console: a role no higher than the reader's (department officers:
 * county admins only), a scope code of the role's level inside the reader's scope, a name and
 * title of sensible length without control characters, a username the accounts accept.
 */
// From the generated schema, not api/people: these rules are pure, and the unit tier checks them against core's.
import type { components } from '../../api/schema';

type Role = components['schemas']['Person']['role'];

export const ROLES: Role[] = ['county_admin', 'township_admin', 'village_admin', 'department_officer', 'grid_worker'];

const RANK: Record<Role, number> = { grid_worker: 0, department_officer: 1, village_admin: 1, township_admin: 2, county_admin: 3 };

export type NodeLevel = 'county' | 'township' | 'village' | 'grid';

/** The node level a role's scope is (null: a department). */
export const LEVEL_OF_ROLE: Record<Role, NodeLevel | null> = {
  county_admin: 'county',
  township_admin: 'township',
  village_admin: 'village',
  grid_worker: 'grid',
  department_officer: null,
};

/** Digits of a node code at each level: the national division codes (6, +3, +3) and +3 for a grid. */
export const CODE_LENGTHS: Record<NodeLevel, number> = { county: 6, township: 9, village: 12, grid: 15 };

/** The roles a reader may give: at or below their own; department officers are the county's. */
export function assignableRoles(reader: Role): Role[] {
  return ROLES.filter((r) => RANK[r] <= RANK[reader] && (r !== 'department_officer' || reader === 'county_admin'));
}

export type ScopeProblem = 'required' | 'notACode' | 'wrongLevel' | 'outside';

/** Why a node code cannot be this role's scope for this reader, or null (department officers pick a department). */
export function scopeProblem(role: Role, scope: string, readerScope: string): ScopeProblem | null {
  const code = scope.trim();
  if (code === '') return 'required';
  const level = LEVEL_OF_ROLE[role];
  if (level === null) return null;
  if (!/^\d+$/.test(code)) return 'notACode';
  if (code.length !== CODE_LENGTHS[level]) return 'wrongLevel';
  if (!code.startsWith(readerScope)) return 'outside';
  return null;
}

/** A node code of any level (the list's node filter). */
export function isNodeCode(code: string): boolean {
  return /^\d+$/.test(code) && Object.values(CODE_LENGTHS).includes(code.length);
}

// C0/C1 controls, DEL, line and paragraph separators and bidi overrides (as core/people.ts).
const CONTROL_CHARS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

export type TextProblem = 'required' | 'tooLong' | 'controlChars';

export function textProblem(value: string, max: number, required = true): TextProblem | null {
  const text = value.trim();
  if (text === '') return required ? 'required' : null;
  if ([...text].length > max) return 'tooLong';
  if (CONTROL_CHARS.test(text)) return 'controlChars';
  return null;
}

export const NAME_MAX = 40;
export const TITLE_MAX = 60;

/** 3–32 of a–z 0–9 _ . - (core/accounts.ts USERNAME). */
export const USERNAME = /^[a-z0-9_.-]{3,32}$/;
