/** Leases as `LEASE#<name>` items: one conditional UpdateItem takes a lease, another gives it back. */
import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { LeaseStore } from '#ports/leases.ts';
import { applied } from './client.ts';

export const leaseKey = (name: string) => ({ PK: `LEASE#${name}`, SK: 'LEASE' });

export class DynamoLeaseStore implements LeaseStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async acquire(name: string, holder: string, until: Date, now: Date): Promise<boolean> {
    return applied(
      this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: leaseKey(name),
          UpdateExpression: 'SET holder = :holder, expiresAt = :until, acquiredAt = :now',
          ConditionExpression: 'attribute_not_exists(PK) OR expiresAt <= :now OR holder = :holder',
          ExpressionAttributeValues: { ':holder': holder, ':until': until.toISOString(), ':now': now.toISOString() },
        }),
      ),
    );
  }

  async release(name: string, holder: string, now: Date): Promise<void> {
    await applied(
      this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: leaseKey(name),
          UpdateExpression: 'SET expiresAt = :now',
          ConditionExpression: 'holder = :holder',
          ExpressionAttributeValues: { ':holder': holder, ':now': now.toISOString() },
        }),
      ),
    );
  }
}
