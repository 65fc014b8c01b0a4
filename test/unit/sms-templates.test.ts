/**
 * One Chinese SMS segment holds 70 characters, signature and link included: every template must
 * fit in one for the longest names in the demo seed, the longest title the API accepts and the
 * longest link the configuration allows, and still show a recognisable piece of the title.
 */
import { describe, expect, it } from 'vitest';
import { LINK_TOKEN_LENGTH } from '#core/links.ts';
import { accept } from '#core/report.ts';
import {
  assignmentSms,
  deadlineReminderSms,
  MIN_TITLE_CHARS,
  manualReminderSms,
  returnVisitSms,
  SMS_SEGMENT,
  shortBeijingTime,
  supervisionReminderSms,
} from '#core/sms-templates.ts';
import { CATEGORIES, DEPARTMENTS, demoCounty } from '#local/demo-county.ts';
import { assignedReport, worker } from './fixtures.ts';

const length = (text: string) => [...text].length;
const longest = (texts: string[]) => texts.reduce((a, b) => (length(b) > length(a) ? b : a), '');

const seed = demoCounty();
const NAMES = seed.accounts.map((a) => a.person.name);
const LONGEST_NAME = longest(NAMES);
const LONGEST_SEED_TITLE = longest([
  ...seed.nodes.map((n) => n.name),
  ...seed.accounts.map((a) => a.person.title ?? ''),
  ...DEPARTMENTS.map((d) => d.name),
  ...CATEGORIES.flatMap((c) => [c.name, c.description]),
]);
/** As long as the API allows (100 characters), with an astral character (two UTF-16 units). */
const MAX_TITLE = `${LONGEST_SEED_TITLE}𠮷${'桥'.repeat(100)}`.slice(0, 100);
const token = 'A'.repeat(LINK_TOKEN_LENGTH);
/** The local default and the longest PUBLIC_BASE_URL the configuration accepts (24 characters). */
const LINKS = [`http://127.0.0.1:8080/l#${token}`, `https://gw.xzx.gov.cn:443/l#${token}`];

const templates = {
  assignment: assignmentSms,
  supervision: supervisionReminderSms,
  'accept reminder (催办)': (r: Parameters<typeof assignmentSms>[0], name: string, link: string) =>
    deadlineReminderSms(r, name, link, { phase: 'accept' }),
  'complete reminder (催办)': (r: Parameters<typeof assignmentSms>[0], name: string, link: string) =>
    deadlineReminderSms(r, name, link, { phase: 'complete' }),
  'manual 督办': manualReminderSms,
  'return visit (回访)': returnVisitSms,
};

describe.each(Object.entries(templates))('the %s SMS', (_name, template) => {
  const assigned = assignedReport({ title: MAX_TITLE });
  const accepted = accept(assigned, worker, new Date(assigned.createdAt)).report;

  it.each(LINKS)('fits one segment for every seed name with the longest title and the link %s', (link) => {
    // Act
    const texts = NAMES.flatMap((name) => [template(assigned, name, link), template(accepted, name, link)]);

    // Assess
    for (const text of texts) expect(length(text), text).toBeLessThanOrEqual(SMS_SEGMENT);
  });

  it.each(LINKS)('keeps at least %#: a recognisable start of the title, the name and the whole link', (link) => {
    // Act
    const text = template(assigned, LONGEST_NAME, link);

    // Assess
    expect(text).toContain(LONGEST_NAME);
    expect(text.endsWith(link)).toBe(true);
    expect(text).toContain(`「${[...MAX_TITLE].slice(0, MIN_TITLE_CHARS).join('')}`);
  });

  it('shows a short title whole, without an ellipsis', () => {
    // Prepare
    const report = assignedReport({ title: '小桥塌陷' });

    // Act
    const text = template(report, '覃宏', LINKS[0] ?? '');

    // Assess
    expect(text).toContain('「小桥塌陷」');
    expect(text).not.toContain('…');
  });
});

describe('shortBeijingTime', () => {
  it('prints the deadline in Beijing time without the year', () => {
    // Act + Assess
    expect(shortBeijingTime('2026-12-31T15:59:00.000Z')).toBe('12月31日23:59');
    expect(shortBeijingTime('2026-03-23T01:05:00.000Z')).toBe('3月23日09:05');
  });
});
