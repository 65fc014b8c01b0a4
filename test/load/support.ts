/**
 * Report submissions under load, against the real server in a child process (`npm start`'s entry
 * point on loopback): a deterministic plan of submissions where every tenth one is a client's retry
 * (an earlier Idempotency-Key with the very same body), fired with autocannon, and what came back
 * per submission. The SMS outbox under DATA_DIR stands for the phones: the reconciliation counts
 * its messages and never reads their texts.
 */
import autocannon, { type Result } from 'autocannon';
import { expect } from 'vitest';
import { maskPhone } from '#core/people.ts';
import type { ChildServer } from '../support/child-server.ts';
import { eventually, FIRST_GRID, readOutbox, reportBody } from '../support/local-runtime.ts';

export interface Submission {
  index: number;
  key: string;
  /** The exact bytes sent: a retry sends its original's. */
  body: string;
  /** The submission this one retries. */
  retryOf?: number;
}

/** What one submission got back; a submission without an answer (connection lost, timed out) has none. */
export interface Answer {
  index: number;
  status: number;
  reportId?: string;
  replayed: boolean;
  errorCode?: string;
  retryAfter?: string;
}

/**
 * `count` submissions, every tenth a retry of one of the 100 fresh ones before it: some of those
 * are answered by then, some still in flight, as when a phone gives up waiting and sends again.
 */
export function submissionPlan(count: number, keyPrefix: string): Submission[] {
  const plan: Submission[] = [];
  const fresh: Submission[] = [];
  for (let index = 0; index < count; index++) {
    if (index % 10 === 9) {
      // 4 to 94 fresh submissions back, ten distances in turn: within 50 often still in flight.
      const back = 1 + ((index * 37) % Math.min(100, fresh.length));
      const original = fresh[fresh.length - back]!;
      plan.push({ index, key: original.key, body: original.body, retryOf: original.index });
      continue;
    }
    const submission = {
      index,
      key: `${keyPrefix}-${index}`,
      body: JSON.stringify(
        reportBody({
          title: `台风过境第${index}处险情`,
          location: { lat: 23.96 + (index % 1000) * 0.001, lng: 109.69 + Math.floor(index / 1000) * 0.001 },
        }),
      ),
    };
    plan.push(submission);
    fresh.push(submission);
  }
  return plan;
}

export interface LoadRun {
  /** Submissions written to a connection (a lost connection's next one too). */
  sent: Set<number>;
  answers: Answer[];
  result: Result;
  seconds: number;
}

/**
 * Sends each submission of `plan` once, `connections` at a time, and records every answer. A
 * submission whose connection dies before its answer stays unanswered; autocannon goes on with the
 * next one on a new connection, so a server that is gone uses the rest of the plan up quickly.
 */
export async function fireSubmissions(
  server: ChildServer,
  token: string,
  plan: Submission[],
  options: { connections?: number; onAnswer?: (answered: number) => void } = {},
): Promise<LoadRun> {
  const sent = new Set<number>();
  const answers: Answer[] = [];
  let next = 0;
  const started = Date.now();
  const result = await autocannon({
    url: server.url,
    connections: Math.min(options.connections ?? 50, plan.length),
    amount: plan.length,
    // A request is given up (and its connection reopened) only after this long: a busy machine is slow, not down.
    timeout: 120,
    requests: [
      {
        method: 'POST',
        path: '/api/v1/reports',
        setupRequest: (request, context) => {
          // autocannon builds exactly `amount` requests; were it ever one more, that one is one more retry.
          const submission = plan[next++ % plan.length]!;
          context.index = submission.index;
          sent.add(submission.index);
          return {
            ...request,
            headers: {
              ...request.headers,
              authorization: `Bearer ${token}`,
              'content-type': 'application/json',
              'idempotency-key': submission.key,
            },
            body: submission.body,
          };
        },
        onResponse: (status, body, context, headers) => {
          // biome-ignore lint/suspicious/noExplicitAny: the answer is checked field by field below
          let parsed: any;
          try {
            parsed = JSON.parse(body);
          } catch {
            parsed = undefined;
          }
          answers.push({
            index: context.index as number,
            status,
            reportId: typeof parsed?.id === 'string' ? parsed.id : undefined,
            replayed: headers['idempotent-replayed'] === 'true',
            errorCode: parsed?.error?.code,
            retryAfter: headers['retry-after'],
          });
          options.onAnswer?.(answers.length);
        },
      },
    ],
  });
  return { sent, answers, result, seconds: (Date.now() - started) / 1000 };
}

/**
 * What a phone does with what it sent: every submission without a 2xx answer yet (its connection
 * lost, or a 429) is sent again with the same key and body, after the longest Retry-After asked
 * for, until each has one or `rounds` resends are spent. Returns the answers of the resends.
 */
