/**
 * The dashboard's read cost against the number of reports: GET /api/v1/stats for the demo county
 * with 1,000 and then 100,000 reports behind its figures, over the default 30 days and over a year.
 *
 * Filing 100,000 reports through the workflows would take hours here, and it is the read that is
 * measured, so the counters are seeded directly: each synthetic report's facts (received, accepted
 * and completed on time, resolved, visited, the grid's working time) are added up per node, Beijing
 * day and shard exactly as the outcome store's `apply` lays them out (counter keys, watermarks,
 * working-time lists), and each counter item is written once. Each report's item is seeded with
 * its projection marked (all that the compaction reads of it), and then the reconciler's nightly
 * compaction runs as it does on AWS (compactOutcomes: every day but today and yesterday), so the
 * read is of the items a county has in steady state. Drill-down facts are not seeded: GET
 * /api/v1/stats does not read them.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { counterSk, shardOf } from '#adapters/dynamodb/outcome-store.ts';
import { beijingDay, type Counter, counterKeys, nodesOf, type OutcomeFact } from '#core/outcomes.ts';
import { compactOutcomes } from '#core/use-cases/outcomes.ts';
import { startLocalRuntime } from '#local/runtime.ts';
import { loadConfig } from '#wiring/config.ts';
import { type LatencySummary, summarize } from './intake.ts';
import { signIn } from './sign-in.ts';

const COUNTY = '451322';
const PATHS = [
  ['451322', '451322201', '451322201001', '451322201001001'],
  ['451322', '451322201', '451322201001', '451322201001002'],
  ['451322', '451322101', '451322101001', '451322101001001'],
];
const CATEGORIES = ['infrastructure', 'dispute', 'environment', 'safety_hazard'];
const DAYS = 365;
const SAMPLES = 15;

export interface DashboardPoint {
  reports: number;
  /** Watermarks the compaction dropped before this size was read, and how long it took. */
  compaction?: { watermarks: number; seconds: number };
  range: string;
  latencyMs: LatencySummary;
  bytes: number;
}

export interface DashboardResult {
  points: DashboardPoint[];
  /** 100,000-report latency p50 over 1,000-report latency p50, per range. */
  ratio: Record<string, number>;
}

type Item = Record<string, unknown> & { PK: string; SK: string };

/** The facts a report filed on `day` and handled at the grid settles (all on that day). */
function factsOf(i: number, day: string): OutcomeFact[] {
  const path = PATHS[i % PATHS.length] as string[];
  const category = CATEGORIES[i % CATEGORIES.length] as string;
  const onTime = i % 5 !== 0;
  const fact = (counter: Counter, extra: Partial<OutcomeFact> = {}): OutcomeFact => ({
    seq: 1,
    counter,
    unit: 'r',
    day,
    path,
    delta: 1,
    category,
    ...extra,
  });
  const facts = [fact('received'), fact('accept_d'), fact('complete_d'), fact('resolution_d'), fact('visit_d')];
  if (onTime) facts.push(fact('accept_n'), fact('complete_n'));
  else facts.push(fact('breach', { tier: 'grid', owner: path[3], persons: ['覃宏'] }));
  facts.push(fact('resolution_n'), fact('visit_n'), fact('worktime', { tier: 'grid', seconds: 3600 + (i % 86_400) }));
  return facts;
}

/** Adds the reports' facts into the counter items `apply` would leave behind. */
function addReports(items: Map<string, Item>, from: number, to: number, today: Date) {
  for (let i = from; i < to; i++) {
    const reportId = `bench-stats-${i}`;
    const day = beijingDay(new Date(today.getTime() - (i % DAYS) * 86_400_000));
    const shard = shardOf(reportId);
    for (const fact of factsOf(i, day)) {
      for (const { code, child } of nodesOf(fact.path)) {
        const PK = `STATS#${code}`;
        const SK = counterSk(fact.day, shard);
        const item = items.get(`${PK}|${SK}`) ?? { PK, SK };
        items.set(`${PK}|${SK}`, item);
        item[`w_${reportId}`] = 9;
        if (fact.counter === 'worktime') {
          const key = `l_worktime|tier:${fact.tier}`;
          item[key] = [...((item[key] as number[] | undefined) ?? []), fact.seconds ?? 0];
          continue;
        }
        for (const key of counterKeys(fact, child)) item[`c_${key}`] = ((item[`c_${key}`] as number | undefined) ?? 0) + fact.delta;
      }
    }
  }
}

