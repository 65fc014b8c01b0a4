/**
 * The SMS log (GET /api/v1/sms) on the real engines: every SMS sent for the reports of an admin's
 * subtree, newest first, paged, with its status and report; numbers masked but the reader's own,
 * links always; a failing provider's SMS found by status; older SMS items (claimed before the log
 * existed) not listed.
 */
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '#wiring/config.ts';
import { scenario, startTestRuntime, type TestRuntime } from '../support/local-runtime.ts';
import { revealed } from '../support/matrix.ts';

let rt: TestRuntime;
let s: ReturnType<typeof scenario>;
/** 覃宏's report in 那沙村第一网格 (百丈乡), escalated once to 那沙村's secretary 覃国庆. */
let nasha = '';
/** 陆海军's report in 石龙社区第一网格 (石龙镇): its SMS failed (the provider refuses his number). */
let shilong = '';

const SECOND = 1000;
const WORKER1 = '+8613877200301';
const WORKER7 = '+8613877200307';

type Entry = {
  at: string;
  to: string;
  toName: string;
  text: string;
  status: string;
  attempts: number;
  error?: string;
  report: { id: string; title: string; tier: string };
};

async function smsLog(as: string, query = ''): Promise<{ status: number; items: Entry[]; nextCursor: string | null; body: unknown }> {
  const res = await rt.http('GET', `/api/v1/sms${query}`, { token: await rt.login(as) });
  return { status: res.status, items: res.body.items ?? [], nextCursor: res.body.nextCursor ?? null, body: res.body };
}

beforeAll(async () => {
  rt = await startTestRuntime({}, { smsFailFor: (to) => to === WORKER7 });
  s = scenario(rt);
  // No 催办 before the deadlines: the log below holds the assignment SMS (and their retries) alone.
  await s.usePolicy('infrastructure', 'normal', { grid: { acceptSeconds: 100, completeSeconds: 200 } }, { reminderFractions: [] });
  nasha = await s.file({ title: '那沙村小桥塌陷' });
  await s.untilParked(nasha, 1);
  rt.clock.advance(100 * SECOND);
  await s.untilParked(nasha, 2);
  // A second on, so 陆海军's SMS is strictly newer than 覃国庆's: SMS of the same instant are
  // ordered by report id (random), and the newest-first order below would hold only by chance.
  rt.clock.advance(SECOND);
  shilong = await s.file({ gridCode: '451322101001001', title: '石龙社区路灯损坏', location: undefined }, 'worker7');
  await s.until(shilong, (h) => h.timeline.some((e: { type: string }) => e.type === 'sms_failed'));
  await s.untilParked(shilong, 1);
  // A minute on, the failed SMS is tried again (and fails again): its record counts both tries.
  rt.clock.advance(60 * SECOND);
  await s.until(shilong, (h) => h.notifications[0]?.attempts === 2 && h.notifications[0]?.status === 'failed');
}, 60_000);
afterAll(async () => rt?.stop());

