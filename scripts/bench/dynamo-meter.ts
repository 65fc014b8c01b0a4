/**
 * A metering proxy in front of dynalite: every request passes through unchanged (plus
 * ReturnConsumedCapacity=TOTAL), and the proxy adds up what DynamoDB on-demand would bill.
 *
 * - Reads: the RRUs dynalite reports (4 KB units; eventually consistent reads count half).
 * - Writes to the table: the WRUs dynalite reports (1 KB units of the larger of the old and new
 *   item); a write refused by its condition still costs the item's WRUs, as on DynamoDB.
 * - Writes to global secondary indexes, which dynalite does not report: per index, one write of the
 *   index entry when an item enters or leaves it or a projected attribute changes, two when its
 *   index key changes (delete + put), none when only attributes the index does not project change.
 *   The entry is what the index projects (table.ts: the whole item, its keys, or its keys and the
 *   attributes named) plus 100 bytes of overhead. For this the proxy reads the item before and
 *   after each write directly from dynalite.
 * - Items under SESSION# are the local sign-in sessions; on AWS Cognito holds them, so they are
 *   counted apart (`localOnly`) and left out of the totals.
 */
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { ALL_INDEXES, type IndexDesign, TABLE_KEYS } from '#adapters/dynamodb/table.ts';

type WireItem = Record<string, Record<string, unknown>>;

const { itemSize } = createRequire(import.meta.url)('dynalite/db/index.js') as { itemSize: (item: WireItem) => number };

const INDEX_ENTRY_OVERHEAD = 100;

export interface Meter {
  requests: number;
  rru: number;
  /** Base-table WRUs. */
  wru: number;
  /** Index WRUs. */
  gsiWru: number;
  byOperation: Record<string, number>;
  localOnly: number;
}

export const emptyMeter = (): Meter => ({ requests: 0, rru: 0, wru: 0, gsiWru: 0, byOperation: {}, localOnly: 0 });

export function diffMeter(after: Meter, before: Meter): Meter {
  const byOperation: Record<string, number> = {};
  for (const [op, n] of Object.entries(after.byOperation)) {
    const d = n - (before.byOperation[op] ?? 0);
    if (d > 0) byOperation[op] = d;
  }
  return {
    requests: after.requests - before.requests,
    rru: after.rru - before.rru,
    wru: after.wru - before.wru,
    gsiWru: after.gsiWru - before.gsiWru,
    byOperation,
    localOnly: after.localOnly - before.localOnly,
  };
}

const writeUnits = (item: WireItem | null) => (item ? Math.max(1, Math.ceil(itemSize(item) / 1024)) : 0);
const indexUnits = (entry: WireItem) => Math.max(1, Math.ceil((itemSize(entry) + INDEX_ENTRY_OVERHEAD) / 1024));

/** The index entry of an item: what the index projects of it. */
function indexEntry(index: IndexDesign, item: WireItem): WireItem {
  if (index.projection.type === 'ALL') return item;
  const names = [TABLE_KEYS.partitionKey, TABLE_KEYS.sortKey, index.partitionKey, index.sortKey];
  if (index.projection.type === 'INCLUDE') names.push(...index.projection.attributes);
  return Object.fromEntries(names.filter((n) => item[n] !== undefined).map((n) => [n, item[n] as Record<string, unknown>]));
}

function gsiWriteUnits(before: WireItem | null, after: WireItem | null): number {
  let units = 0;
  for (const index of ALL_INDEXES) {
    const keyOf = (item: WireItem | null) =>
      item?.[index.partitionKey] && item[index.sortKey] ? JSON.stringify([item[index.partitionKey], item[index.sortKey]]) : null;
    const was = keyOf(before);
    const is = keyOf(after);
    const entry = (item: WireItem | null) => indexEntry(index, item as WireItem);
    if (was && is && was === is) units += JSON.stringify(entry(before)) === JSON.stringify(entry(after)) ? 0 : indexUnits(entry(after));
    else {
      if (was) units += indexUnits(entry(before));
      if (is) units += indexUnits(entry(after));
    }
  }
  return units;
}

/** The attributes that make an item large, for the trace: the biggest first. */
function largestAttributes(item: WireItem): string {
  return Object.entries(item)
    .map(([name, value]) => [name, itemSize({ [name]: value })] as const)
    .sort((a, b) => b[1] - a[1])
    .slice(0, Number(process.env.TRACE_ATTRIBUTES ?? 8))
    .map(([name, size]) => `${name} ${size}`)
    .join(', ');
}

const WRITES = new Set(['PutItem', 'UpdateItem', 'DeleteItem']);

