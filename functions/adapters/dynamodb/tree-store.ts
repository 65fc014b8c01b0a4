/**
 * The jurisdiction tree: `NODE#<code>` items. GSI1 lists a node's children (`CHILDREN#<parent>`,
 * by code); GSI2 orders a county's whole tree by path (`SUBTREE#<county>`, `<path>/`), so a
 * subtree is one key range.
 */
import { type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { pathKey, type TreeNode } from '#core/tree.ts';
import type { StoredNode, TreeStore } from '#ports/directory.ts';
import type { Page, PageRequest } from '#ports/versioning.ts';
// directory-batch imports this module's keys too; each side uses the other only inside functions.
import { batchGetByKey } from './directory-batch.ts';
import { getItem, type Item, queryDirectory, strip } from './directory-items.ts';
import { queryPage } from './paging.ts';
import { INDEXES } from './table.ts';
import { putIfVersion } from './versioned-put.ts';

export const nodeKey = (code: string) => ({ PK: `NODE#${code}`, SK: 'NODE' });

/** The node item: the node plus the keys of its indexes. */
export function nodeItem(node: TreeNode): Item {
  return {
    ...nodeKey(node.code),
    GSI1PK: `CHILDREN#${node.parentCode ?? ''}`,
    GSI1SK: node.code,
    GSI2PK: `SUBTREE#${node.path[0] ?? node.code}`,
    GSI2SK: pathKey(node.path),
    ...node,
  };
}

export class DynamoTreeStore implements TreeStore {
  constructor(
    protected readonly db: DynamoDBDocumentClient,
    protected readonly tableName: string,
  ) {}

  getNode(code: string) {
    return getItem<StoredNode>(this.db, this.tableName, `NODE#${code}`, 'NODE');
  }

  async getNodes(codes: readonly string[]): Promise<StoredNode[]> {
    return (await batchGetByKey(this.db, this.tableName, codes.map(nodeKey))).map((item) => strip<StoredNode>(item));
  }

  listChildren(parentCode: string) {
    return queryDirectory<StoredNode>(this.db, this.tableName, `CHILDREN#${parentCode}`);
  }

  listChildrenPage(parentCode: string, page: PageRequest): Promise<Page<StoredNode>> {
    const partition = `CHILDREN#${parentCode}`;
    return queryPage(
      this.db,
      {
        TableName: this.tableName,
        IndexName: INDEXES.directory.name,
        KeyConditionExpression: 'GSI1PK = :pk',
        ExpressionAttributeValues: { ':pk': partition },
      },
      {
        limit: page.limit,
        cursor: page.cursor,
        shape: { attributes: ['PK', 'SK', 'GSI1PK', 'GSI1SK'], partition: { attribute: 'GSI1PK', value: partition } },
        map: (item) => strip<StoredNode>(item),
      },
    );
  }

  /** The roots of the tree (counties), under the empty parent. */
  listRoots() {
    return queryDirectory<StoredNode>(this.db, this.tableName, 'CHILDREN#');
  }

  listSubtree(path: string[], page: PageRequest): Promise<Page<StoredNode>> {
    return this.querySubtree(path, page);
  }

  searchSubtree(path: string[], text: string, page: PageRequest): Promise<Page<StoredNode>> {
    return this.querySubtree(path, page, {
      FilterExpression: 'contains(#name, :text) OR begins_with(#code, :text)',
      ExpressionAttributeNames: { '#name': 'name', '#code': 'code' },
      ExpressionAttributeValues: { ':text': text },
    });
  }

  /** GSI2: a county's tree ordered by path, so a subtree is the key range that begins with its path. */
  private querySubtree(
    path: string[],
    page: PageRequest,
    filter?: {
      FilterExpression: string;
      ExpressionAttributeNames: Record<string, string>;
      ExpressionAttributeValues: Record<string, unknown>;
    },
  ): Promise<Page<StoredNode>> {
    const partition = `SUBTREE#${path[0] ?? ''}`;
    return queryPage(
      this.db,
      {
        TableName: this.tableName,
        IndexName: INDEXES.subtree.name,
        KeyConditionExpression: 'GSI2PK = :pk AND begins_with(GSI2SK, :prefix)',
        ...(filter ? { FilterExpression: filter.FilterExpression, ExpressionAttributeNames: filter.ExpressionAttributeNames } : {}),
        ExpressionAttributeValues: { ':pk': partition, ':prefix': pathKey(path), ...filter?.ExpressionAttributeValues },
      },
      {
        limit: page.limit,
        cursor: page.cursor,
        shape: { attributes: ['PK', 'SK', 'GSI2PK', 'GSI2SK'], partition: { attribute: 'GSI2PK', value: partition } },
        map: (item) => strip<StoredNode>(item),
      },
    );
  }

  saveNode(node: StoredNode, expectedVersion: number | null) {
    return putIfVersion(this.db, this.tableName, nodeItem(node), expectedVersion, `node ${node.code}`);
  }

  async putNode(node: TreeNode): Promise<void> {
    await this.db.send(new PutCommand({ TableName: this.tableName, Item: nodeItem(node) }));
  }
}
