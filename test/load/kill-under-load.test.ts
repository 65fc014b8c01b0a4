/**
 * kill -9 in the middle of a typhoon: 3,000 report submissions at 50 connections (a tenth of them
 * retries), the server killed with SIGKILL once a third are answered, started again on the same
 * DATA_DIR, and the phones send again what got no answer (same key, same body). Then a
 * reconciliation: every 201 the server gave has its report, every report has a running escalation
 * (assigned, its grid worker texted), and no SMS went out twice for one tier.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { maskPhone } from '#core/people.ts';
import { type ChildServer, startChildServer } from '../support/child-server.ts';
import {
  describeRun,
  fireSubmissions,
  login,
  messagesPerRecipient,
  phoneOf,
  resendUntilAnswered,
  submissionPlan,
  unanswered,
  untilEveryEscalationRuns,
} from './support.ts';

const SUBMISSIONS = 3_000;
const KILL_AFTER_ANSWERS = 1_000;
const CATCH_UP_MS = 15 * 60_000;
/** The restarted server resumes every open report before it reports healthy. */
const BOOT_MS = 5 * 60_000;

let dataDir = '';
const servers: ChildServer[] = [];

afterAll(async () => {
  for (const s of servers) await s.kill9();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('kill -9 under load', () => {
  it(
    'after a SIGKILL mid-load and a restart, every 201 has its report and a running escalation, and no SMS went out twice',
    async () => {
      // Prepare
      dataDir = await mkdtemp(join(tmpdir(), 'gw-kill-load-'));
      const env = { DATA_DIR: dataDir, SMS_PRINT: 'false', TOKEN_TTL_SECONDS: '86400' };
      const first = await startChildServer(env);
      servers.push(first);
      const plan = submissionPlan(SUBMISSIONS, `flood-${Date.now()}`);
      const keys = new Set(plan.map((s) => s.key));

      // Act: load, and kill -9 while 50 submissions are in flight.
      let killed: Promise<void> | undefined;
      const before = await fireSubmissions(first, await login(first, 'worker1'), plan, {
        onAnswer: (answered) => {
          if (answered === KILL_AFTER_ANSWERS) killed = first.kill9();
        },
      });
      await killed;
      console.log(describeRun('before the kill', before));
      expect(first.process.signalCode).toBe('SIGKILL');
      expect(unanswered(plan, before.answers).length, 'the kill left submissions unanswered').toBeGreaterThan(0);

      const second = await startChildServer(env, BOOT_MS);
      servers.push(second);
      const worker = await login(second, 'worker1');
      const admin = await login(second, 'admin');
      const after = await resendUntilAnswered(second, worker, plan, before.answers);
      for (const [i, run] of after.runs.entries()) console.log(describeRun(`after the restart, resend ${i + 1}`, run));
      const answers = [...before.answers, ...after.answers];

      // Assess: every submission answered in the end, never with a 5xx.
      expect(unanswered(plan, answers).map((s) => s.index)).toEqual([]);
      const serverErrors = answers.filter((a) => a.status >= 500);
      expect(serverErrors.length, `5xx: ${JSON.stringify(serverErrors.slice(0, 5))}`).toBe(0);
      const refused = answers.filter((a) => a.status !== 201 && a.status !== 200 && !(a.status === 429 && a.retryAfter));
      expect(refused.slice(0, 5)).toEqual([]);

      // One report per key: every answer for a key names the same report, and at most one is a 201
      // (a submission stored just before the kill, whose answer was lost, is a replay when sent again).
      const idsByKey = new Map<string, Set<string | undefined>>();
      const createdByKey = new Map<string, number>();
      for (const answer of answers.filter((a) => a.status < 300)) {
        const key = plan[answer.index]!.key;
        idsByKey.set(key, (idsByKey.get(key) ?? new Set()).add(answer.reportId));
        if (answer.status === 201) createdByKey.set(key, (createdByKey.get(key) ?? 0) + 1);
      }
      expect(idsByKey.size).toBe(keys.size);
      expect([...idsByKey].filter(([, ids]) => ids.size !== 1 || [...ids][0] === undefined).slice(0, 5)).toEqual([]);
      expect([...createdByKey].filter(([, n]) => n > 1).slice(0, 5)).toEqual([]);
      const reportIds = new Set([...idsByKey.values()].map((ids) => [...ids][0] as string));
      const created = new Set(answers.filter((a) => a.status === 201).map((a) => a.reportId as string));

      // The reconciliation: every 201 has its report, every report a running escalation, no SMS twice.
      const workerPhone = await phoneOf(second, admin, 'p-worker-1');
      const { listed, outbox, catchUpSeconds } = await untilEveryEscalationRuns(second, admin, dataDir, reportIds.size, CATCH_UP_MS);
      console.log(
        `escalations caught up ${catchUpSeconds.toFixed(1)} s after the last answer (${second.output().match(/resumed \d+ open report/)?.[0] ?? 'none resumed'})`,
      );
      const listedIds = new Set(listed.map((r) => r.id));
      expect(listed.length).toBe(keys.size);
      expect(listedIds).toEqual(reportIds);
      expect([...created].filter((id) => !listedIds.has(id))).toEqual([]);
      const notRunning = listed.filter(
        (r) =>
          r.status !== 'assigned' ||
          r.tier !== 'grid' ||
          r.tierSeq !== 1 ||
          r.notifiedTierSeq !== 1 ||
          r.assignees.map((a) => a.id).join() !== 'p-worker-1',
      );
      expect(notRunning.slice(0, 5)).toEqual([]);
      // Every report is still at its first tier (its deadlines are hours away), so one report and one
      // recipient is one tier and one recipient: each count must be exactly 1.
      const perRecipient = messagesPerRecipient(outbox, (to) => (to === workerPhone ? 'grid worker' : maskPhone(to)));
      expect(perRecipient.size).toBe(reportIds.size);
      expect([...perRecipient].filter(([key, count]) => count !== 1 || !key.endsWith('→ grid worker')).slice(0, 5)).toEqual([]);
    },
    45 * 60_000,
  );
});
