/** The texts of 吹哨: a summons to a department's officers, and 督办 of a late department to the county. */
import { MIN_TITLE_CHARS, SMS_SEGMENT } from './sms-templates.ts';

const SIGNATURE = '【网格吹哨】';
const length = (text: string) => [...text].length;

function fitTitle(before: string, title: string, after: string): string {
  const room = Math.max(MIN_TITLE_CHARS, SMS_SEGMENT - length(before) - length(after) - 2);
  const chars = [...title];
  const clipped = chars.length <= room ? title : `${chars.slice(0, Math.max(1, room - 1)).join('')}…`;
  return `${before}「${clipped}」${after}`;
}

export function summonsSms(title: string, recipientName: string, link: string): string {
  return fitTitle(`${SIGNATURE}吹哨${recipientName}：`, title, `请报到 ${link}`);
}

export function laneSupervisionSms(title: string, recipientName: string, departmentName: string): string {
  return fitTitle(`${SIGNATURE}督办${recipientName}：${departmentName}超期未办`, title, '');
}
