/**
 * The console checks a person's phone, name and username as the admin types
 * (web/src/views/people/*Rules.ts): it must agree with the API, which checks again, or an admin
 * would be told a number is fine and then refused (or the other way round).
 */
import { describe, expect, it } from 'vitest';
import { USERNAME as API_USERNAME } from '#core/accounts.ts';
import { contactPhoneProblem } from '#core/catalog.ts';
import { normalizePhone as apiNormalize, personFieldProblems } from '#core/people.ts';
import { NAME_MAX, textProblem, USERNAME } from '#web/views/people/personRules.ts';
import { contactPhoneOk, normalizePhone, phoneProblem } from '#web/views/people/phoneRules.ts';

const PHONES = [
  '13977201234',
  '139 7720 1234',
  '139-7720-1234',
  '8613977201234',
  '008613977201234',
  '+8613977201234',
  '+86 139 7720 1234',
  '+8612345678901',
  '+867724567890',
  '+14155552671',
  '+442071838750',
  '1397720',
  '0772-4567890',
  '12345',
  '+0123456789',
  'abc',
  '',
  '   ',
];

const apiPhoneOk = (phone: string) => !personFieldProblems({ name: '覃宏', phone }).some((p) => p.field === 'phone');

describe('the console’s person rules', () => {
  it.each(PHONES)('read the phone “%s” as the API does', (phone) => {
    expect({ normalized: normalizePhone(phone), ok: phoneProblem(phone) === null }).toEqual({
      normalized: apiNormalize(phone),
      ok: apiPhoneOk(phone),
    });
  });

  it.each(PHONES)('take “%s” as a department’s duty line exactly when the API does', (phone) => {
    expect(contactPhoneOk(phone)).toBe(phone.trim() !== '' && contactPhoneProblem(phone) === null);
  });

  it.each(['覃宏', '  ', '覃'.repeat(NAME_MAX), '覃'.repeat(NAME_MAX + 1), '𠀋'.repeat(NAME_MAX), '覃\u0007宏', '覃\u202e宏'])(
    'accept the name “%s” exactly when the API does',
    (name) => {
      const api = !personFieldProblems({ name, phone: '+8613977201234' }).some((p) => p.field === 'name');
      expect(textProblem(name, NAME_MAX) === null).toBe(api);
    },
  );

  it('accept the usernames the accounts accept', () => {
    expect(USERNAME.source).toBe(API_USERNAME.source);
  });
});
