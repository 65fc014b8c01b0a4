/**
 * Audited writes of the directory: every change to a node, person, department or category is saved
 * conditional on the version it was read at, carries its audit entry on the record itself (so a
 * crash between the two writes loses nothing), and then appends the entry to the trail.
 */
import type { AuditLog } from '#ports/audit.ts';
import { VersionConflictError } from '#ports/versioning.ts';
import { type AuditEntry, type AuditSubject, changedFields, isNoChange, type Versioned } from '../audit.ts';
import type { Clock } from '../deadlines.ts';
import { ConflictError } from '../errors.ts';
import type { Actor } from '../people.ts';
import type { EventActor } from '../report.ts';

export interface AuditDeps {
  audit: AuditLog;
  clock: Clock;
}

export interface AuditedWrite<T extends Versioned> {
  subject: AuditSubject;
  actor: Actor;
  /** created, updated, moved, retired, merged, deactivated, account_created… */
  change: string;
  /** The record as read (null: a creation). */
  before: T | null;
  /** The record as it should be; version, timestamps and lastChange are set here. */
  after: T;
  save: (record: T, expectedVersion: number | null) => Promise<void>;
  importId?: string;
}

const asEventActor = (actor: Actor): EventActor => ({ id: actor.id, name: actor.name, role: actor.role });

/** The record with its next version and its audit entry, ready to save (pure: imports batch these). */
export function nextVersion<T extends Versioned>(write: Omit<AuditedWrite<T>, 'save'>, now: Date): { record: T; entry: AuditEntry } {
  const at = now.toISOString();
  const version = (write.before?.version ?? 0) + 1;
  const { before, after } = changedFields(
    write.before as Record<string, unknown> | null,
    write.after as unknown as Record<string, unknown>,
  );
  const entry: AuditEntry = {
    subject: write.subject,
    seq: version,
    at,
    actor: asEventActor(write.actor),
    change: write.change,
    before,
    after,
    ...(write.importId ? { importId: write.importId } : {}),
  };
  const created = (write.before as { createdAt?: string } | null)?.createdAt ?? at;
  const record = { ...write.after, version, createdAt: created, updatedAt: at, lastChange: entry } as T;
  return { record, entry };
}

/**
 * Saves one audited change. A change that touches nothing is not saved (re-sending the same edit
 * or re-importing the same file changes nothing, not even the version). Returns the stored record.
 */
export async function saveAudited<T extends Versioned>(deps: AuditDeps, write: AuditedWrite<T>): Promise<T> {
  if (write.before && isNoChange(write.before as Record<string, unknown>, write.after as unknown as Record<string, unknown>)) {
    return write.before;
  }
  const { record, entry } = nextVersion(write, deps.clock.now());
  await write.save(record, write.before === null ? null : (write.before.version ?? 0));
  await deps.audit.append(entry);
  return record;
}

/**
 * Read, change and save, again from a fresh read when someone else saved in between (a few times):
 * for edits that say what a field should be, re-applying to the newer record is the right answer.
 */
export async function updateAudited<T extends Versioned>(
  deps: AuditDeps,
  op: {
    load: () => Promise<T | null>;
    /** The changed record and what kind of change it is; throw a domain error to refuse. */
    apply: (current: T) => Promise<{ after: T; change: string }> | { after: T; change: string };
    save: AuditedWrite<T>['save'];
    subject: AuditSubject;
    actor: Actor;
    notFound: () => Error;
    /** The CSV import making the change, if one is. */
    importId?: string;
  },
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const current = await op.load();
    if (!current) throw op.notFound();
    const { after, change } = await op.apply(current);
    try {
      return await saveAudited(deps, {
        subject: op.subject,
        actor: op.actor,
        change,
        before: current,
        after,
        save: op.save,
        ...(op.importId ? { importId: op.importId } : {}),
      });
    } catch (error) {
      if (!(error instanceof VersionConflictError)) throw error;
      if (attempt >= 5) throw new ConflictError('DIRECTORY.BUSY', `${op.subject} keeps changing under this edit; try again`);
    }
  }
}

/**
 * A subject's history, newest first. The record's own last change is added when the trail lacks
 * it (the process died between saving the record and appending the entry).
 */
export async function historyOf(
  deps: Pick<AuditDeps, 'audit'>,
  subject: AuditSubject,
  current: Versioned | null,
  page: { cursor?: string; limit: number },
): Promise<{ items: AuditEntry[]; nextCursor: string | null }> {
  const result = await deps.audit.list(subject, page);
  const last = current?.lastChange;
  if (!page.cursor && last && last.subject === subject && !result.items.some((e) => e.seq === last.seq)) {
    const items = [last, ...result.items].sort((a, b) => b.seq - a.seq).slice(0, page.limit);
    return { items, nextCursor: result.nextCursor };
  }
  return result;
}
