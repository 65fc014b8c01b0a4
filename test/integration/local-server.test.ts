/**
 * The local HTTP server under clients that misbehave, on the real engines: a stranger's upload is
 * refused before its body is read, an answer given before the body was read hangs up, a client
 * that goes away mid-upload is one log line, and slow or too many connections are cut off.
 *
 * Requests go over raw sockets so a test controls every byte; what the server read is the server's
 * own count (`bytesRead` of its end of the connection), never a time or a memory reading.
 */
import { once } from 'node:events';
import { type IncomingMessage, request, type Server } from 'node:http';
import { type AddressInfo, connect, type Socket } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { MAX_PHOTO_BYTES } from '#core/photos.ts';
import { MAX_BODY_BYTES } from '#handlers/http/http.ts';
import { createLocalServer } from '#local/server.ts';
import { eventually, startTestRuntime, type TestRuntime } from '../support/local-runtime.ts';

let rt: TestRuntime;
const logged: string[] = [];
/** The server's end of every connection, by the client's port, so a test can read what the server read. */
const serverEnds = new Map<number, Socket>();

beforeAll(async () => {
  rt = await startTestRuntime(
    {},
    {
      log: (line) => logged.push(line),
      // Short enough that a trickling client is cut off within the test; checked every 50 ms.
      serverLimits: { headersTimeoutMs: 1_000, timeoutCheckIntervalMs: 50 },
    },
  );
  trackConnections(rt.runtime.server);
});
afterAll(async () => rt?.stop());
afterEach(() => vi.restoreAllMocks());

function trackConnections(server: Server) {
  server.on('connection', (socket: Socket) => {
    if (socket.remotePort !== undefined) serverEnds.set(socket.remotePort, socket);
  });
}

/** Far less than any body below: the headers and the first read or two of the socket. */
const READ_BEFORE_REFUSING = 1024 * 1024;

/** A 1×1 PNG's worth of bytes; the content only matters where an upload is meant to succeed. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC', 'base64');

interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** Everything the server sent, responses to pipelined requests included. */
  raw: string;
  /** The connection ended without the client ending it: the server hung up. */
  closedByServer: boolean;
  /** Bytes the server read from this connection in all. */
  serverRead: number;
}

function parseAnswer(raw: Buffer): Pick<RawAnswer, 'status' | 'headers' | 'body' | 'raw'> {
  const text = raw.toString('utf8');
  const split = text.indexOf('\r\n\r\n');
  const [statusLine = '', ...headerLines] = text.slice(0, split < 0 ? text.length : split).split('\r\n');
  const headers = Object.fromEntries(
    headerLines.map((line) => [line.slice(0, line.indexOf(':')).trim().toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]),
  );
  const rest = split < 0 ? '' : text.slice(split + 4);
  return {
    status: Number(statusLine.split(' ')[1] ?? 0),
    headers,
    body: headers['transfer-encoding'] === 'chunked' ? unchunk(rest) : rest,
    raw: text,
  };
}

/** The first message body of a chunked response (enough for the short JSON answers here). */
function unchunk(text: string): string {
  let body = '';
  let at = 0;
  for (;;) {
    const lineEnd = text.indexOf('\r\n', at);
    const size = Number.parseInt(text.slice(at, lineEnd), 16);
    if (!(size > 0)) return body;
    body += text.slice(lineEnd + 2, lineEnd + 2 + size);
    at = lineEnd + 2 + size + 2;
  }
}

function address(server: Server = rt.runtime.server): { host: string; port: number } {
  const { address: host, port } = server.address() as AddressInfo;
  return { host, port };
}

/**
 * Sends `head` and then a body of `bodyLength` bytes as fast as the connection takes them, never
 * ending its side, and resolves once the connection is gone (or `giveUpMs` later, as not closed).
 */