/** `trace` receives one line per metered request (and the units of each write), for finding where a path's storage goes. */
export async function startDynamoMeter(
  target: string,
  trace?: (line: string) => void,
): Promise<{ url: string; meter: () => Meter; close: () => Promise<void> }> {
  const totals = emptyMeter();

  const call = async (operation: string, body: unknown, headers: Record<string, string>) => {
    const res = await fetch(target, {
      method: 'POST',
      headers: { ...headers, 'x-amz-target': `DynamoDB_20120810.${operation}` },
      body: JSON.stringify(body),
    });
    return { status: res.status, headers: res.headers, text: await res.text() };
  };
  const readItem = async (tableName: string, key: WireItem, headers: Record<string, string>): Promise<WireItem | null> => {
    const out = await call('GetItem', { TableName: tableName, Key: key, ConsistentRead: true }, headers);
    return (JSON.parse(out.text).Item as WireItem | undefined) ?? null;
  };

  // Requests still being forwarded: close() waits for them, so dynalite is never closed under one.
  const inFlight = new Set<Promise<void>>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const forwarding = forward(req.headers, Buffer.concat(chunks), res);
      inFlight.add(forwarding);
      void forwarding.finally(() => inFlight.delete(forwarding));
    });
  });

  async function forward(reqHeaders: IncomingHttpHeaders, raw: Buffer, res: ServerResponse): Promise<void> {
    try {
      const operation = String(reqHeaders['x-amz-target'] ?? '').split('.')[1] ?? '';
      const input = JSON.parse(raw.toString('utf8') || '{}');
      const headers: Record<string, string> = {
        'content-type': String(reqHeaders['content-type'] ?? 'application/x-amz-json-1.0'),
        authorization: String(reqHeaders.authorization ?? ''),
        'x-amz-date': String(reqHeaders['x-amz-date'] ?? ''),
      };
      const key: WireItem | undefined =
        input.Key ??
        (input.Item
          ? { [TABLE_KEYS.partitionKey]: input.Item[TABLE_KEYS.partitionKey], [TABLE_KEYS.sortKey]: input.Item[TABLE_KEYS.sortKey] }
          : undefined);
      const localOnly = String(key?.[TABLE_KEYS.partitionKey]?.S ?? '').startsWith('SESSION#');
      const metered = !localOnly && operation !== 'DescribeTable' && operation !== 'CreateTable';
      const isWrite = WRITES.has(operation) && key !== undefined;
      const before = metered && isWrite ? await readItem(input.TableName, key, headers) : null;

      const out = await call(operation, { ...input, ReturnConsumedCapacity: 'TOTAL' }, headers);

      if (localOnly) totals.localOnly++;
      if (metered && trace) {
        const what = key ?? input.ExpressionAttributeValues ?? input.RequestItems ?? {};
        const expression = input.UpdateExpression ?? input.ConditionExpression ?? input.KeyConditionExpression ?? '';
        trace(`${operation} ${input.IndexName ?? ''} ${JSON.stringify(what).slice(0, 160)} ${String(expression).slice(0, 100)}`);
      }
      if (metered) {
        totals.requests++;
        totals.byOperation[operation] = (totals.byOperation[operation] ?? 0) + 1;
        const parsed = JSON.parse(out.text);
        const consumed = ([] as { CapacityUnits?: number }[]).concat(parsed.ConsumedCapacity ?? []);
        const units = consumed.reduce((sum, c) => sum + (c.CapacityUnits ?? 0), 0);
        if (isWrite) {
          const after = out.status === 200 ? await readItem(input.TableName, key, headers) : before;
          // A refused conditional write is billed like a write of the item as it stands.
          totals.wru += out.status === 200 ? units : Math.max(1, writeUnits(before));
          totals.gsiWru += out.status === 200 ? gsiWriteUnits(before, after) : 0;
          trace?.(
            `  → ${out.status} ${out.status === 200 ? units : writeUnits(before)} WRU + ${out.status === 200 ? gsiWriteUnits(before, after) : 0} index WRU (item ${after ? itemSize(after) : 0} B${after && itemSize(after) > 1024 ? `: ${largestAttributes(after)}` : ''})${process.env.TRACE_ITEMS && after && itemSize(after) > 1024 ? `\n${JSON.stringify(after)}` : ''}`,
          );
        } else if (operation.startsWith('Batch') && operation.includes('Write')) {
          totals.wru += units;
        } else {
          totals.rru += units;
        }
      }
      const passOn: Record<string, string> = {};
      for (const name of ['content-type', 'x-amzn-requestid', 'x-amz-crc32']) {
        const value = out.headers.get(name);
        if (value) passOn[name] = value;
      }
      res.writeHead(out.status, passOn);
      res.end(out.text);
    } catch (error) {
      res.writeHead(500, { 'content-type': 'application/x-amz-json-1.0' });
      res.end(JSON.stringify({ __type: 'com.amazonaws.dynamodb.v20120810#InternalServerError', message: String(error) }));
    }
  }

  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', () => ok()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    meter: () => structuredClone(totals),
    close: async () => {
      const closed = new Promise<void>((ok) => server.close(() => ok()));
      server.closeAllConnections();
      await Promise.allSettled([...inFlight]);
      await closed;
    },
  };
}
