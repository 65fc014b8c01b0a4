/**
 * Starts the real embedded runtime (dynalite, the ASL interpreter, the HTTP server) on a fresh
 * data directory and a free port, and gives tests a small HTTP client for it.
 *
 * Time is a ManualClock by default: nothing is due until a test moves the clock (`rt.clock.advance`)
 * and then waits for the state the deadline leads to, so no test races the scheduler on a busy
 * machine. The SMS outbox stands for the recipients' phones (`rt.inbox`): the only place a test
 * may read an SMS link from, as in production only the officer's phone holds it.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '#adapters/clock/clocks.ts';
import type { SmsFailFor } from '#adapters/sms-outbox/outbox-sms-sender.ts';
import { type LocalRuntime, startLocalRuntime } from '#local/runtime.ts';
import type { ServerLimits } from '#local/server.ts';
import { loadConfig } from '#wiring/config.ts';

/** Monday 2 November 2026, 09:00 in Beijing: the default start of every test clock. */
export const TEST_EPOCH = '2026-11-02T01:00:00.000Z';

/** One SMS as the recipient's phone received it (the local outbox). */
export interface ReceivedSms {
  id: string;
  at: string;
  to: string;
  text: string;
  reportId: string;
}

export interface TestRuntime {
  runtime: LocalRuntime;
  url: string;
  dataDir: string;
  /** The runtime's clock: advance it to make deadlines pass. */
  clock: ManualClock;
  /** Every SMS received so far, oldest first, optionally only those to one number or about one report. */
  inbox: (filter?: { to?: string; reportId?: string }) => Promise<ReceivedSms[]>;
  /** States entered, per report, in order. */
  states: Map<string, string[]>;
  http: (method: string, path: string, opts?: RequestOptions) => Promise<HttpResult>;
  login: (username: string) => Promise<string>;
  stop: () => Promise<void>;
}

export interface RequestOptions {
  token?: string;
  body?: unknown;
  rawBody?: string | Buffer;
  headers?: Record<string, string>;
}

export interface HttpResult {
  status: number;
  headers: Headers;
  /** The body as it arrived, before parsing (what a browser would see). */
  text: string;
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON
  body: any;
}

export async function startTestRuntime(
  env: Record<string, string> = {},
  opts: {
    smsFailFor?: SmsFailFor;
    clock?: ManualClock;
    /** Receives the runtime's log lines (silent by default). */
    log?: (message: string) => void;
    serverLimits?: Partial<ServerLimits>;
    /** Puts a proxy in front of the embedded DynamoDB (support/throttling-proxy.ts); the caller closes it after `stop`. */
    dynamoEndpointFor?: (endpoint: string) => Promise<string>;
  } = {},
): Promise<TestRuntime> {
  const dataDir = await mkdtemp(join(tmpdir(), 'gw-test-'));
  const states = new Map<string, string[]>();
  const clock = opts.clock ?? new ManualClock(TEST_EPOCH);
  // A day-long token: tests that move the clock by more sign in again (see `login`).
  const config = loadConfig({ PORT: '0', DATA_DIR: dataDir, TIME_SCALE: '1', SMS_PRINT: 'false', TOKEN_TTL_SECONDS: '86400', ...env });
  const runtime = await startLocalRuntime(config, {
    log: opts.log ?? (() => undefined),
    serverLimits: opts.serverLimits,
    clock,
    scheduler: clock,
    // Retry backoff is not a deadline: on a manual clock it would only slow the tests down.
    retryIntervalDivisor: 1000,
    smsFailFor: opts.smsFailFor,
    dynamoEndpointFor: opts.dynamoEndpointFor,
    onStateEntered: (id, state) => {
      const list = states.get(id) ?? [];
      list.push(state);
      states.set(id, list);
    },
  });
  const received: { request: string; text: string }[] = [];
  const http = async (method: string, path: string, o: RequestOptions = {}): Promise<HttpResult> => {
    const headers: Record<string, string> = { ...(o.headers ?? {}) };
    if (o.token) headers.authorization = `Bearer ${o.token}`;
    let body: string | Buffer | undefined;
    if (o.rawBody !== undefined) body = o.rawBody;
    else if (o.body !== undefined) {
      body = JSON.stringify(o.body);
      headers['content-type'] ??= 'application/json';
    }
    const res = await fetch(`${runtime.url}${path}`, { method, headers, body });
    const text = await res.text();
    received.push({ request: `${method} ${path}`, text });
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON: keep the text so the assertion shows it
    }
    return { status: res.status, headers: res.headers, text, body: parsed };
  };
  const tokens = new Map<string, { token: string; expiresAt: number }>();
  const login = async (username: string) => {
    const cached = tokens.get(username);
    // Tokens expire on the runtime's clock, which tests move: sign in again once it has passed.
    if (cached && cached.expiresAt - 60_000 > clock.now().getTime()) return cached.token;
    const res = await http('POST', '/api/auth/login', { body: { username, password: 'demo' } });
    if (res.status !== 200) throw new Error(`login ${username} failed: ${JSON.stringify(res.body)}`);
    tokens.set(username, { token: res.body.token, expiresAt: Date.parse(res.body.expiresAt) });
    return res.body.token as string;
  };
  const inbox = async (filter: { to?: string; reportId?: string } = {}): Promise<ReceivedSms[]> =>
    (await readOutbox(dataDir)).filter(
      (m) => (filter.to === undefined || m.to === filter.to) && (filter.reportId === undefined || m.reportId === filter.reportId),
    );
  return {
    runtime,
    url: runtime.url,
    dataDir,
    clock,
    inbox,
    states,
    http,
    login,
    stop: async () => {
      const leaks = findCredentialLeaks(received, await inbox());
      await runtime.stop();
      await rm(dataDir, { recursive: true, force: true });
      if (leaks.length > 0) throw new Error(`credentials leaked in responses:\n${leaks.join('\n')}`);
    },
  };
}

