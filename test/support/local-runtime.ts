/**
 * Starts the real embedded runtime (dynalite, the ASL interpreter, the HTTP server) on a fresh
 * data directory and a free port, and gives tests a small HTTP client for it.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type LocalRuntime, startLocalRuntime } from '#local/runtime.ts';
import { loadConfig } from '#wiring/config.ts';

export interface TestRuntime {
  runtime: LocalRuntime;
  url: string;
  dataDir: string;
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
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON
  body: any;
}

export async function startTestRuntime(
  env: Record<string, string> = {},
  opts: { smsFailFor?: (to: string) => boolean } = {},
): Promise<TestRuntime> {
  const dataDir = await mkdtemp(join(tmpdir(), 'gw-test-'));
  const states = new Map<string, string[]>();
  const config = loadConfig({ PORT: '0', DATA_DIR: dataDir, TIME_SCALE: '1000', SMS_PRINT: 'false', ...env });
  const runtime = await startLocalRuntime(config, {
    log: () => undefined,
    smsFailFor: opts.smsFailFor,
    onStateEntered: (id, state) => {
      const list = states.get(id) ?? [];
      list.push(state);
      states.set(id, list);
    },
  });
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
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON: keep the text so the assertion shows it
    }
    return { status: res.status, headers: res.headers, body: parsed };
  };
  const tokens = new Map<string, string>();
  const login = async (username: string) => {
    const cached = tokens.get(username);
    if (cached) return cached;
    const res = await http('POST', '/api/auth/login', { body: { username, password: 'demo' } });
    if (res.status !== 200) throw new Error(`login ${username} failed: ${JSON.stringify(res.body)}`);
    tokens.set(username, res.body.token);
    return res.body.token as string;
  };
  return {
    runtime,
    url: runtime.url,
    dataDir,
    states,
    http,
    login,
    stop: async () => {
      await runtime.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Polls until `check` returns a value (not undefined), or fails with the last thing seen. */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 15_000, everyMs = 50): Promise<T> {
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
