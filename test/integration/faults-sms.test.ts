/**
 * Fault: the SMS provider refuses 30 % of sends. On the real engines, 100 reports take three paths
 * (accepted at the grid, escalated once and accepted at the village, escalated twice and left at
 * the township) while the outbox refuses a deterministic 30 % of the sends it is given. Every
 * refusal must be recorded, tried again on the backoff schedule until it goes through, never hold
 * an escalation up, and never lead to a second SMS for one tier and recipient.
 *
 * Which sends fail is decided by a seeded hash of the message (its number, its text with the link
 * masked, and the how-many-th try of it this is): the same sends fail on every run, whatever the
 * order the engines happen to send them in on a busy machine.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SmsFailFor } from '#adapters/sms-outbox/outbox-sms-sender.ts';
import { SMS_RETRY_BACKOFF_SECONDS } from '#core/use-cases/escalation-steps.ts';
import type { ReportHistory, SmsRecord } from '#ports/reports.ts';
import { eventually, linkTokenIn, scenario, startTestRuntime, TEST_EPOCH, type TestRuntime } from '../support/local-runtime.ts';

const SEED = 'gw-faults-sms-1';
const FAIL_RATE = 0.3;
const REPORTS = 100;
const SECOND = 1000;
/** The grid and the village each have 20 minutes to accept (a third retry falls after it); every other deadline is a month away. */
const ACCEPT_SECONDS = 1200;
const MONTH = 30 * 86_400;
const T0 = Date.parse(TEST_EPOCH);
const GRID_DEADLINE = T0 + ACCEPT_SECONDS * SECOND;
const VILLAGE_DEADLINE = GRID_DEADLINE + ACCEPT_SECONDS * SECOND;

type Path = 'grid' | 'village' | 'township';
/** Report i's path: 4 in 10 accepted at the grid, 3 at the village, 3 left to climb to the township. */
const pathOf = (i: number): Path => (i % 10 < 4 ? 'grid' : i % 10 < 7 ? 'village' : 'township');
const TIER_OF_SEQ: Record<number, Path> = { 1: 'grid', 2: 'village', 3: 'township' };

/** One try of one SMS as the provider saw it: when (on the runtime's clock) and whether it refused. */
interface Attempt {
  at: number;
  failed: boolean;
}

const fraction = (text: string) => createHash('sha256').update(text).digest().readUInt32BE(0) / 2 ** 32;
const smsId = (reportId: string, to: string, maskedText: string) => `${reportId}|${to}|${maskedText}`;

let rt: TestRuntime;
let s: ReturnType<typeof scenario>;
/** Every try of every SMS, by report, number and masked text (one SMS of one tier to one officer). */
const tries = new Map<string, Attempt[]>();

beforeAll(async () => {
  const failFor: SmsFailFor = (to, { reportId, text }) => {
    const id = smsId(reportId, to, text);
    const list = tries.get(id) ?? [];
    // The report's title carries its number, so the same sends fail on every run.
    const failed = fraction(`${SEED}|${to}|${text}|${list.length + 1}`) < FAIL_RATE;
    list.push({ at: rt.clock.now().getTime(), failed });
    tries.set(id, list);
    return failed;
  };
  rt = await startTestRuntime({}, { smsFailFor: failFor });
  s = scenario(rt);
});
afterAll(async () => rt?.stop());

