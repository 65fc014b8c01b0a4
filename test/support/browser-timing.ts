/**
 * Times a click in the page itself: from the click to the moment the DOM holds what it should show
 * (a MutationObserver sees the selector match). Measured in the page, not across Playwright's
 * round trips, and without the page's performance entries, which a test's installed clock replaces.
 * For printing only: tests never assert on a duration.
 */
import type { Page } from 'playwright-core';

/** `text`: of the elements matching clickSelector, the one whose text is this. */
export async function timeClick(page: Page, clickSelector: string, shownSelector: string, text?: string): Promise<number> {
  // A string, not a function: it runs in the page, where `document` is (not in Node's types).
  const script = `new Promise((resolve, reject) => {
    const click = ${JSON.stringify(clickSelector)};
    const shown = ${JSON.stringify(shownSelector)};
    const text = ${JSON.stringify(text ?? null)};
    const target = [...document.querySelectorAll(click)].find((el) => text === null || el.textContent.trim() === text);
    if (!target) return reject(new Error('nothing to click at ' + click));
    const start = performance.now();
    const observer = new MutationObserver(() => {
      if (!document.querySelector(shown)) return;
      observer.disconnect();
      resolve(performance.now() - start);
    });
    observer.observe(document.body, { childList: true, subtree: true, attributes: true });
    target.click();
  })`;
  return (await page.evaluate(script)) as number;
}
