/**
 * State transitions per report on the main paths, measured by running the real
 * escalation.asl.json on the local engines, and the AWS cost per 1M reports they imply.
 *
 * Standard workflows bill per state transition (each state entered, retries included), so the
 * count is the StateEntered events of each report's execution. The paths are driven through the
 * real HTTP API (the calls a phone or the console would make) and DynamoDB is metered by a proxy
 * in front of dynalite (dynamo-meter.ts). Deadlines are shortened per path with a policy (TIME_SCALE
 * 1000): the counts do not depend on the timings, only on which deadlines pass. The previous
 * definition's figures are the ones recorded side by side before issue 11 (transitions-v1.json).
 *
 * Beside the transitions it prints each path's storage: DynamoDB requests, RRU and WRU (with the
 * index writes' share), now and as recorded on main before issue 12 (storage-before.json), and
 * the requests from filing to "SMS sent, waiting for 签收" on the grid path.
 *
 *   npm run bench:transitions [-- --lambda-ms 100] [--json results.json] [--grid-only] [--trace]
 *
 * --json writes the results as JSON (npm run bench composes its report from it); --grid-only
 * runs the grid path alone; --trace prints every metered request to stderr.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { documentClient } from '#adapters/dynamodb/client.ts';
import { DynamoReportStore } from '#adapters/dynamodb/report-store.ts';
import { TIERS, type Tier, type TierDeadlines } from '#core/policy.ts';
import type { Report } from '#core/report.ts';
import dynalite from '#local/atomic-dynalite.ts';
import { seedDemoCountyIfEmpty } from '#local/seed.ts';
import { createLocalServer } from '#local/server.ts';
import { loadConfig } from '#wiring/config.ts';
import { ADVANCE_DEFINITION_FILE, buildLocalContainer, ESCALATION_DEFINITION_FILE, type LocalContainer } from '#wiring/local.ts';
import { LAMBDA_FUNCTIONS } from '../../infra/lambda-functions.ts';
import { diffMeter, type Meter, startDynamoMeter } from './dynamo-meter.ts';

const { values } = parseArgs({
  options: {
    'lambda-ms': { type: 'string', default: '100' },
    json: { type: 'string' },
    'grid-only': { type: 'boolean', default: false },
    trace: { type: 'boolean', default: false },
  },
});
const GRID_ONLY = values['grid-only'];
const TRACE = values.trace;
/** Assumed billed duration per invocation: a few single-digit-ms DynamoDB calls plus overhead. */
const LAMBDA_MS = Number(values['lambda-ms']);

/**
 * Prices in us-east-1 (N. Virginia), first tiers, free tiers ignored, as listed when this was written
 * (November 2026): "AWS Step Functions pricing" (Standard: $0.025 per 1,000 state transitions), "AWS
 * Lambda pricing" (Arm: $0.0000133334 per GB-second, $0.20 per 1M requests), "Amazon DynamoDB
 * pricing" (on-demand since the November 2024 cut: $0.625 per 1M WRU, $0.125 per 1M RRU), "Amazon
 * API Gateway pricing" (HTTP APIs: $1.00 per 1M requests). SMS: "Amazon SNS pricing" → SMS, per
 * destination country, left out of the totals. Re-check the pages before quoting the totals.
 */
const PRICE = {
  stateTransition: 0.025 / 1000,
  lambdaGbSecond: 0.0000133334,
  lambdaRequest: 0.2 / 1e6,
  writeUnit: 0.625 / 1e6,
  readUnit: 0.125 / 1e6,
  httpApiRequest: 1.0 / 1e6,
  // EventBridge Scheduler: per scheduled invocation (the Cycle machine's wake-ups; creating one is free).
  scheduledInvocation: 1.0 / 1e6,
};

const TIME_SCALE = 1000;
const CATEGORY = 'infrastructure';
const LONG: TierDeadlines = { acceptSeconds: 600_000, completeSeconds: 600_000 };
/**
 * Long enough (4 s of real time) that one Advance always finishes before the next tier's deadline
 * passes, even on a busy machine: otherwise one invocation escalates several tiers and the counts
 * depend on the machine.
 */
const SHORT: TierDeadlines = { acceptSeconds: 4000, completeSeconds: 4000 };

