/** SMS action links: `LINK#<id>` items, written once per SMS. */
import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { ActionLink } from '#core/links.ts';
import type { LinkStore } from '#ports/links.ts';
import { applied } from './client.ts';

const key = (id: string) => ({ PK: `LINK#${id}`, SK: 'LINK' });

export class DynamoLinkStore implements LinkStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async putLink(link: ActionLink): Promise<void> {
    await applied(
      this.db.send(
        new PutCommand({ TableName: this.tableName, Item: { ...key(link.id), ...link }, ConditionExpression: 'attribute_not_exists(PK)' }),
      ),
    );
  }

  async getLink(id: string): Promise<ActionLink | null> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: key(id) }));
    if (!Item) return null;
    const { PK: _pk, SK: _sk, ...link } = Item;
    return link as ActionLink;
  }
}
