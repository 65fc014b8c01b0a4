/** Functional departments (职能部门) and report categories. */
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
