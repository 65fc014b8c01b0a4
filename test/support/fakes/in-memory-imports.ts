/**
 * The import ports in memory, with the DynamoDB adapters' rules (a job is claimed once, unless its
 * heartbeat is stale; batch writes are unconditional), for unit tests of the import use cases.
 */
import type { AuditEntry } from '#core/audit.ts';
import { pathKey } from '#core/tree.ts';
import type { StoredNode, StoredPerson } from '#ports/directory.ts';
import type {
  DirectoryBatch,
  ImportCounts,
  ImportFileStore,
  ImportJob,
  ImportJobStore,
  ImportQueue,
  ImportResult,
} from '#ports/imports.ts';
import type { InMemoryAuditLog, InMemoryDirectory } from './in-memory-directory.ts';

const copy = <T>(value: T): T => structuredClone(value);

export class InMemoryImportJobStore implements ImportJobStore {
  readonly jobs = new Map<string, ImportJob>();

  async createImportJob(job: ImportJob) {
    if (this.jobs.has(job.id)) throw new Error(`import ${job.id} exists`);
    this.jobs.set(job.id, copy(job));
  }
  async getImportJob(id: string) {
    const job = this.jobs.get(id);
    return job ? copy(job) : null;
  }
  async claimImportJob(id: string, at: { now: string; staleBefore: string; runner: string }) {
    const job = this.jobs.get(id);
    const claimable = job && (job.status === 'queued' || (job.status === 'running' && (job.heartbeatAt ?? '') <= at.staleBefore));
    if (!job || !claimable) return null;
    Object.assign(job, { status: 'running', heartbeatAt: at.now, updatedAt: at.now, runner: at.runner });
    return copy(job);
  }
  async recordImportProgress(id: string, runner: string, counts: ImportCounts, now: string) {
    const job = this.jobs.get(id);
    if (job?.status !== 'running' || job.runner !== runner) return false;
    Object.assign(job, counts, { heartbeatAt: now, updatedAt: now });
    return true;
  }
  async finishImportJob(id: string, runner: string | null, result: ImportResult, now: string) {
    const job = this.jobs.get(id);
    if (!job || (runner !== null && (job.status !== 'running' || job.runner !== runner))) return false;
    Object.assign(job, copy(result), { updatedAt: now });
    return true;
  }
  async listOpenImportJobs() {
    return [...this.jobs.values()].filter((j) => j.status === 'queued' || j.status === 'running').map(copy);
  }
}

export class InMemoryImportFiles implements ImportFileStore {
  readonly files = new Map<string, Uint8Array>();

  async putImportFile(id: string, bytes: Uint8Array) {
    this.files.set(id, new Uint8Array(bytes));
  }
  async getImportFile(id: string) {
    const bytes = this.files.get(id);
    if (!bytes) throw new Error(`no file for import ${id}`);
    return bytes;
  }
}

/** Records what was queued; tests run the jobs themselves. */
export class RecordingImportQueue implements ImportQueue {
  readonly queued: string[] = [];

  async enqueue(id: string) {
    this.queued.push(id);
  }
}

/** Batch reads and writes over the in-memory directory and audit log; counts the writes it was asked for. */
export class InMemoryDirectoryBatch implements DirectoryBatch {
  writes = 0;

  constructor(
    private readonly directory: InMemoryDirectory,
    private readonly audit: InMemoryAuditLog,
  ) {}

  async getNodes(codes: readonly string[]) {
    return codes
      .map((c) => this.directory.nodes.get(c))
      .filter((n): n is StoredNode => n !== undefined)
      .map(copy);
  }
  async getPeople(ids: readonly string[]) {
    return ids
      .map((id) => this.directory.people.get(id))
      .filter((p): p is StoredPerson => p !== undefined)
      .map(copy);
  }
  async nodesUnder(path: readonly string[]) {
    const prefix = pathKey(path);
    return [...this.directory.nodes.values()]
      .filter((n) => pathKey(n.path).startsWith(prefix))
      .sort((a, b) => pathKey(a.path).localeCompare(pathKey(b.path)))
      .map(copy);
  }
  async staffUnder(path: readonly string[]) {
    const prefix = pathKey(path);
    return [...this.directory.people.values()].filter((p) => p.scopePath && pathKey(p.scopePath).startsWith(prefix)).map(copy);
  }
  async writeRecords(records: { nodes: readonly StoredNode[]; people: readonly StoredPerson[] }) {
    this.writes += records.nodes.length + records.people.length;
    for (const node of records.nodes) this.directory.nodes.set(node.code, copy(node));
    for (const person of records.people) this.directory.people.set(person.id, copy(person));
  }
  async appendEntries(entries: readonly AuditEntry[]) {
    this.writes += entries.length;
    for (const entry of entries) {
      const at = this.audit.entries.findIndex((e) => e.subject === entry.subject && e.seq === entry.seq);
      if (at >= 0) this.audit.entries[at] = copy(entry);
      else this.audit.entries.push(copy(entry));
    }
  }
}
