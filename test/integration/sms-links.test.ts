/**
 * Acting from an SMS: every officer SMS carries a short signed link, bound to one report, one
 * officer and one tier, expiring at that tier's deadline. Real engines, real server. The link is
 * read from the recipient's phone (the outbox), never from an API response: no response holds it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { linkTokenIn, newKey, reportBody, scenario, startTestRuntime, type TestRuntime } from '../support/local-runtime.ts';

let rt: TestRuntime;
let s: ReturnType<typeof scenario>;
const SECOND = 1000;

beforeAll(async () => {
  rt = await startTestRuntime();
  s = scenario(rt);
});
afterAll(async () => rt?.stop());

async function fileReport(body: Record<string, unknown> = {}) {
  const res = await rt.http('POST', '/api/v1/reports', {
    token: await rt.login('worker1'),
    body: reportBody(body),
    headers: { 'idempotency-key': newKey('link') },
  });
  expect(res.status).toBe(201);
  return res.body.id as string;
}

const history = (id: string) => s.history(id);

/**
 * The link token in the SMS sent for this tier (and reminder) of the report, as its recipient's
 * phone received it. The API's SMS log says who got which SMS (with the link masked); the phone's
 * inbox, in the order the SMS arrived, has the text with the link.
 */
async function smsToken(id: string, tierSeq: number, reminder = 0): Promise<{ token: string; text: string; masked: string }> {
  type Sms = { tierSeq: number; reminder: number; status: string; toId: string; text: string };
  const h = await s.until(id, (x) =>
    x.notifications.some((n: Sms) => n.tierSeq === tierSeq && n.reminder === reminder && n.status === 'sent'),
  );
  const sent: Sms[] = h.notifications.filter((n: Sms) => n.status === 'sent');
  const wanted = sent.find((n) => n.tierSeq === tierSeq && n.reminder === reminder) as Sms;
  const position = sent.filter((n) => n.toId === wanted.toId).indexOf(wanted);
  const person = await rt.runtime.container.directory.getPerson(wanted.toId);
  const received = (await rt.inbox({ to: person?.phone, reportId: id }))[position];
  const token = received ? linkTokenIn(received.text) : undefined;
  if (!received || !token) throw new Error(`no SMS ${tierSeq}/${reminder} on ${wanted.toId}'s phone`);
  return { token, text: received.text, masked: wanted.text };
}

const openLink = (token: string) => rt.http('GET', '/api/v1/link', { headers: { 'link-token': token } });
const actByLink = (token: string, body: Record<string, unknown>) =>
  rt.http('POST', '/api/v1/link', { body, headers: { 'link-token': token } });