async function rawExchange(
  head: string,
  bodyLength: number,
  opts: { chunked?: boolean; giveUpMs?: number; server?: Server } = {},
): Promise<RawAnswer> {
  const { host, port } = address(opts.server);
  const socket = connect(port, host);
  await once(socket, 'connect');
  const localPort = socket.localPort as number;
  const received: Buffer[] = [];
  socket.on('data', (chunk: Buffer) => received.push(chunk));
  // EPIPE or ECONNRESET: the server hung up while this client was still sending.
  socket.on('error', () => undefined);
  // Not events.once: it would reject on the error above, which is part of a hang-up.
  const closed = new Promise<boolean>((resolve) => socket.once('close', () => resolve(true)));
  socket.write(head);
  const block = Buffer.alloc(64 * 1024, 0x41);
  let sent = 0;
  const pump = () => {
    while (sent < bodyLength && socket.writable) {
      const piece = block.subarray(0, Math.min(block.length, bodyLength - sent));
      sent += piece.length;
      const framed = opts.chunked ? Buffer.concat([Buffer.from(`${piece.length.toString(16)}\r\n`), piece, Buffer.from('\r\n')]) : piece;
      if (!socket.write(framed)) {
        socket.once('drain', pump);
        return;
      }
    }
    if (opts.chunked && socket.writable) socket.write('0\r\n\r\n');
  };
  pump();
  const giveUp = new Promise<boolean>((resolve) => setTimeout(() => resolve(false), opts.giveUpMs ?? 15_000).unref());
  const closedByServer = await Promise.race([closed, giveUp]);
  socket.destroy();
  const serverEnd = serverEnds.get(localPort);
  return { ...parseAnswer(Buffer.concat(received)), closedByServer, serverRead: serverEnd?.bytesRead ?? Number.NaN };
}

function putHead(path: string, contentLength: number, headers: Record<string, string> = {}): string {
  const lines = Object.entries({ 'content-type': 'image/png', 'content-length': String(contentLength), ...headers });
  return `PUT ${path} HTTP/1.1\r\nHost: localhost\r\n${lines.map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n`;
}

async function uploadSlot(size = PNG.length): Promise<{ id: string; uploadUrl: string }> {
  const res = await rt.http('POST', '/api/v1/photos', { token: await rt.login('worker1'), body: { contentType: 'image/png', size } });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

async function expectHealthy() {
  const health = await rt.http('GET', '/api/health');
  expect(health.status).toBe(200);
}

describe('an upload through a link we did not sign', () => {
  it('answers 24 parallel 10 MB PUTs with 403 and hangs up on each, having read almost none of them', async () => {
    // Prepare: one real pending photo, and links to it that were forged, altered or left out
    const slot = await uploadSlot();
    const link = new URL(slot.uploadUrl, rt.url);
    const expires = link.searchParams.get('expires') ?? '';
    const signature = link.searchParams.get('signature') ?? '';
    const forged = `${signature[0] === 'A' ? 'B' : 'A'}${signature.slice(1)}`;
    const strangers = [
      `/api/v1/photos/${slot.id}/content`,
      `/api/v1/photos/${slot.id}/content?expires=${expires}&signature=${forged}`,
      `/api/v1/photos/${slot.id}/content?expires=${Number(expires) + 86_400}&signature=${signature}`,
    ];

    // Act
    const answers = await Promise.all(
      Array.from({ length: 24 }, (_, i) =>
        rawExchange(putHead(strangers[i % strangers.length] as string, MAX_PHOTO_BYTES), MAX_PHOTO_BYTES),
      ),
    );

    // Assess
    for (const answer of answers) {
      expect(answer.status, answer.body).toBe(403);
      expect(JSON.parse(answer.body).error.code).toBe('PHOTO.UPLOAD_LINK_INVALID');
      expect(answer.headers.connection).toBe('close');
      expect(answer.closedByServer, 'the server hung up').toBe(true);
      expect(answer.serverRead).toBeLessThan(READ_BEFORE_REFUSING);
    }
    await expectHealthy();
    const upload = await rt.http('PUT', slot.uploadUrl, { rawBody: PNG, headers: { 'content-type': 'image/png' } });
    expect(upload.status, 'the signed link still takes its photo').toBe(200);
  });

  it('answers an expired link with 403 before reading its body', async () => {
    // Prepare
    const slot = await uploadSlot();
    rt.clock.advance(16 * 60_000);

    // Act
    const answer = await rawExchange(putHead(slot.uploadUrl, MAX_PHOTO_BYTES), MAX_PHOTO_BYTES);

    // Assess
    expect(answer.status, answer.body).toBe(403);
    expect(JSON.parse(answer.body).error.code).toBe('PHOTO.UPLOAD_LINK_EXPIRED');
    expect(answer.closedByServer).toBe(true);
    expect(answer.serverRead).toBeLessThan(READ_BEFORE_REFUSING);
  });

  it('tells a client that waits for 100 Continue to send only when its link is good and its size allowed', async () => {
    // Prepare
    const slot = await uploadSlot();
    const { host, port } = address();
    const put = (path: string, size = PNG.length) => {
      const req = request({
        host,
        port,
        method: 'PUT',
        path,
        headers: { 'content-type': 'image/png', 'content-length': size, expect: '100-continue' },
      });
      let continued = false;
      req.on('continue', () => {
        continued = true;
        req.end(size === PNG.length ? PNG : Buffer.alloc(size));
      });
      req.on('error', () => undefined);
      return once(req, 'response').then(async ([res]: IncomingMessage[]) => {
        const chunks: Buffer[] = [];
        for await (const chunk of res as IncomingMessage) chunks.push(chunk as Buffer);
        req.destroy();
        return { status: res?.statusCode, continued, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) };
      });
    };

    // Act
    const stranger = await put(`/api/v1/photos/${slot.id}/content`);
    const tooLarge = await put(slot.uploadUrl, MAX_PHOTO_BYTES + 1);
    const owner = await put(slot.uploadUrl);

    // Assess
    expect(stranger).toMatchObject({ status: 403, continued: false });
    expect(tooLarge).toMatchObject({ status: 413, continued: false });
    expect(owner).toMatchObject({ status: 200, continued: true, body: { id: slot.id, status: 'uploaded' } });
  });
});

