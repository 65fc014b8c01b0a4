/**
 * Sign-in throttle records: `THROTTLE#<key>` items. Counting is an atomic ADD and locking a
 * conditional SET, so attempts on several processes at once never lose a failure or shorten a lock;
 * a success resets the item (an update, not a delete: the API's role has no DeleteItem). Nothing
 * relies on a TTL: a record's age is in `lastFailureAt`.
 */
import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { SignInThrottleStore, ThrottleRecord } from '#ports/sign-in-throttle.ts';
import { applied, isConditionFailure } from './client.ts';

const itemKey = (key: string) => ({ PK: `THROTTLE#${key}`, SK: 'THROTTLE' });

export class DynamoSignInThrottleStore implements SignInThrottleStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  read(keys: readonly string[]): Promise<(ThrottleRecord | null)[]> {
    return Promise.all(
      keys.map(async (key) => {
        const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: itemKey(key), ConsistentRead: true }));
        // A cleared record (a success) reads as no record: counting starts again from 1.
        if (!Item?.failures) return null;
        return { failures: Item.failures, lastFailureAt: Item.lastFailureAt, lockedUntil: Item.lockedUntil } as ThrottleRecord;
      }),
    );
  }

  async addFailure(key: string, now: Date, forgetBefore: Date): Promise<number> {
    const values = { ':one': 1, ':now': now.toISOString(), ':forgetBefore': forgetBefore.toISOString() };
    // Two tries per round: start a fresh count (no record, or only stale failures), else add to it.
    // Each is conditional on what the other expects, so a record that changes between them is
    // simply looked at again; a few rounds always suffice.
    for (let round = 0; round < 5; round++) {
      try {
        await this.db.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: itemKey(key),
            UpdateExpression: 'SET failures = :one, lastFailureAt = :now',
            ConditionExpression: 'attribute_not_exists(PK) OR lastFailureAt < :forgetBefore',
            ExpressionAttributeValues: values,
          }),
        );
        return 1;
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
      }
      try {
        const { Attributes } = await this.db.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: itemKey(key),
            UpdateExpression: 'ADD failures :one SET lastFailureAt = :now',
            ConditionExpression: 'attribute_exists(PK) AND lastFailureAt >= :forgetBefore',
            ExpressionAttributeValues: values,
            ReturnValues: 'UPDATED_NEW',
          }),
        );
        return Number(Attributes?.failures);
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
      }
    }
    throw new Error(`could not count a failed sign-in for ${key}: the record kept changing`);
  }

  async lock(key: string, until: Date, failures: number): Promise<void> {
    await applied(
      this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: itemKey(key),
          UpdateExpression: 'SET lockedUntil = :until',
          ConditionExpression: 'failures >= :failures AND (attribute_not_exists(lockedUntil) OR lockedUntil < :until)',
          ExpressionAttributeValues: { ':until': until.toISOString(), ':failures': failures },
        }),
      ),
    );
  }

  async clear(key: string): Promise<void> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: itemKey(key),
          // lastFailureAt at the epoch: the next failure is older than any forgetBefore, so it counts from 1.
          UpdateExpression: 'SET failures = :zero, lastFailureAt = :epoch REMOVE lockedUntil',
          ConditionExpression: 'attribute_exists(PK)',
          ExpressionAttributeValues: { ':zero': 0, ':epoch': new Date(0).toISOString() },
        }),
      );
    } catch (error) {
      // Nothing to clear: a sign-in without earlier failures writes nothing.
      if (!isConditionFailure(error)) throw error;
    }
  }
}