export async function resendUntilAnswered(
  server: ChildServer,
  token: string,
  plan: Submission[],
  earlier: readonly Answer[],
  rounds = 5,
): Promise<{ answers: Answer[]; runs: LoadRun[] }> {
  const answers: Answer[] = [];
  const runs: LoadRun[] = [];
  for (let round = 0; round < rounds; round++) {
    const all = [...earlier, ...answers];
    const pending = unanswered(plan, all);
    if (pending.length === 0) break;
    const pendingIndexes = new Set(pending.map((s) => s.index));
    const throttled = all.filter((a) => a.status === 429 && pendingIndexes.has(a.index));
    const waitSeconds = Math.max(0, ...throttled.map((a) => Number(a.retryAfter ?? 1)));
    // The server asked for this pause (Retry-After); nothing here waits for a state.
    if (waitSeconds > 0) await new Promise((resolve) => setTimeout(resolve, waitSeconds * 1000));
    const run = await fireSubmissions(server, token, pending);
    runs.push(run);
    answers.push(...run.answers);
  }
  return { answers, runs };
}

/** The submissions of `plan` that never got a 2xx answer. */
export function unanswered(plan: readonly Submission[], answers: readonly Answer[]): Submission[] {
  const answered = new Set(answers.filter((a) => a.status >= 200 && a.status < 300).map((a) => a.index));
  return plan.filter((s) => !answered.has(s.index));
}

/** Every SMS the phones received, as report id and number (texts are the recipients' alone). */
export async function outboxMessages(dataDir: string): Promise<{ reportId: string; to: string }[]> {
  return (await readOutbox(dataDir)).map(({ reportId, to }) => ({ reportId, to }));
}

export async function call(server: ChildServer, method: string, path: string, token?: string, body?: unknown) {
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body ? { 'content-type': 'application/json' } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON
  const json: any = await res.json();
  return { status: res.status, body: json };
}

export async function login(server: ChildServer, username: string): Promise<string> {
  const res = await call(server, 'POST', '/api/auth/login', undefined, { username, password: 'demo' });
  if (res.status !== 200) throw new Error(`login ${username}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.token;
}

export interface ListedReport {
  id: string;
  status: string;
  tier: string;
  tierSeq: number;
  notifiedTierSeq?: number;
  assignees: { id: string }[];
}

/** Every report filed under the first grid, page by page (100 a page, newest first). */
export async function reportsOfFirstGrid(server: ChildServer, adminToken: string): Promise<ListedReport[]> {
  const all: ListedReport[] = [];
  let cursor: string | undefined;
  do {
    const query = `node=${FIRST_GRID}&limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const page = await call(server, 'GET', `/api/v1/reports?${query}`, adminToken);
    if (page.status !== 200) throw new Error(`listing: ${page.status} ${JSON.stringify(page.body)}`);
    all.push(...page.body.items);
    cursor = page.body.nextCursor ?? undefined;
  } while (cursor);
  return all;
}

