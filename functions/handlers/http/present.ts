/**
 * The public shape of a report (API.md): internal bookkeeping such as task tokens never leaves,
 * and "what a reader of a report may see" holds for every reader: SMS links masked, other people's
 * phone numbers masked (a reader sees their own number in full).
 */
import { isLaneLate } from '#core/assignments.ts';
import { maskLinks } from '#core/links.ts';
import { type Actor, maskPhone } from '#core/people.ts';
import { isLate, type Report } from '#core/report.ts';
import type { ReportRead } from '#core/use-cases/reports.ts';
import type { SmsRecord } from '#ports/reports.ts';

export function presentReport(report: Report, now: Date) {
  const {
    waiting: _waiting,
    lastEvent: _lastEvent,
    pastAssigneeIds: _past,
    pendingWhistle: _pending,
    reminderPlan: _plan,
    pinnedPolicy: _policy,
    manualReminders: _manual,
    ...visible
  } = report;
  // Every summoned department's lane (吹哨), each with its own lateness.
  const assignments = (report.assignments ?? []).map((lane) => ({ ...lane, overdue: isLaneLate(lane, now) }));
  return { ...visible, assignments, overdue: isLate(report, now) };
}

export function presentSms(sms: SmsRecord, reader: Pick<Actor, 'id'>) {
  const { reportId: _r, key: _k, providerMessageId: _p, ...visible } = sms;
  const own = sms.toId === reader.id;
  return {
    ...visible,
    to: own ? sms.to : maskPhone(sms.to),
    text: maskLinks(sms.text),
    ...(sms.error ? { error: own ? sms.error : sms.error.replaceAll(sms.to, maskPhone(sms.to)) } : {}),
  };
}

/** `now` is the server's clock, which the console counts time left from (it may run ahead of the reader's: TIME_SCALE, a test clock). */
export function presentHistory(read: ReportRead, now: Date, reader: Pick<Actor, 'id'>) {
  return {
    report: presentReport(read.report, now),
    timeline: read.timeline,
    notifications: read.notifications.map((sms) => presentSms(sms, reader)),
    actions: read.actions,
    mayPublishNote: read.mayPublishNote,
    mayWhistle: read.mayWhistle,
    laneActions: read.laneActions,
    now: now.toISOString(),
  };
}
