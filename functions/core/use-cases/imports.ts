/**
 * CSV import and export of the jurisdiction tree. An import is a job: the upload is stored and
 * answered at once with the job's id, and the job runs off the request (a prefecture's file takes
 * longer than an HTTP request may last). A dry run reports every bad row and writes nothing; a
 * commit with any bad row writes nothing either; a clean commit writes only what changed, in
 * batches, parents before children, and records its progress as it goes.
 */
import { randomUUID } from 'node:crypto';
import type { DirectoryStore, StoredNode, StoredPerson } from '#ports/directory.ts';
import type {
  DirectoryBatch,
  ImportCounts,
  ImportFileStore,
  ImportJob,
  ImportJobStore,
  ImportQueue,
  ImportResult,
} from '#ports/imports.ts';
import { assertCanManageNode, holdsNode, isManager, isOperator } from '../admin-access.ts';
import { type AuditEntry, auditSubject } from '../audit.ts';
import { decodeCsv, formatCsv, parseCsv } from '../csv.ts';
import type { Clock } from '../deadlines.ts';
import { ForbiddenError, NotFoundError, PayloadTooLargeError, UnsupportedMediaTypeError, ValidationError } from '../errors.ts';
import { type Actor, isActivePerson } from '../people.ts';
import {
  codesToRead,
  type ExistingRecords,
  exportRows,
  type ImportPlan,
  officerIdsToRead,
  type PlannedRow,
  planImport,
  type ReadRows,
  type RowError,
  readImportRows,
  staffPathsToRead,
} from '../tree-import.ts';
import { type AuditDeps, nextVersion } from './audited.ts';
import { type PeopleDeps, takeOffPost } from './people.ts';

export interface ImportDeps {
  importJobs: ImportJobStore;
  importFiles: ImportFileStore;
  importQueue: ImportQueue;
  directoryBatch: DirectoryBatch;
}

type StartDeps = ImportDeps & { directory: Pick<DirectoryStore, 'getNode'>; clock: Clock };
/** A run may hand a replaced officer's open reports over, so it has the people area's ports. */
type RunDeps = ImportDeps & AuditDeps & PeopleDeps;

/** A prefecture's list (about 23,000 rows) is under 3 MB; 16 MB leaves room and bounds memory. */
export const MAX_IMPORT_BYTES = 16 * 1024 * 1024;
/** The stored errors of a job: its item must stay under DynamoDB's 400 KB. `errorCount` counts them all. */
export const MAX_STORED_ERRORS = 1000;
const STORED_ERRORS_BYTES = 300_000;
/** Rows applied between two progress writes (and the rows whose records go out in one round of batches). */
export const PROGRESS_EVERY_ROWS = 500;
/** A running job whose heartbeat is older than this is taken to be orphaned (its runner died). */
export const STALE_JOB_MS = 5 * 60_000;

const ZERO: ImportCounts = { total: 0, processed: 0, created: 0, updated: 0, unchanged: 0 };

/** What an importer sees of a job: API.md's fields, plus how many errors there were and when. */
export interface ImportJobView extends ImportCounts {
  id: string;
  status: ImportJob['status'];
  dryRun: boolean;
  errors: RowError[];
  errorCount: number;
  encoding?: string;
  message?: string;
  createdAt: string;
  updatedAt: string;
}

function view(job: ImportJob): ImportJobView {
  const { id, status, dryRun, total, processed, created, updated, unchanged, errors, errorCount, encoding, message, createdAt, updatedAt } =
    job;
  return {
    id,
    status,
    dryRun,
    total,
    processed,
    created,
    updated,
    unchanged,
    errors,
    errorCount,
    ...(encoding ? { encoding } : {}),
    ...(message ? { message } : {}),
    createdAt,
    updatedAt,
  };
}

/**
 * Stores an upload and queues its job. Only admins import (the rows are held to their scope when
 * the job runs); a file that is not text in UTF-8 or GB18030 is refused here, before any job exists.
 */
