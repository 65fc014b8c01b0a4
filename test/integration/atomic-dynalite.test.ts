/**
 * The embedded DynamoDB writes an item and its index entries as one: a write that fails where a
 * process died (here: the LevelDB write carrying the item refused, as on a database closed under
 * it) leaves the item and every index as they were, never an index entry deleted and not replaced.
 * Against dynalite on a real LevelDB directory, through the AWS SDK.
 */
import { mkdtemp } from 'node:fs/promises';
import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import dynalite from '#local/atomic-dynalite.ts';
import { removeDataDir } from '../support/child-server.ts';

type Operation = { type: 'put' | 'del'; key: string };

/**
 * Every LevelDB write dynalite makes; and, when armed, the process stopping at the next write that
 * carries an item: that write never happens and never answers, as where a process was killed.
 */
const writes: Operation[][] = [];
let stopAtNextItemWrite: { reached: () => void } | undefined;
const stoppedWrites: (() => void)[] = [];
const { ClassicLevel } = createRequire(import.meta.url)('classic-level') as {
  ClassicLevel: { prototype: Record<'put' | 'del' | 'batch', (...args: unknown[]) => Promise<void>> };
};
const levelPrototype = ClassicLevel.prototype;
const original = { put: levelPrototype.put, del: levelPrototype.del, batch: levelPrototype.batch };

function write(operations: Operation[], go: () => Promise<void>): Promise<void> {
  writes.push(operations);
  if (stopAtNextItemWrite && operations.some((o) => o.key.startsWith('item-'))) {
    stopAtNextItemWrite.reached();
    stopAtNextItemWrite = undefined;
    return new Promise((resolve) => stoppedWrites.push(resolve));
  }
  return go();
}

let server: Server;
let dataDir = '';
let documents: DynamoDBDocumentClient;

beforeAll(async () => {
  // Before dynalite opens its LevelDB: it binds these methods when it does.
  levelPrototype.put = function (this: unknown, key: unknown, ...rest: unknown[]) {
    return write([{ type: 'put', key: String(key) }], () => original.put.call(this, key, ...rest));
  };
  levelPrototype.del = function (this: unknown, key: unknown, ...rest: unknown[]) {
    return write([{ type: 'del', key: String(key) }], () => original.del.call(this, key, ...rest));
  };
  levelPrototype.batch = function (this: unknown, operations: unknown, ...rest: unknown[]) {
    const ops = Array.isArray(operations) ? (operations as Operation[]).map(({ type, key }) => ({ type, key: String(key) })) : [];
    return write(ops, () => original.batch.call(this, operations, ...rest));
  };
  dataDir = await mkdtemp(join(tmpdir(), 'gw-atomic-dynalite-'));
  server = dynalite({ path: dataDir, createTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const client = new DynamoDBClient({
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  documents = DynamoDBDocumentClient.from(client);
  await client.send(
    new CreateTableCommand({
      TableName: 'reports',
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'openKey', AttributeType: 'S' },
        { AttributeName: 'dueAt', AttributeType: 'S' },
      ],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      GlobalSecondaryIndexes: [
        {
          IndexName: 'byDue',
          KeySchema: [
            { AttributeName: 'openKey', KeyType: 'HASH' },
            { AttributeName: 'dueAt', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'KEYS_ONLY' },
        },
      ],
    }),
  );
});

afterAll(async () => {
  Object.assign(levelPrototype, original);
  // The stopped writes answer (writing nothing) so that dynalite can close.
  for (const release of stoppedWrites) release();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  if (dataDir) await removeDataDir(dataDir);
});

async function dueEntries(): Promise<{ pk: string; dueAt: string }[]> {
  const page = await documents.send(
    new QueryCommand({
      TableName: 'reports',
      IndexName: 'byDue',
      KeyConditionExpression: 'openKey = :o',
      ExpressionAttributeValues: { ':o': 'OPEN#450102' },
    }),
  );
  return (page.Items ?? []).map((i) => ({ pk: i.pk, dueAt: i.dueAt }));
}

const moveDue = (pk: string, dueAt: string, abortSignal?: AbortSignal) =>
  documents.send(
    new UpdateCommand({
      TableName: 'reports',
      Key: { pk },
      UpdateExpression: 'SET dueAt = :d, #status = :s',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':d': dueAt, ':s': 'assigned' },
    }),
    { abortSignal },
  );

describe('the embedded DynamoDB writes an item with its index entries', () => {
  it('in one LevelDB batch: the item, the old index entry deleted and the new one put', async () => {
    await documents.send(
      new PutCommand({ TableName: 'reports', Item: { pk: 'R1', openKey: 'OPEN#450102', dueAt: '2026-12-03T10:00', status: 'submitted' } }),
    );
    writes.length = 0;

    await moveDue('R1', '2026-12-03T12:00');

    expect(writes).toHaveLength(1);
    // Keys are dynalite's hashes after the table's (or the index's) prefix.
    expect(writes[0]?.map((o) => `${o.type} ${o.key.split('~').slice(0, -1).join('~')}`).sort()).toEqual([
      'del index-global~reports~byDue',
      'put index-global~reports~byDue',
      'put item-reports',
    ]);
    expect(await dueEntries()).toEqual([{ pk: 'R1', dueAt: '2026-12-03T12:00' }]);
  });

  it('or not at all: a process stopped at that write leaves the item and its index as they were', async () => {
    await documents.send(
      new PutCommand({ TableName: 'reports', Item: { pk: 'R3', openKey: 'OPEN#450102', dueAt: '2026-12-03T11:00', status: 'submitted' } }),
    );
    const reached = new Promise<void>((resolve) => {
      stopAtNextItemWrite = { reached: resolve };
    });
    const abandoned = new AbortController();
    const update = moveDue('R3', '2026-12-04T09:00', abandoned.signal).catch(() => 'abandoned');
    await reached;

    const stored = await documents.send(new GetCommand({ TableName: 'reports', Key: { pk: 'R3' }, ConsistentRead: true }));
    expect(stored.Item).toMatchObject({ dueAt: '2026-12-03T11:00', status: 'submitted' });
    // The entry a listing of open reports reads is still there, at the item's stored due time.
    expect(await dueEntries()).toEqual([
      { pk: 'R3', dueAt: '2026-12-03T11:00' },
      { pk: 'R1', dueAt: '2026-12-03T12:00' },
    ]);
    abandoned.abort();
    expect(await update).toBe('abandoned');
  });

  it('an item leaving the index, or deleted, goes in one batch with its entry', async () => {
    await documents.send(
      new PutCommand({ TableName: 'reports', Item: { pk: 'R2', openKey: 'OPEN#450102', dueAt: '2026-12-05T08:00', status: 'submitted' } }),
    );
    writes.length = 0;
    await documents.send(new UpdateCommand({ TableName: 'reports', Key: { pk: 'R1' }, UpdateExpression: 'REMOVE openKey' }));

    await documents.send(new DeleteCommand({ TableName: 'reports', Key: { pk: 'R2' } }));

    expect(writes.map((batch) => batch.map((o) => `${o.type} ${o.key.split('~').slice(0, -1).join('~')}`).sort())).toEqual([
      ['del index-global~reports~byDue', 'put item-reports'],
      ['del index-global~reports~byDue', 'del item-reports'],
    ]);
    expect(await dueEntries()).toEqual([{ pk: 'R3', dueAt: '2026-12-03T11:00' }]);
  });
});
