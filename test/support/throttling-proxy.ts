/**
 * A proxy in front of the embedded DynamoDB (dynalite) that refuses a fixed share of requests the
 * way DynamoDB does when a table's throughput is exceeded: HTTP 400 with
 * ProvisionedThroughputExceededException, which the SDK treats as throttling and retries with
 * backoff. Every other request passes through untouched (headers, signature and body as sent).
 *
 * Deterministic: every `every`-th request is refused (every 5th: 20 %), counted in arrival order,
 * retries included, so a retried request may be refused again as it would be on a hot table. A
 * storm refuses everything from a chosen write on, until it calms: what outlasts the SDK's retries.
 */
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ThrottlingProxy {
  url: string;
  /**
   * Requests seen and refused so far, refused per operation (PutItem, Query…), and refusals of a
   * client's last allowed attempt (the SDK's amz-sdk-request header): those reached the caller as errors.
   */
  stats: () => { requests: number; throttled: number; throttledBy: Record<string, number>; lastAttemptsRefused: number };
  /** Refuse nothing from now on (the table caught up), or start again. */
  setEnabled: (enabled: boolean) => void;
  /** Lets `afterWrites` more writes through, then refuses every request until `calm()` (no every-n-th meanwhile). */
  storm: (afterWrites: number) => void;
  calm: () => void;
  close: () => Promise<void>;
}

const THROTTLED_BODY = JSON.stringify({
  __type: 'com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException',
  message: 'The level of configured provisioned throughput for the table was exceeded. Consider increasing your provisioning level.',
});

const WRITES = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem', 'TransactWriteItems']);

export async function startThrottlingProxy(target: string, opts: { every: number; enabled?: boolean }): Promise<ThrottlingProxy> {
  const upstream = new URL(target);
  let requests = 0;
  let throttled = 0;
  let enabled = opts.enabled ?? true;
  const throttledBy: Record<string, number> = {};
  let lastAttemptsRefused = 0;
  /** Writes a storm still lets through; null: no storm. */
  let stormAfter: number | null = null;
  const refuses = (operation: string) => {
    if (stormAfter === null) return enabled && requests % opts.every === 0;
    if (stormAfter === 0) return true;
    if (WRITES.has(operation)) stormAfter--;
    return false;
  };
  const server = createServer((req, res) => {
    requests++;
    const operation = String(req.headers['x-amz-target'] ?? '').split('.')[1] ?? 'unknown';
    if (refuses(operation)) {
      throttled++;
      throttledBy[operation] = (throttledBy[operation] ?? 0) + 1;
      const attempt = /attempt=(\d+); max=(\d+)/.exec(String(req.headers['amz-sdk-request'] ?? ''));
      if (attempt && attempt[1] === attempt[2]) lastAttemptsRefused++;
      // Drain the body first: answering mid-upload would reset the client's connection instead.
      req.resume();
      req.on('end', () => {
        res.writeHead(400, { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': `throttled-${requests}` });
        res.end(THROTTLED_BODY);
      });
      return;
    }
    const forward = request(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forward.on('error', (error) => {
      res.writeHead(500, { 'content-type': 'application/x-amz-json-1.0' });
      res.end(JSON.stringify({ __type: 'com.amazonaws.dynamodb.v20120810#InternalServerError', message: String(error) }));
    });
    req.pipe(forward);
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', () => ok()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    stats: () => ({ requests, throttled, throttledBy: { ...throttledBy }, lastAttemptsRefused }),
    setEnabled: (on) => {
      enabled = on;
    },
    storm: (afterWrites) => {
      stormAfter = afterWrites;
    },
    calm: () => {
      stormAfter = null;
    },
    close: async () => {
      const closed = new Promise<void>((ok) => server.close(() => ok()));
      server.closeAllConnections();
      await closed;
    },
  };
}
