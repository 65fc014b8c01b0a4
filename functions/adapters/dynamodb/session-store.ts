/**
 * Sign-in sessions: `SESSION#<id>` items; rotation and revocation are conditional updates. GSI1
 * lists a person's sessions (`SESSIONS#<person>`), so deactivating someone ends all of theirs.
 */
import { type DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Session, SessionStore } from '#ports/auth.ts';
import { applied } from './client.ts';
import { INDEXES } from './table.ts';

const key = (id: string) => ({ PK: `SESSION#${id}`, SK: 'SESSION' });
const KEY_ATTRIBUTES = new Set(['PK', 'SK', 'GSI1PK', 'GSI1SK']);

export class DynamoSessionStore implements SessionStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async createSession(session: Session): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...key(session.id), GSI1PK: `SESSIONS#${session.personId}`, GSI1SK: `${session.createdAt}#${session.id}`, ...session },
        ConditionExpression: 'attribute_not_exists(PK)',
      }),
    );
  }

  async getSession(id: string): Promise<Session | null> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: key(id), ConsistentRead: true }));
    if (!Item) return null;
    return Object.fromEntries(Object.entries(Item).filter(([k]) => !KEY_ATTRIBUTES.has(k))) as unknown as Session;
  }

  async rotateSession(
    id: string,
    from: { generation: number; refreshHash: string },
    next: { generation: number; refreshHash: string; expiresAt: string },
    now: Date,
  ): Promise<boolean> {
    return applied(
      this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: key(id),
          UpdateExpression: 'SET generation = :nextGeneration, refreshHash = :next, expiresAt = :expiresAt',
          ConditionExpression:
            'generation = :generation AND refreshHash = :expected AND attribute_not_exists(revokedAt) AND expiresAt > :now',
          ExpressionAttributeValues: {
            ':nextGeneration': next.generation,
            ':next': next.refreshHash,
            ':expiresAt': next.expiresAt,
            ':generation': from.generation,
            ':expected': from.refreshHash,
            ':now': now.toISOString(),
          },
        }),
      ),
    );
  }

  async revokeSession(id: string, at: Date): Promise<void> {
    await applied(
      this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: key(id),
          UpdateExpression: 'SET revokedAt = :at',
          ConditionExpression: 'attribute_exists(PK) AND attribute_not_exists(revokedAt)',
          ExpressionAttributeValues: { ':at': at.toISOString() },
        }),
      ),
    );
  }

  async revokeSessionsOf(personId: string, at: Date, keep?: string): Promise<void> {
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: INDEXES.directory.name,
          KeyConditionExpression: 'GSI1PK = :pk',
          FilterExpression: 'attribute_not_exists(revokedAt) AND expiresAt > :now',
          ExpressionAttributeValues: { ':pk': `SESSIONS#${personId}`, ':now': at.toISOString() },
          ExclusiveStartKey,
        }),
      );
      for (const item of page.Items ?? []) {
        if (typeof item.id === 'string' && item.id !== keep) await this.revokeSession(item.id, at);
      }
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
  }
}
