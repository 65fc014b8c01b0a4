/**
 * The directory in bulk, for imports and exports: BatchGetItem (100 keys a call) and
 * BatchWriteItem (25 items a call), retrying what DynamoDB leaves unprocessed with exponential
 * backoff and full jitter, and the subtree listings of GSI2. Batch writes cannot be conditional:
 * see DirectoryBatch in ports/imports.ts for what that means and why it is safe to re-run.
 */
import { BatchGetCommand, BatchWriteCommand, type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { AuditEntry } from '#core/audit.ts';
import { pathKey } from '#core/tree.ts';
import type { StoredNode, StoredPerson } from '#ports/directory.ts';
import type { DirectoryBatch } from '#ports/imports.ts';
import { historyItem } from './audit-log.ts';
import { type Item, strip } from './directory-items.ts';
import { personItem, personKey } from './people-store.ts';
import { INDEXES } from './table.ts';
import { nodeItem, nodeKey } from './tree-store.ts';

export const BATCH_GET_KEYS = 100;
export const BATCH_WRITE_ITEMS = 25;

export interface RetryPolicy {
  /** Attempts of one batch before giving up (the first included). */
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** Waits; tests pass one that does not. */
  sleep: (ms: number) => Promise<void>;
  random: () => number;
  /** Batches in flight at once: DynamoDB takes them in parallel, and one call's latency is most of its cost. */
  concurrency: number;
}

export const DEFAULT_RETRY: RetryPolicy = {
  attempts: 10,
  baseDelayMs: 50,
  maxDelayMs: 5_000,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  random: Math.random,
  concurrency: 4,
};

/** Full jitter (AWS Architecture Blog, "Exponential Backoff And Jitter"): anywhere up to the capped exponential step. */
export function backoffMs(policy: Pick<RetryPolicy, 'baseDelayMs' | 'maxDelayMs' | 'random'>, attempt: number): number {
  return Math.floor(policy.random() * Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt));
}

export function chunked<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * Every item with these keys that exists, in no particular order: 100 keys a call, unprocessed
 * keys asked again after a backoff. Strongly consistent unless `consistent` is false; only
 * `attributes` (and the key) when given.
 */
export async function batchGetByKey(
  db: DynamoDBDocumentClient,
  tableName: string,
  keys: readonly Item[],
  retry: RetryPolicy = DEFAULT_RETRY,
  { consistent = true, attributes }: { consistent?: boolean; attributes?: readonly string[] } = {},
): Promise<Item[]> {
  const names = attributes && Object.fromEntries(['PK', 'SK', ...attributes].map((a, i) => [`#p${i}`, a]));
  const projection = names ? { ProjectionExpression: Object.keys(names).join(', '), ExpressionAttributeNames: names } : {};
  const unique = [...new Map(keys.map((k) => [`${k.PK}|${k.SK}`, k])).values()];
  const found: Item[] = [];
  for (const batch of chunked(unique, BATCH_GET_KEYS)) {
    let pending: Item[] = batch;
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt >= retry.attempts) throw new Error(`BatchGetItem left ${pending.length} keys unprocessed after ${attempt} attempts`);
      if (attempt > 0) await retry.sleep(backoffMs(retry, attempt));
      const result = await db.send(
        new BatchGetCommand({ RequestItems: { [tableName]: { Keys: pending, ConsistentRead: consistent, ...projection } } }),
      );
      found.push(...(result.Responses?.[tableName] ?? []));
      pending = (result.UnprocessedKeys?.[tableName]?.Keys as Item[] | undefined) ?? [];
    }
  }
  return found;
}

export class DynamoDirectoryBatch implements DirectoryBatch {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly retry: RetryPolicy = DEFAULT_RETRY,
  ) {}

  getNodes(codes: readonly string[]): Promise<StoredNode[]> {
    return this.getAll(codes.map(nodeKey));
  }

  getPeople(ids: readonly string[]): Promise<StoredPerson[]> {
    return this.getAll(ids.map(personKey));
  }

  nodesUnder(path: readonly string[]): Promise<StoredNode[]> {
    return this.queryAll(`SUBTREE#${path[0] ?? ''}`, pathKey(path));
  }

  staffUnder(path: readonly string[]): Promise<StoredPerson[]> {
    return this.queryAll(`STAFF#${path[0] ?? ''}`, pathKey(path));
  }

  async writeRecords(records: { nodes: readonly StoredNode[]; people: readonly StoredPerson[] }): Promise<void> {
    await this.putAll([...records.nodes.map(nodeItem), ...records.people.map(personItem)]);
  }

  async appendEntries(entries: readonly AuditEntry[]): Promise<void> {
    await this.putAll(entries.map(historyItem));
  }

  /** Every item with these keys that exists (batchGetByKey). */
  private async getAll<T>(keys: readonly Item[]): Promise<T[]> {
    return (await batchGetByKey(this.db, this.tableName, keys, this.retry)).map((item) => strip<T>(item));
  }

  /** Puts every item, 25 a call and a few calls at once, unprocessed items sent again after a backoff. */
  private async putAll(items: readonly Item[]): Promise<void> {
    const batches = chunked(items, BATCH_WRITE_ITEMS);
    let next = 0;
    const worker = async () => {
      for (let batch = batches[next++]; batch; batch = batches[next++]) await this.putBatch(batch);
    };
    await Promise.all(Array.from({ length: Math.min(this.retry.concurrency, batches.length) }, worker));
  }

  private async putBatch(batch: readonly Item[]): Promise<void> {
    let pending = batch.map((Item) => ({ PutRequest: { Item } }));
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt >= this.retry.attempts)
        throw new Error(`BatchWriteItem left ${pending.length} items unprocessed after ${attempt} attempts`);
      if (attempt > 0) await this.retry.sleep(backoffMs(this.retry, attempt));
      const result = await this.db.send(new BatchWriteCommand({ RequestItems: { [this.tableName]: pending } }));
      pending = (result.UnprocessedItems?.[this.tableName] as typeof pending | undefined) ?? [];
    }
  }

  /** A whole key range of GSI2 (a subtree's nodes or staff), page after page. */
  private async queryAll<T>(partition: string, prefix: string): Promise<T[]> {
    const out: T[] = [];
    let start: Item | undefined;
    do {
      const page = await this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: INDEXES.subtree.name,
          KeyConditionExpression: 'GSI2PK = :pk AND begins_with(GSI2SK, :prefix)',
          ExpressionAttributeValues: { ':pk': partition, ':prefix': prefix },
          ExclusiveStartKey: start,
        }),
      );
      for (const item of page.Items ?? []) out.push(strip<T>(item));
      start = page.LastEvaluatedKey;
    } while (start);
    return out;
  }
}
