/** Photo records in the single table: `PK = PHOTO#<id>`, `SK = PHOTO` (see table.ts). */
import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Photo } from '#core/photos.ts';
import type { PhotoStore } from '#ports/photos.ts';

const key = (id: string) => ({ PK: `PHOTO#${id}`, SK: 'PHOTO' });

export class DynamoPhotoStore implements PhotoStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async create(photo: Photo): Promise<void> {
    // reportIds is a string set (ADD makes addReport idempotent) and DynamoDB stores no empty set;
    // unset fields stay absent rather than NULL so if_not_exists(uploadedAt) works.
    const { reportIds: _none, ...fields } = photo;
    const item = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== null));
    await this.db.send(
      new PutCommand({ TableName: this.tableName, Item: { ...key(photo.id), ...item }, ConditionExpression: 'attribute_not_exists(PK)' }),
    );
  }

  async get(id: string): Promise<Photo | null> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: key(id), ConsistentRead: true }));
    if (!Item) return null;
    const { PK: _pk, SK: _sk, reportIds, ...fields } = Item;
    const ids = reportIds instanceof Set ? [...reportIds].map(String).sort() : [];
    return { sniffedType: null, size: null, uploadedAt: null, ...fields, reportIds: ids } as Photo;
  }

  async markUploaded(id: string, content: { sniffedType: string; size: number; uploadedAt: string }): Promise<void> {
    await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: key(id),
        // The first upload time stays: a re-check or a retried upload does not move it.
        UpdateExpression: 'SET #status = :uploaded, sniffedType = :type, #size = :size, uploadedAt = if_not_exists(uploadedAt, :at)',
        ConditionExpression: 'attribute_exists(PK)',
        ExpressionAttributeNames: { '#status': 'status', '#size': 'size' },
        ExpressionAttributeValues: {
          ':uploaded': 'uploaded',
          ':type': content.sniffedType,
          ':size': content.size,
          ':at': content.uploadedAt,
        },
      }),
    );
  }

  async addReport(id: string, reportId: string): Promise<void> {
    await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: key(id),
        UpdateExpression: 'ADD reportIds :ids',
        ConditionExpression: 'attribute_exists(PK)',
        ExpressionAttributeValues: { ':ids': new Set([reportId]) },
      }),
    );
  }
}
