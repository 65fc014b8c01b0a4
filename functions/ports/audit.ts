/** The directory's audit trail (core/audit.ts): append-only, read per subject, newest first. */
import type { AuditEntry, AuditSubject } from '#core/audit.ts';
import type { Page, PageRequest } from './versioning.ts';

export interface AuditLog {
  /** Stores the entry unless one with its subject and seq exists (a retry): never overwrites. */
  append(entry: AuditEntry): Promise<void>;
  /** A subject's entries, newest first. */
  list(subject: AuditSubject, page: PageRequest): Promise<Page<AuditEntry>>;
}
