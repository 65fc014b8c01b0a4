/**
 * SMS texts. One segment of Chinese SMS is 70 characters (the signature and the link included), so
 * the title is clipped to whatever room the name and the link leave; the deadline and the details
 * are on the page the link opens.
 */
import type { Report } from './report.ts';

export const SMS_SEGMENT = 70;
const SIGNATURE = '【网格吹哨】';
/** Below this a clipped title stops being recognisable; templates are tested to keep at least it. */
export const MIN_TITLE_CHARS = 4;

const length = (text: string) => [...text].length;

function clip(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, Math.max(1, max - 1)).join('')}…`;
}

/** Fills `before「title」after` with the title clipped so the whole text fits one segment. */
function fitTitle(before: string, title: string, after: string): string {
  const room = SMS_SEGMENT - length(before) - length(after) - 2;
  return `${before}「${clip(title, Math.max(MIN_TITLE_CHARS, room))}」${after}`;
}

const beijing = new Intl.DateTimeFormat('zh-CN', {
  timeZone: 'Asia/Shanghai',
  month: 'numeric',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hour12: false,
});

export function shortBeijingTime(iso: string): string {
  const parts = Object.fromEntries(beijing.formatToParts(new Date(iso)).map((p) => [p.type, p.value]));
  return `${parts.month}月${parts.day}日${parts.hour}:${parts.minute}`;
}

export function assignmentSms(report: Report, recipientName: string, link: string): string {
  return fitTitle(`${SIGNATURE}${recipientName}：`, report.title, `待您签收 ${link}`);
}

export function supervisionReminderSms(report: Report, recipientName: string, link: string): string {
  return fitTitle(`${SIGNATURE}督办${recipientName}：`, report.title, `已超期 ${link}`);
}

/** To the reporter of a merged duplicate when the report it was merged into closes: no link, nothing to do. */
export function mergedParentClosedSms(child: Report, recipientName: string): string {
  return fitTitle(`${SIGNATURE}${recipientName}：您上报的`, child.title, '已并案办结，感谢反映');
}

/** 催办 before a deadline: what is due and by when; the link opens the same one-tap page. */
export function deadlineReminderSms(
  report: Report,
  recipientName: string,
  link: string,
  reminder: { phase: 'accept' | 'complete' },
): string {
  // The deadline itself is on the page the link opens: with it the text would not fit one segment.
  const due = reminder.phase === 'accept' ? '待签收' : '待办结';
  return fitTitle(`${SIGNATURE}催办${recipientName}：`, report.title, `${due} ${link}`);
}

/** A manual 督办 by a higher tier. */
export function manualReminderSms(report: Report, recipientName: string, link: string): string {
  return fitTitle(`${SIGNATURE}督办${recipientName}：`, report.title, `请抓紧 ${link}`);
}

/** 回访: the visitor is asked to call on the reporter; the link opens the page with the two answers. */
export function returnVisitSms(report: Report, recipientName: string, link: string): string {
  return fitTitle(`${SIGNATURE}回访${recipientName}：`, report.title, `待回访 ${link}`);
}
