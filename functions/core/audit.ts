/**
 * The audit trail of the directory: every change to a node, person, department or category is an
 * entry (who, when, what kind of change, the fields before and after), append-only. An entry is
 * keyed by its subject and the subject's version after the change, so a retried write produces the
 * same entry, never a second one, and no entry can be rewritten.
 */
import type { EventActor } from './report.ts';

export const AUDIT_SUBJECT_KINDS = ['node', 'person', 'department', 'category'] as const;
export type AuditSubjectKind = (typeof AUDIT_SUBJECT_KINDS)[number];

/** `node:<code>`, `person:<id>`, `department:<code>`, `category:<code>`. */
export type AuditSubject = `${AuditSubjectKind}:${string}`;

export function auditSubject(kind: AuditSubjectKind, id: string): AuditSubject {
  return `${kind}:${id}`;
}

export function parseAuditSubject(subject: string): { kind: AuditSubjectKind; id: string } | null {
  const [kind, ...rest] = subject.split(':');
  const id = rest.join(':');
  if (!kind || !(AUDIT_SUBJECT_KINDS as readonly string[]).includes(kind) || !/^[A-Za-z0-9_-]{1,64}$/.test(id)) return null;
  return { kind: kind as AuditSubjectKind, id };
}

export interface AuditEntry {
  subject: AuditSubject;
  /** The subject's version after this change: 1 for its creation. */
  seq: number;
  at: string;
  actor: EventActor;
  /** What kind of change: created, updated, moved, retired, merged, deactivated, account_created… */
  change: string;
  /** The changed fields as they were (null for a creation). */
  before: Record<string, unknown> | null;
  /** The changed fields as they are now. */
  after: Record<string, unknown> | null;
  /** The CSV import that made the change, if one did. */
  importId?: string;
}

/** What every audited record carries: its version, and its last change for crash safety. */
export interface Versioned {
  version?: number;
  updatedAt?: string;
  /**
   * The entry of the change that produced this version, kept on the record itself: written in the
   * same put as the record, so a crash before the entry's own write loses nothing (history reads
   * add it when its own item is missing).
   */
  lastChange?: AuditEntry;
}

const BOOKKEEPING = new Set(['version', 'updatedAt', 'createdAt', 'lastChange']);

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * The fields a change touched, as before/after pairs; bookkeeping (version, timestamps) is left
 * out. A creation has no before; a field that appeared has `undefined` → value (shown as null).
 */
export function changedFields(
  before: Record<string, unknown> | null,
  after: Record<string, unknown>,
): { before: Record<string, unknown> | null; after: Record<string, unknown> } {
  if (before === null) {
    return { before: null, after: Object.fromEntries(Object.entries(after).filter(([k, v]) => !BOOKKEEPING.has(k) && v !== undefined)) };
  }
  const keys = new Set([...Object.keys(before), ...Object.keys(after)].filter((k) => !BOOKKEEPING.has(k)));
  const was: Record<string, unknown> = {};
  const now: Record<string, unknown> = {};
  for (const key of keys) {
    if (same(before[key], after[key])) continue;
    was[key] = before[key] ?? null;
    now[key] = after[key] ?? null;
  }
  return { before: was, after: now };
}

/** True when a change would touch nothing (an edit that sets what is already there, a re-import). */
export function isNoChange(before: Record<string, unknown> | null, after: Record<string, unknown>): boolean {
  return before !== null && Object.keys(changedFields(before, after).after).length === 0;
}
