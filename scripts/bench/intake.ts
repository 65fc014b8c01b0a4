/**
 * Intake against the raw engine, side by side in one run:
 *
 * - raw: PutItem through the AWS SDK at `concurrency` against a fresh embedded DynamoDB child (the
 *   same dynalite, on disk, the server uses), for `seconds`;
 * - intake: `npm start`'s entry point as a real server process on a fresh data directory, worker1
 *   filing reports over `connections` keep-alive connections (autocannon) for `seconds`, each with
 *   its own Idempotency-Key; then the bench waits until every report answered 201 has had its
 *   assignment SMS (the outbox under DATA_DIR), i.e. is "SMS sent, waiting for 签收".
 *
 * The intake rate is reports brought to that state per second, from the first request to the last
 * SMS: a server that answers 201 fast but falls behind on its workflows gets no credit for it.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '#adapters/dynamodb/client.ts';
import { startEmbeddedDynamo } from '#local/embedded-dynamo.ts';
import { ensureTable } from '#wiring/local.ts';
import { startChildServer } from '../../test/support/child-server.ts';
import { reportBody } from '../../test/support/local-runtime.ts';
import { signIn } from './sign-in.ts';

interface CannonRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
}
/**
 * autocannon ships no types; the part of its API used here. (The load tests' branch declares the
 * module in test/load/autocannon.d.ts: once both are merged this can import it from there.)
 */
type Autocannon = (options: {
  url: string;
  connections: number;
  duration: number;
  requests: (CannonRequest & {
    setupRequest: (request: CannonRequest) => CannonRequest;
    onResponse: (status: number, body: string) => void;
  })[];
}) => Promise<{ latency: LatencySummary }>;
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

export interface LatencySummary {
  p50: number;
  p99: number;
  max: number;
}

export interface RawPutResult {
  seconds: number;
  concurrency: number;
  puts: number;
  perSecond: number;
  latencyMs: LatencySummary;
}

export interface IntakeResult {
  seconds: number;
  connections: number;
  /** Responses by status. */
  statuses: Record<string, number>;
  created: number;
  /** 201s per second over the load. */
  createdPerSecond: number;
  latencyMs: LatencySummary;
  /** Reports that reached "SMS sent, waiting for 签收". */
  smsSent: number;
  /** Seconds from the first request until the last of them did. */
  drainedAfterSeconds: number;
  /** Reports brought to "SMS sent, waiting for 签收" per second: the intake figure. */
  perSecond: number;
  /**
   * CPU time (user + system) per report brought there, of the server process and of its embedded
   * DynamoDB child, over the load and the catch-up: what a report costs, which a busy machine
   * distorts far less than the rate. Absent where /proc is not (Linux only).
   */
  cpuMsPerReport?: { server: number; engine: number };
}

/** /proc's clock ticks per second (USER_HZ, 100 on every Linux ABI). */
const USER_HZ = 100;

/** A process's CPU seconds so far (utime + stime) and its parent, from /proc/<pid>/stat. */
async function procStat(pid: number): Promise<{ cpuSeconds: number; parent: number } | undefined> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // After "pid (comm) ": state, ppid, ..., utime and stime are fields 14 and 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { cpuSeconds: (Number(fields[11]) + Number(fields[12])) / USER_HZ, parent: Number(fields[1]) };
  } catch {
    return undefined;
  }
}

/** The server's embedded DynamoDB child (infra/local/dynamo-process.ts), found among its children. */
async function engineChildOf(serverPid: number): Promise<number | undefined> {
  let pids: string[];
  try {
    pids = (await readdir('/proc')).filter((name) => /^\d+$/.test(name));
  } catch {
    return undefined;
  }
  for (const pid of pids) {
    if ((await procStat(Number(pid)))?.parent !== serverPid) continue;
    const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
    if (cmdline.includes('dynamo-process')) return Number(pid);
  }
  return undefined;
}

async function cpuOf(pids: { server: number; engine: number | undefined }) {
  const server = await procStat(pids.server);
  const engine = pids.engine === undefined ? undefined : await procStat(pids.engine);
  return server && engine ? { server: server.cpuSeconds, engine: engine.cpuSeconds } : undefined;
}

export const percentile = (sorted: readonly number[], p: number) =>
  sorted.length === 0 ? 0 : (sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))] ?? 0);

export function summarize(values: number[]): LatencySummary {
  const sorted = [...values].sort((a, b) => a - b);
  return { p50: percentile(sorted, 0.5), p99: percentile(sorted, 0.99), max: sorted.at(-1) ?? 0 };
}

