import { describe, expect, it } from 'vitest';
import { OPERATOR } from '#core/admin-access.ts';
import { parseCsv } from '#core/csv.ts';
import type { Actor } from '#core/people.ts';
import { officerId } from '#core/tree-import.ts';
import {
  exportSubtree,
  type ImportDeps,
  MAX_STORED_ERRORS,
  readImport,
  resumeOpenImports,
  runImport,
  startImport,
} from '#core/use-cases/imports.ts';
import type { PeopleDeps } from '#core/use-cases/people.ts';
import { InMemoryAuditLog, inMemoryDirectory } from '../support/fakes/in-memory-directory.ts';
import {
  InMemoryDirectoryBatch,
  InMemoryImportFiles,
  InMemoryImportJobStore,
  RecordingImportQueue,
} from '../support/fakes/in-memory-imports.ts';
import { InMemoryReportStore, RecordingWorkflow } from '../support/fakes/in-memory-reports.ts';
import { RecordingAccounts } from '../support/fakes/recording-accounts.ts';
import { gb18030 } from '../support/gb18030.ts';
import {
  assignedReport,
  COUNTY,
  countyAdmin,
  GRID,
  otherTownshipAdmin,
  TOWNSHIP,
  townshipAdmin,
  VILLAGE,
  villageAdmin,
  worker,
} from './fixtures.ts';

const HEADER = 'code,name,level,parent_code,officer_name,officer_phone,officer_title';
const FILE = [
  HEADER,
  '451322201009,新村,村,451322201,韦国华,13977200001,村党支部书记',
  '451322201009001,新村第一网格,网格,451322201009,蒙小燕,13977200002,网格员',
  '451322201009002,新村第二网格,网格,451322201009,覃志明,13977200003,网格员',
].join('\r\n');

let clockAt = Date.parse('2026-11-02T01:00:00.000Z');
const clock = { now: () => new Date(clockAt) };

async function setup() {
  const directory = inMemoryDirectory();
  for (const node of [COUNTY, TOWNSHIP, VILLAGE, GRID]) await directory.putNode(node);
  const audit = new InMemoryAuditLog();
  const importJobs = new InMemoryImportJobStore();
  const importFiles = new InMemoryImportFiles();
  const importQueue = new RecordingImportQueue();
  const directoryBatch = new InMemoryDirectoryBatch(directory, audit);
  const reports = new InMemoryReportStore();
  const workflow = new RecordingWorkflow();
  const accounts = new RecordingAccounts();
  const deps = {
    directory,
    audit,
    clock,
    importJobs,
    importFiles,
    importQueue,
    directoryBatch,
    reports: reports as unknown as PeopleDeps['reports'],
    workflow,
    accounts,
    timeScale: 1,
  } as unknown as ImportDeps & PeopleDeps & { directoryBatch: InMemoryDirectoryBatch };
  /** Uploads a file and runs its job to the end, as the queue would. */
  const importFile = async (text: string | Uint8Array, opts: { dryRun?: boolean; actor?: Actor; charset?: string } = {}) => {
    const bytes = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
    const { id } = await startImport(deps, opts.actor ?? countyAdmin, { bytes, dryRun: opts.dryRun ?? false, charset: opts.charset });
    await runImport(deps, id);
    return readImport(deps, opts.actor ?? countyAdmin, id);
  };
  return { directory, audit, clock, importJobs, importFiles, importQueue, directoryBatch, deps, importFile, reports, workflow, accounts };
}

