/**
 * A tier's SMS rounds by their number (report-clocks.ts numbers them): 0 the assignment, 1… the
 * county's overdue 督办, 101… / 201… the 催办 before each deadline, 900 the return visit (回访),
 * 1001… a manual 督办. One round is who gets it, its text and, when not the tier's last deadline,
 * until when its link lives. The first send and every retry (resendOp) build it here, so a retry
 * texts the same people the same words.
 */
import type { Report } from './report.ts';
import { ACCEPT_REMINDER_BASE, COMPLETE_REMINDER_BASE, MANUAL_REMINDER_BASE, VISIT_SMS_REMINDER } from './report-clocks.ts';
import { currentVisit } from './report-visit.ts';
import { assignmentSms, deadlineReminderSms, manualReminderSms, returnVisitSms, supervisionReminderSms } from './sms-templates.ts';

export type SmsText = (name: string, link: string) => string;

export interface SmsRound {
  /** Person ids. */
  to: string[];
  text: SmsText;
  expiresAt?: string;
}

/** The round numbered `reminder` of the report as it stands, or null when it no longer applies (its phase or visit is over). */
export function smsRound(report: Report, reminder: number): SmsRound | null {
  const to = report.assignees.map((a) => a.id);
  if (reminder === VISIT_SMS_REMINDER) {
    const visit = currentVisit(report);
    if (!visit || visit.outcome) return null;
    return { to: visit.visitors.map((v) => v.id), text: (name, link) => returnVisitSms(report, name, link), expiresAt: visit.dueBy };
  }
  if (report.status !== 'assigned' && report.status !== 'accepted') return null;
  if (reminder >= MANUAL_REMINDER_BASE) return { to, text: (name, link) => manualReminderSms(report, name, link) };
  if (reminder > COMPLETE_REMINDER_BASE) {
    if (report.status !== 'accepted') return null;
    return { to, text: (name, link) => deadlineReminderSms(report, name, link, { phase: 'complete' }) };
  }
  if (reminder > ACCEPT_REMINDER_BASE) {
    if (report.status !== 'assigned') return null;
    return { to, text: (name, link) => deadlineReminderSms(report, name, link, { phase: 'accept' }) };
  }
  return {
    to,
    text: reminder === 0 ? (name, link) => assignmentSms(report, name, link) : (name, link) => supervisionReminderSms(report, name, link),
  };
}