export async function rawPutItem(options: { seconds: number; concurrency: number }): Promise<RawPutResult> {
  const dir = await mkdtemp(join(tmpdir(), 'gw-bench-raw-'));
  const dynamo = await startEmbeddedDynamo(join(dir, 'dynamodb'));
  const db = documentClient({ endpoint: dynamo.endpoint, region: 'local' });
  try {
    await ensureTable(db, 'bench-raw');
    const latencies: number[] = [];
    const description = '村道上的小桥塌陷，影响群众出行，请尽快处理。'.repeat(4);
    const endAt = performance.now() + options.seconds * 1000;
    let n = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: options.concurrency }, async () => {
        while (performance.now() < endAt) {
          const i = n++;
          const t = performance.now();
          await db.send(
            new PutCommand({
              TableName: 'bench-raw',
              Item: { PK: `RAW#${i}`, SK: '#RAW', title: '大中塘村村道小桥塌陷', description, at: new Date().toISOString(), i },
            }),
          );
          latencies.push(performance.now() - t);
        }
      }),
    );
    const elapsed = (performance.now() - started) / 1000;
    return {
      seconds: options.seconds,
      concurrency: options.concurrency,
      puts: latencies.length,
      perSecond: latencies.length / elapsed,
      latencyMs: summarize(latencies),
    };
  } finally {
    db.destroy();
    await dynamo.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

/** Report ids that have had an SMS, with the time of their first one (the outbox is the phones). */
async function smsSentAt(dataDir: string): Promise<Map<string, number>> {
  let text = '';
  try {
    text = await readFile(join(dataDir, 'sms-outbox.jsonl'), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const first = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    const { reportId, at } = JSON.parse(line) as { reportId: string; at: string };
    if (!first.has(reportId)) first.set(reportId, Date.parse(at));
  }
  return first;
}

export async function intake(options: {
  seconds: number;
  connections: number;
  /** How long to wait after the load for the workflows to catch up. */
  drainTimeoutSeconds?: number;
  /** Extra server environment, e.g. for a CPU profile. */
  env?: Record<string, string>;
}): Promise<IntakeResult> {
  const dataDir = await mkdtemp(join(tmpdir(), 'gw-bench-intake-'));
  const server = await startChildServer({ DATA_DIR: dataDir, SMS_PRINT: 'false', ...options.env });
  try {
    const token = await signIn(server.url, 'worker1');
    const serverPid = server.process.pid ?? -1;
    const pids = { server: serverPid, engine: await engineChildOf(serverPid) };
    const cpuBefore = await cpuOf(pids);
    // A typhoon's reports of one grid lie all over it: a spot every ~110 m along a 1,000-spot grid
    // (as the load tests file them), so the duplicate look-up finds the few near ones, not all.
    const bodyOf = (n: number) =>
      JSON.stringify(
        reportBody({
          title: `台风过境第${n}处险情`,
          location: { lat: 23.96 + (n % 1000) * 0.001, lng: 109.69 + Math.floor(n / 1000) * 0.001 },
        }),
      );
    const statuses: Record<string, number> = {};
    const created = new Set<string>();
    let key = 0;
    const startedAt = Date.now();
    const result = await autocannon({
      url: server.url,
      connections: options.connections,
      duration: options.seconds,
      requests: [
        {
          method: 'POST',
          path: '/api/v1/reports',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          setupRequest: (request) => {
            const n = ++key;
            return { ...request, headers: { ...request.headers, 'idempotency-key': `bench-intake-${startedAt}-${n}` }, body: bodyOf(n) };
          },
          onResponse: (status, responseBody) => {
            statuses[status] = (statuses[status] ?? 0) + 1;
            if (status === 201) created.add((JSON.parse(responseBody) as { id: string }).id);
          },
        },
      ],
    });
    // Wait for the workflows: every created report texted its grid worker.
    const drainBy = Date.now() + (options.drainTimeoutSeconds ?? 300) * 1000;
    let sent = await smsSentAt(dataDir);
    while ([...created].some((id) => !sent.has(id)) && Date.now() < drainBy) {
      await new Promise((r) => setTimeout(r, 500));
      sent = await smsSentAt(dataDir);
    }
    const cpuAfter = await cpuOf(pids);
    const times = [...created].map((id) => sent.get(id)).filter((t): t is number => t !== undefined);
    const perReport = (after: number, before: number) => ((after - before) * 1000) / Math.max(1, times.length);
    const drainedAfterSeconds = ((times.length ? Math.max(...times) : Date.now()) - startedAt) / 1000;
    return {
      seconds: options.seconds,
      connections: options.connections,
      statuses,
      created: created.size,
      createdPerSecond: created.size / options.seconds,
      latencyMs: { p50: result.latency.p50, p99: result.latency.p99, max: result.latency.max },
      smsSent: times.length,
      drainedAfterSeconds,
      perSecond: times.length / Math.max(drainedAfterSeconds, options.seconds),
      ...(cpuBefore && cpuAfter
        ? {
            cpuMsPerReport: {
              server: perReport(cpuAfter.server, cpuBefore.server),
              engine: perReport(cpuAfter.engine, cpuBefore.engine),
            },
          }
        : {}),
    };
  } finally {
    server.process.kill('SIGTERM');
    await new Promise<void>((resolve) => {
      if (server.process.exitCode !== null || server.process.signalCode !== null) resolve();
      else server.process.once('exit', () => resolve());
    });
    await rm(dataDir, { recursive: true, force: true });
  }
}
