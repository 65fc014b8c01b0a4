import { describe, expect, it } from 'vitest';
import { normalizePhone, phoneProblem } from '#core/people.ts';

describe('normalizePhone', () => {
  it.each([
    ['13977201234', '+8613977201234'],
    ['139 7720 1234', '+8613977201234'],
    ['139-7720-1234', '+8613977201234'],
    ['8613977201234', '+8613977201234'],
    ['008613977201234', '+8613977201234'],
    ['+8613977201234', '+8613977201234'],
    ['+14155550123', '+14155550123'],
    ['12977201234', null],
    ['4.51322E+14', null],
    ['', null],
  ])('%s → %s', (input, expected) => {
    expect(normalizePhone(input)).toBe(expected);
  });
});

describe('phoneProblem', () => {
  it('accepts mainland mobiles and other E.164 numbers, refuses +86 landlines and non-E.164', () => {
    expect(phoneProblem('+8613977201234')).toBeNull();
    expect(phoneProblem('+14155550123')).toBeNull();
    expect(phoneProblem('+867724567890')).toMatch(/不是大陆手机号码/);
    expect(phoneProblem('13977201234')).toMatch(/E\.164/);
  });
});
