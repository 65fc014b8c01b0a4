/**
 * One HTTP server for the whole product on one machine: it turns each request into an API Gateway
 * v2 event, runs the same handler the Lambda runs, and serves the built console at `/`.
 */
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { extname, join, normalize, resolve } from 'node:path';
import type { Duplex } from 'node:stream';
import { PayloadTooLargeError, ValidationError } from '#core/errors.ts';
import type { HttpDeps } from '#handlers/http/deps.ts';
import {
  type ApiEvent,
  type ApiHandler,
  type ApiResult,
  errorResult,
  json,
  jsonText,
  MAX_BODY_BYTES,
  type RequestCheck,
  strictUtf8,
} from '#handlers/http/http.ts';
import { ROUTES } from '#handlers/http/routes.ts';

interface MountedRoute {
  method: string;
  maxBodyBytes: number;
  routeKey: string;
  pattern: RegExp;
  params: string[];
  handler: ApiHandler;
  beforeBody?: RequestCheck;
}

/**
 * What keeps one misbehaving client from taking the server from everyone else. Local mode serves
 * one county's staff from one machine, so these are sized for that, not for the open internet.
 */
export interface ServerLimits {
  /** Connections open at once; more are dropped as they arrive. */
  maxConnections: number;
  /** Time a client has to send the request line and headers. */
  headersTimeoutMs: number;
  /** Time a client has to send the whole request, body included. */
  requestTimeoutMs: number;
  /** How long an idle connection stays open for the client's next request. */
  keepAliveTimeoutMs: number;
  /** How often Node enforces the two request timeouts (it checks them on a timer, not per byte). */
  timeoutCheckIntervalMs: number;
}

export const SERVER_LIMITS: ServerLimits = {
  // A county's officers and workers with the console, SMS link pages and uploads open need a few
  // dozen at once; 256 leaves room for bursts while a flood stays far below the process's 1024
  // file descriptors and the memory each connection's buffers hold.
  maxConnections: 256,
  // Headers fit in Node's 16 KB and arrive in well under a second even on a weak mobile link; 10 s
  // tolerates a bad one and frees a slowloris's connection long before the cap above fills.
  headersTimeoutMs: 10_000,
  // The longest honest request is a 10 MB photo over a ~1 Mbit/s rural uplink, about 80 s.
  requestTimeoutMs: 120_000,
  // Node's default, stated: a page's next call reuses the connection, idle browsers do not hold the cap.
  keepAliveTimeoutMs: 5_000,
  // Node's default is 30 s, which would let a client take 40 s over its headers.
  timeoutCheckIntervalMs: 1_000,
};

function mount(deps: HttpDeps): MountedRoute[] {
  return ROUTES.map((r) => {
    const params: string[] = [];
    const source = r.path
      .split(/(\{\w+\})/)
      .map((part) => {
        const param = /^\{(\w+)\}$/.exec(part);
        if (!param?.[1]) return part.replace(/[.*+?^$()|[\]\\]/g, '\\$&');
        params.push(param[1]);
        return '([^/]+)';
      })
      .join('');
    return {
      method: r.method,
      maxBodyBytes: r.maxBodyBytes ?? MAX_BODY_BYTES,
      routeKey: `${r.method} ${r.path}`,
      pattern: new RegExp(`^${source}$`),
      params,
      handler: r.create(deps),
      beforeBody: r.beforeBody?.(deps),
    };
  });
}

/** The client went away before its body arrived: nobody is left to answer, so one log line is all. */
class RequestAbortedError extends Error {
  constructor(readonly received: number) {
    super(`the client went away after ${received} bytes of the body`);
  }
}

/** Whether the request carries a body, which the connection holds until it is read or dropped. */
function hasBody(req: IncomingMessage): boolean {
  return req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
}

const tooLarge = (limit: number) => new PayloadTooLargeError(`bodies are limited to ${limit} bytes here`);

/** A body declared larger than the route takes is refused before a byte of it is read. */
function assertDeclaredSize(req: IncomingMessage, limit: number): void {
  if (Number(req.headers['content-length'] ?? 0) > limit) throw tooLarge(limit);
}

/**
 * Reads the body, at most `limit` bytes: one that turns out larger is refused as soon as it passes
 * the limit, and the rest is never read.
 */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolvePromise, reject) => {
    // Gone while a check ran: its 'close' has been and will not come again.
    if (req.destroyed) {
      reject(new RequestAbortedError(0));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    const stop = () => {
      req.off('data', onData).off('end', onEnd).off('error', onGone).off('close', onGone);
      req.pause();
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        stop();
        reject(tooLarge(limit));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      stop();
      resolvePromise(Buffer.concat(chunks, size));
    };
    // An error on a request is its connection breaking; 'close' before 'end' is the same, told later.
    const onGone = () => {
      stop();
      reject(new RequestAbortedError(size));
    };
    req.on('data', onData).once('end', onEnd).once('error', onGone).once('close', onGone);
  });
}