/** Every SMS the local outbox under `dataDir` holds, oldest first (a server in a child process writes it too). */
export async function readOutbox(dataDir: string): Promise<ReceivedSms[]> {
  let text = '';
  try {
    text = await readFile(join(dataDir, 'sms-outbox.jsonl'), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as ReceivedSms);
}

/**
 * The SMS link is its recipient's credential and a signed upload link its uploader's: every body
 * the suite received through `rt.http` is checked, when the runtime stops, for any link token that
 * reached a phone (and anything shaped like one), and for signed upload links in any response but
 * the uploader's own POST /api/v1/photos (JSON bodies write `&` as \u0026, so that spelling counts too).
 */
export function findCredentialLeaks(received: { request: string; text: string }[], sent: ReceivedSms[]): string[] {
  const live = new Set(sent.map((m) => linkTokenIn(m.text)).filter((t): t is string => t !== undefined));
  const leaks: string[] = [];
  for (const { request, text } of received) {
    for (const token of live) if (text.includes(token)) leaks.push(`${request}: a live SMS link token (${token.slice(0, 4)}…)`);
    if (/\/l[#/][A-Za-z0-9_-]{16}(?![A-Za-z0-9_-])/.test(text)) leaks.push(`${request}: an SMS link`);
    if (request !== 'POST /api/v1/photos' && /(?:[?&]|\\u0026)(signature|X-Amz-Signature)=/.test(text))
      leaks.push(`${request}: a signed upload link`);
  }
  return leaks;
}

/** Polls until `check` returns a value (not undefined), or fails with the last thing seen. */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 30_000, everyMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** The 16-character SMS link token at the end of an SMS text (…/l#<token>), as the recipient's phone shows it. */
export function linkTokenIn(text: string): string | undefined {
  return /\/l#([A-Za-z0-9_-]{16})$/.exec(text)?.[1];
}

export const FIRST_GRID = '451322201001001';
export const SECOND_GRID = '451322201001002';

let keyCounter = 0;
export function newKey(prefix = 'key'): string {
  keyCounter++;
  return `${prefix}-${process.pid}-${Date.now()}-${keyCounter}`;
}

export function reportBody(overrides: Record<string, unknown> = {}) {
  return {
    gridCode: FIRST_GRID,
    category: 'infrastructure',
    title: '大中塘村村道小桥塌陷',
    description: '村道上的小桥塌陷，影响群众出行，请尽快处理。',
    location: { lat: 23.96, lng: 109.69, address: '百丈乡那沙村大中塘屯' },
    ...overrides,
  };
}

/** The demo county's username of a person id (p-village-1 → village1, p-county-admin → admin). */
export function usernameOf(personId: string): string {
  if (personId === 'p-county-admin') return 'admin';
  const match = /^p-(worker|village|township)-(\d+)$/.exec(personId);
  if (!match) throw new Error(`no demo username for ${personId}`);
  return `${match[1]}${match[2]}`;
}

/** Shorthands every scenario needs: file as a worker, read as an admin, wait for a state, set a policy. */
export function scenario(rt: TestRuntime) {
  const history = async (id: string, as = 'admin') => {
    const res = await rt.http('GET', `/api/v1/reports/${id}`, { token: await rt.login(as) });
    if (res.status !== 200) throw new Error(`GET ${id} as ${as}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };
  const api = {
    history,
    /** Files a report as a grid worker (worker1 by default) and returns its id. */
    file: async (body: Record<string, unknown> = {}, username = 'worker1'): Promise<string> => {
      const res = await rt.http('POST', '/api/v1/reports', {
        token: await rt.login(username),
        body: reportBody(body),
        headers: { 'idempotency-key': newKey('file') },
      });
      if (res.status !== 201) throw new Error(`filing failed: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body.id as string;
    },
    /** Files a report (as worker1) and has worker1 accept and resolve it at the grid, each after the workflow waits for it. */
    resolvedAtGrid: async (body: Record<string, unknown> = {}, note = '已修复'): Promise<string> => {
      const id = await api.file(body);
      await api.untilParked(id, 1);
      const accepted = await api.act(id, 'worker1', { action: 'accept' });
      if (accepted.status !== 200) throw new Error(`accept of ${id}: ${accepted.status} ${JSON.stringify(accepted.body)}`);
      await api.untilParked(id, 1, 'complete');
      const resolved = await api.act(id, 'worker1', { action: 'resolve', note });
      if (resolved.status !== 200) throw new Error(`resolve of ${id}: ${resolved.status} ${JSON.stringify(resolved.body)}`);
      return id;
    },
    act: async (id: string, username: string, body: Record<string, unknown>) =>
      rt.http('POST', `/api/v1/reports/${id}/actions`, { token: await rt.login(username), body }),
    /** Waits (on the real engines, not on a time) until the report's history satisfies `check`. */
    // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON
    until: (id: string, check: (h: any) => boolean, as = 'admin') =>
      eventually(async () => {
        const h = await history(id, as);
        return check(h) ? h : undefined;
      }),
    /**
     * Waits until the tier with this tierSeq has been texted and the workflow waits on it (in the
     * given phase: after an accept, moving the clock before it parks for 办结 would skip that wait).
     */
    untilParked: (id: string, tierSeq: number, phase: 'accept' | 'complete' = 'accept') =>
      eventually(async () => {
        const stored = await rt.runtime.container.deps.reports.get(id);
        const parked =
          stored?.tierSeq === tierSeq &&
          stored.notifiedTierSeq === tierSeq &&
          stored.waiting?.tierSeq === tierSeq &&
          stored.waiting.phase === phase;
        return parked ? stored : undefined;
      }),
    /**
     * The return visit (回访) of a resolved report: waits until its visitor is chosen and texted,
     * signs in as that visitor (demo usernames follow the person ids) and records the answer.
     */
    visit: async (id: string, satisfied = true, note = satisfied ? '群众满意' : '群众不满意') => {
      // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON
      const h: any = await eventually(async () => {
        const read = await history(id);
        return read.report.status === 'resolved' && read.report.visit?.tierSeq === read.report.tierSeq ? read : undefined;
      });
      const visitor = h.report.visit.visitors[0] as { id: string };
      const res = await rt.http('POST', `/api/v1/reports/${id}/actions`, {
        token: await rt.login(usernameOf(visitor.id)),
        body: { action: 'review', satisfied, note },
      });
      if (res.status !== 200) throw new Error(`review of ${id} by ${visitor.id}: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body;
    },
    /** Installs a policy for one category × urgency; tiers not given get a month, so they never lapse in a test. */
    usePolicy: async (
      category: string,
      urgency: 'normal' | 'urgent' | 'emergency',
      tiers: Partial<
        Record<'grid' | 'village' | 'township' | 'department' | 'supervision', { acceptSeconds: number; completeSeconds: number }>
      >,
      /** E.g. `reminderFractions: []` for a policy without 催办, `visitSeconds` for the 回访 deadline. */
      extra: { reminderFractions?: number[]; visitSeconds?: number } = {},
    ) => {
      const month = { acceptSeconds: 30 * 86_400, completeSeconds: 31 * 86_400 };
      await rt.runtime.container.directory.putPolicy({
        category,
        urgency,
        tiers: {
          grid: tiers.grid ?? month,
          village: tiers.village ?? month,
          township: tiers.township ?? month,
          department: tiers.department ?? month,
          supervision: tiers.supervision ?? month,
        },
        ...extra,
      });
    },
  };
  return api;
}
