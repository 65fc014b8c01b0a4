import { describe, expect, it } from 'vitest';
import { MASKED_LINK, maskLinks } from '#core/links.ts';
import { maskPhone } from '#core/people.ts';
import { presentSms } from '#handlers/http/present.ts';
import type { SmsRecord } from '#ports/reports.ts';

describe('maskPhone', () => {
  it.each([
    ['+8613877200201', '+86 138****0201'],
    ['+8619912345678', '+86 199****5678'],
    ['+14155550123', '+141******23'],
    ['+12345', '******'],
  ])('shows %s as %s', (phone, masked) => {
    expect(maskPhone(phone)).toBe(masked);
  });
});

describe('maskLinks', () => {
  it('replaces every action link, with its origin, by the masked form', () => {
    // Act
    const masked = maskLinks('【网格吹哨】覃宏：「小桥塌陷」待您签收 http://127.0.0.1:8080/l/AbCdEfGh_-123456');

    // Assess
    expect(masked).toBe(`【网格吹哨】覃宏：「小桥塌陷」待您签收 ${MASKED_LINK}`);
  });

  it('leaves text without a link alone, and a 17-character path that is not a token', () => {
    expect(maskLinks('请到现场 https://gw.example.com/l/ABCDEFGHIJKLMNOPQ')).toBe('请到现场 https://gw.example.com/l/ABCDEFGHIJKLMNOPQ');
  });
});

describe('presentSms', () => {
  const record: SmsRecord = {
    reportId: 'R1',
    key: '002#000#p-village-1',
    tierSeq: 2,
    reminder: 0,
    toId: 'p-village-1',
    toName: '覃国庆',
    toTitle: '那沙村党支部书记',
    to: '+8613877200201',
    // An old record, stored before links were masked at rest: still masked on the way out.
    text: '【网格吹哨】覃国庆：「小桥塌陷」待您签收 http://127.0.0.1:8080/l/AbCdEfGh_-123456',
    status: 'failed',
    attempts: 4,
    at: '2026-11-02T01:00:00.000Z',
    providerMessageId: 'sns-1',
    error: 'SNS did not take the SMS to +8613877200201',
  };

  it('masks the link and another person’s number, and keeps the name and post', () => {
    // Act
    const shown = presentSms(record, { id: 'p-county-admin' });

    // Assess
    expect(shown).toMatchObject({ to: '+86 138****0201', toName: '覃国庆', toTitle: '那沙村党支部书记' });
    expect(shown.text).toBe(`【网格吹哨】覃国庆：「小桥塌陷」待您签收 ${MASKED_LINK}`);
    expect(shown.error).toBe('SNS did not take the SMS to +86 138****0201');
    expect(JSON.stringify(shown)).not.toContain('13877200201');
    expect(shown).not.toHaveProperty('providerMessageId');
  });

  it('shows the recipient their own number, never the link', () => {
    // Act
    const shown = presentSms(record, { id: 'p-village-1' });

    // Assess
    expect(shown.to).toBe('+8613877200201');
    expect(shown.text).not.toContain('/l/AbCdEfGh');
  });
});
