/**
 * SMS texts. One segment of Chinese SMS is 70 characters, so titles are clipped and times are short
 * (Beijing time, no year). Action links will be appended by the SMS-links issue.
 */
import type { Report } from './report.ts';

const SIGNATURE = '【网格吹哨】';
const TITLE_MAX = 16;

function clip(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
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

export function assignmentSms(report: Report, recipientName: string): string {
  const deadline = report.acceptBy ? shortBeijingTime(report.acceptBy) : '';
  return `${SIGNATURE}${recipientName}：「${clip(report.title, TITLE_MAX)}」待您签收，请于${deadline}前处理。`;
}

export function supervisionReminderSms(report: Report, recipientName: string): string {
  const deadline = report.status === 'assigned' ? report.acceptBy : report.completeBy;
  return `${SIGNATURE}督办${recipientName}：「${clip(report.title, TITLE_MAX)}」已超期，请于${deadline ? shortBeijingTime(deadline) : ''}前办结。`;
}
