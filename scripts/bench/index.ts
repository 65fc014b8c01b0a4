/**
 * `npm run bench`: every figure of issue 12 measured side by side in one run on this machine,
 * printed as one table and written as JSON. Performance is reported here, never asserted in tests.
 *
 *   npm run bench [-- --only intake,timers,dashboard,import,init,transitions] [--out bench-results/latest.json]
 *                 [--seconds 60] [--connections 50] [--raw-seconds 20] [--timer-reports 2000]
 *                 [--dashboard-sizes 1000,100000] [--init-rounds 7]
 *
 * - intake: reports filed and brought to "SMS sent, waiting for 签收" by a real server process at
 *   `connections`, beside raw PutItem through the SDK at the same concurrency on a fresh dynalite
 *   child (intake.ts); targets: ratio ≥ 0.1, intake p99 ≤ 150 ms;
 * - timers: escalation lateness with `timer-reports` reports waiting at once (timers.ts); target p99 ≤ 1 s;
 * - dashboard: GET /api/v1/stats at 1,000 and 100,000 reports (dashboard.ts); the ratio should be flat;
 * - import, init, transitions: the existing benches (import.ts, lambda-init.ts, state-transitions.ts)
 *   run as they are, their tables read from their output (transitions: from `--json` where that
 *   flag exists).
 */
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, cpus, tmpdir, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { dashboard } from './dashboard.ts';
import { intake, rawPutItem } from './intake.ts';
import { timerLateness } from './timers.ts';

const PARTS = ['intake', 'timers', 'dashboard', 'import', 'init', 'transitions'] as const;
type Part = (typeof PARTS)[number];
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

const { values } = parseArgs({
  options: {
    only: { type: 'string' },
    out: { type: 'string', default: 'bench-results/latest.json' },
    seconds: { type: 'string', default: '60' },
    connections: { type: 'string', default: '50' },
    'raw-seconds': { type: 'string', default: '20' },
    'timer-reports': { type: 'string', default: '2000' },
    'dashboard-sizes': { type: 'string', default: '1000,100000' },
    'init-rounds': { type: 'string', default: '7' },
  },
});

function positive(name: string, value: string | undefined): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`--${name} must be a positive integer, not ${value}`);
  return n;
}

const only = new Set((values.only ?? PARTS.join(',')).split(',').map((p) => p.trim()));
for (const part of only) if (!PARTS.includes(part as Part)) throw new Error(`--only: unknown part ${part} (parts: ${PARTS.join(', ')})`);
const wanted = (part: Part) => only.has(part);

interface Row {
  figure: string;
  value: string;
  target?: string;
}

/** A markdown table in a bench's output, as objects keyed by its header. */
function tablesIn(text: string): Record<string, string>[][] {
  const tables: Record<string, string>[][] = [];
  let header: string[] | null = null;
  let rows: Record<string, string>[] = [];
  const cells = (line: string) =>
    line
      .trim()
      .replace(/^\||\|$/g, '')
      .split('|')
      .map((c) => c.trim());
  for (const line of [...text.split('\n'), '']) {
    // A progress line (`  … import: running, …`) inside a table does not end it.
    if (header && line.trim().startsWith('…')) continue;
    if (!line.trim().startsWith('|')) {
      if (header) tables.push(rows);
      header = null;
      rows = [];
      continue;
    }
    const row = cells(line);
    if (!header) header = row;
    else if (!row.every((c) => /^:?-+:?$/.test(c))) rows.push(Object.fromEntries(header.map((h, i) => [h, row[i] ?? ''])));
  }
  return tables;
}

/** Runs an npm script to its end; its output is kept, not shown (a dot per line keeps the terminal alive). */
function runScript(script: string, args: string[] = []): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn('npm', ['run', '--silent', script, ...(args.length ? ['--', ...args] : [])], { cwd: ROOT, env: process.env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d;
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d;
    });
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

const ms = (n: number) => `${Math.round(n).toLocaleString('en-US')} ms`;
const perSecond = (n: number) => `${n.toFixed(1)}/s`;
const log = (message: string) => process.stderr.write(`[bench] ${message}\n`);