export async function startImport(
  deps: StartDeps,
  actor: Actor,
  upload: { bytes: Uint8Array; charset?: string; dryRun: boolean },
): Promise<{ id: string }> {
  if (!isOperator(actor) && !isManager(actor)) throw new ForbiddenError('IMPORT.NOT_AN_ADMIN', '只有管理员可以导入 (only admins import)');
  if (upload.bytes.length > MAX_IMPORT_BYTES) throw new PayloadTooLargeError(`imports are limited to ${MAX_IMPORT_BYTES} bytes`);
  if (upload.bytes.length === 0) throw new ValidationError('IMPORT.EMPTY', '文件是空的 (the file is empty)');
  const decoded = decodeCsv(upload.bytes, upload.charset);
  if (!decoded.ok) {
    if (decoded.code === 'IMPORT.UNSUPPORTED_CHARSET') throw new UnsupportedMediaTypeError(decoded.message);
    throw new ValidationError(decoded.code, decoded.message);
  }
  let scopePath: string[] | null = null;
  if (!isOperator(actor)) {
    const scope = await deps.directory.getNode(actor.scope);
    if (!scope) throw new ForbiddenError('IMPORT.NOT_AN_ADMIN', `your scope ${actor.scope} is not a node`);
    scopePath = scope.path;
  }
  const id = randomUUID();
  const now = deps.clock.now().toISOString();
  await deps.importFiles.putImportFile(id, upload.bytes);
  const job: ImportJob = {
    id,
    status: 'queued',
    dryRun: upload.dryRun,
    actor: { id: actor.id, name: actor.name, role: actor.role, scope: actor.scope },
    scopePath,
    ...(upload.charset ? { charset: upload.charset } : {}),
    ...ZERO,
    errors: [],
    errorCount: 0,
    createdAt: now,
    updatedAt: now,
  };
  await deps.importJobs.createImportJob(job);
  try {
    await deps.importQueue.enqueue(id);
  } catch (error) {
    await deps.importJobs.finishImportJob(
      id,
      null,
      { ...ZERO, status: 'failed', errors: [], errorCount: 0, message: 'the import could not be started; upload the file again' },
      now,
    );
    throw error;
  }
  return { id };
}

/** A job, for the admin who started it or an admin whose scope holds theirs. */
export async function readImport(deps: Pick<ImportDeps, 'importJobs'>, actor: Actor, id: string): Promise<ImportJobView> {
  const job = await deps.importJobs.getImportJob(id);
  if (!job) throw new NotFoundError('IMPORT.NOT_FOUND', `import ${id} does not exist`);
  const ownJob = job.actor.id === actor.id && job.actor.scope === actor.scope;
  const mayRead = ownJob || isOperator(actor) || (job.scopePath !== null && holdsNode(actor, { path: job.scopePath }));
  if (!mayRead) throw new ForbiddenError('IMPORT.OUT_OF_SCOPE', `import ${id} is outside your scope`);
  return view(job);
}

/** The first errors, as many as fit a job item; the count says how many there were. */
function storedErrors(errors: readonly RowError[]): RowError[] {
  const kept: RowError[] = [];
  let bytes = 0;
  for (const error of errors) {
    bytes += Buffer.byteLength(JSON.stringify(error));
    if (kept.length >= MAX_STORED_ERRORS || bytes > STORED_ERRORS_BYTES) break;
    kept.push(error);
  }
  return kept;
}

/** The records the plan needs, read in bulk: the rows' nodes and parents, and the people at the stored ones. */
async function readExisting(deps: Pick<ImportDeps, 'directoryBatch'>, read: ReadRows): Promise<ExistingRecords> {
  const batch = deps.directoryBatch;
  const nodes = new Map<string, StoredNode>((await batch.getNodes(codesToRead(read.rows))).map((n) => [n.code, n]));
  const people = new Map<string, StoredPerson>();
  if (read.hasOfficerColumns) {
    for (const path of staffPathsToRead(read.rows, nodes)) for (const p of await batch.staffUnder(path)) people.set(p.id, p);
    for (const p of await batch.getPeople(officerIdsToRead(read.rows, nodes, new Set(people.keys())))) people.set(p.id, p);
  }
  return { nodes, people: [...people.values()] };
}

