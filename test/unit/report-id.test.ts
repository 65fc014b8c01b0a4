import { describe, expect, it } from 'vitest';
import { reportIdFor } from '#core/use-cases/reports.ts';
import { reportId } from '#handlers/http/schemas.ts';

describe('reportIdFor', () => {
  it('gives the same id for the same reporter and Idempotency-Key', () => {
    // Act
    const first = reportIdFor('p-worker-1', 'key-0001-abcdef');
    const second = reportIdFor('p-worker-1', 'key-0001-abcdef');

    // Assess
    expect(second).toBe(first);
  });

  it('makes ids the report routes accept (R and 15 upper-case hex digits)', () => {
    // Act
    const id = reportIdFor('p-worker-1', 'key-0001-abcdef');

    // Assess
    expect(id).toMatch(/^R[0-9A-F]{15}$/);
    expect(reportId.test(id)).toBe(true);
  });

  it('gives another reporter using the same key a different id', () => {
    // Act
    const mine = reportIdFor('p-worker-1', 'key-0001-abcdef');
    const theirs = reportIdFor('p-worker-2', 'key-0001-abcdef');

    // Assess
    expect(theirs).not.toBe(mine);
  });

  it('gives the same reporter a different id for a different key', () => {
    // Act
    const ids = new Set(Array.from({ length: 200 }, (_, i) => reportIdFor('p-worker-1', `key-${String(i).padStart(6, '0')}`)));

    // Assess
    expect(ids.size).toBe(200);
  });

  it('does not confuse reporter and key when their texts are swapped or run together', () => {
    // Act
    const ids = [reportIdFor('ab', 'cdefghij'), reportIdFor('abc', 'defghij'), reportIdFor('cdefghij', 'ab')];

    // Assess
    expect(new Set(ids).size).toBe(3);
  });
});
