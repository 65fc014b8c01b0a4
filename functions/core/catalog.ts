/** Functional departments (职能部门) and report categories. */
export interface Department {
  code: string;
  name: string;
}

export interface Category {
  code: string;
  name: string;
  description: string;
  /** The department that takes a report of this category when the tiers cannot. */
  departmentCode: string;
}

export const URGENCIES = ['normal', 'urgent', 'emergency'] as const;
export type Urgency = (typeof URGENCIES)[number];
