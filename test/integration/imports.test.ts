/**
 * CSV import and export on the real engines (dynalite, the HTTP server, the in-process job runner):
 * a dry run reports exactly the bad rows and writes nothing; GB18030 and UTF-8 with a BOM read to
 * the same tree; a re-import changes nothing; a changed row updates its node with an audit entry;
 * progress is readable while a job runs; an export imports back unchanged; a job the process died
 * in runs again at the next start.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '#adapters/clock/clocks.ts';
import { officerId } from '#core/tree-import.ts';
import { startLocalRuntime } from '#local/runtime.ts';
import type { DirectoryBatch, ImportJob } from '#ports/imports.ts';
import { loadConfig } from '#wiring/config.ts';
import { gb18030 } from '../support/gb18030.ts';
import { eventually, startTestRuntime, TEST_EPOCH, type TestRuntime } from '../support/local-runtime.ts';

let rt: TestRuntime;

beforeAll(async () => {
  rt = await startTestRuntime();
});
afterAll(async () => rt?.stop());

const HEADER = 'code,name,level,parent_code,officer_name,officer_phone,officer_title';
/** A new township of the demo county (象州县): two villages of two grids, every node with its officer. */
const TOWNSHIP_FILE = [
  HEADER,
  '451322103,寺村镇,乡镇,451322,莫国强,13977201001,寺村镇综治中心主任',
  '451322103001,寺村社区,社区,451322103,韦美玲,13977201002,社区党支部书记',
  '451322103001001,寺村社区第一网格,网格,451322103001,覃小兰,13977201003,网格员',
  '451322103001002,寺村社区第二网格,网格,451322103001,蓝志勇,13977201004,网格员',
  '451322103002,白石村,村,451322103,黄德明,13977201005,村党支部书记',
  '451322103002001,白石村第一网格,网格,451322103002,陆春花,13977201006,网格员',
  '451322103002002,白石村第二网格,网格,451322103002,潘金福,13977201007,网格员',
].join('\r\n');
const ROWS = 7;

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

async function upload(body: string | Buffer, opts: { dryRun?: boolean; contentType?: string; as?: string } = {}) {
  return rt.http('POST', `/api/v1/imports?dryRun=${opts.dryRun ?? false}`, {
    token: await rt.login(opts.as ?? 'admin'),
    rawBody: body,
    headers: { 'content-type': opts.contentType ?? 'text/csv' },
  });
}

async function job(id: string, as = 'admin') {
  const res = await rt.http('GET', `/api/v1/imports/${id}`, { token: await rt.login(as) });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body as ImportJob;
}

/** Uploads a file and waits for its job to finish. */
async function importFile(body: string | Buffer, opts: { dryRun?: boolean; contentType?: string; as?: string } = {}) {
  const res = await upload(body, opts);
  expect(res.status, JSON.stringify(res.body)).toBe(202);
  expect(res.headers.get('location')).toBe(`/api/v1/imports/${res.body.id}`);
  return eventually(async () => {
    const current = await job(res.body.id, opts.as);
    return current.status === 'done' || current.status === 'failed' ? current : undefined;
  });
}

/** Every item in the table but import jobs and sign-in state, in key order: what an import may have written. */
async function directoryItems(): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await rt.runtime.container.db.send(
      new ScanCommand({ TableName: loadConfig({}).TABLE_NAME, ExclusiveStartKey: start, ConsistentRead: true }),
    );
    items.push(...(page.Items ?? []).filter((i) => !/^(IMPORT|SESSION|THROTTLE)#/.test(String(i.PK))));
    start = page.LastEvaluatedKey;
  } while (start);
  return items.sort((a, b) => `${a.PK}|${a.SK}`.localeCompare(`${b.PK}|${b.SK}`));
}

