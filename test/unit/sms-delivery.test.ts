/**
 * deliverOnce: one SMS at most once. The case that matters under load: the provider took the
 * message, but the store could not record it (throttled past its retries). The record must not
 * end as failed, or the tier's resend would text the officer a second time.
 */
import { describe, expect, it } from 'vitest';
import { UnavailableError } from '#core/errors.ts';
import type { Deps } from '#core/use-cases/deps.ts';
import { deliverOnce, retryAfterRound } from '#core/use-cases/sms-delivery.ts';
import type { SmsRecord } from '#ports/reports.ts';
import { InMemoryReportStore } from '../support/fakes/in-memory-reports.ts';
import { acceptedReport, NOW, secondsAfter } from './fixtures.ts';

const record: SmsRecord = {
  reportId: 'R1',
  key: '001#000#p-worker-1',
  tierSeq: 1,
  reminder: 0,
  toId: 'p-worker-1',
  toName: '覃宏',
  to: '+8613877200301',
  text: '【网格吹哨】覃宏：「村道小桥塌陷」待您签收 ……',
  status: 'sending',
  attempts: 1,
  at: '2026-11-02T01:00:00.000Z',
};
const listing = { path: ['451322', '451322201', '451322201001', '451322201001001'], reportTitle: '村道小桥塌陷', tier: 'grid' as const };

function setup(opts: { providerFails?: boolean; storeFailsOnSent?: boolean }) {
  const reports = new InMemoryReportStore();
  const finish = reports.finishSms.bind(reports);
  reports.finishSms = async (reportId, key, outcome) => {
    if (opts.storeFailsOnSent && outcome.status === 'sent') throw new UnavailableError('STORAGE.BUSY', 'the store is busy', 1);
    return finish(reportId, key, outcome);
  };
  const sent: string[] = [];
  const sms = {
    send: async (m: { to: string; text: string }) => {
      if (opts.providerFails) throw new Error(`refused ${m.to}`);
      sent.push(m.text);
      return { providerMessageId: `m-${sent.length}` };
    },
  };
  return { deps: { reports, sms } as unknown as Deps, reports, sent };
}

describe('deliverOnce', () => {
  it('records a refused send as failed (number masked), so the resend may claim it again', async () => {
    const { deps, reports } = setup({ providerFails: true });
    expect(await deliverOnce(deps, record, listing, 'full text')).toBe('failed');
    const stored = reports.sms.get(`R1#${record.key}`)?.record;
    expect(stored).toMatchObject({ status: 'failed', error: 'refused +86 138****0301' });
    expect(await reports.claimSms(record, listing)).toBe(true);
  });

  it('never marks a sent SMS failed when the store cannot record it: it stays sending and is not sent again', async () => {
    // Prepare
    const { deps, reports, sent } = setup({ storeFailsOnSent: true });
    // Act
    const first = deliverOnce(deps, record, listing, 'full text');
    await expect(first).rejects.toBeInstanceOf(UnavailableError);
    const again = await deliverOnce(deps, record, listing, 'full text');
    // Assess
    expect(reports.sms.get(`R1#${record.key}`)?.record.status).toBe('sending');
    expect(again).toBe('skipped');
    expect(sent).toEqual(['full text']);
  });
});

describe('retryAfterRound', () => {
  const deps = { timeScale: 1 };

  it('tries a round with a failed SMS again a minute later', () => {
    // Act
    const retry = retryAfterRound(deps, acceptedReport(), 201, 1, NOW);

    // Assess
    expect(retry).toEqual({ tierSeq: 1, reminder: 201, attempts: 1, at: secondsAfter(NOW, 60).toISOString() });
  });

  it('leaves the retry as it is when nothing failed, or when the tier already has one pending', () => {
    // Prepare
    const pending = { tierSeq: 1, reminder: 0, attempts: 2, at: secondsAfter(NOW, 300).toISOString() };
    const report = { ...acceptedReport(), smsRetry: pending };

    // Act + Assess
    expect(retryAfterRound(deps, acceptedReport(), 201, 0, NOW)).toBeUndefined();
    expect(retryAfterRound(deps, report, 201, 1, NOW)).toBe(pending);
  });

  it('gives the retry to the return visit once the tier’s own rounds are over (resolved)', () => {
    // Prepare
    const pending = { tierSeq: 1, reminder: 0, attempts: 2, at: secondsAfter(NOW, 300).toISOString() };
    const resolved = { ...acceptedReport(), status: 'resolved' as const, smsRetry: pending };

    // Act
    const retry = retryAfterRound(deps, resolved, 900, 1, NOW);

    // Assess
    expect(retry).toMatchObject({ reminder: 900, attempts: 1 });
  });
});