describe('starting an import', () => {
  it('stores the bytes as sent, queues the job and answers its id', async () => {
    // Prepare
    const { deps, importFiles, importJobs, importQueue } = await setup();
    const bytes = gb18030(FILE);

    // Act
    const { id } = await startImport(deps, townshipAdmin, { bytes, dryRun: true, charset: 'gbk' });

    // Assess
    expect(Buffer.from(await importFiles.getImportFile(id)).equals(bytes)).toBe(true);
    expect(importQueue.queued).toEqual([id]);
    expect(await importJobs.getImportJob(id)).toMatchObject({
      status: 'queued',
      dryRun: true,
      charset: 'gbk',
      actor: { id: townshipAdmin.id, role: 'township_admin', scope: TOWNSHIP.code },
      scopePath: TOWNSHIP.path,
    });
  });

  it('is for admins only', async () => {
    const { deps } = await setup();
    await expect(startImport(deps, worker, { bytes: Buffer.from(FILE), dryRun: true })).rejects.toMatchObject({
      code: 'IMPORT.NOT_AN_ADMIN',
    });
  });

  it('refuses, before any job exists, a file that is empty, not text, or in a charset it cannot read', async () => {
    // Prepare
    const { deps, importJobs } = await setup();

    // Act
    const empty = startImport(deps, countyAdmin, { bytes: new Uint8Array(), dryRun: true });
    const binary = startImport(deps, countyAdmin, { bytes: Buffer.from([0x50, 0x4b, 0x03, 0x04, 0xff, 0xfe, 0xfd]), dryRun: true });
    const big5 = startImport(deps, countyAdmin, { bytes: Buffer.from(FILE), dryRun: true, charset: 'big5' });

    // Assess
    await expect(empty).rejects.toMatchObject({ kind: 'validation', code: 'IMPORT.EMPTY' });
    await expect(binary).rejects.toMatchObject({ kind: 'validation', code: 'IMPORT.NOT_TEXT' });
    await expect(big5).rejects.toMatchObject({ kind: 'unsupported_media_type' });
    expect(importJobs.jobs.size).toBe(0);
  });
});