describe('an answer given before the body was read', () => {
  it('hangs up after a 413 for a photo declared over 10 MB', async () => {
    // Prepare
    const slot = await uploadSlot();

    // Act
    const answer = await rawExchange(putHead(slot.uploadUrl, MAX_PHOTO_BYTES + 1), MAX_PHOTO_BYTES + 1);

    // Assess
    expect(answer.status, answer.body).toBe(413);
    expect(JSON.parse(answer.body).error.code).toBe('REQUEST.TOO_LARGE');
    expect(answer.headers.connection).toBe('close');
    expect(answer.closedByServer).toBe(true);
    expect(answer.serverRead).toBeLessThan(READ_BEFORE_REFUSING);
  });

  it('hangs up after a 413 for a chunked JSON body that runs past 64 KB, reading no further', async () => {
    // Prepare
    const token = await rt.login('worker1');
    const head = `POST /api/v1/reports HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer ${token}\r\nIdempotency-Key: chunked-413-key\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n`;

    // Act
    const answer = await rawExchange(head, MAX_PHOTO_BYTES, { chunked: true });

    // Assess
    expect(answer.status, answer.body).toBe(413);
    expect(answer.headers.connection).toBe('close');
    expect(answer.closedByServer).toBe(true);
    expect(answer.serverRead).toBeGreaterThan(MAX_BODY_BYTES);
    expect(answer.serverRead).toBeLessThan(READ_BEFORE_REFUSING);
  });

  it.each([
    ['404 for a route that does not exist', 'POST /api/v1/nowhere', 404],
    ['405 for a method the route does not take', 'PATCH /api/v1/reports', 405],
  ])('hangs up after a %s, without reading the body', async (_name, requestLine, status) => {
    // Prepare
    const head = `${requestLine} HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: ${MAX_PHOTO_BYTES}\r\n\r\n`;

    // Act
    const answer = await rawExchange(head, MAX_PHOTO_BYTES);

    // Assess
    expect(answer.status, answer.body).toBe(status);
    expect(answer.headers.connection).toBe('close');
    expect(answer.closedByServer).toBe(true);
    expect(answer.serverRead).toBeLessThan(READ_BEFORE_REFUSING);
  });

  it('keeps the connection of a request whose body was read', async () => {
    // Prepare: a refused body that was read in full (400), then a second request on the same socket
    const body = '{"username":"x"}';
    const login = `POST /api/auth/login HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`;
    const health = 'GET /api/health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n';

    // Act
    const answer = await rawExchange(login + health, 0);

    // Assess
    expect(answer.status).toBe(400);
    expect(answer.headers.connection).not.toBe('close');
    expect(answer.raw.match(/^HTTP\/1\.1 \d{3}/gm)).toEqual(['HTTP/1.1 400', 'HTTP/1.1 200']);
  });
});

