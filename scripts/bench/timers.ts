/**
 * Escalation timer lateness with many reports waiting at once.
 *
 * 1. A runtime on a fresh data directory: `reports` reports are filed over HTTP (50 at a time) with
 *    a policy whose grid 签收 deadline is an hour away, and each waits until it is "SMS sent,
 *    waiting for 签收". The runtime stops.
 * 2. A second runtime on the same directory runs its clock ahead (an offset clock, as after
 *    `GW_CLOCK_OFFSET_SECONDS`) so the first deadline is `leadSeconds` away: every report resumes
 *    from its stored state and waits at once, their deadlines spread as they were filed.
 * 3. Each report's lateness is its `escalated` event's time minus the deadline it breached, read
 *    from the timelines after the last deadline (the bench sends nothing while the timers run).
 *
 * The deadlines are the ones the product computed; only the clock's offset is chosen.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { offsetClock } from '#adapters/clock/clocks.ts';
import { TIERS, type TierDeadlines } from '#core/policy.ts';
import { type LocalRuntime, startLocalRuntime } from '#local/runtime.ts';
import { loadConfig } from '#wiring/config.ts';
import { eventually, reportBody } from '../../test/support/local-runtime.ts';
import { type LatencySummary, summarize } from './intake.ts';
import { signIn } from './sign-in.ts';

export interface TimerResult {
  reports: number;
  /** Reports waiting at once when the second runtime had resumed them all. */
  waitingAtOnce: number;
  /** Seconds between the first and the last deadline. */
  deadlineSpreadSeconds: number;
  fileSeconds: number;
  escalated: number;
  latenessMs: LatencySummary;
}

const HOUR: TierDeadlines = { acceptSeconds: 3600, completeSeconds: 3600 };
const MONTH: TierDeadlines = { acceptSeconds: 30 * 86_400, completeSeconds: 31 * 86_400 };

async function fileAll(runtime: LocalRuntime, count: number, concurrency: number): Promise<string[]> {
  const token = await signIn(runtime.url, 'worker1');
  const ids: string[] = [];
  let next = 0;
  const stamp = Date.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const i = next++;
        const res = await fetch(`${runtime.url}/api/v1/reports`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'idempotency-key': `bench-timer-${stamp}-${i}` },
          body: JSON.stringify(reportBody({ title: `计时 ${i}` })),
        });
        if (res.status !== 201) throw new Error(`filing ${i}: ${res.status} ${await res.text()}`);
        ids.push(((await res.json()) as { id: string }).id);
      }
    }),
  );
  return ids;
}

/** How many of the reports wait at the grid for 签收 with their SMS sent. */
async function countParked(runtime: LocalRuntime, ids: string[]): Promise<number> {
  let parked = 0;
  for (const id of ids) {
    const r = await runtime.container.deps.reports.get(id);
    if (r?.tier === 'grid' && r.notifiedTierSeq === 1 && r.waiting?.phase === 'accept' && r.waiting.tierSeq === 1) parked++;
  }
  return parked;
}

export async function timerLateness(options: { reports: number; leadSeconds?: number; concurrency?: number }): Promise<TimerResult> {
  const dataDir = await mkdtemp(join(tmpdir(), 'gw-bench-timers-'));
  const config = loadConfig({ PORT: '0', DATA_DIR: dataDir, SMS_PRINT: 'false' });
  const quiet = { log: () => undefined };
  try {
    const first = await startLocalRuntime(config, quiet);
    let ids: string[];
    const fileStarted = performance.now();
    try {
      const tiers = Object.fromEntries(TIERS.map((t) => [t, t === 'grid' ? HOUR : MONTH])) as Record<(typeof TIERS)[number], TierDeadlines>;
      await first.container.directory.putPolicy({ category: 'infrastructure', urgency: 'normal', tiers, reminderFractions: [] });
      ids = await fileAll(first, options.reports, options.concurrency ?? 50);
      await eventually(async () => ((await countParked(first, ids)) === ids.length ? true : undefined), 30 * 60_000, 250);
    } finally {
      await first.stop();
    }
    const fileSeconds = (performance.now() - fileStarted) / 1000;

    // Read the stored deadlines through a runtime that cannot reach them yet, then restart ahead.
    const probe = await startLocalRuntime(config, { ...quiet, clock: offsetClock(0) });
    const deadlines = new Map<string, number>();
    try {
      for (const id of ids) deadlines.set(id, Date.parse((await probe.container.deps.reports.get(id))?.acceptBy ?? ''));
    } finally {
      await probe.stop();
    }
    const firstDeadline = Math.min(...deadlines.values());
    const lastDeadline = Math.max(...deadlines.values());
    const offsetMs = firstDeadline - (options.leadSeconds ?? 30) * 1000 - Date.now();
    const second = await startLocalRuntime(config, { ...quiet, clock: offsetClock(offsetMs) });
    try {
      const waitingAtOnce = second.resumed;
      const lateness = new Map<string, number>();
      // The lateness is read from the stored events, so nothing needs watching while the deadlines
      // pass: reading 2,000 timelines four times a second would load the engine the timers run on
      // (about a thousand requests a second here) and measure the observer. Look once they are due.
      const untilLastDeadline = lastDeadline - second.container.deps.clock.now().getTime();
      await new Promise((ok) => setTimeout(ok, Math.max(0, untilLastDeadline) + 2_000));
      await eventually(
        async () => {
          for (const id of ids) {
            if (lateness.has(id)) continue;
            const history = await second.container.deps.reports.getHistory(id);
            const escalated = history?.timeline.find((e) => e.type === 'escalated');
            if (escalated) lateness.set(id, Date.parse(escalated.at) - (deadlines.get(id) ?? 0));
          }
          return lateness.size === ids.length ? true : undefined;
        },
        30 * 60_000,
        1_000,
      );
      return {
        reports: ids.length,
        waitingAtOnce,
        deadlineSpreadSeconds: (lastDeadline - firstDeadline) / 1000,
        fileSeconds,
        escalated: lateness.size,
        latenessMs: summarize([...lateness.values()]),
      };
    } finally {
      await second.stop();
    }
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}