describe('a dry run', () => {
  it('reports exactly the bad rows, every one in one pass, and writes nothing', async () => {
    // Prepare
    const before = await directoryItems();
    const file = [
      HEADER,
      '451322103,新镇,镇,451322,,,', // 2: fine
      '4.51322E+14,科学计数网格,网格,451322103001,,,', // 3: a code Excel turned into a number
      '451322103001,新村,村,451322999,,,', // 4: unknown parent
      '451322103002001,错级网格,网格,451322103,,,', // 5: a grid under a township
      '451322103003,重复村,村,451322103,,,', // 6: fine, then duplicated
      '451322103003,重复村二,村,451322103,,,', // 7: duplicate code
      '451322103004,电话错村,村,451322103,韦某,1397720,', // 8: malformed phone
      '451322103005,缺电话村,村,451322103,韦某,,', // 9: an officer without a phone
      '451322201001,那沙村,村,451322101,,,', // 10: a move of a stored village
      '451322103006,循环村,村,451322103006001,,,', // 11 and 12: a cycle
      '451322103006001,循环网格,网格,451322103006,,,',
      '451322103007,,村,451322103,,,', // 13: no name
      '451322103008,级别错村,组,451322103,,,', // 14: unknown level
    ].join('\r\n');

    // Act
    const result = await importFile(file, { dryRun: true });

    // Assess
    expect(result).toMatchObject({ status: 'done', dryRun: true, total: 13, created: 0, errorCount: 11 });
    expect(result.errors.map((e) => [e.row, e.column, e.code])).toEqual([
      [3, 'code', 'IMPORT.EXCEL_NUMBER'],
      [4, 'parent_code', 'IMPORT.UNKNOWN_PARENT'],
      [5, 'level', 'NODE.LEVEL_PARENT'],
      [7, 'code', 'IMPORT.DUPLICATE_CODE'],
      [8, 'officer_phone', 'PEOPLE.PHONE_INVALID'],
      [9, 'officer_phone', 'IMPORT.OFFICER_INCOMPLETE'],
      [10, 'parent_code', 'IMPORT.MOVE_REFUSED'],
      [11, 'parent_code', 'IMPORT.CYCLE'],
      [12, 'parent_code', 'IMPORT.CYCLE'],
      [13, 'name', 'IMPORT.REQUIRED'],
      [14, 'level', 'IMPORT.BAD_LEVEL'],
    ]);
    expect(result.errors[0]?.message).toContain('设置单元格格式为“文本”');
    expect(await directoryItems()).toEqual(before);
  });

  it('of a clean file says what a commit would do, and writes nothing', async () => {
    // Prepare
    const before = await directoryItems();

    // Act
    const result = await importFile(TOWNSHIP_FILE, { dryRun: true });

    // Assess
    expect(result).toMatchObject({ status: 'done', total: ROWS, processed: ROWS, created: ROWS, updated: 0, unchanged: 0, errors: [] });
    expect(await directoryItems()).toEqual(before);
  });
});

