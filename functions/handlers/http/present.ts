/** The public shape of a report (API.md): internal bookkeeping such as task tokens never leaves. */
import { isLate, type Report } from '#core/report.ts';
import type { ReportHistory } from '#ports/reports.ts';

export function presentReport(report: Report, now: Date) {
  const { waiting: _waiting, lastEvent: _lastEvent, pastAssigneeIds: _past, ...visible } = report;
  return { ...visible, overdue: isLate(report, now) };
}

export function presentHistory(history: ReportHistory, now: Date) {
  return {
    report: presentReport(history.report, now),
    timeline: history.timeline,
    notifications: history.notifications.map(({ reportId: _r, key: _k, ...sms }) => sms),
  };
}