describe('a client that goes away in the middle of its upload', () => {
  it('is one log line, not a stack trace, and the link still takes the photo afterwards', async () => {
    // Prepare
    const consoleError = vi.spyOn(console, 'error');
    const slot = await uploadSlot();
    const before = logged.length;
    const { host, port } = address();
    const socket = connect(port, host);
    await once(socket, 'connect');
    const head = putHead(slot.uploadUrl, PNG.length);
    socket.write(head + PNG.subarray(0, 20).toString('latin1'), 'latin1');
    await eventually(async () => ((serverEnds.get(socket.localPort as number)?.bytesRead ?? 0) >= head.length + 20 ? true : undefined));

    // Act
    socket.destroy();
    await eventually(async () => (logged.length > before ? true : undefined));
    await expectHealthy();

    // Assess
    const lines = logged.slice(before);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^\\[http\\] PUT /api/v1/photos/${slot.id}/content: the client went away after 20 bytes`));
    expect(lines[0], 'the link’s signature stays out of the log').not.toContain('signature');
    expect(lines[0]).not.toContain('\n');
    expect(consoleError).not.toHaveBeenCalled();
    const retry = await rt.http('PUT', slot.uploadUrl, { rawBody: PNG, headers: { 'content-type': 'image/png' } });
    expect(retry.status, JSON.stringify(retry.body)).toBe(200);
  });
});

describe('slow and surplus connections', () => {
  it('cuts off a client that trickles its headers', async () => {
    // Prepare
    const { host, port } = address();
    const socket = connect(port, host);
    await once(socket, 'connect');
    const received: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => received.push(chunk));
    socket.on('error', () => undefined);
    socket.write('GET /api/health HTTP/1.1\r\nHost: localhost\r\nX-Slow: ');

    // Act: one more header byte every 50 ms, for as long as the server listens
    const trickle = setInterval(() => socket.writable && socket.write('x'), 50);
    await new Promise((resolve) => socket.once('close', resolve));
    clearInterval(trickle);

    // Assess
    expect(Buffer.concat(received).toString('latin1')).toMatch(/^HTTP\/1\.1 408 /);
    // …in the JSON error shape of API.md, like every other refusal
    expect(Buffer.concat(received).toString('utf8').split('\r\n\r\n')[1]).toMatch(/^\{"error":\{"code":"REQUEST.TIMEOUT","message":/);
    await expectHealthy();
  });

  it('drops connections beyond its cap and takes new ones once others close', async () => {
    // Prepare: a second server on the same engines, capped at two connections
    const capped = createLocalServer(rt.runtime.container.deps, { webRoot: rt.dataDir, limits: { maxConnections: 2 } });
    await new Promise<void>((ok) => capped.listen(0, '127.0.0.1', ok));
    trackConnections(capped);
    const { port } = address(capped);
    const open = async () => {
      const socket = connect(port, '127.0.0.1');
      socket.on('error', () => undefined);
      await once(socket, 'connect');
      return socket;
    };
    const health = 'GET /api/health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n';

    try {
      // Act
      const first = await open();
      const second = await open();
      await eventually(async () => ((await countConnections(capped)) === 2 ? true : undefined));
      const third = await rawExchange(health, 0, { server: capped, giveUpMs: 5_000 });
      first.destroy();
      await eventually(async () => ((await countConnections(capped)) === 1 ? true : undefined));
      const afterOneClosed = await rawExchange(health, 0, { server: capped, giveUpMs: 5_000 });
      second.destroy();

      // Assess
      expect(third.status, 'the third connection got no answer').toBe(0);
      expect(third.closedByServer).toBe(true);
      expect(afterOneClosed.status).toBe(200);
    } finally {
      capped.closeAllConnections();
      await new Promise<void>((ok) => capped.close(() => ok()));
    }
  });
});

function countConnections(server: Server): Promise<number> {
  return new Promise((resolve, reject) => server.getConnections((error, count) => (error ? reject(error) : resolve(count))));
}