interface Ctx {
  container: LocalContainer;
  url: string;
  direct: DynamoReportStore;
  states: Map<string, string[]>;
  /** Meter readings taken as each state is entered, per report. */
  entered: Map<string, { state: string; meter: Meter }[]>;
  meter: () => Meter;
  tokens: Map<string, string>;
  apiCalls: number;
  /** The names of the running definition's states. */
  definitionStates: Set<string>;
}

async function http(ctx: Ctx, method: string, path: string, body: unknown, username?: string, headers: Record<string, string> = {}) {
  const res = await fetch(`${ctx.url}${path}`, {
    method,
    headers: {
      'content-type': 'application/json',
      ...(username ? { authorization: `Bearer ${ctx.tokens.get(username)}` } : {}),
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = (await res.json()) as Record<string, unknown>;
  if (res.status >= 300) throw new Error(`${method} ${path} → ${res.status} ${JSON.stringify(json)}`);
  return json;
}

/** A call the path makes on AWS too: counted as an API Gateway request and an api Lambda invocation. */
async function apiCall(ctx: Ctx, method: string, path: string, body: unknown, username: string, headers?: Record<string, string>) {
  if (TRACE) process.stderr.write(`=== api ${method} ${path}\n`);
  ctx.apiCalls++;
  return http(ctx, method, path, body, username, headers);
}

async function until<T>(what: string, check: () => Promise<T | undefined> | T | undefined, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Read around the meter, so waiting costs nothing in the counts. */
const parkedAt = (ctx: Ctx, id: string, tier: Tier, phase: 'accept' | 'complete') =>
  until(`${id} waiting at ${tier}/${phase}`, async () => {
    const r: Report | null = await ctx.direct.get(id);
    // The token of this tier's own wait: an action leaves the last one in place until the next wait replaces it.
    return r?.tier === tier && r.waiting?.phase === phase && r.waiting.tierSeq === r.tierSeq ? r : undefined;
  });
const finished = (ctx: Ctx, id: string) => until(`${id} done`, () => (ctx.states.get(id)?.at(-1) === 'Done' ? true : undefined));

/** The path's deadlines where it sets them, LONG (never reached) everywhere else. */
async function usePolicy(ctx: Ctx, tiers: Partial<Record<Tier, TierDeadlines>>) {
  const all = Object.fromEntries(TIERS.map((tier) => [tier, tiers[tier] ?? LONG])) as Record<Tier, TierDeadlines>;
  // No 催办 before deadlines (each costs one more Await → Advance → Route): the paths compare with the
  // previous definition, which had none; the README gives their cost per reminder.
  await ctx.container.directory.putPolicy({ category: CATEGORY, urgency: 'normal', tiers: all, reminderFractions: [] });
}

let keyCounter = 0;
async function fileReport(ctx: Ctx, title: string): Promise<string> {
  keyCounter++;
  const body = { gridCode: '451322201001001', category: CATEGORY, title, description: '村道上的小桥塌陷，影响群众出行。' };
  const report = await apiCall(ctx, 'POST', '/api/v1/reports', body, 'worker1', { 'idempotency-key': `bench-${Date.now()}-${keyCounter}` });
  return report.id as string;
}

const act = (ctx: Ctx, id: string, username: string, action: string) =>
  apiCall(ctx, 'POST', `/api/v1/reports/${id}/actions`, { action, note: 'bench' }, username);

/** The demo username of a visitor (p-worker-1 → worker1, p-village-1 → village1). */
const usernameOf = (personId: string) => (personId === 'p-county-admin' ? 'admin' : personId.replace(/^p-(\w+)-(\d+)$/, '$1$2'));

/** The return visit (回访) every resolved report waits for: its visitor answers satisfied, and it closes. */
async function visit(ctx: Ctx, id: string) {
  const resolved = await until(`${id} visit set up`, async () => {
    const r: Report | null = await ctx.direct.get(id);
    return r?.status === 'resolved' && r.visit?.tierSeq === r.tierSeq && r.waiting?.tierSeq === r.tierSeq ? r : undefined;
  });
  const visitor = resolved.visit?.visitors[0]?.id ?? '';
  await apiCall(ctx, 'POST', `/api/v1/reports/${id}/actions`, { action: 'review', satisfied: true, note: 'bench' }, usernameOf(visitor));
}

interface PathResult {
  path: string;
  states: string[];
  apiCalls: number;
  sms: number;
  db: Meter;
  /** Storage from filing until the first tier was texted and the workflow waits for 签收. */
  toFirstWait?: Meter;
}

interface PathSpec {
  name: string;
  policy: Partial<Record<Tier, TierDeadlines>>;
  /** `waited` is called once the path first waits for 签收 (after its SMS went out). */
  drive: (ctx: Ctx, id: string, waited: () => void) => Promise<void>;
}

const PATHS: PathSpec[] = [
  {
    name: 'accepted and resolved at the grid',
    policy: {},
    drive: async (ctx, id, waited) => {
      await parkedAt(ctx, id, 'grid', 'accept');
      waited();
      await act(ctx, id, 'worker1', 'accept');
      await parkedAt(ctx, id, 'grid', 'complete');
      await act(ctx, id, 'worker1', 'resolve');
      await visit(ctx, id);
    },
  },
  {
    name: 'not accepted at the grid; accepted and resolved at the village',
    policy: { grid: SHORT },
    drive: async (ctx, id) => {
      await parkedAt(ctx, id, 'village', 'accept');
      await act(ctx, id, 'village1', 'accept');
      await parkedAt(ctx, id, 'village', 'complete');
      await act(ctx, id, 'village1', 'resolve');
      await visit(ctx, id);
    },
  },
  {
    name: 'accepted at the grid, not completed; resolved at the village after one escalation',
    policy: { grid: { acceptSeconds: 600_000, completeSeconds: 800 } },
    drive: async (ctx, id) => {
      await parkedAt(ctx, id, 'grid', 'accept');
      await act(ctx, id, 'worker1', 'accept');
      await parkedAt(ctx, id, 'village', 'accept');
      await act(ctx, id, 'village1', 'accept');
      await parkedAt(ctx, id, 'village', 'complete');
      await act(ctx, id, 'village1', 'resolve');
      await visit(ctx, id);
    },
  },
  {
    name: 'untouched up to county supervision, then resolved by the county',
    policy: { grid: SHORT, village: SHORT, township: SHORT, department: SHORT },
    drive: async (ctx, id) => {
      await parkedAt(ctx, id, 'supervision', 'accept');
      await act(ctx, id, 'admin', 'accept');
      await parkedAt(ctx, id, 'supervision', 'complete');
      await act(ctx, id, 'admin', 'resolve');
      await visit(ctx, id);
    },
  },
];

async function runPath(ctx: Ctx, spec: PathSpec): Promise<PathResult> {
  await usePolicy(ctx, spec.policy);
  const meterBefore = ctx.meter();
  const apiBefore = ctx.apiCalls;
  const id = await fileReport(ctx, spec.name.slice(0, 40));
  let toFirstWait: Meter | undefined;
  await spec.drive(ctx, id, () => {
    toFirstWait = diffMeter(ctx.meter(), meterBefore);
  });
  await finished(ctx, id);
  const db = diffMeter(ctx.meter(), meterBefore);
  const history = await ctx.direct.getHistory(id);
  return {
    path: spec.name,
    states: ctx.states.get(id) ?? [],
    apiCalls: ctx.apiCalls - apiBefore,
    sms: history?.notifications.filter((n) => n.status === 'sent').length ?? 0,
    db,
    ...(toFirstWait ? { toFirstWait } : {}),
  };
}

/** While nobody acts at supervision the county is reminded (督办) every supervision accept interval. */
async function supervisionCycle(ctx: Ctx): Promise<PathResult> {
  await usePolicy(ctx, {
    grid: SHORT,
    village: SHORT,
    township: SHORT,
    department: SHORT,
    supervision: { acceptSeconds: 6000, completeSeconds: 600_000 },
  });
  const id = await fileReport(ctx, '督办 reminder cycle');
  // The state each reminder starts in: v1's Supervise, v2's Advance, the current definition's Cycle.
  const marker = ctx.definitionStates.has('Supervise') ? 'Supervise' : ctx.definitionStates.has('Cycle') ? 'Cycle' : 'Advance';
  await until('three reminders', async () => ((await ctx.direct.get(id))?.remindersSent ?? 0) >= 3 || undefined, 120_000);
  const supervised = (ctx.entered.get(id) ?? []).filter((e) => e.state === marker).slice(-2);
  const all = ctx.entered.get(id) ?? [];
  const from = all.indexOf(supervised[0]!);
  const to = all.indexOf(supervised[1]!);
  const history = await ctx.direct.getHistory(id);
  return {
    path: 'each 督办 reminder while unresolved at supervision',
    states: all.slice(from, to).map((e) => e.state),
    apiCalls: 0,
    // Every reminder texts the same supervisors: count the first reminder's messages.
    sms: history?.notifications.filter((n) => n.reminder === 1 && n.status === 'sent').length ?? 0,
    db: diffMeter(supervised[1]!.meter, supervised[0]!.meter),
  };
}

async function start(dataDir: string, definitionFile: URL) {
  const store = dynalite({ path: join(dataDir, 'dynamodb'), createTableMs: 0 });
  await new Promise<void>((ok) => store.listen(0, '127.0.0.1', () => ok()));
  const dynamoUrl = `http://127.0.0.1:${(store.address() as AddressInfo).port}`;
  const proxy = await startDynamoMeter(dynamoUrl, TRACE ? (line) => process.stderr.write(`${line}\n`) : undefined);
  const config = loadConfig({ DATA_DIR: dataDir, PORT: '0', TIME_SCALE: String(TIME_SCALE), SMS_PRINT: 'false' });
  const states = new Map<string, string[]>();
  const entered = new Map<string, { state: string; meter: Meter }[]>();
  const container = await buildLocalContainer({
    config,
    definitionFile,
    dynamoEndpoint: proxy.url,
    log: () => undefined,
    onStateEntered: (id, state) => {
      if (TRACE) process.stderr.write(`=== state ${state}\n`);
      states.set(id, [...(states.get(id) ?? []), state]);
      entered.set(id, [...(entered.get(id) ?? []), { state, meter: proxy.meter() }]);
    },
  });
  await seedDemoCountyIfEmpty(container.deps, 'demo');
  const server: Server = createLocalServer(container.deps, { webRoot: dataDir });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', () => ok()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  container.listeningAt(url);
  container.markReady();
  const directDb = documentClient({ endpoint: dynamoUrl, region: 'local' });
  const ctx: Ctx = {
    container,
    url,
    direct: new DynamoReportStore(directDb, config.TABLE_NAME),
    states,
    entered,
    meter: proxy.meter,
    tokens: new Map(),
    apiCalls: 0,
    definitionStates: new Set(Object.keys((JSON.parse(await readFile(definitionFile, 'utf8')) as { States: object }).States)),
  };
  // Sign-ins are Cognito's on AWS: done before any measuring, and their session reads are not counted.
  for (const username of ['worker1', 'village1', 'admin']) {
    const { token } = await http(ctx, 'POST', '/api/auth/login', { username, password: 'demo' });
    ctx.tokens.set(username, String(token));
  }
  const stop = async () => {
    container.close();
    directDb.destroy();
    server.closeAllConnections();
    await new Promise<void>((ok) => server.close(() => ok()));
    await proxy.close();
    store.closeAllConnections?.();
    await new Promise<void>((ok) => store.close(() => ok()));
  };
  return { ctx, stop };
}

const usd = (x: number) => (x >= 100 ? `$${x.toFixed(0)}` : `$${x.toFixed(2)}`);

/** Runs every path on one definition, in a fresh data directory, and prices it. */
async function measure(definitionFile: URL) {
  const definition = JSON.parse(await readFile(definitionFile, 'utf8')) as { States: Record<string, { Type: string }> };
  const taskStates = new Set(
    Object.entries(definition.States)
      .filter(([, s]) => s.Type === 'Task')
      .map(([name]) => name),
  );
  const dataDir = await mkdtemp(join(tmpdir(), 'gw-bench-transitions-'));
  const { ctx, stop } = await start(dataDir, definitionFile);
  const results: PathResult[] = [];
  try {
    for (const spec of PATHS.slice(0, GRID_ONLY ? 1 : PATHS.length)) results.push(await runPath(ctx, spec));
    if (!GRID_ONLY) results.push(await supervisionCycle(ctx));
  } finally {
    await stop();
    await rm(dataDir, { recursive: true, force: true });
  }
  const stepsMemoryGb = LAMBDA_FUNCTIONS.escalationSteps.memoryMb / 1024;
  const apiMemoryGb = LAMBDA_FUNCTIONS.api.memoryMb / 1024;
  const rows = results.map((r) => {
    const transitions = r.states.length;
    const stepInvocations = r.states.filter((s) => taskStates.has(s)).length;
    const invocations = stepInvocations + r.apiCalls;
    const gbSeconds = (LAMBDA_MS / 1000) * (stepInvocations * stepsMemoryGb + r.apiCalls * apiMemoryGb);
    const wru = r.db.wru + r.db.gsiWru;
    // The Cycle machine sets a wake-up per wait (an upper bound on the ones that fire: an action usually comes first).
    const wakeUps = r.states.filter((s) => s === 'Cycle').length;
    const perReport = {
      sfn: transitions * PRICE.stateTransition + wakeUps * PRICE.scheduledInvocation,
      lambda: invocations * PRICE.lambdaRequest + gbSeconds * PRICE.lambdaGbSecond,
      dynamo: wru * PRICE.writeUnit + r.db.rru * PRICE.readUnit,
      apigw: r.apiCalls * PRICE.httpApiRequest,
    };
    const total = perReport.sfn + perReport.lambda + perReport.dynamo + perReport.apigw;
    return { r, transitions, stepInvocations, invocations, wru, perReport, total };
  });
  return { rows, results, taskStates };
}

interface StorageFigures {
  transitions: number;
  requests: number;
  rru: number;
  wru: number;
  tableWru: number;
  gsiWru: number;
}

interface RecordedStorage {
  measuredAt: string;
  why: string;
  paths: Record<string, StorageFigures>;
}

const storageOf = (transitions: number, db: Meter): StorageFigures => ({
  transitions,
  requests: db.requests,
  rru: db.rru,
  wru: db.wru + db.gsiWru,
  tableWru: db.wru,
  gsiWru: db.gsiWru,
});

/** WRU with the index share, e.g. "40 (44 % index)". */
const wruWithShare = (f: StorageFigures) => `${f.wru} (${f.wru === 0 ? 0 : Math.round((100 * f.gsiWru) / f.wru)} % index)`;

interface RecordedBaseline {
  measuredAt: string;
  definition: string;
  why: string;
  paths: Record<string, { transitions: number; costPer1M: number }>;
}

async function main() {
  // Side by side in this run: the definition before the Cycle fold (v2: Advance → Route → Await) and the current one.
  const advance = await measure(ADVANCE_DEFINITION_FILE);
  const { rows, results, taskStates } = await measure(ESCALATION_DEFINITION_FILE);
  // The first definition cannot route issue 11's decisions any more: its figures are the ones recorded side by side.
  const before = JSON.parse(await readFile(new URL('./transitions-v1.json', import.meta.url), 'utf8')) as RecordedBaseline;

  console.log(`\nv1 (${before.definition}, recorded at ${before.measuredAt}), v2 (Advance → Route → Await) and now`);
  console.log('(Cycle → Route: the step waits in its own task), v2 and now measured side by side in this run, with');
  console.log('reminders (催办) and the return visit (回访) that every resolved report now waits for\n');
  console.log('| path | transitions v1 → v2 → now | cost per 1M v1 → v2 → now |');
  console.log('| --- | ---: | ---: |');
  for (const x of rows) {
    const b = before.paths[x.r.path];
    const v2 = advance.rows.find((y) => y.r.path === x.r.path);
    console.log(
      `| ${x.r.path} | ${b ? b.transitions : '—'} → ${v2 ? v2.transitions : '—'} → ${x.transitions} | ` +
        `${b ? usd(b.costPer1M) : '—'} → ${v2 ? usd(v2.total * 1e6) : '—'} → ${usd(x.total * 1e6)} |`,
    );
  }
  console.log(`\n${before.why}`);

  console.log(
    `\nState transitions and AWS cost per report (escalation.asl.json on the local engines, ${new Date().toISOString().slice(0, 10)})\n`,
  );
  console.log('| path | state transitions | Lambda invocations (steps + api) | SMS | DynamoDB requests | RRU | WRU (table + GSI) |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const x of rows) {
    console.log(
      `| ${x.r.path} | ${x.transitions} | ${x.invocations} (${x.stepInvocations} + ${x.r.apiCalls}) | ${x.r.sms} | ${x.r.db.requests} | ${x.r.db.rru.toFixed(1)} | ${x.wru} (${x.r.db.wru} + ${x.r.db.gsiWru}) |`,
    );
  }

  const storageBefore = JSON.parse(await readFile(new URL('./storage-before.json', import.meta.url), 'utf8')) as RecordedStorage;
  console.log(`\nStorage per report, before (main at ${storageBefore.measuredAt}, storage-before.json) → now\n`);
  console.log('| path | state transitions | DynamoDB requests | RRU | WRU (index share) |');
  console.log('| --- | ---: | ---: | ---: | ---: |');
  for (const x of rows) {
    const now = storageOf(x.transitions, x.r.db);
    const b = storageBefore.paths[x.r.path];
    const pair = (f: (s: StorageFigures) => string | number) => (b ? `${f(b)} → ${f(now)}` : `${f(now)}`);
    console.log(
      `| ${x.r.path} | ${pair((s) => s.transitions)} | ${pair((s) => s.requests)} | ${pair((s) => s.rru.toFixed(1))} | ${pair(wruWithShare)} |`,
    );
  }
  const grid = rows[0]?.r;
  if (grid?.toFirstWait) {
    const w = grid.toFirstWait;
    console.log(
      `\nFiled → SMS sent, waiting for 签收 (${grid.path}): ${w.requests} DynamoDB requests, ${w.rru.toFixed(1)} RRU, ${w.wru + w.gsiWru} WRU (${w.gsiWru} index) ${JSON.stringify(w.byOperation)}`,
    );
  }

  if (values.json) {
    const json = {
      measuredAt: new Date().toISOString(),
      lambdaMs: LAMBDA_MS,
      paths: rows.map((x) => ({
        path: x.r.path,
        states: x.r.states,
        lambdaInvocations: { steps: x.stepInvocations, api: x.r.apiCalls },
        sms: x.r.sms,
        storage: { ...storageOf(x.transitions, x.r.db), byOperation: x.r.db.byOperation },
        storageBefore: storageBefore.paths[x.r.path] ?? null,
        ...(x.r.toFirstWait ? { toFirstWait: storageOf(0, x.r.toFirstWait) } : {}),
        costPer1M: Object.fromEntries(Object.entries({ ...x.perReport, total: x.total }).map(([k, v]) => [k, v * 1e6])),
      })),
    };
    await writeFile(values.json, `${JSON.stringify(json, null, 2)}\n`);
    console.log(`\nResults written to ${values.json}`);
  }

  console.log('\nCost per 1M reports, us-east-1 (SMS excluded: priced per destination country)\n');
  console.log('| path | Step Functions | Lambda | DynamoDB | API Gateway | total |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
  for (const x of rows) {
    const m = (v: number) => usd(v * 1e6);
    console.log(
      `| ${x.r.path} | ${m(x.perReport.sfn)} | ${m(x.perReport.lambda)} | ${m(x.perReport.dynamo)} | ${m(x.perReport.apigw)} | ${m(x.total)} |`,
    );
  }

  console.log(`
Formula, per report: transitions × $0.025/1,000 + Cycle wake-ups × $1.00/1M (EventBridge Scheduler) + invocations × ($0.20/1M + ${LAMBDA_MS} ms × memory GB × $0.0000133334/GB-s)
  + WRU × $0.625/1M + RRU × $0.125/1M + API calls × $1.00/1M; SMS × the destination country's SNS SMS price on top.
Step invocations = Task states entered (${[...taskStates].join(', ')}), ${LAMBDA_FUNCTIONS.escalationSteps.memoryMb} MB; api invocations =
the HTTP calls of the path (file, accept, resolve), ${LAMBDA_FUNCTIONS.api.memoryMb} MB; ${LAMBDA_MS} ms billed per invocation is an assumption (--lambda-ms).
DynamoDB is metered through a proxy in front of dynalite (scripts/bench/dynamo-meter.ts); reads of the report by people
(console, SMS link pages) are not part of these paths. Free tiers are ignored.`);
  console.log('\nStates entered per path:');
  for (const r of results) console.log(`- ${r.path}: ${r.states.join(' → ')}`);
  console.log('\nDynamoDB requests by operation:');
  for (const r of results) console.log(`- ${r.path}: ${JSON.stringify(r.db.byOperation)}`);
}

try {
  await main();
} catch (error) {
  console.error(error);
  process.exitCode = 1;
}
