/**
 * Sending one SMS at most once, the same way for every kind (a tier's, a lane's, a merged
 * reporter's): the record is claimed by its key first, so a retried step skips it; the provider gets
 * the full text (with its action link, if any), the stored record only the masked one. A provider's
 * error may name the number, and the record is read by others: it is masked too.
 */
import type { SmsListing, SmsRecord } from '#ports/reports.ts';
import { maskPhone } from '../people.ts';
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
