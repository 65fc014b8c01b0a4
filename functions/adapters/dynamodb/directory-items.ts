/** What the directory adapters share: key attributes never leave the adapter, and whole-partition reads. */
import { type DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { INDEXES } from './table.ts';

export type Item = Record<string, unknown>;

const KEY_ATTRIBUTES = new Set(['PK', 'SK', 'GSI1PK', 'GSI1SK', 'GSI2PK', 'GSI2SK']);

export function strip<T>(item: Item): T {
  const out: Item = {};
  for (const [k, v] of Object.entries(item)) if (!KEY_ATTRIBUTES.has(k)) out[k] = v;
  return out as T;
}

export async function getItem<T>(db: DynamoDBDocumentClient, tableName: string, PK: string, SK: string): Promise<T | null> {
  const { Item } = await db.send(new GetCommand({ TableName: tableName, Key: { PK, SK }, ConsistentRead: true }));
  return Item ? strip<T>(Item) : null;
}

/** Reads a whole directory partition of GSI1; these lists are bounded by the size of one node's children or staff. */
export async function queryDirectory<T>(
  db: DynamoDBDocumentClient,
  tableName: string,
  partition: string,
  sortPrefix?: string,
): Promise<T[]> {
  const out: T[] = [];
  let ExclusiveStartKey: Item | undefined;
  do {
    const page = await db.send(
      new QueryCommand({
        TableName: tableName,
        IndexName: INDEXES.directory.name,
        KeyConditionExpression: sortPrefix ? 'GSI1PK = :pk AND begins_with(GSI1SK, :sk)' : 'GSI1PK = :pk',
        ExpressionAttributeValues: sortPrefix ? { ':pk': partition, ':sk': sortPrefix } : { ':pk': partition },
        ExclusiveStartKey,
      }),
    );
    for (const item of page.Items ?? []) out.push(strip<T>(item));
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return out;
}
