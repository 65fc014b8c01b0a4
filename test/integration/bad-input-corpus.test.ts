/**
 * The bad-input corpus (test/fixtures/bad-input/*.json) against the real engines: every case gets
 * the 4xx of API.md in its error shape and stores nothing (the whole table, the SMS outbox and the
 * workflows are the same before and after it), and the server is healthy and files reports after
 * all of them. The cases that need state (a report waiting for 签收, a grid retired under a report
 * mid-escalation) find it made in beforeAll, through the API, before anything is measured.
 */
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '#wiring/config.ts';
import { expectError } from '../support/api-error.ts';
import { type CorpusCase, loadCorpus, requestOf } from '../support/bad-input-corpus.ts';
import { eventually, type HttpResult, newKey, scenario, startTestRuntime, type TestRuntime } from '../support/local-runtime.ts';

const CASES = loadCorpus();

/** 百丈村's first grid, retired into its second while a report filed there waits for 签收. */
const RETIRED_GRID = '451322201002001';
const MERGED_INTO = '451322201002002';

let rt: TestRuntime;
const tokens = new Map<string, string>();
const values: Record<string, string> = { open311Key: 'demo-open311-worker1-key', retiredGrid: RETIRED_GRID, mergedInto: MERGED_INTO };

beforeAll(async () => {
  rt = await startTestRuntime();
  const s = scenario(rt);
  // Sign-ins write sessions, so everyone signs in before anything is measured.
  const people = new Set(['worker1', 'worker4', 'village2', ...CASES.map((c) => c.who)]);
  for (const who of people) if (who !== 'anonymous' && who !== 'open311-key') tokens.set(who, await rt.login(who));

  values.openReport = await s.file();
  values.otherReport = await s.file({ title: '那沙村水渠堵塞', category: 'environment' });
  values.retiredReport = await s.file({ gridCode: RETIRED_GRID, location: { lat: 23.95, lng: 109.7 } }, 'worker4');
  for (const id of [values.openReport, values.otherReport, values.retiredReport]) await s.untilParked(id, 1);

  const retired = await rt.http('POST', `/api/v1/tree/${RETIRED_GRID}/retire`, {
    token: tokens.get('village2'),
    body: { mergeInto: MERGED_INTO },
  });
  expect(retired.status, JSON.stringify(retired.body)).toBe(200);
  // The report was re-filed under the sibling and handed to its officers: measured once that settled.
  await s.until(values.retiredReport, (h) => h.report.gridCode === MERGED_INTO);
  await s.untilParked(values.retiredReport, (await rt.runtime.container.deps.reports.get(values.retiredReport))?.tierSeq ?? 0);
});
afterAll(async () => rt?.stop());

/** A stored value as stable text: sets (DynamoDB string sets) as sorted lists, keys in order. */
function stable(value: unknown): string {
  return JSON.stringify(value, (_key, v) => {
    if (v instanceof Set) return [...v].sort();
    if (v && typeof v === 'object' && !Array.isArray(v))
      return Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b)));
    return v;
  });
}

interface Snapshot {
  items: Map<string, string>;
  sms: number;
  states: Map<string, number>;
}

/** Everything a request could have stored: every item of the table, the SMS outbox, the workflows' states. */
async function snapshot(): Promise<Snapshot> {
  const items = new Map<string, string>();
  let start: Record<string, unknown> | undefined;
  do {
    const page = await rt.runtime.container.db.send(
      new ScanCommand({ TableName: loadConfig({}).TABLE_NAME, ExclusiveStartKey: start, ConsistentRead: true }),
    );
    for (const item of page.Items ?? []) items.set(`${item.PK} ${item.SK}`, stable(item));
    start = page.LastEvaluatedKey;
  } while (start);
  const states = new Map([...rt.states].map(([id, entered]) => [id, entered.length]));
  return { items, sms: (await rt.inbox()).length, states };
}

/** What changed between two snapshots, as readable lines (empty: nothing). */
function changes(before: Snapshot, after: Snapshot, allowed: (key: string) => boolean = () => false): string[] {
  const lines: string[] = [];
  for (const [key, item] of after.items) {
    if (allowed(key)) continue;
    if (!before.items.has(key)) lines.push(`added ${key}`);
    else if (before.items.get(key) !== item) lines.push(`changed ${key}`);
  }
  for (const key of before.items.keys()) if (!after.items.has(key)) lines.push(`removed ${key}`);
  if (after.sms !== before.sms) lines.push(`${after.sms - before.sms} SMS sent`);
  for (const [id, count] of after.states) {
    if (before.states.get(id) !== count) lines.push(`workflow of ${id} entered ${count - (before.states.get(id) ?? 0)} states`);
  }
  return lines;
}

/** The Open311 errors document: a list of `{code, description}`, the status as each code, ours in a header. */
function expectOpen311Error(res: HttpResult, status: number, code: string) {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  expect(Array.isArray(res.body), JSON.stringify(res.body)).toBe(true);
  expect(res.body.length).toBeGreaterThan(0);
  for (const entry of res.body) expect(entry).toEqual({ code: status, description: expect.stringMatching(/\S/) });
  expect(res.headers.get('x-error-code')).toBe(code);
}

/** The error codes of an import job once it has run. */
async function importJobErrors(id: string, token: string | undefined): Promise<{ status: string; codes: string[] }> {
  const job = await eventually(async () => {
    const res = await rt.http('GET', `/api/v1/imports/${id}`, { token });
    return res.body.status === 'done' || res.body.status === 'failed' ? res.body : undefined;
  });
  return { status: job.status, codes: job.errors.map((e: { code: string }) => e.code) };
}

describe('the bad-input corpus', () => {
  it.each(CASES.map((c) => [c.id, c] as [string, CorpusCase]))('%s', async (_id, c) => {
    // Prepare
    const request = requestOf(c, { ...values, key: newKey('corpus') });
    const before = await snapshot();

    // Act
    const res = await rt.http(request.method, request.path, {
      token: tokens.get(c.who),
      headers: request.headers,
      rawBody: request.rawBody,
    });
    const jobId = c.expect.via === 'import-job' && res.status === 202 ? (res.body.id as string) : undefined;
    const job = jobId === undefined ? undefined : await importJobErrors(jobId, tokens.get(c.who));
    const stored = changes(before, await snapshot(), (key) => key === `IMPORT#${jobId} IMPORT`);

    // Assess
    // Soft, so a case that stored something also shows what it was answered.
    expect.soft(stored, 'what the refused request stored').toEqual([]);
    if (c.expect.via === 'import-job') {
      expect(res.status, JSON.stringify(res.body)).toBe(202);
      expect(job?.status).toBe('failed');
      expect(job?.codes).toContain(c.expect.code);
    } else if (c.expect.shape === 'open311') expectOpen311Error(res, c.expect.status, c.expect.code);
    else expectError(res, c.expect.status, c.expect.code);
    // A script sent in is never answered back as markup: no tag opens anywhere in the answer.
    expect(res.text).not.toMatch(/<[a-z!/?]/i);
  });
});

describe('after the whole corpus', () => {
  it('is healthy and files a normal report, whose escalation starts', async () => {
    // Act
    const health = await rt.http('GET', '/api/health');
    const id = await scenario(rt).file({ title: '语料之后的正常上报' });

    // Assess
    expect([health.status, health.body]).toEqual([200, { status: 'ok' }]);
    const parked = await scenario(rt).untilParked(id, 1);
    expect(parked.status).toBe('assigned');
    expect(rt.states.get(id)?.length).toBeGreaterThan(0);
  });
});
