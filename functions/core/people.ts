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