const TEXT_BODY = /^(text\/|application\/(json|xml|x-www-form-urlencoded)|[^;]*\+(json|xml))/i;

/** API Gateway decodes path parameters; a broken %-escape is the client's error, not ours. */
function decodePathSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new ValidationError('REQUEST.INVALID_PATH', 'the path is not valid percent-encoding');
  }
}

/** The event of a request whose body has not been read yet: what a `beforeBody` check sees. */
function toEvent(req: IncomingMessage, url: URL, route: MountedRoute, match: RegExpExecArray): ApiEvent {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(',') : v;
  const query: Record<string, string> = {};
  for (const [k, v] of url.searchParams) query[k] = query[k] === undefined ? v : `${query[k]},${v}`;
  const pathParameters = Object.fromEntries(route.params.map((name, i) => [name, decodePathSegment(match[i + 1] ?? '')]));
  const now = new Date();
  return {
    version: '2.0',
    routeKey: route.routeKey,
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    headers,
    queryStringParameters: Object.keys(query).length > 0 ? query : undefined,
    pathParameters: route.params.length > 0 ? pathParameters : undefined,
    isBase64Encoded: false,
    requestContext: {
      accountId: 'local',
      apiId: 'local',
      domainName: url.host,
      domainPrefix: 'local',
      http: {
        method: route.method,
        path: url.pathname,
        protocol: 'HTTP/1.1',
        sourceIp: req.socket.remoteAddress ?? '',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey: route.routeKey,
      stage: '$default',
      time: now.toISOString(),
      timeEpoch: now.getTime(),
    },
  };
}

/**
 * Like API Gateway: text bodies arrive as text, anything else (photos) base64-encoded. A "text" body
 * that is not UTF-8 arrives base64-encoded too, byte for byte, for the handler to refuse: decoding
 * it here would turn its bad bytes into U+FFFD and store them.
 */
function withBody(event: ApiEvent, body: Buffer): ApiEvent {
  if (body.length === 0) return event;
  const text = TEXT_BODY.test(event.headers['content-type'] ?? 'application/json') ? strictUtf8(body) : null;
  return text === null ? { ...event, body: body.toString('base64'), isBase64Encoded: true } : { ...event, body: text };
}

/**
 * Sends the result. An answer given before the body was read (a refusal, a 413) hangs up once it is
 * flushed: reading on would cost what the refusal saved, and the next request on the connection
 * would start in the middle of the unread body.
 */
function send(res: ServerResponse, result: ApiResult, bodyUnread = false): void {
  if (res.headersSent || res.destroyed) return;
  const headers = { ...(result.headers as Record<string, string>) };
  if (bodyUnread) {
    headers.connection = 'close';
    const socket = res.socket;
    res.once('finish', () => socket?.destroy());
  }
  res.writeHead(result.statusCode ?? 200, headers);
  // Like API Gateway: a binary result (a photo) arrives base64-encoded and leaves as bytes.
  res.end(result.isBase64Encoded ? Buffer.from(result.body ?? '', 'base64') : (result.body ?? ''));
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.map': 'application/json',
  '.webp': 'image/webp',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

const CONSOLE_HEADERS = { 'x-content-type-options': 'nosniff', 'referrer-policy': 'strict-origin-when-cross-origin' };

const PLACEHOLDER_PAGE = `<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>网格吹哨 GridWhistle</title>
<body style="font-family:sans-serif;max-width:40rem;margin:3rem auto"><h1>网格吹哨 GridWhistle</h1>
<p>The engines are running. The console is not built yet; the API is at <code>/api/v1</code>
(<a href="/api/health">/api/health</a>).</p></body></html>`;

async function readIfFile(path: string): Promise<Buffer | null> {
  try {
    return await readFile(path);
  } catch {
    return null;
  }
}

/**
 * Serves web/dist when it has been built; otherwise a page that says where the API is. Like the
 * CloudFront function on AWS: a path with a file extension is a file (404 when missing, so a
 * missing asset or /config.json is never answered with a page), any other path is the console's
 * own route and gets index.html. Hashed assets are cached for good, the page never.
 */
async function serveConsole(res: ServerResponse, pathname: string, webRoot: string, consoleConfig: unknown): Promise<void> {
  if (pathname === '/config.json') {
    // What the web stack writes on AWS (Cognito sign-in); locally the local issuer and the map settings.
    send(res, json(200, consoleConfig));
    return;
  }
  const root = resolve(webRoot);
  const file = normalize(join(root, pathname === '/' ? 'index.html' : pathname));
  if (!file.startsWith(root)) {
    send(res, json(404, { error: { code: 'ROUTE.NOT_FOUND', message: `no file ${pathname}` } }));
    return;
  }
  if (extname(file) && pathname !== '/') {
    const bytes = await readIfFile(file);
    if (!bytes) {
      send(res, json(404, { error: { code: 'ROUTE.NOT_FOUND', message: `no file ${pathname}` } }));
      return;
    }
    const cache = pathname.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache';
    res.writeHead(200, {
      'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
      'cache-control': cache,
      ...CONSOLE_HEADERS,
    });
    res.end(bytes);
    return;
  }
  const index = await readIfFile(join(root, 'index.html'));
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-cache', ...CONSOLE_HEADERS });
  res.end(index ?? PLACEHOLDER_PAGE);
}

/** What Node refuses before any route sees the request, as status, reason phrase, code and message. */
function clientErrorAnswer(error: NodeJS.ErrnoException): [number, string, string, string] {
  // Node's default answers, kept, with API.md's codes: headers over Node's 16 KB are the nearest thing to a body too large.
  if (error.code === 'HPE_HEADER_OVERFLOW') {
    return [431, 'Request Header Fields Too Large', 'REQUEST.TOO_LARGE', 'the request headers are limited to 16 KB'];
  }
  if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') return [408, 'Request Timeout', 'REQUEST.TIMEOUT', 'the request took too long to arrive'];
  return [400, 'Bad Request', 'REQUEST.MALFORMED', 'this is not a valid HTTP/1.1 request'];
}

/**
 * A request Node's parser refuses (headers over 16 KB, a broken request line, headers sent too
 * slowly) gets the JSON error shape like every other refusal; Node's own answer has no body at all.
 */
function answerClientError(error: NodeJS.ErrnoException, socket: Duplex): void {
  if (error.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const [status, reason, code, message] = clientErrorAnswer(error);
  const body = jsonText({ error: { code, message } });
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\ncontent-type: application/json; charset=utf-8\r\ncache-control: no-store\r\n` +
      `content-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
  );
}

export interface LocalServerOptions {
  webRoot: string;
  /** The console's /config.json (web/src/config.ts): sign-in and map settings. */
  consoleConfig?: unknown;
  /** Where one-line notes go (a client that went away mid-body); the console by default. */
  log?: (message: string) => void;
  /** SERVER_LIMITS unless given (tests shorten the timeouts). */
  limits?: Partial<ServerLimits>;
}

export function createLocalServer(deps: HttpDeps, options: LocalServerOptions): Server {
  const routes = mount(deps);
  const limits = { ...SERVER_LIMITS, ...options.limits };
  const log = options.log ?? ((message: string) => console.log(message));

  const serve = async (req: IncomingMessage, res: ServerResponse, expectsContinue: boolean) => {
    let bodyUnread = hasBody(req);
    const answer = (result: ApiResult) => send(res, result, bodyUnread);
    try {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const candidates = routes.filter((r) => r.pattern.test(url.pathname));
      if (candidates.length === 0) {
        if (url.pathname.startsWith('/api/') || req.method !== 'GET') {
          answer(json(404, { error: { code: 'ROUTE.NOT_FOUND', message: `no route for ${url.pathname}` } }));
        } else {
          await serveConsole(res, url.pathname, options.webRoot, options.consoleConfig ?? { auth: { kind: 'local' } });
        }
        return;
      }
      const route = candidates.find((r) => r.method === req.method);
      if (!route) {
        const allow = candidates.map((r) => r.method).join(', ');
        answer(json(405, { error: { code: 'ROUTE.METHOD_NOT_ALLOWED', message: `use ${allow}` } }, { allow }));
        return;
      }
      const event = toEvent(req, url, route, route.pattern.exec(url.pathname) as RegExpExecArray);
      const refusal = await route.beforeBody?.(event);
      if (refusal) {
        answer(refusal);
        return;
      }
      assertDeclaredSize(req, route.maxBodyBytes);
      // Only now is a client that waits for "100 Continue" (curl, for large bodies) told to send.
      if (expectsContinue) res.writeContinue();
      const body = await readBody(req, route.maxBodyBytes);
      bodyUnread = false;
      answer(await route.handler(withBody(event, body)));
    } catch (error) {
      if (error instanceof RequestAbortedError) {
        // The query is left out: on an upload it holds the link's signature.
        log(`[http] ${req.method} ${(req.url ?? '/').split('?')[0]}: ${error.message}; nothing was answered`);
        return;
      }
      answer(errorResult(error));
    }
  };

  const server = createServer(
    {
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      connectionsCheckingInterval: limits.timeoutCheckIntervalMs,
    },
    (req, res) => void serve(req, res, false),
  );
  server.on('checkContinue', (req: IncomingMessage, res: ServerResponse) => void serve(req, res, true));
  server.on('clientError', answerClientError);
  server.maxConnections = limits.maxConnections;
  server.keepAliveTimeout = limits.keepAliveTimeoutMs;
  return server;
}