/** The full number of a person, as a county admin reads it in the people directory. */
export async function phoneOf(server: ChildServer, adminToken: string, personId: string): Promise<string> {
  const res = await call(server, 'GET', `/api/v1/people/${personId}`, adminToken);
  if (res.status !== 200) throw new Error(`person ${personId}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.person.phone;
}

/**
 * The reports the outbox holds no SMS for, each checked to have its grid worker's SMS claimed and
 * never finished ('sending'): the process died between the claim and the send. An SMS is sent at
 * most once, so such a claim is not sent again after the restart (the officer misses one text; the
 * escalation still runs on its deadlines). Anything else without an SMS fails the check.
 */
export async function claimedWhenKilled(server: ChildServer, adminToken: string, dataDir: string, reportIds: ReadonlySet<string>) {
  const texted = new Set((await outboxMessages(dataDir)).map((m) => m.reportId));
  const claimed = new Set<string>();
  for (const id of [...reportIds].filter((r) => !texted.has(r))) {
    const res = await call(server, 'GET', `/api/v1/reports/${id}`, adminToken);
    const sms = (res.body.notifications ?? []) as { toId: string; status: string }[];
    if (sms.length === 1 && sms[0]?.toId === 'p-worker-1' && sms[0].status === 'sending') claimed.add(id);
  }
  return claimed;
}

/** Requests per second and latency of a run, for the console (not asserted). */
export function describeRun(label: string, run: LoadRun): string {
  const { result } = run;
  const perSecond = run.answers.length / run.seconds;
  return (
    `${label}: ${run.answers.length} answered of ${run.sent.size} sent in ${run.seconds.toFixed(1)} s, ` +
    `${perSecond.toFixed(1)} req/s, latency p50 ${result.latency.p50} ms p99 ${result.latency.p99} ms max ${result.latency.max} ms, ` +
    `errors ${result.errors} (timeouts ${result.timeouts})`
  );
}

export interface Reconciled {
  listed: ListedReport[];
  outbox: { reportId: string; to: string }[];
  /** How long the engine took to catch up after the last answer. */
  catchUpSeconds: number;
}

/**
 * Waits, bounded, until every listed report reached "SMS sent, waiting for 签收" at its first
 * tier (notified there), and returns the listing with the phones' outbox as it is then. A tier is
 * marked notified only after its SMS went to the provider, so by then the outbox holds what it
 * ever will for that tier. The engine runs behind intake under load: this is a state to wait on,
 * not a moment to look at. The caller asserts on what it returns.
 */
export async function untilEveryEscalationRuns(
  server: ChildServer,
  adminToken: string,
  dataDir: string,
  expected: number,
  withinMs: number,
): Promise<Reconciled> {
  const started = Date.now();
  const listed = await eventually(
    async () => {
      const reports = await reportsOfFirstGrid(server, adminToken);
      if (reports.length < expected) throw new Error(`${reports.length} of ${expected} reports listed`);
      const behind = reports.filter((r) => r.notifiedTierSeq !== 1);
      if (behind.length > 0) throw new Error(`${behind.length} report(s) not notified yet, e.g. ${behind[0]?.id} ${behind[0]?.status}`);
      return reports;
    },
    withinMs,
    // Each look reads the whole listing (a hundred pages for 10,000): often enough, not a load of its own.
    10_000,
  );
  return { listed, outbox: await outboxMessages(dataDir), catchUpSeconds: (Date.now() - started) / 1000 };
}

/**
 * Every submission got a 2xx in the end, and nothing but what the contract allows for a report
 * submission under load: 201, 200 (a replay, header idempotent-replayed) or a 429 with Retry-After.
 */
export function expectAnsweredWithinContract(plan: readonly Submission[], answers: readonly Answer[]): void {
  expect(unanswered(plan, answers).map((s) => s.index)).toEqual([]);
  const serverErrors = answers.filter((a) => a.status >= 500);
  expect(serverErrors.length, `5xx: ${JSON.stringify(serverErrors.slice(0, 5))}`).toBe(0);
  const refused = answers.filter((a) => a.status !== 201 && a.status !== 200 && !(a.status === 429 && a.retryAfter));
  expect(refused.slice(0, 5)).toEqual([]);
  expect(answers.filter((a) => a.status === 200 && !a.replayed).slice(0, 5)).toEqual([]);
}

/**
 * The report each key's answers name: one and the same for every answer to a key, retries
 * included. `created` counts its 201s.
 */
export function reportsByKey(plan: readonly Submission[], answers: readonly Answer[]): Map<string, { reportId: string; created: number }> {
  const byKey = new Map<string, { ids: Set<string | undefined>; created: number }>();
  for (const answer of answers.filter((a) => a.status === 200 || a.status === 201)) {
    const key = plan[answer.index]!.key;
    const tally = byKey.get(key) ?? { ids: new Set(), created: 0 };
    tally.ids.add(answer.reportId);
    if (answer.status === 201) tally.created++;
    byKey.set(key, tally);
  }
  expect(byKey.size).toBe(new Set(plan.map((s) => s.key)).size);
  const mixed = [...byKey].filter(([, t]) => t.ids.size !== 1 || [...t.ids][0] === undefined);
  expect(mixed.slice(0, 5).map(([key, t]) => ({ key, ids: [...t.ids] }))).toEqual([]);
  return new Map([...byKey].map(([key, t]) => [key, { reportId: [...t.ids][0] as string, created: t.created }]));
}

/**
 * The store holds exactly `reportIds`, each assigned to the grid worker at its first tier and
 * notified there, and the outbox exactly one SMS per report, to the grid worker. Every report is
 * still at its first tier (its deadlines are hours away), so one report and recipient is one tier
 * and recipient: a count of 2 is an SMS sent twice for one tier.
 */
export function expectEveryEscalationRunning(
  reconciled: Reconciled,
  reportIds: ReadonlySet<string>,
  workerPhone: string,
  /** Reports whose SMS was claimed when the process died (kill -9): at most once means not sent again. */
  claimedWhenKilled: ReadonlySet<string> = new Set(),
): void {
  const { listed, outbox } = reconciled;
  expect(listed.length).toBe(reportIds.size);
  expect(new Set(listed.map((r) => r.id))).toEqual(reportIds);
  const notRunning = listed.filter(
    (r) =>
      r.status !== 'assigned' ||
      r.tier !== 'grid' ||
      r.tierSeq !== 1 ||
      r.notifiedTierSeq !== 1 ||
      r.assignees.map((a) => a.id).join() !== 'p-worker-1',
  );
  expect(notRunning.slice(0, 5)).toEqual([]);
  // Recipients by role, so a failure prints no number.
  const counts = new Map<string, number>();
  for (const m of outbox) {
    const key = `${m.reportId} → ${m.to === workerPhone ? 'grid worker' : maskPhone(m.to)}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const texted = new Set([...reportIds].filter((id) => !claimedWhenKilled.has(id)));
  expect(new Set(outbox.map((m) => m.reportId))).toEqual(texted);
  expect(counts.size).toBe(texted.size);
  expect([...counts].filter(([key, count]) => count !== 1 || !key.endsWith('→ grid worker')).slice(0, 5)).toEqual([]);
}
