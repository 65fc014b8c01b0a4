/**
 * A prefecture's CSV through the real local runtime: 10 counties, 110 townships, 1,100 villages,
 * 21,544 grids (DESIGN.md's seed figures) and 21,844 people with Chinese names and valid mobiles,
 * imported by the operator through the import use case (the operator has no token: counties are
 * its alone to create), so the job runs on the same in-process queue, batch writer and dynalite an
 * upload through POST /api/v1/imports reaches. Prints the time, rows/s and the DynamoDB requests of
 * a dry run, the import and a re-import of the same file (which must write nothing), and then,
 * as a county admin the import created, the time of listing a township's children and of one
 * county's export over HTTP.
 *
 *   npm run bench:import
 *
 * Benches print numbers; tests never time anything. The issue's aim: the import under 60 s locally.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OPERATOR } from '#core/admin-access.ts';
import { officerId } from '#core/tree-import.ts';
import { type ImportJobView, readImport, startImport } from '#core/use-cases/imports.ts';
import { ROUTES } from '#handlers/http/routes.ts';
import { startLocalRuntime } from '#local/runtime.ts';
import { loadConfig } from '#wiring/config.ts';
import { COUNTIES, GRIDS, PEOPLE, type Prefecture, prefecture, TOWNSHIPS_PER_COUNTY, VILLAGES_PER_TOWNSHIP } from './prefecture.ts';

// ---------------------------------------------------------------------------------------------
// Running it

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

async function main() {
  const file = prefecture();
  const bytes = Buffer.from(file.csv, 'utf8');
  const dataDir = await mkdtemp(join(tmpdir(), 'gw-bench-import-'));
  const runtime = await startLocalRuntime(loadConfig({ PORT: '0', DATA_DIR: dataDir, SMS_PRINT: 'false' }), { log: () => undefined });
  const { deps, db } = runtime.container;

  // Every DynamoDB request the runtime sends, by operation.
  const requests: Record<string, number> = {};
  db.middlewareStack.add(
    (next, context) => async (args) => {
      const name = String(context.commandName ?? 'unknown').replace(/Command$/, '');
      requests[name] = (requests[name] ?? 0) + 1;
      return next(args);
    },
    { step: 'initialize', name: 'benchRequestCounter' },
  );
  const snapshot = () => ({ ...requests });
  const since = (before: Record<string, number>): Record<string, number> =>
    Object.fromEntries(
      Object.entries(requests)
        .map(([op, n]): [string, number] => [op, n - (before[op] ?? 0)])
        .filter(([, n]) => n > 0),
    );

  const run = async (label: string, dryRun: boolean) => {
    const before = snapshot();
    const started = performance.now();
    const { id } = await startImport(deps, OPERATOR, { bytes, dryRun });
    let job: ImportJobView;
    let lastPrint = started;
    for (;;) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      job = await readImport(deps, OPERATOR, id);
      if (job.status === 'done' || job.status === 'failed') break;
      if (performance.now() - lastPrint > 5_000) {
        lastPrint = performance.now();
        console.log(`  … ${label}: ${job.status}, ${job.processed}/${job.total} rows after ${seconds(lastPrint - started)}`);
      }
    }
    const ms = performance.now() - started;
    if (job.status !== 'done' || job.errorCount > 0) throw new Error(`${label}: ${JSON.stringify(job).slice(0, 2000)}`);
    const ops = since(before);
    const total = Object.values(ops).reduce((a, b) => a + b, 0);
    console.log(
      `| ${label} | ${seconds(ms)} | ${Math.round(job.total / (ms / 1000))} | ${job.created} / ${job.updated} / ${job.unchanged} | ${total} | ${Object.entries(
        ops,
      )
        .map(([op, n]) => `${op} ${n}`)
        .join(', ')} |`,
    );
    return job;
  };

  console.log(
    `prefecture: ${COUNTIES} counties, ${COUNTIES * TOWNSHIPS_PER_COUNTY} townships, ${COUNTIES * TOWNSHIPS_PER_COUNTY * VILLAGES_PER_TOWNSHIP} villages, ` +
      `${GRIDS} grids, ${PEOPLE} people: ${file.rows} rows, ${(bytes.length / 1_048_576).toFixed(2)} MB of CSV\n`,
  );
  console.log('| run | time | rows/s | created / updated / unchanged | DynamoDB requests | by operation |');
  console.log('| --- | --- | --- | --- | --- | --- |');
  try {
    await run('dry run', true);
    const first = await run('import', false);
    const again = await run('re-import of the same file', false);
    if (again.unchanged !== first.total) throw new Error('the re-import changed something');

    // As the county admin the file made: sign in, list a township's children, export the county.
    const county = file.counties[0] as Prefecture['counties'][number];
    const adminId = officerId(county.code, `+86${county.adminPhone}`);
    await deps.credentials.putCredential({ username: 'bench-admin', personId: adminId, passwordHash: await deps.passwords.hash('bench') });
    const login = await fetch(`${runtime.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'bench-admin', password: 'bench' }),
    });
    const { token } = (await login.json()) as { token: string };
    const timed = async (label: string, path: string) => {
      const started = performance.now();
      const res = await fetch(`${runtime.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
      const body = await res.text();
      console.log(`${label}: ${res.status} in ${(performance.now() - started).toFixed(0)} ms (${body.length} characters)`);
    };
    console.log('');
    if (ROUTES.some((r) => r.method === 'GET' && r.path === '/api/v1/tree/{code}/children')) {
      await timed(`GET /api/v1/tree/${file.aTownship}/children`, `/api/v1/tree/${file.aTownship}/children?limit=100`);
    } else {
      const started = performance.now();
      const page = await deps.directory.listChildrenPage(file.aTownship, { limit: 100 });
      console.log(
        `children of ${file.aTownship} (the store call GET …/children makes; that route is not on this branch): ${page.items.length} in ${(performance.now() - started).toFixed(0)} ms`,
      );
    }
    await timed(`GET /api/v1/tree/${county.code}/export.csv`, `/api/v1/tree/${county.code}/export.csv`);
  } finally {
    await runtime.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

await main();
