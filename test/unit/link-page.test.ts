/**
 * The one-tap page runs only if its Content-Security-Policy names the exact bytes of its inline
 * script and style: a page edit that the hashes did not follow would break every SMS link silently.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createLinkPageHandler, LINK_PAGE, LINK_PAGE_CSP } from '#handlers/http/link-page.ts';
import { apiEvent } from '../support/api-gateway-events.ts';

/** The text between the first opening and closing tag, found without the module's regex. */
function between(open: string, close: string): string {
  const start = LINK_PAGE.indexOf(open);
  const end = LINK_PAGE.indexOf(close, start);
  expect(start).toBeGreaterThanOrEqual(0);
  return LINK_PAGE.slice(start + open.length, end);
}

const hash = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;

describe('the link page', () => {
  it('allows exactly its own inline script and style by hash', () => {
    // Prepare
    const directives = Object.fromEntries(LINK_PAGE_CSP.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1)]));

    // Assess
    expect(directives['script-src']).toEqual([hash(between('<script>', '</script>'))]);
    expect(directives['style-src']).toEqual([hash(between('<style>', '</style>'))]);
    expect(directives['default-src']).toEqual(["'none'"]);
    expect(directives['connect-src']).toEqual(["'self'"]);
    expect(LINK_PAGE.split('<script').length - 1).toBe(1);
    expect(LINK_PAGE.split('<style').length - 1).toBe(1);
    expect(LINK_PAGE).not.toMatch(/\sstyle="/);
  });

  it('is served with no-store and no-referrer, the same page for every link (the token stays in the fragment)', async () => {
    // Prepare
    const page = createLinkPageHandler();

    // Act
    const ok = await page(apiEvent('GET /l'));

    // Assess
    expect(ok.statusCode).toBe(200);
    expect(ok.headers).toMatchObject({
      'cache-control': 'no-store',
      'referrer-policy': 'no-referrer',
      'content-security-policy': LINK_PAGE_CSP,
    });
    expect(ok.body).toBe(LINK_PAGE);
    expect(LINK_PAGE).toContain('location.hash.slice(1)');
    expect(LINK_PAGE).not.toContain('location.pathname');
  });
});
