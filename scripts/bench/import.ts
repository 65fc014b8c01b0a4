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

const COUNTIES = 10;
const TOWNSHIPS_PER_COUNTY = 11;
const VILLAGES_PER_TOWNSHIP = 10;
const GRIDS = 21_544;
const PEOPLE = 21_844;

// ---------------------------------------------------------------------------------------------
// The file

/** A small deterministic generator (mulberry32), so every run imports the same prefecture. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const SURNAMES = [...'韦覃黄蓝莫梁陆廖蒙潘李张王刘陈杨赵周吴徐孙马朱胡郭何罗高林郑谢唐冯宋邓许韩曾彭萧田董袁潘蔡蒋余杜叶程魏苏吕丁任沈姚卢钟谭陆汪范金石']; // biome-ignore format: a list of characters
const GIVEN = [...'国华建平秀英志强春燕海军美玲文斌小红德才玉兰丽萍宏明芳桂芝振东卫红桃丹凤永福晓梅金花家兴德明春花金福志勇小兰美'];
const PLACE = [...'石龙百丈寺村白石马坪大乐中平妙皇罗秀运江水晶古德桥头新村龙塘那沙板塘盘古思练福禄象山'];

const pick = <T>(next: () => number, list: readonly T[]): T => list[Math.floor(next() * list.length)] as T;

function personName(next: () => number): string {
  const given = next() < 0.3 ? pick(next, GIVEN) : `${pick(next, GIVEN)}${pick(next, GIVEN)}`;
  return `${pick(next, SURNAMES)}${given}`;
}

interface Prefecture {
  csv: string;
  rows: number;
  counties: { code: string; adminPhone: string }[];
  aTownship: string;
}

function prefecture(): Prefecture {
  const next = random(20_261_102);
  const lines = ['code,name,level,parent_code,officer_name,officer_phone,officer_title'];
  let people = 0;
  const phone = () => `139${String(++people).padStart(8, '0')}`;
  const villages = COUNTIES * TOWNSHIPS_PER_COUNTY * VILLAGES_PER_TOWNSHIP;
  // Every grid has its worker, every county and township its officer; the rest of the people are village secretaries.
  const villageOfficers = PEOPLE - GRIDS - COUNTIES - COUNTIES * TOWNSHIPS_PER_COUNTY;
  const counties: Prefecture['counties'] = [];
  let villageIndex = 0;
  for (let c = 1; c <= COUNTIES; c++) {
    const county = `4599${String(c).padStart(2, '0')}`;
    const adminPhone = phone();
    counties.push({ code: county, adminPhone });
    lines.push(`${county},${pick(next, PLACE)}${pick(next, PLACE)}县,县,,${personName(next)},${adminPhone},县综治中心主任`);
    for (let t = 1; t <= TOWNSHIPS_PER_COUNTY; t++) {
      const township = `${county}${String(100 + t).padStart(3, '0')}`;
      const townshipName = `${pick(next, PLACE)}${pick(next, PLACE)}${t % 3 === 0 ? '街道' : '镇'}`;
      lines.push(
        `${township},${townshipName},${t % 3 === 0 ? '街道' : '乡镇'},${county},${personName(next)},${phone()},${townshipName}综治中心主任`,
      );
      for (let v = 1; v <= VILLAGES_PER_TOWNSHIP; v++) {
        const village = `${township}${String(v).padStart(3, '0')}`;
        const villageName = `${pick(next, PLACE)}${pick(next, PLACE)}${v % 4 === 0 ? '社区' : '村'}`;
        const officer = villageIndex < villageOfficers ? `${personName(next)},${phone()},${villageName}党支部书记` : ',,';
        lines.push(`${village},${villageName},${v % 4 === 0 ? '社区' : '村'},${township},${officer}`);
        // 21,544 grids over 1,100 villages: 19 each, and one more for the first 644.
        const grids = Math.floor(GRIDS / villages) + (villageIndex < GRIDS % villages ? 1 : 0);
        for (let g = 1; g <= grids; g++) {
          const grid = `${village}${String(g).padStart(3, '0')}`;
          lines.push(`${grid},${villageName}第${g}网格,网格,${village},${personName(next)},${phone()},专职网格员`);
        }
        villageIndex++;
      }
    }
  }
  if (people !== PEOPLE) throw new Error(`generated ${people} people, not ${PEOPLE}`);
  return { csv: `${lines.join('\r\n')}\r\n`, rows: lines.length - 1, counties, aTownship: `${counties[0]?.code}101` };
}

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