describe('a commit', () => {
  it('of a GB18030 file (Excel on Chinese Windows) creates the tree and its officers', async () => {
    // Act
    const result = await importFile(gb18030(TOWNSHIP_FILE));

    // Assess
    expect(result).toMatchObject({ status: 'done', encoding: 'gb18030', total: ROWS, processed: ROWS, created: ROWS, errors: [] });
    const { directory } = rt.runtime.container;
    expect(await directory.getNode('451322103001002')).toMatchObject({
      name: '寺村社区第二网格',
      level: 'grid',
      parentCode: '451322103001',
      path: ['451322', '451322103', '451322103001', '451322103001002'],
      version: 1,
    });
    expect(await directory.getPerson(officerId('451322103001002', '+8613977201004'))).toMatchObject({
      name: '蓝志勇',
      role: 'grid_worker',
      scope: '451322103001002',
      responsible: true,
      active: true,
    });
  });

  it('of the same file in UTF-8 with a BOM finds the same tree: every row unchanged, nothing written', async () => {
    // Prepare
    const before = await directoryItems();

    // Act
    const result = await importFile(Buffer.concat([BOM, Buffer.from(TOWNSHIP_FILE, 'utf8')]));

    // Assess
    expect(result).toMatchObject({ status: 'done', encoding: 'utf-8', total: ROWS, created: 0, updated: 0, unchanged: ROWS });
    expect(await directoryItems()).toEqual(before);
  });

  it('of the GB18030 file again, named by its charset, changes nothing either', async () => {
    // Prepare
    const before = await directoryItems();

    // Act
    const result = await importFile(gb18030(TOWNSHIP_FILE), { contentType: 'text/csv; charset=GBK' });

    // Assess
    expect(result).toMatchObject({ status: 'done', encoding: 'gb18030', unchanged: ROWS });
    expect(await directoryItems()).toEqual(before);
  });

  it('of a changed row updates that node alone, with an audit entry naming the import', async () => {
    // Prepare
    const changed = TOWNSHIP_FILE.replace('451322103002,白石村,', '451322103002,白石新村,');

    // Act
    const result = await importFile(changed);

    // Assess
    expect(result).toMatchObject({ status: 'done', created: 0, updated: 1, unchanged: ROWS - 1 });
    const history = await rt.http('GET', '/api/v1/history?subject=node:451322103002', { token: await rt.login('admin') });
    expect(history.status).toBe(200);
    expect(history.body.items[0]).toMatchObject({
      seq: 2,
      change: 'updated',
      before: { name: '白石村' },
      after: { name: '白石新村' },
      importId: result.id,
      actor: { name: '覃卫东', role: 'county_admin' },
    });
    expect(await rt.runtime.container.directory.getNode('451322103002')).toMatchObject({ name: '白石新村', version: 2 });
  });

  it('with a bad row fails and writes nothing at all', async () => {
    // Prepare
    const before = await directoryItems();
    const file = `${TOWNSHIP_FILE}\r\n451322103003,新增村,村,451322103,,,\r\n451322103003001,坏网格,网格,451322103099,,,`;

    // Act
    const result = await importFile(file);

    // Assess
    expect(result).toMatchObject({ status: 'failed', processed: 0, created: 0, errorCount: 1 });
    expect(result.errors).toEqual([expect.objectContaining({ row: 10, column: 'parent_code', code: 'IMPORT.UNKNOWN_PARENT' })]);
    expect(await directoryItems()).toEqual(before);
  });
});

describe('progress', () => {
  let restore: (() => void) | undefined;
  afterEach(() => restore?.());

  it('is readable while a job runs: the villages applied, the grids held back by the batch writer', async () => {
    // Prepare: the writer waits at its second round (the grids) until the test lets it go
    const batch = rt.runtime.container.deps.directoryBatch as DirectoryBatch;
    const original = batch.writeRecords;
    let calls = 0;
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    batch.writeRecords = async (records) => {
      calls++;
      if (calls === 2) await gate;
      return original.call(batch, records);
    };
    restore = () => {
      batch.writeRecords = original;
    };
    const file = [
      HEADER,
      '451322103003,新兴村,村,451322103,,,',
      '451322103003001,新兴村第一网格,网格,451322103003,,,',
      '451322103003002,新兴村第二网格,网格,451322103003,,,',
    ].join('\r\n');

    // Act
    const res = await upload(file);
    const midway = await eventually(async () => {
      const current = await job(res.body.id);
      return current.processed === 1 ? current : undefined;
    });
    release();
    const done = await eventually(async () => {
      const current = await job(res.body.id);
      return current.status === 'done' ? current : undefined;
    });

    // Assess
    expect(midway).toMatchObject({ status: 'running', total: 3, processed: 1, created: 1 });
    expect(calls).toBe(2);
    expect(done).toMatchObject({ status: 'done', total: 3, processed: 3, created: 3 });
  });
});