async function main() {
  const results: Record<string, unknown> = {};
  const table: Row[] = [];
  const startedAt = new Date();

  if (wanted('intake')) {
    const seconds = positive('seconds', values.seconds);
    const connections = positive('connections', values.connections);
    log(`raw PutItem at ${connections} concurrent for ${values['raw-seconds']} s`);
    const raw = await rawPutItem({ seconds: positive('raw-seconds', values['raw-seconds']), concurrency: connections });
    log(`intake at ${connections} connections for ${seconds} s`);
    const filed = await intake({ seconds, connections });
    const ratio = filed.perSecond / raw.perSecond;
    results.intake = { raw, intake: filed, ratio };
    table.push(
      {
        figure: `raw PutItem through the SDK, ${connections} concurrent`,
        value: `${perSecond(raw.perSecond)} (p50 ${ms(raw.latencyMs.p50)}, p99 ${ms(raw.latencyMs.p99)})`,
      },
      {
        figure: `intake: 201s, ${connections} connections, ${seconds} s`,
        value: `${perSecond(filed.createdPerSecond)} (${filed.created} filed; ${JSON.stringify(filed.statuses)})`,
      },
      {
        figure: 'intake: brought to "SMS sent, waiting for 签收"',
        value: `${perSecond(filed.perSecond)} (${filed.smsSent} of ${filed.created}, last after ${filed.drainedAfterSeconds.toFixed(1)} s)`,
      },
      { figure: 'intake ÷ raw PutItem', value: ratio.toFixed(3), target: '≥ 0.1' },
      { figure: 'intake latency p50 / p99', value: `${ms(filed.latencyMs.p50)} / ${ms(filed.latencyMs.p99)}`, target: 'p99 ≤ 150 ms' },
    );
    if (filed.cpuMsPerReport) {
      table.push({
        figure: 'intake CPU per report brought to "SMS sent" (load and catch-up)',
        value: `server ${filed.cpuMsPerReport.server.toFixed(1)} ms, embedded DynamoDB ${filed.cpuMsPerReport.engine.toFixed(1)} ms`,
      });
    }
  }

  if (wanted('timers')) {
    const reports = positive('timer-reports', values['timer-reports']);
    log(`timer lateness with ${reports} reports waiting`);
    const timers = await timerLateness({ reports });
    results.timers = timers;
    table.push({
      figure: `escalation lateness, ${timers.waitingAtOnce} waiting at once (deadlines over ${timers.deadlineSpreadSeconds.toFixed(0)} s)`,
      value: `p50 ${ms(timers.latenessMs.p50)}, p99 ${ms(timers.latenessMs.p99)}, max ${ms(timers.latenessMs.max)}`,
      target: 'p99 ≤ 1 s',
    });
  }

  if (wanted('dashboard')) {
    const sizes = (values['dashboard-sizes'] ?? '').split(',').map((s) => positive('dashboard-sizes', s));
    log(`dashboard at ${sizes.join(', ')} reports`);
    const stats = await dashboard({ sizes });
    results.dashboard = stats;
    for (const p of stats.points) {
      table.push({
        figure: `GET /api/v1/stats, county, ${p.range}, ${p.reports.toLocaleString('en-US')} reports`,
        value: `p50 ${ms(p.latencyMs.p50)}, p99 ${ms(p.latencyMs.p99)} (${p.bytes.toLocaleString('en-US')} characters of JSON)`,
      });
    }
    for (const size of sizes) {
      const c = stats.points.find((p) => p.reports === size)?.compaction;
      if (c)
        table.push({
          figure: `nightly compaction before the read, ${size.toLocaleString('en-US')} reports`,
          value: `${c.watermarks.toLocaleString('en-US')} watermarks dropped in ${c.seconds.toFixed(1)} s`,
        });
    }
    for (const [range, ratio] of Object.entries(stats.ratio)) {
      table.push({ figure: `stats ${range}: largest ÷ smallest p50`, value: `${ratio.toFixed(2)}×`, target: 'flat (≈ 1×)' });
    }
  }

  if (wanted('import')) {
    log('prefecture import (npm run bench:import)');
    const out = await runScript('bench:import');
    if (out.code !== 0) throw new Error(`bench:import failed: ${out.stderr.slice(-2000)}`);
    // Its progress lines cut its table in pieces: every row with a `run` is one of its runs.
    const runs = tablesIn(out.stdout)
      .flat()
      .filter((row) => row.run !== undefined);
    const timings = [...out.stdout.matchAll(/^(GET \S+|children of \S+[^:]*): (?:(\d{3}) )?in (\d+) ms/gm)].map((m) => ({
      request: m[1],
      ms: Number(m[3]),
    }));
    results.import = { runs, timings };
    for (const run of runs)
      table.push({
        figure: `prefecture ${run.run}`,
        value: `${run.time} (${run['rows/s']} rows/s)`,
        target: run.run === 'import' ? '< 60 s' : undefined,
      });
    for (const t of timings) table.push({ figure: `after the import: ${t.request}`, value: ms(t.ms) });
  }

  if (wanted('init')) {
    log('Lambda bundles (npm run bench:init)');
    const out = await runScript('bench:init', ['--rounds', String(positive('init-rounds', values['init-rounds']))]);
    if (out.code !== 0) throw new Error(`bench:init failed: ${out.stderr.slice(-2000)}`);
    const [rows = []] = tablesIn(out.stdout);
    results.init = rows;
    for (const r of rows) {
      if (r.function === 'empty') continue;
      table.push({
        figure: `Lambda ${r.function}`,
        value: `${r['bundle (min.)']}, init ${r['require × empty']} an empty bundle's (${r['require() median']})`,
      });
    }
  }

  if (wanted('transitions')) {
    log('state transitions and cost (npm run bench:transitions)');
    const dir = await mkdtemp(join(tmpdir(), 'gw-bench-transitions-'));
    try {
      const file = join(dir, 'transitions.json');
      let out = await runScript('bench:transitions', ['--json', file]);
      let json: unknown = null;
      if (out.code === 0) json = JSON.parse(await readFile(file, 'utf8').catch(() => 'null'));
      // Before the --json flag: its printed tables.
      else if (/--json/.test(out.stderr)) out = await runScript('bench:transitions');
      const tables = out.code === 0 ? tablesIn(out.stdout) : [];
      results.transitions = json ?? (tables.length ? { tables } : null);
      // Its printed tables: the paths with their cost, then their transitions and storage requests.
      const [costs = [], counts = []] = tables;
      if (!results.transitions) {
        table.push({
          figure: 'state transitions, storage requests, cost per 1M reports',
          value: `n/a (bench:transitions exited ${out.code})`,
        });
      }
      for (const row of counts) {
        // The cost column's name lists the definitions it compares (v1 → v2 → now): the last is this run's.
        const costRow = costs.find((c) => c.path === row.path);
        const costColumn = costRow && Object.keys(costRow).find((k) => k.startsWith('cost per 1M'));
        const cost = (costColumn && costRow?.[costColumn]?.split('→').at(-1)?.trim()) || 'n/a';
        table.push({
          figure: `path: ${row.path}`,
          value: `${row['state transitions']} transitions, ${row['DynamoDB requests']} storage requests, RRU ${row.RRU} / WRU ${row['WRU (table + GSI)']}, per 1M reports ${cost}`,
        });
      }
      const paths = counts;
      if (json && paths.length === 0)
        table.push({ figure: 'state transitions, storage requests, cost per 1M reports', value: `see ${values.out} (transitions)` });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  const machine = {
    cpus: availableParallelism(),
    model: cpus()[0]?.model ?? '?',
    memoryGb: Math.round(totalmem() / 1024 ** 3),
    node: process.version,
    loadAverageAtEnd: (await readFile('/proc/loadavg', 'utf8').catch(() => '')).split(' ').slice(0, 3).join(' '),
  };
  const report = { startedAt: startedAt.toISOString(), finishedAt: new Date().toISOString(), machine, parts: [...only], table, results };
  const out = values.out ?? 'bench-results/latest.json';
  await mkdir(dirname(out), { recursive: true });
  await writeFile(out, `${JSON.stringify(report, null, 2)}\n`);

  console.log(
    `\nGridWhistle bench, ${startedAt.toISOString()}: ${machine.cpus} CPUs (${machine.model}), node ${machine.node}, load average at the end ${machine.loadAverageAtEnd}\n`,
  );
  console.log('| figure | value | target |');
  console.log('| --- | --- | --- |');
  for (const r of table) console.log(`| ${r.figure} | ${r.value} | ${r.target ?? ''} |`);
  console.log(`\nwritten to ${out}`);
}

await main();
// A stopped runtime can leave the interpreter's own task timeouts (days long) armed after abort():
// the bench is done, so it does not wait for them.
process.exit(0);
