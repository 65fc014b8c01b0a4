import { describe, expect, it } from 'vitest';
import { ValidationError } from '#core/errors.ts';
import { assertPlausibleOccurredAt, OCCURRED_AT_SKEW_MS } from '#core/use-cases/reports.ts';
import { thrownBy } from './fixtures.ts';

const NOW = new Date('2026-11-02T01:00:00.000Z');

describe('assertPlausibleOccurredAt', () => {
  it.each([
    ['no time at all', undefined],
    ['now', NOW.toISOString()],
    ['an hour ago, given in Beijing time', '2026-11-02T08:00:00+08:00'],
    ['just within the clock skew', new Date(NOW.getTime() + OCCURRED_AT_SKEW_MS).toISOString()],
    ['the first moment of 2000', '2000-01-01T00:00:00Z'],
  ])('accepts %s', (_what, occurredAt) => {
    // Act + Assess
    expect(() => assertPlausibleOccurredAt(occurredAt, NOW)).not.toThrow();
  });

  it.each([
    ['a millisecond beyond the clock skew', new Date(NOW.getTime() + OCCURRED_AT_SKEW_MS + 1).toISOString(), /future/],
    ['tomorrow', '2026-11-03T01:00:00Z', /future/],
    ['a year far ahead', '9999-12-31T23:59:59Z', /future/],
    ['the last moment of 1999', '1999-12-31T23:59:59.999Z', /before 2000-01-01/],
    ['2000-01-01 in Beijing, still 1999 in UTC', '2000-01-01T07:59:59+08:00', /before 2000-01-01/],
    ['the Unix epoch (a clock that was never set)', '1970-01-01T00:00:00Z', /before 2000-01-01/],
    ['something that is not a time', 'yesterday', /date and time/],
  ])('refuses %s with 400 REPORT.OCCURRED_AT_IMPLAUSIBLE naming occurredAt', (_what, occurredAt, message) => {
    // Act
    const error = thrownBy(() => assertPlausibleOccurredAt(occurredAt, NOW));

    // Assess
    expect(error).toBeInstanceOf(ValidationError);
    expect(error).toMatchObject({ kind: 'validation', code: 'REPORT.OCCURRED_AT_IMPLAUSIBLE', details: [{ path: 'occurredAt' }] });
    expect((error as Error).message).toMatch(message);
  });

  it('judges by the clock it is given, not the machine’s', () => {
    // Prepare: a time in 2030 is the future now, and the past once the clock has moved there
    const occurredAt = '2030-06-01T00:00:00Z';

    // Act + Assess
    expect(() => assertPlausibleOccurredAt(occurredAt, NOW)).toThrow(ValidationError);
    expect(() => assertPlausibleOccurredAt(occurredAt, new Date('2030-06-02T00:00:00Z'))).not.toThrow();
  });
});
