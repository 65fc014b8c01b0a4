/**
 * The bad-input corpus (test/fixtures/bad-input/*.json): requests every public route must refuse
 * with a 4xx of API.md while storing nothing, kept as data so a case is added without code. This
 * module reads the files and turns a case into the request it describes; the integration runner
 * (test/integration/bad-input-corpus.test.ts) sends them, a unit test checks the files themselves.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const CORPUS_DIR = new URL('../fixtures/bad-input/', import.meta.url);

export interface CorpusCase {
  /** Unique across the corpus: `<area>.<what is wrong>`. */
  id: string;
  /** One line: what the case proves. */
  why: string;
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Path and query, `{{placeholders}}` filled in by the runner. */
  path: string;
  /** `anonymous`, a demo username (signed in with a bearer token), or `open311-key` (the demo key, in the form). */
  who: string;
  /**
   * Extra headers; `null` leaves out a header the runner would add (the JSON content type), and a
   * list of [text, times] spells out a value too long to keep in the file.
   */
  headers?: Record<string, string | null | [string, number][]>;
  /** The body as JSON (sent as application/json unless a content-type header says otherwise)… */
  body?: unknown;
  /** …or as text, sent as is (malformed JSON, escapes JSON.stringify would not write, forms)… */
  rawBody?: string;
  /** …or as bytes JSON cannot hold (invalid UTF-8)… */
  rawBodyBase64?: string;
  /** …or as text too big or too deep to keep in the file: each [text, times] repeated, in order. */
  rawBodyParts?: [string, number][];
  expect: {
    status: number;
    code: string;
    /** `api` (default): `{error:{code,message}}`; `open311`: the standard's errors list, the code in `x-error-code`. */
    shape?: 'api' | 'open311';
    /**
     * `import-job`: a request the contract answers 202 and refuses later (a CSV import): its job
     * fails with `code` among its row errors, and the job record is the one thing it may store.
     */
    via?: 'import-job';
  };
}

export interface CorpusFile {
  /** What the file covers (a comment for readers). */
  about: string;
  cases: CorpusCase[];
}

/** Every case of every corpus file, files in name order. */
export function loadCorpus(): CorpusCase[] {
  const files = readdirSync(CORPUS_DIR)
    .filter((name) => name.endsWith('.json'))
    .sort();
  return files.flatMap((name) => (JSON.parse(readFileSync(join(CORPUS_DIR.pathname, name), 'utf8')) as CorpusFile).cases);
}

/** `{{name}}` in text replaced by its value; an unknown name is an error, not an empty string. */
export function fill(text: string, values: Record<string, string>): string {
  return text.replace(/\{\{(\w+)\}\}/g, (_all, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`no value for the corpus placeholder {{${name}}}`);
    return value;
  });
}

/** The placeholders a case uses, wherever they are. */
export function placeholdersOf(c: CorpusCase): string[] {
  const text = JSON.stringify([c.path, c.headers ?? {}, c.body ?? null, c.rawBody ?? '', c.rawBodyParts ?? []]);
  return [...text.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1] ?? '');
}

/** Each [text, times] repeated, in order. */
function repeated(parts: [string, number][]): string {
  return parts.map(([text, times]) => text.repeat(times)).join('');
}

export interface CorpusRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  rawBody?: string | Buffer;
}

/** The request a case describes, placeholders filled (the bearer token is the runner's). */
export function requestOf(c: CorpusCase, values: Record<string, string>): CorpusRequest {
  let rawBody: string | Buffer | undefined;
  if (c.body !== undefined) rawBody = fill(JSON.stringify(c.body), values);
  else if (c.rawBody !== undefined) rawBody = fill(c.rawBody, values);
  else if (c.rawBodyBase64 !== undefined) rawBody = Buffer.from(c.rawBodyBase64, 'base64');
  else if (c.rawBodyParts !== undefined) rawBody = fill(repeated(c.rawBodyParts), values);
  const headers: Record<string, string> = {};
  if (rawBody !== undefined) headers['content-type'] = 'application/json';
  for (const [name, value] of Object.entries(c.headers ?? {})) {
    if (value === null) delete headers[name.toLowerCase()];
    else headers[name.toLowerCase()] = fill(typeof value === 'string' ? value : repeated(value), values);
  }
  return { method: c.method, path: fill(c.path, values), headers, rawBody };
}

/** Whether a route of the router table (API Gateway syntax, `/api/v1/reports/{id}`) serves this path. */
export function routeMatches(routePath: string, path: string): boolean {
  const pathname = path.split('?')[0] ?? '';
  const pattern = routePath
    .split(/(\{\w+\})/)
    .map((part) => (/^\{\w+\}$/.test(part) ? '[^/]+' : part.replace(/[.*+?^$()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${pattern}$`).test(pathname);
}