describe('reading a job', () => {
  it('is for its importer and the admins whose scope holds theirs', async () => {
    // Prepare
    const { deps } = await setup();
    const { id } = await startImport(deps, villageAdmin, { bytes: Buffer.from(FILE), dryRun: true });

    // Act
    const reads = await Promise.allSettled(
      [villageAdmin, townshipAdmin, countyAdmin, otherTownshipAdmin, worker].map((a) => readImport(deps, a, id)),
    );

    // Assess
    expect(reads.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled', 'rejected', 'rejected']);
    await expect(readImport(deps, countyAdmin, 'no-such-import')).rejects.toMatchObject({ code: 'IMPORT.NOT_FOUND' });
  });
});

describe('running an import', () => {
  it('on a dry run says what a commit would do and writes nothing', async () => {
    // Prepare
    const { importFile, directory, directoryBatch } = await setup();
    const before = structuredClone([...directory.nodes.entries()]);

    // Act
    const job = await importFile(FILE, { dryRun: true });

    // Assess
    expect(job).toMatchObject({ status: 'done', dryRun: true, total: 3, processed: 3, created: 3, updated: 0, unchanged: 0, errors: [] });
    expect(directoryBatch.writes).toBe(0);
    expect([...directory.nodes.entries()]).toEqual(before);
  });

  it('on a commit writes the nodes and officers with their audit entries, naming the import', async () => {
    // Prepare
    const { importFile, directory, audit } = await setup();

    // Act
    const job = await importFile(FILE);

    // Assess
    expect(job).toMatchObject({ status: 'done', total: 3, processed: 3, created: 3, encoding: 'utf-8' });
    expect(await directory.getNode('451322201009001')).toMatchObject({
      name: '新村第一网格',
      version: 1,
      lastChange: { importId: job.id },
    });
    expect(await directory.getPerson(officerId('451322201009001', '+8613977200002'))).toMatchObject({
      name: '蒙小燕',
      role: 'grid_worker',
      scope: '451322201009001',
      responsible: true,
      version: 1,
    });
    expect(audit.entries).toHaveLength(6);
    expect(audit.entries.every((e) => e.importId === job.id && e.actor.id === countyAdmin.id && e.change === 'created')).toBe(true);
  });

  it('writes nothing when the same file is imported again', async () => {
    // Prepare
    const { importFile, directoryBatch, audit } = await setup();
    await importFile(FILE);
    const writes = directoryBatch.writes;

    // Act
    const again = await importFile(FILE);

    // Assess
    expect(again).toMatchObject({ status: 'done', total: 3, processed: 3, created: 0, updated: 0, unchanged: 3 });
    expect(directoryBatch.writes).toBe(writes);
    expect(audit.entries).toHaveLength(6);
  });

  it('reads a GB18030 file to the same tree as its UTF-8 twin', async () => {
    // Prepare
    const { importFile } = await setup();
    await importFile(gb18030(FILE));

    // Act
    const twin = await importFile(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(FILE, 'utf8')]));

    // Assess
    expect(twin).toMatchObject({ status: 'done', unchanged: 3, encoding: 'utf-8' });
  });

  it('on a commit with a bad row fails and writes nothing, reporting the rows', async () => {
    // Prepare
    const { importFile, directoryBatch } = await setup();

    // Act
    const job = await importFile(`${FILE}\r\n451322201009003,坏网格,网格,451322999,,,`);

    // Assess
    expect(job).toMatchObject({ status: 'failed', total: 4, processed: 0, created: 0, errorCount: 1 });
    expect(job.errors).toEqual([expect.objectContaining({ row: 5, column: 'parent_code', code: 'IMPORT.UNKNOWN_PARENT' })]);
    expect(directoryBatch.writes).toBe(0);
  });

  it('stores the first errors only, and counts them all', async () => {
    // Prepare
    const { importFile } = await setup();
    const bad = Array.from({ length: MAX_STORED_ERRORS + 200 }, (_, i) => `4.51322E+14,网格${i},网格,451322201001,,,`);

    // Act
    const job = await importFile([HEADER, ...bad].join('\r\n'), { dryRun: true });

    // Assess
    expect(job.errorCount).toBe(MAX_STORED_ERRORS + 200);
    expect(job.errors.length).toBeLessThanOrEqual(MAX_STORED_ERRORS);
    expect(job.errors[0]).toMatchObject({ row: 2, code: 'IMPORT.EXCEL_NUMBER' });
    expect(Buffer.byteLength(JSON.stringify(job.errors))).toBeLessThan(350_000);
  });

  it('fails a file whose quoted cell never ends, at the row where it began', async () => {
    // Prepare
    const { importFile } = await setup();

    // Act
    const job = await importFile(`${HEADER}\r\n451322201009,"新村,村,451322201,,,\r\n`, { dryRun: true });

    // Assess
    expect(job).toMatchObject({ status: 'failed', errors: [{ row: 2, code: 'IMPORT.UNTERMINATED_QUOTE' }] });
  });

  it('deactivates, with an audit entry, the officer an earlier import made when the file names another', async () => {
    // Prepare
    const { importFile, directory, audit } = await setup();
    await importFile(FILE);
    const previous = officerId('451322201009001', '+8613977200002');

    // Act
    const job = await importFile([HEADER, '451322201009001,新村第一网格,网格,451322201009,莫志强,13977200009,网格员'].join('\r\n'));

    // Assess
    expect(job).toMatchObject({ status: 'done', updated: 1 });
    expect(await directory.getPerson(previous)).toMatchObject({ active: false, version: 2 });
    expect(await directory.getPerson(officerId('451322201009001', '+8613977200009'))).toMatchObject({ active: true, name: '莫志强' });
    expect(audit.entries.find((e) => e.subject === `person:${previous}` && e.seq === 2)).toMatchObject({
      change: 'deactivated',
      importId: job.id,
    });
  });

  it('hands the replaced officer’s open reports to the officer the file names, and disables their account', async () => {
    // Prepare: the imported grid worker holds an open report at their grid
    const { importFile, reports, workflow, accounts } = await setup();
    await importFile(FILE);
    const previous = officerId('451322201009001', '+8613977200002');
    const held = {
      ...assignedReport(),
      id: 'R0000000000000A1',
      countyCode: '451322',
      townshipCode: '451322201',
      villageCode: '451322201009',
      gridCode: '451322201009001',
      ownerCode: '451322201009001',
      assignees: [{ id: previous, name: '旧网格员', role: 'grid_worker' as const }],
      waiting: { token: 'tok-1', tierSeq: 1, phase: 'accept' as const },
    };
    reports.add(held);

    // Act
    await importFile([HEADER, '451322201009001,新村第一网格,网格,451322201009,莫志强,13977200009,网格员'].join('\r\n'));

    // Assess
    const after = await reports.get(held.id);
    expect(after?.assignees).toEqual([{ id: officerId('451322201009001', '+8613977200009'), name: '莫志强', role: 'grid_worker' }]);
    expect(reports.allEvents.at(-1)).toMatchObject({ type: 'handed_over', data: { reason: 'replaced_by_import' } });
    expect(workflow.woken).toEqual(['tok-1']);
    expect(accounts.calls).toEqual([`disable ${previous}`]);
  });

  it('runs a job once: a second delivery of the same job finds it claimed or finished and does nothing', async () => {
    // Prepare
    const { deps, directoryBatch } = await setup();
    const { id } = await startImport(deps, countyAdmin, { bytes: Buffer.from(FILE), dryRun: false });
    await runImport(deps, id);
    const writes = directoryBatch.writes;

    // Act
    await runImport(deps, id, { staleAfterMs: 0 });

    // Assess
    expect(directoryBatch.writes).toBe(writes);
  });

  it('takes over a running job whose heartbeat stopped, and finishes it', async () => {
    // Prepare: a run that died after claiming the job
    const { deps, importJobs } = await setup();
    const { id } = await startImport(deps, countyAdmin, { bytes: Buffer.from(FILE), dryRun: false });
    await importJobs.claimImportJob(id, { now: clock.now().toISOString(), staleBefore: '', runner: 'a run that died' });
    clockAt += 10 * 60_000;

    // Act
    await runImport(deps, id);

    // Assess
    expect(await importJobs.getImportJob(id)).toMatchObject({ status: 'done', created: 3 });
  });

  it('stops a run whose job another run took over, leaving the job to that run', async () => {
    // Prepare: this run looked dead (no heartbeat for longer than STALE_JOB_MS) and was taken over
    const { deps, importJobs } = await setup();
    const { id } = await startImport(deps, countyAdmin, { bytes: Buffer.from(FILE), dryRun: false });
    importJobs.recordImportProgress = async () => false;

    // Act
    await runImport(deps, id);

    // Assess
    expect(await importJobs.getImportJob(id)).toMatchObject({ status: 'running' });
  });

  it('leaves a running job with a live heartbeat to its runner', async () => {
    // Prepare
    const { deps, importJobs } = await setup();
    const { id } = await startImport(deps, countyAdmin, { bytes: Buffer.from(FILE), dryRun: false });
    await importJobs.claimImportJob(id, { now: clock.now().toISOString(), staleBefore: '', runner: 'a run that died' });

    // Act
    await runImport(deps, id);

    // Assess
    expect(await importJobs.getImportJob(id)).toMatchObject({ status: 'running', created: 0 });
  });

  it('queues every open job again at a restart', async () => {
    // Prepare
    const { deps, importQueue } = await setup();
    const { id: open } = await startImport(deps, countyAdmin, { bytes: Buffer.from(FILE), dryRun: true });
    const { id: finished } = await startImport(deps, countyAdmin, { bytes: Buffer.from(FILE), dryRun: true });
    await runImport(deps, finished);
    importQueue.queued.length = 0;

    // Act
    const resumed = await resumeOpenImports(deps);

    // Assess
    expect(resumed).toBe(1);
    expect(importQueue.queued).toEqual([open]);
  });

  it('marks the job failed and passes the error on when the store fails mid-run', async () => {
    // Prepare
    const { deps, directoryBatch, importJobs } = await setup();
    directoryBatch.writeRecords = async () => {
      throw new Error('the store is down');
    };
    const { id } = await startImport(deps, countyAdmin, { bytes: Buffer.from(FILE), dryRun: false });

    // Act
    const run = runImport(deps, id);

    // Assess
    await expect(run).rejects.toThrow('the store is down');
    expect(await importJobs.getImportJob(id)).toMatchObject({ status: 'failed', message: expect.stringContaining('internal error') });
  });
});

