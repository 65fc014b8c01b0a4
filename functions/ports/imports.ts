/**
 * CSV imports as jobs: the job record (status, counts, errors), the uploaded bytes, the queue that
 * runs a job off the request (an HTTP API request may last 30 s on AWS, a prefecture takes longer),
 * and the directory's batch reads and writes that make a 20,000-row file fast.
 */
import type { AuditEntry } from '#core/audit.ts';
import type { Actor } from '#core/people.ts';
import type { RowError } from '#core/tree-import.ts';
import type { StoredNode, StoredPerson } from './directory.ts';

export const IMPORT_STATUSES = ['queued', 'running', 'done', 'failed'] as const;
export type ImportStatus = (typeof IMPORT_STATUSES)[number];

export interface ImportCounts {
  total: number;
  processed: number;
  created: number;
  updated: number;
  unchanged: number;
}

export interface ImportResult extends ImportCounts {
  status: 'done' | 'failed';
  errors: RowError[];
  errorCount: number;
  encoding?: string;
  message?: string;
}

export interface ImportJob extends ImportCounts {
  id: string;
  status: ImportStatus;
  dryRun: boolean;
  /** Who uploaded the file; the rows are checked against their scope. */
  actor: Actor;
  /** The path of the importer's scope node (null for the operator), so admins above them may read the job. */
  scopePath: string[] | null;
  /** The Content-Type's charset, if the upload named one. */
  charset?: string;
  /** How the file was decoded, once a run has read it. */
  encoding?: string;
  /** The first errors (at most MAX_STORED_ERRORS: an item is at most 400 KB); errorCount has them all. */
  errors: RowError[];
  errorCount: number;
  /** Why a job failed without a row to blame (the file could not be read, the store was down). */
  message?: string;
  createdAt: string;
  updatedAt: string;
  /** Renewed with every progress write: a running job whose heartbeat stopped may be taken over. */
  heartbeatAt?: string;
  /** The run that holds the job while it is running. */
  runner?: string;
}

export interface ImportJobStore {
  createImportJob(job: ImportJob): Promise<void>;
  getImportJob(id: string): Promise<ImportJob | null>;
  /**
   * Marks the job running for this run (`runner`) and returns it, if it is queued, or running with
   * a heartbeat older than `staleBefore` (its runner died); null when another run has it or it is
   * finished.
   */
  claimImportJob(id: string, at: { now: string; staleBefore: string; runner: string }): Promise<ImportJob | null>;
  /** False when the job is no longer this runner's (another run took it over): the runner stops. */
  recordImportProgress(id: string, runner: string, counts: ImportCounts, now: string): Promise<boolean>;
  /** Finishes the job; with a runner, only while it is still that runner's (false otherwise). */
  finishImportJob(id: string, runner: string | null, result: ImportResult, now: string): Promise<boolean>;
  /** Jobs that are queued or running (a restarted process runs them again). */
  listOpenImportJobs(): Promise<ImportJob[]>;
}

/** The uploaded files, kept as they were sent (a file under DATA_DIR/imports locally, S3 on AWS). */
export interface ImportFileStore {
  putImportFile(id: string, bytes: Uint8Array): Promise<void>;
  getImportFile(id: string): Promise<Uint8Array>;
}

/** Runs a job off the request: in-process locally, the importer function (invoked asynchronously) on AWS. */
export interface ImportQueue {
  enqueue(id: string): Promise<void>;
}

/**
 * The directory in bulk. Batch writes cannot be conditional: an import overwrites what it read,
 * so an edit made to the same record while an import runs can be lost (last writer wins); an
 * import writes only what changed, so re-importing the same file writes nothing.
 */
export interface DirectoryBatch {
  /** The nodes with these codes that exist (any order). */
  getNodes(codes: readonly string[]): Promise<StoredNode[]>;
  /** The people with these ids that exist (any order). */
  getPeople(ids: readonly string[]): Promise<StoredPerson[]>;
  /** Every node at or under the path (the node itself included), in path order. */
  nodesUnder(path: readonly string[]): Promise<StoredNode[]>;
  /** Every person whose scope node lies at or under the path. */
  staffUnder(path: readonly string[]): Promise<StoredPerson[]>;
  /** Puts the records (unconditionally; see above). */
  writeRecords(records: { nodes: readonly StoredNode[]; people: readonly StoredPerson[] }): Promise<void>;
  /** Appends audit entries; an entry's key is its subject and version, so a retry rewrites the same entry. */
  appendEntries(entries: readonly AuditEntry[]): Promise<void>;
}
