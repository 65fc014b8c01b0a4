/**
 * The bad-input corpus itself (test/fixtures/bad-input/*.json): big enough, every id unique, every
 * case aimed at a route the router serves, and each case saying what it sends and what it expects.
 */
import { describe, expect, it } from 'vitest';
import { ROUTES } from '#handlers/http/routes.ts';
import { loadCorpus, placeholdersOf, routeMatches } from '../support/bad-input-corpus.ts';

const CASES = loadCorpus();
/** What the integration runner fills in (test/integration/bad-input-corpus.test.ts). */
const PLACEHOLDERS = ['key', 'open311Key', 'openReport', 'otherReport', 'retiredGrid', 'retiredReport', 'mergedInto'];

describe('the bad-input corpus', () => {
  it('holds at least 60 cases, with unique ids', () => {
    // Assess
    expect(CASES.length).toBeGreaterThanOrEqual(60);
    const ids = CASES.map((c) => c.id);
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
  });

  it.each(CASES.map((c) => [c.id, c] as const))('%s aims at a route of the router and says why and what it expects', (_id, c) => {
    // Prepare
    const served = ROUTES.filter((r) => routeMatches(r.path, c.path));

    // Assess
    expect(served.length, `no route serves ${c.path}`).toBeGreaterThan(0);
    // Only a case about the method itself may use one the route does not take.
    if (c.expect.status === 405) expect(served.map((r) => r.method)).not.toContain(c.method);
    else expect(served.map((r) => r.method)).toContain(c.method);
    expect(c.why).toMatch(/\S/);
    expect(c.who).toMatch(/\S/);
    expect(c.expect.code).toMatch(/^[A-Z0-9_]+(\.[A-Z0-9_]+)+$/);
    expect(c.expect.via === 'import-job' ? c.expect.status === 202 : c.expect.status >= 400 && c.expect.status < 500).toBe(true);
    const bodies = [c.body, c.rawBody, c.rawBodyBase64, c.rawBodyParts].filter((b) => b !== undefined);
    expect(bodies.length).toBeLessThanOrEqual(1);
    expect(placeholdersOf(c).filter((p) => !PLACEHOLDERS.includes(p))).toEqual([]);
  });
});