export async function dashboard(options: { sizes: number[] }): Promise<DashboardResult> {
  const dataDir = await mkdtemp(join(tmpdir(), 'gw-bench-stats-'));
  const runtime = await startLocalRuntime(loadConfig({ PORT: '0', DATA_DIR: dataDir, SMS_PRINT: 'false' }), { log: () => undefined });
  const { db, deps } = runtime.container;
  const table = loadConfig({}).TABLE_NAME;
  try {
    const token = await signIn(runtime.url, 'admin');
    const today = deps.clock.now();
    const yearAgo = beijingDay(new Date(today.getTime() - (DAYS - 1) * 86_400_000));
    const ranges: Record<string, string> = { '30 days': '', '365 days': `&from=${yearAgo}&to=${beijingDay(today)}` };
    const items = new Map<string, Item>();
    const points: DashboardPoint[] = [];
    let seeded = 0;
    for (const size of [...options.sizes].sort((a, b) => a - b)) {
      addReports(items, seeded, size, today);
      const reports = Array.from({ length: size - seeded }, (_, k) => ({
        PK: `REPORT#bench-stats-${seeded + k}`,
        SK: '#REPORT',
        outcomesSeq: 9,
      }));
      seeded = size;
      const all = [...items.values(), ...reports];
      for (let i = 0; i < all.length; i += 25) {
        let request: Record<string, { PutRequest: { Item: Item } }[]> | undefined = {
          [table]: all.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })),
        };
        while (request && Object.keys(request).length > 0) {
          const out = await db.send(new BatchWriteCommand({ RequestItems: request }));
          request = out.UnprocessedItems as typeof request;
        }
      }
      // The compaction of every size's items from scratch (the seeding rewrote them with their watermarks).
      await deps.outcomes?.markCompaction(COUNTY, {});
      const compactionStarted = performance.now();
      const compacted = await compactOutcomes(deps);
      const compaction = { watermarks: compacted.watermarks, seconds: (performance.now() - compactionStarted) / 1000 };
      for (const [range, query] of Object.entries(ranges)) {
        const latencies: number[] = [];
        let bytes = 0;
        for (let s = 0; s < SAMPLES; s++) {
          const started = performance.now();
          const res = await fetch(`${runtime.url}/api/v1/stats?node=${COUNTY}${query}`, { headers: { authorization: `Bearer ${token}` } });
          const text = await res.text();
          latencies.push(performance.now() - started);
          if (res.status !== 200) throw new Error(`GET /api/v1/stats: ${res.status} ${text.slice(0, 500)}`);
          const body = JSON.parse(text) as { metrics: { received: { numerator: number } } };
          // The seeding must be what the figures show.
          if (range === '365 days' && body.metrics.received.numerator !== size) {
            throw new Error(`the year shows ${body.metrics.received.numerator} reports received, not ${size}`);
          }
          bytes = text.length;
        }
        points.push({ reports: size, compaction, range, latencyMs: summarize(latencies), bytes });
      }
    }
    const smallest = Math.min(...options.sizes);
    const largest = Math.max(...options.sizes);
    const ratio = Object.fromEntries(
      Object.keys(ranges).map((range) => {
        const at = (n: number) => points.find((p) => p.reports === n && p.range === range)?.latencyMs.p50 ?? Number.NaN;
        return [range, at(largest) / at(smallest)];
      }),
    );
    return { points, ratio };
  } finally {
    await runtime.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}