describe('exporting a subtree', () => {
  it('writes the import format with a BOM, and importing it changes nothing', async () => {
    // Prepare
    const { deps, importFile } = await setup();
    await importFile(FILE);

    // Act
    const { filename, text } = await exportSubtree(deps, townshipAdmin, TOWNSHIP.code);
    const again = await importFile(Buffer.from(text, 'utf8'), { actor: townshipAdmin });

    // Assess
    expect(filename).toBe(`${TOWNSHIP.code}.csv`);
    expect(text.startsWith('\uFEFF')).toBe(true);
    expect(parseCsv(text.slice(1)).records.map((r) => r.fields[0])).toEqual([
      'code',
      TOWNSHIP.code,
      VILLAGE.code,
      GRID.code,
      '451322201009',
      '451322201009001',
      '451322201009002',
    ]);
    expect(again).toMatchObject({ status: 'done', total: 6, unchanged: 6, created: 0, updated: 0 });
  });

  it('is for admins who hold the node', async () => {
    const { deps } = await setup();
    await expect(exportSubtree(deps, otherTownshipAdmin, TOWNSHIP.code)).rejects.toMatchObject({ code: 'NODE.OUT_OF_SCOPE' });
    await expect(exportSubtree(deps, worker, GRID.code)).rejects.toMatchObject({ code: 'NODE.OUT_OF_SCOPE' });
    await expect(exportSubtree(deps, OPERATOR, '451399')).rejects.toMatchObject({ code: 'NODE.NOT_FOUND' });
  });
});
