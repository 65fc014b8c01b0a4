import { BatchGetCommand, BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { backoffMs, DEFAULT_RETRY, DynamoDirectoryBatch, type RetryPolicy } from '#adapters/dynamodb/directory-batch.ts';
import type { StoredNode } from '#ports/directory.ts';
import { GRID, VILLAGE } from './fixtures.ts';

const TABLE = 'gw';

/** A client that answers each call with the next scripted reply, and records what it was sent. */
function scripted(replies: ((input: Record<string, unknown>) => unknown)[]) {
  const sent: { name: string; input: Record<string, unknown> }[] = [];
  const db = {
    send: async (command: { constructor: { name: string }; input: Record<string, unknown> }) => {
      sent.push({ name: command.constructor.name, input: structuredClone(command.input) });
      const reply = replies.shift();
      if (!reply) throw new Error('no reply scripted');
      return reply(command.input);
    },
  } as unknown as DynamoDBDocumentClient;
  return { db, sent };
}

function policy(sleeps: number[]): RetryPolicy {
  return { ...DEFAULT_RETRY, attempts: 4, sleep: async (ms) => void sleeps.push(ms), random: () => 1, concurrency: 1 };
}

const nodes = (n: number): StoredNode[] =>
  Array.from({ length: n }, (_, i) => ({ ...GRID, code: `${VILLAGE.code}${String(i).padStart(3, '0')}` }));

describe('batch writes', () => {
  it('send 25 items a call and send again what DynamoDB left unprocessed, after a growing backoff', async () => {
    // Prepare: the second batch comes back with two items unprocessed, twice
    const sleeps: number[] = [];
    const unprocessed = (input: Record<string, unknown>) => {
      const requests = (input.RequestItems as Record<string, unknown[]>)[TABLE] ?? [];
      return { UnprocessedItems: { [TABLE]: requests.slice(0, 2) } };
    };
    const { db, sent } = scripted([() => ({}), unprocessed, unprocessed, () => ({})]);
    const batch = new DynamoDirectoryBatch(db, TABLE, policy(sleeps));

    // Act
    await batch.writeRecords({ nodes: nodes(30), people: [] });

    // Assess
    const sizes = sent.map((s) => ((s.input.RequestItems as Record<string, unknown[]>)[TABLE] ?? []).length);
    expect(sent.every((s) => s.name === BatchWriteCommand.name)).toBe(true);
    expect(sizes).toEqual([25, 5, 2, 2]);
    expect(sleeps).toEqual([100, 200]);
  });

  it('give up with an error once the attempts are spent, rather than lose items silently', async () => {
    // Prepare
    const stuck = (input: Record<string, unknown>) => ({ UnprocessedItems: input.RequestItems });
    const { db } = scripted([stuck, stuck, stuck, stuck]);
    const batch = new DynamoDirectoryBatch(db, TABLE, policy([]));

    // Act
    const write = batch.writeRecords({ nodes: nodes(3), people: [] });

    // Assess
    await expect(write).rejects.toThrow('BatchWriteItem left 3 items unprocessed after 4 attempts');
  });
});

describe('batch reads', () => {
  it('ask 100 keys a call, consistently, and ask again for the keys DynamoDB left unprocessed', async () => {
    // Prepare
    const sleeps: number[] = [];
    const codes = nodes(120).map((n) => n.code);
    const { db, sent } = scripted([
      (input) => {
        const keys = ((input.RequestItems as Record<string, { Keys: unknown[] }>)[TABLE]?.Keys ?? []) as Record<string, string>[];
        return { Responses: { [TABLE]: [{ ...keys[0], code: codes[0] }] }, UnprocessedKeys: { [TABLE]: { Keys: keys.slice(1, 3) } } };
      },
      () => ({ Responses: { [TABLE]: [] } }),
      () => ({ Responses: { [TABLE]: [] } }),
    ]);
    const batch = new DynamoDirectoryBatch(db, TABLE, policy(sleeps));

    // Act
    const found = await batch.getNodes([...codes, codes[0] as string]);

    // Assess
    expect(sent.map((s) => s.name)).toEqual([BatchGetCommand.name, BatchGetCommand.name, BatchGetCommand.name]);
    const asked = sent.map((s) => (s.input.RequestItems as Record<string, { Keys: unknown[]; ConsistentRead: boolean }>)[TABLE]);
    expect(asked.map((a) => a?.Keys.length)).toEqual([100, 2, 20]);
    expect(asked.every((a) => a?.ConsistentRead === true)).toBe(true);
    expect(found).toEqual([{ code: codes[0] }]);
    expect(sleeps).toEqual([100]);
  });
});

describe('backoff', () => {
  it('is full jitter: anywhere below the capped exponential step', () => {
    const at = (random: number, attempt: number) => backoffMs({ baseDelayMs: 50, maxDelayMs: 5_000, random: () => random }, attempt);
    expect([at(1, 1), at(1, 3), at(1, 20), at(0, 5), at(0.5, 2)]).toEqual([100, 400, 5_000, 0, 100]);
  });
});