/**
 * Runs a job: reads and checks the file, and for a clean commit applies it. Safe to run twice (an
 * asynchronous invocation may be delivered twice, a restarted process runs open jobs again): a run
 * claims the job first, and applying the same plan again writes nothing. `staleAfterMs`: how old a
 * running job's heartbeat must be for this run to take it over (0 at a local restart: nothing else
 * can be running it).
 */
export async function runImport(deps: RunDeps, id: string, opts: { staleAfterMs?: number } = {}): Promise<void> {
  const started = deps.clock.now();
  const runner = randomUUID();
  const staleBefore = new Date(started.getTime() - (opts.staleAfterMs ?? STALE_JOB_MS)).toISOString();
  const job = await deps.importJobs.claimImportJob(id, { now: started.toISOString(), staleBefore, runner });
  if (!job) return;
  const finish = async (result: ImportResult) => {
    await deps.importJobs.finishImportJob(id, runner, result, deps.clock.now().toISOString());
  };
  const fail = (errors: RowError[], counts: ImportCounts, extra: { encoding?: string; message?: string } = {}) =>
    finish({ ...counts, status: 'failed', errors: storedErrors(errors), errorCount: errors.length, ...extra });
  try {
    const decoded = decodeCsv(await deps.importFiles.getImportFile(id), job.charset);
    if (!decoded.ok) return await fail([{ row: 1, column: null, code: decoded.code, message: decoded.message }], ZERO);
    const { encoding } = decoded;
    const parsed = parseCsv(decoded.text);
    if (parsed.unterminatedQuoteAt !== undefined) {
      const error = {
        row: parsed.unterminatedQuoteAt,
        column: null,
        code: 'IMPORT.UNTERMINATED_QUOTE',
        message: '这一行的引号没有闭合，文件在引号内结束 (a quoted cell starts here and never ends)',
      };
      return await fail([error], ZERO, { encoding });
    }
    const read = readImportRows(parsed.records);
    const plan = planImport(read, await readExisting(deps, read), job.actor);
    const total = read.rows.length;
    if (plan.errors.length > 0) {
      const counts = { ...ZERO, total, processed: job.dryRun ? total : 0 };
      const errors = { errors: storedErrors(plan.errors), errorCount: plan.errors.length, encoding };
      return await finish({ ...counts, ...errors, status: job.dryRun ? 'done' : 'failed' });
    }
    if (job.dryRun) {
      return await finish({ total, processed: total, ...plan.counts, status: 'done', errors: [], errorCount: 0, encoding });
    }
    // The total is known now: a reader sees how far the job has to go before the first rows land.
    if (!(await deps.importJobs.recordImportProgress(id, runner, { ...ZERO, total }, deps.clock.now().toISOString()))) return;
    const counts = await applyPlan(deps, { ...job, runner }, plan, total);
    await finish({ ...counts, status: 'done', errors: [], errorCount: 0, encoding });
  } catch (error) {
    if (error instanceof JobTakenOverError) return;
    // What was written stays written: every write is idempotent, so importing the file again
    // completes it. The error goes on to the runner, which logs it (and on AWS, alarms).
    await fail([], ZERO, {
      message: 'the import stopped on an internal error; what it wrote stays, and importing the file again completes it',
    });
    throw error;
  }
}

/** Another run took the job over (this one looked dead): this run stops where it is and leaves the job to it. */
class JobTakenOverError extends Error {
  override name = 'JobTakenOverError';
}

