/**
 * A typhoon: 10,000 report submissions at 50 connections against the real server (a child process
 * on loopback, real dynalite, the real ASL interpreter), a tenth of them a phone's retry of an
 * earlier submission (same Idempotency-Key, same body). Nothing may be lost or doubled, nothing may
 * fail with a 5xx, and every report's escalation must run: assigned to the grid worker, whose phone
 * got the SMS. Time taken and requests per second are printed, not asserted (the bench measures).
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type ChildServer, removeDataDir, startChildServer } from '../support/child-server.ts';
import {
  describeRun,
  expectAnsweredWithinContract,
  expectEveryEscalationRunning,
  fireSubmissions,
  login,
  phoneOf,
  reportsByKey,
  resendUntilAnswered,
  submissionPlan,
  untilEveryEscalationRuns,
} from './support.ts';

const SUBMISSIONS = 10_000;
const CONNECTIONS = 50;
/** The engine runs behind intake under load: how long it may take to text the last report after the last answer. */
const CATCH_UP_MS = 20 * 60_000;

let dataDir = '';
let server: ChildServer | undefined;

afterAll(async () => {
  await server?.kill9();
  if (dataDir) await removeDataDir(dataDir);
});

describe('intake under load', () => {
  it(
    '10,000 submissions at 50 connections, a tenth of them retries: none lost, none doubled, no 5xx, every escalation running',
    async () => {
      // Prepare
      dataDir = await mkdtemp(join(tmpdir(), 'gw-load-'));
      server = await startChildServer({ DATA_DIR: dataDir, SMS_PRINT: 'false', TOKEN_TTL_SECONDS: '86400' });
      const worker = await login(server, 'worker1');
      const admin = await login(server, 'admin');
      const plan = submissionPlan(SUBMISSIONS, `typhoon-${Date.now()}`);

      // Act
      const run = await fireSubmissions(server, worker, plan, { connections: CONNECTIONS });
      console.log(describeRun(`intake, ${SUBMISSIONS} submissions at ${CONNECTIONS} connections`, run));
      // Only a 429 (throttled, with Retry-After) is sent again: on loopback nothing else may go unanswered.
      const resent = await resendUntilAnswered(server, worker, plan, run.answers);
      const answers = [...run.answers, ...resent.answers];

      // Assess: every submission answered within the contract, none lost on the way.
      expect(run.result.errors, 'requests lost on loopback (connection errors or timeouts)').toBe(0);
      expectAnsweredWithinContract(plan, answers);
      // One report per key: exactly one 201, every retry a replay of the same report.
      const byKey = reportsByKey(plan, answers);
      expect([...byKey].filter(([, r]) => r.created !== 1).slice(0, 5)).toEqual([]);
      const reportIds = new Set([...byKey.values()].map((r) => r.reportId));
      expect(reportIds.size).toBe(byKey.size);

      // Every report stored once and escalating: assigned at the grid, its grid worker texted once.
      const reconciled = await untilEveryEscalationRuns(server, admin, dataDir, reportIds.size, CATCH_UP_MS);
      console.log(
        `escalations caught up ${reconciled.catchUpSeconds.toFixed(1)} s after the last answer; ` +
          `${SUBMISSIONS} submissions through to "SMS sent, waiting for 签收" in ${(run.seconds + reconciled.catchUpSeconds).toFixed(1)} s`,
      );
      expectEveryEscalationRunning(reconciled, reportIds, await phoneOf(server, admin, 'p-worker-1'));
    },
    60 * 60_000,
  );
});
