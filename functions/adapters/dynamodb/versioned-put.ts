/** A put conditional on the version the writer read: the directory's optimistic concurrency. */
import { type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { VersionConflictError } from '#ports/versioning.ts';
import { applied } from './client.ts';

type Item = Record<string, unknown>;

/**
 * Writes `item` if the stored one is still at `expectedVersion`: null when there must be none yet
 * (a creation), 0 for a record written before records had versions (seeded by an older release).
 */
export async function putIfVersion(
  db: DynamoDBDocumentClient,
  tableName: string,
  item: Item,
  expectedVersion: number | null,
  what: string,
): Promise<void> {
  const condition =
    expectedVersion === null
      ? { ConditionExpression: 'attribute_not_exists(PK)' }
      : expectedVersion === 0
        ? { ConditionExpression: 'attribute_exists(PK) AND attribute_not_exists(version)' }
        : { ConditionExpression: 'version = :v', ExpressionAttributeValues: { ':v': expectedVersion } };
  if (!(await applied(db.send(new PutCommand({ TableName: tableName, Item: item, ...condition }))))) {
    throw new VersionConflictError(what);
  }
}
