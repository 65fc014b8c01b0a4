/**
 * One Chinese SMS segment holds 70 characters: every template must fit in one, for the longest
 * names in the demo seed, a long title and the widest date (two-digit month and day).
 */
import { describe, expect, it } from 'vitest';
import { accept } from '#core/report.ts';
import { assignmentSms, shortBeijingTime, supervisionReminderSms } from '#core/sms-templates.ts';
import { CATEGORIES, DEPARTMENTS, demoCounty } from '#local/demo-county.ts';
import { assignedReport, worker } from './fixtures.ts';

const SEGMENT = 70;
const length = (text: string) => [...text].length;
const longest = (texts: string[]) => texts.reduce((a, b) => (length(b) > length(a) ? b : a), '');

const seed = demoCounty();
const LONGEST_NAME = longest(seed.accounts.map((a) => a.person.name));
/** The longest text in the seed a worker might plausibly type as a title (node, job title, department, category). */
const LONGEST_SEED_TITLE = longest([
  ...seed.nodes.map((n) => n.name),
  ...seed.accounts.map((a) => a.person.title ?? ''),
  ...DEPARTMENTS.map((d) => d.name),
  ...CATEGORIES.flatMap((c) => [c.name, c.description]),
]);
/** As long as the API allows (100 characters), with astral characters that are two UTF-16 units each. */
const MAX_TITLE = `${LONGEST_SEED_TITLE}𠮷${'桥'.repeat(100)}`.slice(0, 100);
/** 23:59 on 31 December, Beijing time: the widest date the templates print. */
const WIDEST_DEADLINE = '2026-12-31T15:59:00.000Z';
const wideDeadlines = { acceptBy: WIDEST_DEADLINE, completeBy: WIDEST_DEADLINE };

describe('demo seed', () => {
  it('has names and a title long enough to be a meaningful worst case', () => {
    // Assess
    expect(length(LONGEST_NAME)).toBeGreaterThanOrEqual(3);
    expect(length(LONGEST_SEED_TITLE)).toBeGreaterThan(16);
  });
});

describe('assignmentSms', () => {
  it.each([
    ['the longest seed title', LONGEST_SEED_TITLE],
    ['a 100-character title', MAX_TITLE],
  ])('fits one segment for the longest name and %s', (_what, title) => {
    // Prepare
    const report = assignedReport({ title, deadlines: wideDeadlines });

    // Act
    const text = assignmentSms(report, LONGEST_NAME);

    // Assess
    expect(length(text), text).toBeLessThanOrEqual(SEGMENT);
  });

  it('fits one segment for every person in the demo county', () => {
    // Prepare
    const report = assignedReport({ title: MAX_TITLE, deadlines: wideDeadlines });

    // Act
    const lengths = seed.accounts.map((a) => length(assignmentSms(report, a.person.name)));

    // Assess
    expect(Math.max(...lengths)).toBeLessThanOrEqual(SEGMENT);
  });

  it('names the recipient, quotes the title and gives the accept deadline in Beijing time', () => {
    // Prepare
    const report = assignedReport({ title: '那沙村便桥塌陷' });

    // Act
    const text = assignmentSms(report, '覃宏');

    // Assess
    expect(text).toBe('【网格吹哨】覃宏：「那沙村便桥塌陷」待您签收，请于3月23日11:00前处理。');
  });

  it('keeps a title of exactly 16 characters whole', () => {
    // Prepare
    const title = '一二三四五六七八九十甲乙丙丁戊己';
    const report = assignedReport({ title });

    // Act
    const text = assignmentSms(report, '覃宏');

    // Assess
    expect(length(title)).toBe(16);
    expect(text).toContain(`「${title}」`);
  });

  it('clips a longer title to 15 characters and an ellipsis', () => {
    // Prepare
    const report = assignedReport({ title: '一二三四五六七八九十甲乙丙丁戊己庚' });

    // Act
    const text = assignmentSms(report, '覃宏');

    // Assess
    expect(text).toContain('「一二三四五六七八九十甲乙丙丁戊…」');
  });

  it('never splits an astral character when clipping', () => {
    // Prepare
    const report = assignedReport({ title: '𠮷'.repeat(20) });

    // Act
    const text = assignmentSms(report, '覃宏');

    // Assess
    expect(text).toContain(`「${'𠮷'.repeat(15)}…」`);
    expect(text).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
  });
});

describe('supervisionReminderSms', () => {
  it.each([
    ['the longest seed title', LONGEST_SEED_TITLE],
    ['a 100-character title', MAX_TITLE],
  ])('fits one segment for the longest name and %s, before and after 签收', (_what, title) => {
    // Prepare
    const assigned = assignedReport({ title, deadlines: wideDeadlines });
    const accepted = accept(assigned, worker, new Date('2026-12-01T00:00:00Z')).report;

    // Act
    const texts = [supervisionReminderSms(assigned, LONGEST_NAME), supervisionReminderSms(accepted, LONGEST_NAME)];

    // Assess
    for (const text of texts) expect(length(text), text).toBeLessThanOrEqual(SEGMENT);
  });

  it('asks for 办结 by the accept deadline while unaccepted and by the complete deadline once accepted', () => {
    // Prepare
    const assigned = assignedReport({
      title: '枯树压线',
      deadlines: { acceptBy: '2026-03-23T03:00:00.000Z', completeBy: '2026-03-24T01:00:00.000Z' },
    });
    const accepted = accept(assigned, worker, new Date('2026-03-23T02:00:00Z')).report;

    // Act
    const before = supervisionReminderSms(assigned, '覃卫东');
    const after = supervisionReminderSms(accepted, '覃卫东');

    // Assess
    expect(before).toBe('【网格吹哨】督办覃卫东：「枯树压线」已超期，请于3月23日11:00前办结。');
    expect(after).toBe('【网格吹哨】督办覃卫东：「枯树压线」已超期，请于3月24日09:00前办结。');
  });
});

describe('shortBeijingTime', () => {
  it.each([
    ['2026-03-23T01:05:00Z', '3月23日09:05'],
    ['2026-12-31T15:59:00Z', '12月31日23:59'],
    ['2026-03-22T16:00:00Z', '3月23日00:00'],
    ['2026-02-28T16:30:00Z', '3月1日00:30'],
  ])('prints %s as %s (UTC+8, no year, 24-hour clock)', (iso, expected) => {
    // Act
    const text = shortBeijingTime(iso);

    // Assess
    expect(text).toBe(expected);
  });
});
