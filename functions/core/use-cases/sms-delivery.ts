/**
 * Sending one SMS at most once, the same way for every kind (a tier's, a lane's, a merged
 * reporter's): the record is claimed by its key first, so a retried step skips it; the provider gets
 * the full text (with its action link, if any), the stored record only the masked one. A provider's
 * error may name the number, and the record is read by others: it is masked too.
 */
import type { SmsListing, SmsRecord } from '#ports/reports.ts';
import { addPolicySeconds } from '../deadlines.ts';
import { maskPhone } from '../people.ts';
import type { Report, SmsRetry } from '../report.ts';
import type { Deps } from './deps.ts';

export type SmsOutcome = 'sent' | 'skipped' | 'failed';

export async function deliverOnce(deps: Deps, record: SmsRecord, listing: SmsListing, fullText: string): Promise<SmsOutcome> {
  if (!(await deps.reports.claimSms(record, listing))) return 'skipped';
  let providerMessageId: string;
  try {
    ({ providerMessageId } = await deps.sms.send({ to: record.to, text: fullText, reportId: record.reportId }));
  } catch (error) {
    const reason = String((error as Error).message ?? error).replaceAll(record.to, maskPhone(record.to));
    await deps.reports.finishSms(record.reportId, record.key, { status: 'failed', error: reason });
    return 'failed';
  }
  // Outside the try: a store that fails to record a sent SMS must not mark it failed (a retry would
  // text it again); it stays 'sending', which is never sent again.
  await deps.reports.finishSms(record.reportId, record.key, { status: 'sent', providerMessageId });
  return 'sent';
}

/** Tries of a tier's failed SMS after the first, in policy seconds (scaled like deadlines): about ten hours in all. */
export const SMS_RETRY_BACKOFF_SECONDS = [60, 300, 900, 3600, 3 * 3600, 6 * 3600] as const;

/** When to try a failed SMS again after `attempts` tries, or undefined when the tries ran out. */
export function smsRetryAt(deps: Pick<Deps, 'timeScale'>, attempts: number, now: Date): Date | undefined {
  const seconds = SMS_RETRY_BACKOFF_SECONDS[attempts - 1];
  return seconds === undefined ? undefined : addPolicySeconds(now, seconds, deps.timeScale);
}

/**
 * The retry a report keeps after a round of SMS numbered `reminder` (催办, 督办 by hand, 回访):
 * none failed, or a retry of this tier is already pending (one chain per tier; the earlier failure,
 * usually the assignment's, keeps it), and it stays as it is; else the round is tried again on the
 * backoff schedule (resendOp in escalation-steps.ts).
 */
export function retryAfterRound(
  deps: Pick<Deps, 'timeScale'>,
  report: Report,
  reminder: number,
  failed: number,
  now: Date,
): SmsRetry | null | undefined {
  // Once resolved, the tier's own rounds are over: the return visit's round takes the retry.
  const atTier = report.status === 'assigned' || report.status === 'accepted';
  const pending = atTier && report.smsRetry?.tierSeq === report.tierSeq ? report.smsRetry : undefined;
  if (failed === 0 || pending) return report.smsRetry;
  const at = smsRetryAt(deps, 1, now);
  return at ? { tierSeq: report.tierSeq, reminder, attempts: 1, at: at.toISOString() } : report.smsRetry;
}
