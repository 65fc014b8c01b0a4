/**
 * One HTTP server for the whole product on one machine: it turns each request into an API Gateway
 * v2 event, runs the same handler the Lambda runs, and serves the built console at `/`.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { extname, join, normalize, resolve } from 'node:path';
import { PayloadTooLargeError, ValidationError } from '#core/errors.ts';
import type { HttpDeps } from '#handlers/http/deps.ts';
import { type ApiEvent, type ApiHandler, type ApiResult, errorResult, json, MAX_BODY_BYTES, strictUtf8 } from '#handlers/http/http.ts';
import { ROUTES } from '#handlers/http/routes.ts';

interface MountedRoute {
  method: string;
  maxBodyBytes: number;
  routeKey: string;
  pattern: RegExp;
  params: string[];
  handler: ApiHandler;
}

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
    };
  });
}

/** Reads at most `limit` + 1 bytes: a larger body is refused without buffering all of it. */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolvePromise, reject) => {
    const tooLarge = () => new PayloadTooLargeError(`bodies are limited to ${limit} bytes here`);
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > limit) {
      reject(tooLarge());
      req.resume();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(tooLarge());
        req.resume();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolvePromise(Buffer.concat(chunks)));
    req.on('error', reject);
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

function toEvent(req: IncomingMessage, url: URL, route: MountedRoute, match: RegExpExecArray, body: Buffer): ApiEvent {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(',') : v;
  const query: Record<string, string> = {};
  for (const [k, v] of url.searchParams) query[k] = query[k] === undefined ? v : `${query[k]},${v}`;
  const pathParameters = Object.fromEntries(route.params.map((name, i) => [name, decodePathSegment(match[i + 1] ?? '')]));
  const now = new Date();
  // Like API Gateway: text bodies arrive as text, anything else (photos) base64-encoded. A "text"
  // body that is not UTF-8 arrives base64-encoded too, byte for byte, for the handler to refuse:
  // decoding it here would turn its bad bytes into U+FFFD and store them.
  const text = TEXT_BODY.test(headers['content-type'] ?? 'application/json') ? strictUtf8(body) : null;
  return {
    version: '2.0',
    routeKey: route.routeKey,
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    headers,
    queryStringParameters: Object.keys(query).length > 0 ? query : undefined,
    pathParameters: route.params.length > 0 ? pathParameters : undefined,
    body: body.length === 0 ? undefined : (text ?? body.toString('base64')),
    isBase64Encoded: body.length > 0 && text === null,
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

function send(res: ServerResponse, result: ApiResult): void {
  res.writeHead(result.statusCode ?? 200, result.headers as Record<string, string>);
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
};

const PLACEHOLDER_PAGE = `<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>网格吹哨 GridWhistle</title>
<body style="font-family:sans-serif;max-width:40rem;margin:3rem auto"><h1>网格吹哨 GridWhistle</h1>
<p>The engines are running. The console is not built yet; the API is at <code>/api/v1</code>
(<a href="/api/health">/api/health</a>).</p></body></html>`;

/** Serves web/dist when it has been built; otherwise a page that says where the API is. */
function serveConsole(res: ServerResponse, pathname: string, webRoot: string): void {
  const root = resolve(webRoot);
  const file = normalize(join(root, pathname === '/' ? 'index.html' : pathname));
  if (file.startsWith(root) && existsSync(file) && extname(file)) {
    res.writeHead(200, { 'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream' });
    res.end(readFileSync(file));
    return;
  }
  const index = join(root, 'index.html');
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
  res.end(existsSync(index) ? readFileSync(index) : PLACEHOLDER_PAGE);
}

export function createLocalServer(deps: HttpDeps, options: { webRoot: string }): Server {
  const routes = mount(deps);
  return createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const candidates = routes.filter((r) => r.pattern.test(url.pathname));
      if (candidates.length === 0) {
        if (url.pathname.startsWith('/api/') || req.method !== 'GET') {
          send(res, json(404, { error: { code: 'ROUTE.NOT_FOUND', message: `no route for ${url.pathname}` } }));
        } else {
          serveConsole(res, url.pathname, options.webRoot);
        }
        return;
      }
      const route = candidates.find((r) => r.method === req.method);
      if (!route) {
        const allow = candidates.map((r) => r.method).join(', ');
        send(res, json(405, { error: { code: 'ROUTE.METHOD_NOT_ALLOWED', message: `use ${allow}` } }, { allow }));
        req.resume();
        return;
      }
      const body = await readBody(req, route.maxBodyBytes);
      const match = route.pattern.exec(url.pathname) as RegExpExecArray;
      send(res, await route.handler(toEvent(req, url, route, match, body)));
    } catch (error) {
      send(res, errorResult(error));
    }
  });
}
