/**
 * The directory on DynamoDB, one adapter per area (tree-store, people-store, catalog-store) joined
 * into the one DirectoryStore (and CredentialStore) the use cases get. Joining binds every method
 * of the parts, so an area adds a method to its own adapter and port and nothing here changes.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { CredentialStore, DirectoryStore, StoredCategory, StoredNode } from '#ports/directory.ts';
import { categoryKey, DynamoCatalogStore, withPublicFlag } from './catalog-store.ts';
import { DynamoCountyRulesStore } from './county-rules-store.ts';
import { batchGetByKey } from './directory-batch.ts';
import { type Item, strip } from './directory-items.ts';
import { DynamoPeopleStore } from './people-store.ts';
import { DynamoTreeStore, nodeKey } from './tree-store.ts';

export type DynamoDirectoryStore = DynamoTreeStore &
  DynamoPeopleStore &
  DynamoCatalogStore &
  DynamoCountyRulesStore &
  DirectoryStore &
  CredentialStore;

function methodsOf(part: object): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (let proto = Object.getPrototypeOf(part); proto && proto !== Object.prototype; proto = Object.getPrototypeOf(proto)) {
    for (const name of Object.getOwnPropertyNames(proto)) {
      const value = (part as Record<string, unknown>)[name];
      if (name !== 'constructor' && typeof value === 'function' && !(name in out)) out[name] = value.bind(part);
    }
  }
  return out;
}

export function dynamoDirectoryStore(db: DynamoDBDocumentClient, tableName: string): DynamoDirectoryStore {
  const parts = [
    new DynamoTreeStore(db, tableName),
    new DynamoPeopleStore(db, tableName),
    new DynamoCatalogStore(db, tableName),
    new DynamoCountyRulesStore(db, tableName),
  ];
  const joined: Record<string, unknown> = {};
  for (const part of parts) {
    for (const [name, method] of Object.entries(methodsOf(part))) {
      if (name in joined) throw new Error(`directory adapters both define ${name}`);
      joined[name] = method;
    }
  }
  // Across two areas, so joined here: filing reads the grid, its ancestors and the category in one request.
  joined.getNodesAndCategory = async (codes: readonly string[], category: string) => {
    const items = await batchGetByKey(db, tableName, [...codes.map(nodeKey), categoryKey(category)]);
    const isCategory = (item: Item) => item.SK === 'CATEGORY';
    return {
      nodes: items.filter((item) => !isCategory(item)).map((item) => strip<StoredNode>(item)),
      category: withPublicFlag(((found) => (found ? strip<StoredCategory>(found) : null))(items.find(isCategory))),
    };
  };
  return joined as unknown as DynamoDirectoryStore;
}
