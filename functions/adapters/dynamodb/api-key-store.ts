import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { ApiKeyRecord, ApiKeyStore } from '#ports/api-keys.ts';
import { applied } from './client.ts';

const API_KEY_SK = 'APIKEY';
const apiKeyPk = (keyHash: string) => `APIKEY#${keyHash}`;

/** `APIKEY#<sha256 hex>` / `APIKEY` → {personId, label, createdAt}: one GetItem per request. */
export class DynamoApiKeyStore implements ApiKeyStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async findApiKey(keyHash: string): Promise<ApiKeyRecord | null> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: { PK: apiKeyPk(keyHash), SK: API_KEY_SK } }));
    if (!Item) return null;
    return { keyHash, personId: String(Item.personId), label: String(Item.label), createdAt: String(Item.createdAt) };
  }

  async addApiKey(record: ApiKeyRecord): Promise<boolean> {
    return applied(
      this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            PK: apiKeyPk(record.keyHash),
            SK: API_KEY_SK,
            personId: record.personId,
            label: record.label,
            createdAt: record.createdAt,
          },
          ConditionExpression: 'attribute_not_exists(PK)',
        }),
      ),
    );
  }
}
