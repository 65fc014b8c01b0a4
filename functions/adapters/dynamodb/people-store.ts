/**
 * People: `PERSON#<id>` items. GSI1 lists the people of one scope (`PEOPLE#<scope>`, by role then
 * id); GSI2 orders a county's staff by the path of their scope (`STAFF#<county>` /
 * `<path>/#<role>#<id>`), so the people of a subtree are one key range, each node's own first. Credentials are items of their own, never read with a person.
 */
import { type DynamoDBDocumentClient, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Person, Role } from '#core/people.ts';
import { pathKey } from '#core/tree.ts';
import type { Credential, CredentialStore, PeopleFilter, PeopleStore, StoredPerson } from '#ports/directory.ts';
import type { Page, PageRequest } from '#ports/versioning.ts';
import { applied } from './client.ts';
import { getItem, type Item, queryDirectory, strip } from './directory-items.ts';
import { queryPage } from './paging.ts';
import { INDEXES } from './table.ts';
import { putIfVersion } from './versioned-put.ts';

export const personKey = (id: string) => ({ PK: `PERSON#${id}`, SK: 'PERSON' });
const credentialKey = (username: string) => ({ PK: `CREDENTIAL#${username}`, SK: 'CREDENTIAL' });

/** A listing's filter as a FilterExpression (applied after the key range, so pages may come back short). */
function peopleFilterExpression(filter: PeopleFilter): {
  FilterExpression?: string;
  ExpressionAttributeNames?: Record<string, string>;
  ExpressionAttributeValues?: Record<string, unknown>;
} {
  const clauses: string[] = [];
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  if (filter.role) {
    clauses.push('#role = :role');
    names['#role'] = 'role';
    values[':role'] = filter.role;
  }
  if (filter.active !== undefined) {
    names['#active'] = 'active';
    values[':false'] = false;
    clauses.push(filter.active ? '(attribute_not_exists(#active) OR #active <> :false)' : '#active = :false');
  }
  if (filter.q) {
    names['#name'] = 'name';
    names['#phone'] = 'phone';
    names['#username'] = 'username';
    values[':q'] = filter.q;
    clauses.push('(contains(#name, :q) OR contains(#phone, :q) OR contains(#username, :q))');
  }
  if (clauses.length === 0) return {};
  return { FilterExpression: clauses.join(' AND '), ExpressionAttributeNames: names, ExpressionAttributeValues: values };
}

export function personItem(person: StoredPerson): Item {
  const item: Item = {
    ...personKey(person.id),
    GSI1PK: `PEOPLE#${person.scope}`,
    GSI1SK: `${person.role}#${person.id}`,
    ...person,
  };
  if (person.scopePath && person.scopePath.length > 0) {
    item.GSI2PK = `STAFF#${person.scopePath[0]}`;
    // `#` sorts before any digit: a node's own staff come before those of the nodes below it.
    item.GSI2SK = `${pathKey(person.scopePath)}#${person.role}#${person.id}`;
  }
  return item;
}

export class DynamoPeopleStore implements PeopleStore, CredentialStore {
  constructor(
    protected readonly db: DynamoDBDocumentClient,
    protected readonly tableName: string,
  ) {}

  peopleIn(scope: string, role?: Role) {
    return queryDirectory<StoredPerson>(this.db, this.tableName, `PEOPLE#${scope}`, role ? `${role}#` : undefined);
  }

  getPerson(id: string) {
    return getItem<StoredPerson>(this.db, this.tableName, `PERSON#${id}`, 'PERSON');
  }

  savePerson(person: StoredPerson, expectedVersion: number | null) {
    return putIfVersion(this.db, this.tableName, personItem(person), expectedVersion, `person ${person.id}`);
  }

  async putPerson(person: Person | StoredPerson): Promise<void> {
    await this.db.send(new PutCommand({ TableName: this.tableName, Item: personItem(person) }));
  }

  peopleUnder(path: string[], page: PageRequest, filter: PeopleFilter = {}): Promise<Page<StoredPerson>> {
    const partition = `STAFF#${path[0] ?? ''}`;
    const { ExpressionAttributeValues: filterValues, ...filterExpression } = peopleFilterExpression(filter);
    return queryPage(
      this.db,
      {
        TableName: this.tableName,
        IndexName: INDEXES.subtree.name,
        KeyConditionExpression: 'GSI2PK = :pk AND begins_with(GSI2SK, :prefix)',
        ExpressionAttributeValues: { ':pk': partition, ':prefix': pathKey(path), ...filterValues },
        ...filterExpression,
      },
      {
        limit: page.limit,
        cursor: page.cursor,
        shape: { attributes: ['PK', 'SK', 'GSI2PK', 'GSI2SK'], partition: { attribute: 'GSI2PK', value: partition } },
        map: (item) => strip<StoredPerson>(item),
      },
    );
  }

  getCredential(username: string) {
    return getItem<Credential>(this.db, this.tableName, `CREDENTIAL#${username}`, 'CREDENTIAL');
  }

  async putCredential(credential: Credential): Promise<void> {
    await this.db.send(new PutCommand({ TableName: this.tableName, Item: { ...credentialKey(credential.username), ...credential } }));
  }

  createCredential(credential: Credential): Promise<boolean> {
    return applied(
      this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...credentialKey(credential.username), ...credential },
          ConditionExpression: 'attribute_not_exists(PK)',
        }),
      ),
    );
  }

  replacePasswordHash(username: string, fromHash: string, toHash: string): Promise<boolean> {
    return applied(
      this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: credentialKey(username),
          UpdateExpression: 'SET passwordHash = :to REMOVE mustChangePassword',
          ConditionExpression: 'passwordHash = :from AND (attribute_not_exists(disabled) OR disabled <> :true)',
          ExpressionAttributeValues: { ':from': fromHash, ':to': toHash, ':true': true },
        }),
      ),
    );
  }

  async disableCredential(username: string): Promise<void> {
    await applied(
      this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: credentialKey(username),
          UpdateExpression: 'SET disabled = :true',
          ConditionExpression: 'attribute_exists(PK)',
          ExpressionAttributeValues: { ':true': true },
        }),
      ),
    );
  }
}
