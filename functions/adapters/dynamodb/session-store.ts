/** Sign-in sessions: `SESSION#<id>` items; rotation and revocation are conditional updates. */
import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Session, SessionStore } from '#ports/auth.ts';
import { applied } from './client.ts';

const key = (id: string) => ({ PK: `SESSION#${id}`, SK: 'SESSION' });

export class DynamoSessionStore implements SessionStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async createSession(session: Session): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...key(session.id), ...session },
        ConditionExpression: 'attribute_not_exists(PK)',
      }),
    );
  }

  async getSession(id: string): Promise<Session | null> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: key(id), ConsistentRead: true }));
    if (!Item) return null;
    const { PK: _pk, SK: _sk, ...session } = Item;
    return session as Session;
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
}
