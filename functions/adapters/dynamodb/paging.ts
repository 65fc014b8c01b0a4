/**
 * Paging a Query with an opaque cursor. A cursor is untrusted input: it must carry exactly the key
 * attributes of the index it came from, with the partition the query asks for, or it is refused.
 */
import { type DynamoDBDocumentClient, QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { ValidationError } from '#core/errors.ts';
import type { Page } from '#ports/versioning.ts';

type Item = Record<string, unknown>;

export interface KeyShape {
  /** The key attributes a LastEvaluatedKey of this query has (table keys plus the index's). */
  attributes: readonly string[];
  /** The attribute and value the partition must have. */
  partition: { attribute: string; value: string };
}

export function encodeCursor(key: Item): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

export function decodeCursor(raw: string, shape: KeyShape): Item {
  try {
    const key = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as Item;
    const ok =
      key !== null &&
      typeof key === 'object' &&
      JSON.stringify(Object.keys(key).sort()) === JSON.stringify([...shape.attributes].sort()) &&
      Object.values(key).every((v) => typeof v === 'string' && v.length < 400) &&
      key[shape.partition.attribute] === shape.partition.value;
    if (ok) return key;
  } catch {
    // fall through to the error below
  }
  throw new ValidationError('CURSOR.INVALID', 'the cursor is not one this listing returned');
}

/**
 * Reads up to `limit` items of a Query, from a cursor, following DynamoDB's pages when a filter
 * leaves a page short; `maxRounds` bounds the work one page of a sparse filter may cost.
 */
export async function queryPage<T>(
  db: DynamoDBDocumentClient,
  input: QueryCommandInput,
  options: { limit: number; cursor?: string; shape: KeyShape; map: (item: Item) => T; maxRounds?: number },
): Promise<Page<T>> {
  const items: Item[] = [];
  let start: Item | undefined = options.cursor ? decodeCursor(options.cursor, options.shape) : undefined;
  let rounds = 0;
  const maxRounds = options.maxRounds ?? 10;
  do {
    const page = await db.send(
      new QueryCommand({
        ...input,
        Limit: input.FilterExpression ? Math.max(100, options.limit) : options.limit + 1,
        ExclusiveStartKey: start,
      }),
    );
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
    rounds++;
  } while (start && items.length <= options.limit && rounds < maxRounds);
  const pageItems = items.slice(0, options.limit);
  const last = pageItems.at(-1);
  let nextCursor: string | null = null;
  if (items.length > options.limit && last) {
    nextCursor = encodeCursor(Object.fromEntries(options.shape.attributes.map((a) => [a, last[a]])));
  } else if (start) {
    nextCursor = encodeCursor(start);
  }
  return { items: pageItems.map(options.map), nextCursor };
}

/** Every item of a Query, page after page: for a sweep (the reconciler, a catch-up), not a listing. */
export async function* queryItems(db: DynamoDBDocumentClient, input: QueryCommandInput): AsyncIterable<Item> {
  let ExclusiveStartKey: Item | undefined;
  do {
    const page = await db.send(new QueryCommand({ ...input, ExclusiveStartKey }));
    yield* page.Items ?? [];
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
}

/** The codes of the tree's roots (the counties): sweeps run per county, on each county's own partition. */
export async function* countyCodes(db: DynamoDBDocumentClient, tableName: string, directoryIndex: string): AsyncIterable<string> {
  const roots = queryItems(db, {
    TableName: tableName,
    IndexName: directoryIndex,
    KeyConditionExpression: 'GSI1PK = :roots',
    ExpressionAttributeValues: { ':roots': 'CHILDREN#' },
  });
  for await (const county of roots) yield String(county.code);
}
