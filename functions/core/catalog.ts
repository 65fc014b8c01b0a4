/** Functional departments (职能部门) and report categories. */
import { normalizePhone } from './people.ts';
export interface Department {
  code: string;
  name: string;
  /** Published contacts (the duty line); absent: none. */
  contacts?: { label: string; name?: string; phone: string }[];
  version?: number;
  createdAt?: string;
  updatedAt?: string;
}

export interface Category {
  code: string;
  name: string;
  description: string;
  /** The department that takes a report of this category when the tiers cannot. */
  departmentCode: string;
  /**
   * Whether the public Open311 feed may show what a report of this category says: its
   * description, address, photo and public notes, masked for personal data. False unless a county
   * admin decides otherwise; then the feed shows only category, status, agency, dates and a
   * position rounded to about a kilometre.
   */
  public: boolean;
  version?: number;
  createdAt?: string;
  updatedAt?: string;
}

export const URGENCIES = ['normal', 'urgent', 'emergency'] as const;
export type Urgency = (typeof URGENCIES)[number];

export const CATALOG_NAME_MAX = 60;
export const CATEGORY_DESCRIPTION_MAX = 200;
export const MAX_CONTACTS = 10;

const CONTROL_CHARS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
/** A mainland landline with its area code (0772-1234567, 07721234567), or a short public line (12345). */
const LANDLINE = /^(?:0\d{2,3}-?\d{7,8}|1\d{4})$/;

/** Why a department, category or contact field cannot be stored as given: the field and what to tell an admin. */
export interface CatalogProblem {
  path: string;
  message: string;
}

function textProblem(path: string, value: string | undefined, max: number, label: string): CatalogProblem[] {
  if (value === undefined) return [];
  const text = value.trim();
  if (text.length === 0) return [{ path, message: `${label}不能为空 (must not be empty)` }];
  if ([...text].length > max) return [{ path, message: `${label}最多${max}个字 (at most ${max} characters)` }];
  if (CONTROL_CHARS.test(text)) return [{ path, message: `${label}不能含控制字符 (must not contain control characters)` }];
  return [];
}

/** A published duty line: a mobile or other E.164 number, or a landline with its area code. */
export function contactPhoneProblem(phone: string): string | null {
  if (normalizePhone(phone) !== null || LANDLINE.test(phone.trim().replace(/[\s()]/g, ''))) return null;
  return `“${phone}”不是有效的电话号码（手机、+国家代码或区号-座机） (not a phone number: a mobile, E.164, or a landline with its area code)`;
}

export function contactsProblems(contacts: Department['contacts']): CatalogProblem[] {
  if (contacts === undefined) return [];
  if (contacts.length > MAX_CONTACTS) return [{ path: 'contacts', message: `最多${MAX_CONTACTS}个联系方式 (at most ${MAX_CONTACTS})` }];
  return contacts.flatMap((c, i) => {
    const phone = contactPhoneProblem(c.phone);
    return [
      ...textProblem(`contacts.${i}.label`, c.label, 20, '联系方式名称'),
      ...textProblem(`contacts.${i}.name`, c.name, 40, '联系人'),
      ...(phone ? [{ path: `contacts.${i}.phone`, message: phone }] : []),
    ];
  });
}

/** Everything wrong with a department as given (pure). */
export function departmentProblems(department: Pick<Department, 'name' | 'contacts'>): CatalogProblem[] {
  return [...textProblem('name', department.name, CATALOG_NAME_MAX, '部门名称'), ...contactsProblems(department.contacts)];
}

/** Everything wrong with a category's own fields as given (pure); whether its department exists is the use case's lookup. */
export function categoryProblems(category: Pick<Category, 'name' | 'description'>): CatalogProblem[] {
  return [
    ...textProblem('name', category.name, CATALOG_NAME_MAX, '类别名称'),
    ...textProblem('description', category.description, CATEGORY_DESCRIPTION_MAX, '类别说明'),
  ];
}

/** The text of a department or category as stored: trimmed. */
export function trimmedCatalogText<T extends { name?: string; description?: string; contacts?: Department['contacts'] }>(input: T): T {
  const out = { ...input };
  if (out.name !== undefined) out.name = out.name.trim();
  if (out.description !== undefined) out.description = out.description.trim();
  if (out.contacts !== undefined) {
    out.contacts = out.contacts.map((c) => ({
      label: c.label.trim(),
      ...(c.name !== undefined ? { name: c.name.trim() } : {}),
      phone: c.phone.trim(),
    }));
  }
  return out;
}
