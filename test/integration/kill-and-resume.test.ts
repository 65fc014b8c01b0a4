/**
 * Nothing is lost on a crash: the server is killed with SIGKILL while reports wait at different
 * tiers and phases, and is started again on the same data directory three hours later: the second
 * process runs its clock three hours ahead (GW_CLOCK_OFFSET_SECONDS) instead of the test waiting,
 * so deadlines pass "while it was down" exactly, however busy the machine is.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type ChildServer, startChildServer } from '../support/child-server.ts';
import { eventually, FIRST_GRID, newKey, reportBody } from '../support/local-runtime.ts';

const DOWN_FOR_SECONDS = 3 * 3600;
let dataDir = '';
const servers: ChildServer[] = [];

afterAll(async () => {
  for (const s of servers) await s.kill9();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

async function call(
  server: ChildServer,
  method: string,
  path: string,
  token?: string,
  body?: unknown,
  headers: Record<string, string> = {},
) {
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: {
      ...headers,
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body ? { 'content-type': 'application/json' } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  // biome-ignore lint/suspicious/noExplicitAny: the test reads arbitrary JSON
  const json: any = await res.json();
  return { status: res.status, body: json };
}

async function login(server: ChildServer, username: string): Promise<string> {
  return (await call(server, 'POST', '/api/auth/login', undefined, { username, password: 'demo' })).body.token;
}

describe('kill -9 and restart', () => {
  it('resumes every open report from its stored tier, phase and deadline: none lost, none doubled, no SMS twice', async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'gw-crash-'));
    const env = { DATA_DIR: dataDir, SMS_PRINT: 'false' };
    const first = await startChildServer(env);
    servers.push(first);
    const worker = await login(first, 'worker1');
    const file = async (overrides: Record<string, unknown>) => {
      const res = await call(first, 'POST', '/api/v1/reports', worker, reportBody(overrides), { 'idempotency-key': newKey('crash') });
      expect(res.status).toBe(201);
      return res.body.id as string;
    };
    const get = async (server: ChildServer, id: string) => (await call(server, 'GET', `/api/v1/reports/${id}`, worker)).body;

    // Prepare: one report accepted at the grid (24 h to complete), one waiting at the grid for 签收
    // (2 h), one urgent report handed up to the village by the county admin (2 h there to accept).
    const accepted = await file({ title: '村道路灯损坏' });
    await eventually(async () => ((await get(first, accepted)).report.notifiedTierSeq === 1 ? true : undefined));
    expect((await call(first, 'POST', `/api/v1/reports/${accepted}/actions`, worker, { action: 'accept' })).status).toBe(200);
    const waiting = await file({ title: '小桥塌陷' });
    const emergency = await file({ title: '电线断落在村道上', urgency: 'urgent', category: 'safety_hazard' });
    await eventually(async () => ((await get(first, emergency)).report.notifiedTierSeq === 1 ? true : undefined));
    const admin1 = await login(first, 'admin');
    expect((await call(first, 'POST', `/api/v1/reports/${emergency}/actions`, admin1, { action: 'escalate', tier: 'grid' })).status).toBe(
      200,
    );
    await eventually(async () => {
      const h = await get(first, emergency);
      return h.report.tier === 'village' && h.report.notifiedTierSeq === 2 ? true : undefined;
    });
    await eventually(async () => ((await get(first, waiting)).report.notifiedTierSeq === 1 ? true : undefined));
    const before = {
      accepted: await get(first, accepted),
      waiting: await get(first, waiting),
      emergency: await get(first, emergency),
    };

    // Act: crash, and come back three hours later, past the waiting report's accept deadline.
    await first.kill9();
    const second = await startChildServer({ ...env, GW_CLOCK_OFFSET_SECONDS: String(DOWN_FOR_SECONDS) });
    servers.push(second);
    const worker2 = await login(second, 'worker1');
    const get2 = async (id: string) => (await call(second, 'GET', `/api/v1/reports/${id}`, worker2)).body;

    // Assess: the overdue report escalates at once (its next deadline is hours away, so nothing but
    // the resumed execution could have moved it), the accepted one keeps waiting quietly.
    const escalated = await eventually(async () => {
      const h = await get2(waiting);
      return h.report.tier === 'village' && h.report.notifiedTierSeq === 2 ? h : undefined;
    });
    const escalatedEvent = escalated.timeline.find((e: { type: string }) => e.type === 'escalated');
    expect(Date.parse(escalatedEvent.at)).toBeGreaterThan(Date.parse(before.waiting.report.acceptBy));
    expect(escalated.report.breaches).toEqual([
      expect.objectContaining({ tier: 'grid', phase: 'accept', deadline: before.waiting.report.acceptBy }),
    ]);

    const stillAccepted = await get2(accepted);
    expect(stillAccepted.report).toMatchObject({ status: 'accepted', tier: 'grid', tierSeq: 1 });
    expect(stillAccepted.timeline).toEqual(before.accepted.timeline);
    expect(stillAccepted.notifications).toEqual(before.accepted.notifications);

    const emergencyAfter = await eventually(async () => {
      const h = await get2(emergency);
      return h.report.tierSeq > before.emergency.report.tierSeq ? h : undefined;
    });
    expect(emergencyAfter.timeline.slice(0, before.emergency.timeline.length)).toEqual(before.emergency.timeline);

    const admin = await login(second, 'admin');
    const listed = await call(second, 'GET', `/api/v1/reports?node=${FIRST_GRID}&limit=100`, admin);
    expect(listed.body.items.map((r: { id: string }) => r.id).sort()).toEqual([accepted, waiting, emergency].sort());

    for (const id of [accepted, waiting, emergency]) {
      const h = await get2(id);
      const perTier = h.notifications.map(
        (n: { tierSeq: number; reminder: number; toId: string }) => `${n.tierSeq}/${n.reminder}/${n.toId}`,
      );
      expect(new Set(perTier).size, `duplicate SMS for ${id}`).toBe(perTier.length);
      const seqs = h.timeline.map((e: { seq: number }) => e.seq);
      expect(seqs).toEqual(seqs.map((_: number, i: number) => i + 1));
    }
    const smsForWaiting = escalated.notifications.map((n: { tierSeq: number; toName: string }) => [n.tierSeq, n.toName]);
    expect(smsForWaiting).toEqual([
      [1, '覃宏'],
      [2, '覃国庆'],
    ]);
  }, 90_000);
});
