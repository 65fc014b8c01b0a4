/** The audit trail: `HISTORY#<subject>` partitions, one item per change keyed by the subject's version. */
import { type DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { AuditEntry, AuditSubject } from '#core/audit.ts';
import type { AuditLog } from '#ports/audit.ts';
import type { Page, PageRequest } from '#ports/versioning.ts';
import { applied } from './client.ts';
import { strip } from './directory-items.ts';
import { decodeCursor, encodeCursor } from './paging.ts';

export const historyKey = (subject: AuditSubject, seq: number) => ({ PK: `HISTORY#${subject}`, SK: `SEQ#${String(seq).padStart(9, '0')}` });

export function historyItem(entry: AuditEntry): Record<string, unknown> {
  return { ...historyKey(entry.subject, entry.seq), ...entry };
}

export class DynamoAuditLog implements AuditLog {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async append(entry: AuditEntry): Promise<void> {
    // Append-only: the first write of a (subject, seq) wins; a retry writes nothing.
    await applied(
      this.db.send(
        new PutCommand({ TableName: this.tableName, Item: historyItem(entry), ConditionExpression: 'attribute_not_exists(PK)' }),
      ),
    );
  }

  async list(subject: AuditSubject, page: PageRequest): Promise<Page<AuditEntry>> {
    const partition = `HISTORY#${subject}`;
    const start = page.cursor
      ? decodeCursor(page.cursor, { attributes: ['PK', 'SK'], partition: { attribute: 'PK', value: partition } })
      : undefined;
    const result = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'PK = :pk',
        ExpressionAttributeValues: { ':pk': partition },
        ScanIndexForward: false,
        Limit: page.limit,
        ExclusiveStartKey: start,
        ConsistentRead: true,
      }),
    );
    return {
      items: (result.Items ?? []).map((item) => strip<AuditEntry>(item)),
      nextCursor: result.LastEvaluatedKey ? encodeCursor(result.LastEvaluatedKey) : null,
    };
  }
}