describe('an SMS action link', () => {
  it('fits the SMS in one segment and lets the grid worker accept and resolve without signing in', async () => {
    // Prepare
    const id = await fileReport({ title: '那沙村大中塘屯村道小桥桥面塌陷影响群众出行' });
    const { token, text } = await smsToken(id, 1);

    // Act
    const opened = await openLink(token);
    const accepted = await actByLink(token, { action: 'accept', note: '马上到现场' });
    const resolved = await actByLink(token, { action: 'resolve', note: '已搭便桥' });

    // Assess
    expect([...text].length).toBeLessThanOrEqual(70);
    expect(text).toContain(`${rt.url}/l#${token}`);
    const { masked } = await smsToken(id, 1);
    expect(masked).toBe(text.replace(`${rt.url}/l#${token}`, '…/l/••••'));
    expect(opened.status).toBe(200);
    expect(opened.body).toMatchObject({ officer: { id: 'p-worker-1', name: '覃宏' }, actions: ['accept'], report: { id, tier: 'grid' } });
    expect(opened.body.report.reporter).toBeUndefined();
    expect(accepted.status).toBe(200);
    expect(accepted.body.actions).toEqual(['resolve']);
    expect(resolved.status).toBe(200);
    expect(resolved.body.report.status).toBe('resolved');
    await s.visit(id, true);
    const closed = await s.until(id, (h) => h.report.status === 'closed');
    const byLink = closed.timeline
      .filter((e: { actor: { id: string } }) => e.actor.id === 'p-worker-1')
      .map((e: { type: string }) => e.type);
    expect(byLink).toEqual(['reported', 'accepted', 'resolved']);
  });

  it('answers 409 once the report has left the link’s tier, and returns with a reason go one tier down', async () => {
    // Prepare: the grid lets it lapse, the village gets it
    await s.usePolicy('environment', 'normal', { grid: { acceptSeconds: 200, completeSeconds: 400 } });
    const id = await fileReport({ category: 'environment', title: '河道垃圾堆积' });
    const grid = await smsToken(id, 1);
    rt.clock.advance(200 * SECOND);
    const village = await smsToken(id, 2);

    // Act
    const stale = await actByLink(grid.token, { action: 'accept' });
    const opened = await openLink(village.token);
    const noReason = await actByLink(village.token, { action: 'return' });
    const returned = await actByLink(village.token, { action: 'return', note: '属网格日常保洁范围，请网格员处理' });
    const afterReturn = await openLink(village.token);

    // Assess
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe('LINK.TIER_MOVED');
    expect(opened.body).toMatchObject({ officer: { name: '覃国庆' }, actions: ['accept', 'return'] });
    expect(noReason.status).toBe(422);
    expect(returned.status).toBe(200);
    expect(returned.body.report).toMatchObject({ tier: 'grid', status: 'assigned' });
    expect(afterReturn.status).toBe(409);
    const back = await smsToken(id, 3);
    expect((await openLink(back.token)).body).toMatchObject({ officer: { name: '覃宏' }, actions: ['accept'] });
    const h = await history(id);
    expect(h.timeline.find((e: { type: string }) => e.type === 'returned')).toMatchObject({
      note: '属网格日常保洁范围，请网格员处理',
      data: { from: 'village', to: 'grid' },
    });
    expect(h.report.breaches).toHaveLength(1); // the grid's lapse, not the return
  });

  it('expires at the tier’s deadline: under county supervision a reminder brings a fresh link', async () => {
    // Prepare: every tier lapses quickly, supervision reminds every 0.3 s of scaled time
    const quick = { acceptSeconds: 150, completeSeconds: 300 };
    await s.usePolicy('livelihood', 'normal', {
      grid: quick,
      village: quick,
      township: quick,
      department: quick,
      supervision: { acceptSeconds: 300, completeSeconds: 600 },
    });
    const id = await fileReport({ category: 'livelihood', title: '孤寡老人房屋漏雨' });
    for (let tierSeq = 1; tierSeq <= 4; tierSeq++) {
      await s.untilParked(id, tierSeq);
      rt.clock.advance(150 * SECOND);
    }
    const first = await smsToken(id, 5);
    const { expiresAt } = (await openLink(first.token)).body;
    rt.clock.advanceTo(expiresAt);
    await s.until(
      id,
      (h) =>
        h.report.remindersSent > 0 &&
        h.notifications.some((n: { reminder: number; status: string }) => n.reminder > 0 && n.status === 'sent'),
    );

    // Act
    const expired = await openLink(first.token);
    const latest = (await history(id)).report.remindersSent as number;
    const reminder = await smsToken(id, 5, latest);
    const fresh = await openLink(reminder.token);

    // Assess
    expect(latest).toBeGreaterThan(0);
    expect(expired.status).toBe(401);
    expect(expired.body.error.code).toBe('LINK.EXPIRED');
    expect(fresh.status).toBe(200);
    expect(fresh.body).toMatchObject({ officer: { name: '覃卫东' }, report: { tier: 'supervision' } });
    expect([...reminder.text].length).toBeLessThanOrEqual(70);
  });

  it('refuses forged, tampered and malformed tokens', async () => {
    // Prepare
    const id = await fileReport();
    const { token } = await smsToken(id, 1);
    // Each differs from the real token in one character (1 in 64 tokens starts or ends with 'A').
    const tampered = `${token.slice(0, 15)}${token.endsWith('A') ? 'B' : 'A'}`;
    const otherId = `${token.startsWith('A') ? 'B' : 'A'}${token.slice(1)}`;

    // Act + Assess
    for (const bad of [tampered, otherId, 'AAAAAAAAAAAAAAAA']) {
      const res = await actByLink(bad, { action: 'accept' });
      expect(res.status, bad).toBe(401);
      expect(res.body.error.code).toBe('LINK.INVALID');
    }
    expect((await openLink('short')).status).toBe(400);
    const noHeader = await rt.http('GET', '/api/v1/link');
    expect(noHeader.status).toBe(400);
    expect(noHeader.body.error.code).toBe('LINK.TOKEN_MISSING');
    expect((await actByLink(token, { action: 'escalate' })).status).toBe(400);
    expect((await history(id)).report.status).toBe('assigned');
  });

  it('serves the one-tap page the link opens, which never sends the token in a path', async () => {
    // Prepare: the SMS link's fragment is the token; the browser asks for /l alone
    const id = await fileReport();
    const { text } = await smsToken(id, 1);
    const link = new URL(text.slice(text.lastIndexOf('http')));

    // Act
    const page = await fetch(new URL(link.pathname, rt.url));

    // Assess
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(page.headers.get('cache-control')).toBe('no-store');
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    expect(page.headers.get('content-security-policy')).toMatch(/script-src 'sha256-[A-Za-z0-9+/]+=*'/);
    const html = await page.text();
    expect(link.pathname).toBe('/l');
    expect(link.hash).toMatch(/^#[A-Za-z0-9_-]{16}$/);
    expect(html).toContain('location.hash.slice(1)');
    expect(html).toContain("fetch('/api/v1/link'");
    expect(html).toContain("'link-token': token");
  });

  it('has no page route that takes the token in the path any more', async () => {
    // Act
    const page = await fetch(`${rt.url}/l/AbCdEfGh_-123456`);

    // Assess: the console's fallback page, not the link page
    expect(await page.text()).not.toContain("fetch('/api/v1/link'");
  });
});