/** Rows of one level at a time, at most PROGRESS_EVERY_ROWS: parents are written before their children. */
function chunks(rows: readonly PlannedRow[]): PlannedRow[][] {
  const out: PlannedRow[][] = [];
  for (const row of rows) {
    const last = out.at(-1);
    if (last && last.length < PROGRESS_EVERY_ROWS && last[0]?.level === row.level) last.push(row);
    else out.push([row]);
  }
  return out;
}

async function applyPlan(deps: RunDeps, job: ImportJob & { runner: string }, plan: ImportPlan, total: number): Promise<ImportCounts> {
  const counts: ImportCounts = { ...ZERO, total };
  for (const chunk of chunks(plan.rows)) {
    const now = deps.clock.now();
    const nodes: StoredNode[] = [];
    const people: StoredPerson[] = [];
    const entries: AuditEntry[] = [];
    for (const row of chunk) {
      if (row.node) {
        const { record, entry } = nextVersion(
          {
            subject: auditSubject('node', row.code),
            actor: job.actor,
            change: row.node.change,
            before: row.node.before,
            after: row.node.after,
            importId: job.id,
          },
          now,
        );
        nodes.push(record);
        entries.push(entry);
      }
      if (row.officer) {
        const { after, before, change } = row.officer;
        const { record, entry } = nextVersion(
          { subject: auditSubject('person', after.id), actor: job.actor, change, before, after, importId: job.id },
          now,
        );
        people.push(record);
        entries.push(entry);
      }
    }
    // Records first, then their entries: a record carries its own last change, so a crash in
    // between loses nothing (history reads add it), while an entry must never precede its record.
    await deps.directoryBatch.writeRecords({ nodes, people });
    for (const row of chunk) for (const person of row.replaced) await deactivateReplacedOfficer(deps, job.actor, person, job.id);
    await deps.directoryBatch.appendEntries(entries);
    for (const row of chunk) counts[row.outcome]++;
    counts.processed += chunk.length;
    if (!(await deps.importJobs.recordImportProgress(job.id, job.runner, counts, deps.clock.now().toISOString()))) {
      throw new JobTakenOverError(`import ${job.id} was taken over by another run`);
    }
  }
  return counts;
}

/**
 * Takes an officer an earlier import made off their post when the file names someone else (a
 * different phone): the people area's own departure (deactivated and audited, their open reports
 * handed to the post's new officer, written just before, or up a tier, with SMS; their account
 * disabled), so an import replaces an officer exactly as an admin would.
 */
export async function deactivateReplacedOfficer(deps: RunDeps, actor: Actor, person: StoredPerson, importId: string): Promise<void> {
  const current = await deps.directory.getPerson(person.id);
  if (!current || !isActivePerson(current)) return;
  await takeOffPost(deps, actor, current, { reason: 'replaced_by_import', importId });
}

/** Runs every job that is queued or was running when the process stopped (local mode, at start). */
export async function resumeOpenImports(deps: Pick<ImportDeps, 'importJobs' | 'importQueue'>): Promise<number> {
  const open = await deps.importJobs.listOpenImportJobs();
  for (const job of open) await deps.importQueue.enqueue(job.id);
  return open.length;
}

/** A subtree in the import format (UTF-8 with a BOM), for an admin who holds its root. */
export async function exportSubtree(
  deps: Pick<ImportDeps, 'directoryBatch'> & { directory: Pick<DirectoryStore, 'getNode'> },
  actor: Actor,
  code: string,
): Promise<{ filename: string; text: string }> {
  const root = await deps.directory.getNode(code);
  if (!root) throw new NotFoundError('NODE.NOT_FOUND', `node ${code} does not exist`);
  assertCanManageNode(actor, root);
  const [nodes, people] = await Promise.all([deps.directoryBatch.nodesUnder(root.path), deps.directoryBatch.staffUnder(root.path)]);
  return { filename: `${code}.csv`, text: formatCsv(exportRows(nodes, people)) };
}