describe('export', () => {
  it('writes the subtree in the import format with a BOM, as an attachment', async () => {
    // Act
    const res = await rt.http('GET', '/api/v1/tree/451322103/export.csv', { token: await rt.login('township1') });

    // Assess: township1 holds 百丈乡, not 寺村镇
    expect(res.status).toBe(403);
    // fetch's text() would drop the BOM: the bytes tell
    const own = await fetch(`${rt.url}/api/v1/tree/451322103/export.csv`, {
      headers: { authorization: `Bearer ${await rt.login('admin')}` },
    });
    const bytes = Buffer.from(await own.arrayBuffer());
    expect(own.status).toBe(200);
    expect(own.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(own.headers.get('content-disposition')).toBe('attachment; filename="451322103.csv"');
    expect(bytes.subarray(0, 3).equals(BOM)).toBe(true);
    const lines = bytes.subarray(3).toString('utf8').trimEnd().split('\r\n');
    expect(lines[0]).toBe(HEADER);
    expect(lines[1]).toBe('451322103,寺村镇,township,451322,莫国强,13977201001,寺村镇综治中心主任');
    expect(lines).toHaveLength(1 + ROWS + 3);
  });

  it('of the demo county imports back unchanged: nothing is written', async () => {
    // Prepare
    const exported = await rt.http('GET', '/api/v1/tree/451322/export.csv', { token: await rt.login('admin') });
    const text = exported.body as string;
    const before = await directoryItems();

    // Act: what the export answered, byte for byte
    const result = await importFile(Buffer.from(text, 'utf8'));

    // Assess
    const rows = text.trimEnd().split('\r\n').length - 1;
    expect(text).toContain('451322201001001,那沙村第一网格,grid,451322201001,覃宏,13877200301,那沙村第一网格网格员');
    expect(result).toMatchObject({ status: 'done', total: rows, created: 0, updated: 0, unchanged: rows });
    expect(await directoryItems()).toEqual(before);
  });
});

describe('at the edge', () => {
  it('refuses a body that is not CSV, a file that is not text, and a missing dryRun', async () => {
    // Act
    const json = await upload('{"code":"1"}', { contentType: 'application/json' });
    const binary = await upload(Buffer.from([0x50, 0x4b, 0x03, 0x04, 0xff, 0xfe, 0x00, 0x81]), { contentType: 'application/octet-stream' });
    const noDryRun = await rt.http('POST', '/api/v1/imports', {
      token: await rt.login('admin'),
      rawBody: TOWNSHIP_FILE,
      headers: { 'content-type': 'text/csv' },
    });

    // Assess
    expect([json.status, json.body.error.code]).toEqual([415, 'REQUEST.UNSUPPORTED_MEDIA_TYPE']);
    expect([binary.status, binary.body.error.code]).toEqual([400, 'IMPORT.NOT_TEXT']);
    expect([noDryRun.status, noDryRun.body.error.code]).toEqual([400, 'REQUEST.INVALID_QUERY']);
  });
});

describe('a restart', () => {
  it('runs again the job the process died in', async () => {
    // Prepare: a job claimed by a run that died with the process (a data directory of its own)
    const clock = new ManualClock(TEST_EPOCH);
    const dataDir = await mkdtemp(join(tmpdir(), 'gw-import-restart-'));
    const config = loadConfig({ PORT: '0', DATA_DIR: dataDir, SMS_PRINT: 'false' });
    let runtime = await startLocalRuntime(config, { log: () => undefined, clock, scheduler: clock });
    const { importJobs, importFiles } = runtime.container.deps;
    const id = '00000000-0000-4000-8000-000000000001';
    await importFiles.putImportFile(id, Buffer.from([HEADER, '451322201009,重启村,村,451322201,,,'].join('\r\n')));
    const now = clock.now().toISOString();
    await importJobs.createImportJob({
      id,
      status: 'queued',
      dryRun: false,
      actor: { id: 'p-county-admin', name: '覃卫东', role: 'county_admin', scope: '451322' },
      scopePath: ['451322'],
      total: 0,
      processed: 0,
      created: 0,
      updated: 0,
      unchanged: 0,
      errors: [],
      errorCount: 0,
      createdAt: now,
      updatedAt: now,
    });
    await importJobs.claimImportJob(id, { now, staleBefore: now, runner: 'the run that died' });
    await runtime.stop();

    // Act
    runtime = await startLocalRuntime(config, { log: () => undefined, clock, scheduler: clock });
    await runtime.container.imports.idle();

    // Assess
    try {
      expect(await runtime.container.deps.importJobs.getImportJob(id)).toMatchObject({ status: 'done', created: 1 });
      expect(await runtime.container.directory.getNode('451322201009')).toMatchObject({ name: '重启村' });
    } finally {
      await runtime.stop();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