describe('the SMS provider refusing 30 % of sends', () => {
  it('records every refusal, retries it with backoff until it goes through, and never holds up escalation or texts twice', async () => {
    // Prepare
    await s.usePolicy(
      'infrastructure',
      'normal',
      {
        grid: { acceptSeconds: ACCEPT_SECONDS, completeSeconds: MONTH },
        village: { acceptSeconds: ACCEPT_SECONDS, completeSeconds: MONTH },
      },
      // No 催办: this test is about the tier SMS and their retries.
      { reminderFractions: [] },
    );
    const { workflow, deps } = rt.runtime.container;
    const ids: string[] = [];
    for (let batch = 0; batch < REPORTS; batch += 10) {
      const titles = Array.from({ length: 10 }, (_, k) => `故障演练第${String(batch + k).padStart(3, '0')}号小桥`);
      ids.push(...(await Promise.all(titles.map((title) => s.file({ title })))));
    }
    const group = (path: Path) => ids.filter((_, i) => pathOf(i) === path);
    /**
     * Every execution is parked on its one timer (nothing runs, nothing is due) and every report
     * has texted its tier and done its due retries: only then may the clock move again.
     */
    const settled = () =>
      eventually(
        async () => {
          if ((await workflow.runningReportIds()).size !== rt.clock.pendingTimers) return undefined;
          const now = rt.clock.now().getTime();
          const reports = await Promise.all(ids.map((id) => deps.reports.get(id)));
          const busy = reports.some(
            (r) =>
              !r ||
              r.notifiedTierSeq !== r.tierSeq ||
              r.waiting?.tierSeq !== r.tierSeq ||
              (r.smsRetry?.tierSeq === r.tierSeq && Date.parse(r.smsRetry.at) <= now),
          );
          return busy ? undefined : reports;
        },
        120_000,
        200,
      );
    const acceptAll = async (reportIds: string[], username: string) => {
      for (const id of reportIds) {
        const res = await s.act(id, username, { action: 'accept' });
        expect(res.status, `${username} accepts ${id}`).toBe(200);
      }
    };

    // Act: the grid accepts its 40 at once; the clock then moves from one due instant to the next
    // (a retry, a deadline), and the village accepts its 30 once they reach it.
    await settled();
    await acceptAll(group('grid'), 'worker1');
    let villageAccepted = false;
    for (;;) {
      const reports = await settled();
      const now = rt.clock.now().getTime();
      if (!villageAccepted && now >= GRID_DEADLINE) {
        await acceptAll(group('village'), 'village1');
        villageAccepted = true;
        continue;
      }
      const due = reports
        .map((r) => (r?.smsRetry && r.smsRetry.tierSeq === r.tierSeq ? Date.parse(r.smsRetry.at) : Number.POSITIVE_INFINITY))
        .concat([GRID_DEADLINE, VILLAGE_DEADLINE].filter((d) => d > now));
      const next = Math.min(...due);
      if (next === Number.POSITIVE_INFINITY) break;
      rt.clock.advanceTo(new Date(next));
    }
    const histories = (await Promise.all(ids.map((id) => deps.reports.getHistory(id)))) as ReportHistory[];
    const inbox = await rt.inbox();

    // Assess: each report is where its deadlines say, escalated at the deadline itself
    for (const [i, { report, timeline }] of histories.entries()) {
      const path = pathOf(i);
      expect(report, `report ${i}`).toMatchObject(
        path === 'grid'
          ? { tier: 'grid', tierSeq: 1, status: 'accepted' }
          : path === 'village'
            ? { tier: 'village', tierSeq: 2, status: 'accepted' }
            : { tier: 'township', tierSeq: 3, status: 'assigned', notifiedTierSeq: 3 },
      );
      const escalations = timeline.filter((e) => e.type === 'escalated').map((e) => Date.parse(e.at));
      expect(escalations, `report ${i}`).toEqual([GRID_DEADLINE, VILLAGE_DEADLINE].slice(0, report.tierSeq - 1));
    }

    // Every SMS the engines sent is one record per tier and officer, and matches what the provider saw
    const records = histories.flatMap((h) => h.notifications.map((sms) => ({ sms, report: h.report, timeline: h.timeline })));
    expect(records.map((r) => r.sms.reminder).every((reminder) => reminder === 0)).toBe(true);
    expect(records).toHaveLength(histories.reduce((n, h) => n + h.report.tierSeq, 0));
    expect(new Set(records.map((r) => `${r.sms.reportId}|${r.sms.key}`)).size).toBe(records.length);
    expect(tries.size).toBe(records.length);
    const stillFailed: { sms: SmsRecord; tierMovedOn: boolean }[] = [];
    for (const { sms, report, timeline } of records) {
      const seen = tries.get(smsId(sms.reportId, sms.to, sms.text)) as Attempt[];
      const label = `${sms.reportId} tier ${sms.tierSeq}`;
      expect(seen, label).toBeDefined();
      // Every try is counted on the record, and the record ends as the last try did
      expect(sms.attempts, label).toBe(seen.length);
      expect(sms.status, label).toBe(seen.at(-1)?.failed ? 'failed' : 'sent');
      if (seen.some((a) => a.failed)) expect(sms.error, label).toMatch(/refused/);
      // The first refusal is on the timeline: the tier's notification names whom it could not reach
      const notice = timeline.find((e) => e.tier === TIER_OF_SEQ[sms.tierSeq] && (e.type === 'notified' || e.type === 'sms_failed'));
      expect(notice, label).toMatchObject(
        seen[0]?.failed ? { type: 'sms_failed', data: { failed: [sms.toName] } } : { type: 'notified', data: { sent: [sms.toName] } },
      );
      // Each retry came exactly on the backoff schedule after the try before it
      const gaps = seen.slice(1).map((a, k) => (a.at - (seen[k] as Attempt).at) / SECOND);
      expect(gaps, label).toEqual(SMS_RETRY_BACKOFF_SECONDS.slice(0, gaps.length));
      // A retry follows every refusal, unless the tries ran out or the tier had moved on before it was due
      if (sms.status === 'failed') {
        const last = (seen.at(-1) as Attempt).at;
        const nextTry = SMS_RETRY_BACKOFF_SECONDS[seen.length - 1];
        const tierMovedOn = report.tierSeq > sms.tierSeq;
        const escalatedAt = [GRID_DEADLINE, VILLAGE_DEADLINE][sms.tierSeq - 1] as number;
        if (nextTry !== undefined) {
          expect(tierMovedOn, label).toBe(true);
          expect(last + nextTry * SECOND, label).toBeGreaterThan(escalatedAt);
        }
        stillFailed.push({ sms, tierMovedOn });
      }
    }

    // Each sent SMS reached its phone exactly once: nothing was delivered twice for one tier and officer
    const sent = records.filter((r) => r.sms.status === 'sent');
    expect(inbox).toHaveLength(sent.length);
    const tokens = inbox.map((m) => linkTokenIn(m.text));
    expect(tokens.every((t) => t !== undefined)).toBe(true);
    expect(new Set(tokens).size).toBe(inbox.length);
    for (const { sms } of sent) expect(inbox.filter((m) => m.reportId === sms.reportId && m.to === sms.to)).toHaveLength(1);

    // The faults were what the test says: about 30 % of all sends, first tries and retries alike,
    // including SMS refused more than once, and some still failing when their tier's deadline passed
    const all = [...tries.values()].flat();
    const refused = all.filter((a) => a.failed).length;
    expect(refused / all.length).toBeGreaterThan(0.25);
    expect(refused / all.length).toBeLessThan(0.35);
    expect([...tries.values()].filter((list) => list.filter((a) => a.failed).length >= 2).length).toBeGreaterThan(0);
    expect(stillFailed.filter((f) => f.tierMovedOn).length).toBeGreaterThan(0);
    console.log(
      `faults-sms: ${all.length} sends, ${refused} refused (${((100 * refused) / all.length).toFixed(1)} %), ` +
        `${records.length} SMS, ${sent.length} delivered, ${stillFailed.length} left failed when their tier moved on`,
    );
    // A hundred reports through thirty clock steps: minutes on a busy two-core machine, never a deadline of the test's own.
  }, 300_000);
});
