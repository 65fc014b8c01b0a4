/** The filing-date window of a report listing: a year at most, never inverted, an open end counted from now. */
import { describe, expect, it } from 'vitest';
import { ValidationError } from '#core/errors.ts';
import { assertListingWindow, MAX_LISTING_WINDOW_DAYS } from '#core/use-cases/reports.ts';
import { NOW, thrownBy } from './fixtures.ts';

const DAY = 86_400_000;
const daysBefore = (days: number, from: Date = NOW) => new Date(from.getTime() - days * DAY);

describe('assertListingWindow', () => {
  it.each([
    ['no bounds', undefined, undefined],
    ['a `to` alone (everything filed before it)', undefined, daysBefore(5000)],
    ['exactly the longest window', daysBefore(MAX_LISTING_WINDOW_DAYS + 10), daysBefore(10)],
    ['a `from` alone up to a year ago', daysBefore(MAX_LISTING_WINDOW_DAYS), undefined],
    ['one instant', NOW, NOW],
  ])('takes %s', (_what, from, to) => {
    // Act + Assess
    expect(() => assertListingWindow(from, to, NOW)).not.toThrow();
  });

  it('refuses a window longer than the longest, and a `from` alone further back, with the field to change', () => {
    // Act
    const long = thrownBy(() => assertListingWindow(daysBefore(MAX_LISTING_WINDOW_DAYS + 1), NOW, NOW));
    const open = thrownBy(() => assertListingWindow(daysBefore(MAX_LISTING_WINDOW_DAYS + 1), undefined, NOW));

    // Assess
    expect(long).toBeInstanceOf(ValidationError);
    expect(long).toMatchObject({ code: 'REPORT.DATE_RANGE_TOO_LONG', details: [{ path: 'to' }] });
    expect(open).toMatchObject({ code: 'REPORT.DATE_RANGE_TOO_LONG', details: [{ path: 'from' }] });
  });

  it('refuses a `from` after the `to`', () => {
    // Act
    const inverted = thrownBy(() => assertListingWindow(NOW, daysBefore(1), NOW));

    // Assess
    expect(inverted).toMatchObject({ code: 'REPORT.DATE_RANGE_INVERTED', kind: 'validation' });
  });
});