describe('the SMS log', () => {
  it('lists the county’s SMS newest first, each with its report, status, masked number and masked link', async () => {
    // Act
    const { status, items, body } = await smsLog('admin');

    // Assess
    expect(status).toBe(200);
    expect(items.map((i) => [i.report.id, i.toName])).toEqual([
      [shilong, '陆海军'],
      [nasha, '覃国庆'],
      [nasha, '覃宏'],
    ]);
    expect(items.map((i) => i.at)).toEqual(
      items
        .map((i) => i.at)
        .sort()
        .reverse(),
    );
    expect(items[2]).toMatchObject({
      to: '+86 138****0301',
      status: 'sent',
      attempts: 1,
      report: { id: nasha, title: '那沙村小桥塌陷', tier: 'grid' },
    });
    expect(items[1]?.report.tier).toBe('village');
    expect(items.every((i) => i.text.includes('/l/••••'))).toBe(true);
    expect(await revealed(rt, 'admin', body)).toEqual([]);
    expect(JSON.stringify(body)).not.toMatch(/GSI2|smsPath|smsTier|reportTitle/);
  });

  it('keeps the SMS records of a report as they were: no log keys in its notifications', async () => {
    // Act
    const detail = await s.history(nasha);

    // Assess
    expect(detail.notifications).toHaveLength(2);
    expect(JSON.stringify(detail.notifications)).not.toMatch(/GSI2|smsPath|smsTier|reportTitle/);
  });

  it('shows a reader their own number in full and everyone else’s masked', async () => {
    // Act
    const { items } = await smsLog('village1');

    // Assess
    expect(items.map((i) => [i.toName, i.to])).toEqual([
      ['覃国庆', '+8613877200201'],
      ['覃宏', '+86 138****0301'],
    ]);
  });

  it('keeps to a subtree: a township admin sees their township’s, a node narrows the county’s', async () => {
    // Act
    const baizhang = await smsLog('township1');
    const shilongTownship = await smsLog('township2');
    const narrowed = await smsLog('admin', '?node=451322101');
    const grid = await smsLog('admin', '?node=451322201001001');

    // Assess
    expect(new Set(baizhang.items.map((i) => i.report.id))).toEqual(new Set([nasha]));
    expect(shilongTownship.items.map((i) => i.report.id)).toEqual([shilong]);
    expect(narrowed.items.map((i) => i.report.id)).toEqual([shilong]);
    expect(grid.items).toHaveLength(2);
  });

  it('finds a failing provider’s SMS by status, with its attempts and the error masked', async () => {
    // Act
    const failed = await smsLog('admin', '?status=failed');
    const sent = await smsLog('admin', '?status=sent');

    // Assess
    expect(failed.items).toHaveLength(1);
    expect(failed.items[0]).toMatchObject({ toName: '陆海军', to: '+86 138****0307', status: 'failed' });
    expect(failed.items[0]?.attempts).toBeGreaterThan(1);
    expect(failed.items[0]?.error).toBeTruthy();
    expect(failed.items[0]?.error).not.toContain(WORKER7.slice(3));
    expect(sent.items.every((i) => i.status === 'sent')).toBe(true);
    expect(sent.items).toHaveLength(2);
  });

  it('pages with a cursor: every SMS once, in order', async () => {
    // Prepare
    const all = (await smsLog('admin')).items;
    const seen: Entry[] = [];
    let cursor: string | null = null;
    let pages = 0;

    // Act
    do {
      const page = await smsLog('admin', `?limit=1${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.status).toBe(200);
      seen.push(...page.items);
      cursor = page.nextCursor;
      pages++;
    } while (cursor && pages < 10);

    // Assess
    expect(seen.map((i) => `${i.report.id}/${i.toName}`)).toEqual(all.map((i) => `${i.report.id}/${i.toName}`));
  });

  it('refuses a forged cursor, one from another county’s log, an unknown node and a node outside the scope', async () => {
    // Prepare
    const otherCounty = Buffer.from(
      JSON.stringify({ PK: `REPORT#${nasha}`, SK: 'SMS#x', GSI2PK: 'SMS#451321', GSI2SK: '2026-11-02T01:00:00.000Z#x#y' }),
    ).toString('base64url');

    // Act
    const forged = await smsLog('admin', '?cursor=eyJmb28iOjF9');
    const elsewhere = await smsLog('admin', `?cursor=${otherCounty}`);
    const unknown = await smsLog('admin', '?node=451322999');
    const outside = await smsLog('township1', '?node=451322101');

    // Assess
    expect([forged.status, elsewhere.status, unknown.status, outside.status]).toEqual([400, 400, 404, 403]);
  });

  it('is the admins’: grid workers and department officers are refused', async () => {
    // Act
    const worker = await smsLog('worker1');
    const officer = await smsLog('dept4');

    // Assess
    expect([worker.status, officer.status]).toEqual([403, 403]);
    expect(worker.body).toMatchObject({ error: { code: 'SMS.ADMINS_ONLY' } });
  });

  it('leaves out SMS claimed before the log existed (no log keys): they stay on their report', async () => {
    // Prepare: an SMS item as claimSms wrote it before, without the log's keys
    await rt.runtime.container.db.send(
      new PutCommand({
        TableName: loadConfig({}).TABLE_NAME,
        Item: {
          PK: `REPORT#${nasha}`,
          SK: 'SMS#000#000#p-legacy',
          reportId: nasha,
          key: '000#000#p-legacy',
          tierSeq: 0,
          reminder: 0,
          toId: 'p-legacy',
          toName: '旧记录',
          to: WORKER1,
          text: '【网格吹哨】旧记录',
          status: 'sent',
          attempts: 1,
          at: '2026-11-03T00:00:00.000Z',
        },
      }),
    );

    // Act
    const { items } = await smsLog('admin');
    const detail = await s.history(nasha);

    // Assess
    expect(items.map((i) => i.toName)).not.toContain('旧记录');
    expect(detail.notifications.map((n: { toName: string }) => n.toName)).toContain('旧记录');
  });
});
