import { type DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Category, Department, Urgency } from '#core/catalog.ts';
import type { Person, Role } from '#core/people.ts';
import type { EscalationPolicy } from '#core/policy.ts';
import type { TreeNode } from '#core/tree.ts';
import type { Credential, CredentialStore, DirectoryStore } from '#ports/directory.ts';
import { INDEXES } from './table.ts';

type Item = Record<string, unknown>;
const KEY_ATTRIBUTES = ['PK', 'SK', 'GSI1PK', 'GSI1SK'];

function strip<T>(item: Item): T {
  const out: Item = {};
  for (const [k, v] of Object.entries(item)) if (!KEY_ATTRIBUTES.includes(k)) out[k] = v;
  return out as T;
}

/** Categories stored before `public` existed are not public: the safe reading of a missing flag. */
function withPublicFlag(category: Category): Category {
  return { ...category, public: category.public === true };
}

export class DynamoDirectoryStore implements DirectoryStore, CredentialStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  private async get<T>(PK: string, SK: string): Promise<T | null> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: { PK, SK } }));
    return Item ? strip<T>(Item) : null;
  }

  private async put(item: Item): Promise<void> {
    await this.db.send(new PutCommand({ TableName: this.tableName, Item: item }));
  }

  /** Reads a whole directory partition; these lists are bounded by the size of one county. */
  private async queryDirectory<T>(partition: string, sortPrefix?: string): Promise<T[]> {
    const out: T[] = [];
    let ExclusiveStartKey: Item | undefined;
    do {
      const page = await this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: INDEXES.directory.name,
          KeyConditionExpression: sortPrefix ? 'GSI1PK = :pk AND begins_with(GSI1SK, :sk)' : 'GSI1PK = :pk',
          ExpressionAttributeValues: sortPrefix ? { ':pk': partition, ':sk': sortPrefix } : { ':pk': partition },
          ExclusiveStartKey,
        }),
      );
      for (const item of page.Items ?? []) out.push(strip<T>(item));
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    return out;
  }

  getNode(code: string) {
    return this.get<TreeNode>(`NODE#${code}`, 'NODE');
  }
  listChildren(parentCode: string) {
    return this.queryDirectory<TreeNode>(`CHILDREN#${parentCode}`);
  }
  /** The roots of the tree (counties), under the empty parent. */
  listRoots() {
    return this.queryDirectory<TreeNode>('CHILDREN#');
  }
  peopleIn(scope: string, role?: Role) {
    return this.queryDirectory<Person>(`PEOPLE#${scope}`, role ? `${role}#` : undefined);
  }
  getPerson(id: string) {
    return this.get<Person>(`PERSON#${id}`, 'PERSON');
  }
  getDepartment(code: string) {
    return this.get<Department>(`DEPARTMENT#${code}`, 'DEPARTMENT');
  }
  listDepartments() {
    return this.queryDirectory<Department>('DEPARTMENTS');
  }
  async getCategory(code: string) {
    const category = await this.get<Category>(`CATEGORY#${code}`, 'CATEGORY');
    return category && withPublicFlag(category);
  }
  async listCategories() {
    return (await this.queryDirectory<Category>('CATEGORIES')).map(withPublicFlag);
  }
  getPolicy(category: string, urgency: Urgency) {
    return this.get<EscalationPolicy>(`POLICY#${category}#${urgency}`, 'POLICY');
  }
  getCredential(username: string) {
    return this.get<Credential>(`CREDENTIAL#${username}`, 'CREDENTIAL');
  }

  putNode(node: TreeNode) {
    return this.put({ PK: `NODE#${node.code}`, SK: 'NODE', GSI1PK: `CHILDREN#${node.parentCode ?? ''}`, GSI1SK: node.code, ...node });
  }
  putPerson(person: Person) {
    return this.put({
      PK: `PERSON#${person.id}`,
      SK: 'PERSON',
      GSI1PK: `PEOPLE#${person.scope}`,
      GSI1SK: `${person.role}#${person.id}`,
      ...person,
    });
  }
  putDepartment(department: Department) {
    return this.put({
      PK: `DEPARTMENT#${department.code}`,
      SK: 'DEPARTMENT',
      GSI1PK: 'DEPARTMENTS',
      GSI1SK: department.code,
      ...department,
    });
  }
  putCategory(category: Category) {
    return this.put({ PK: `CATEGORY#${category.code}`, SK: 'CATEGORY', GSI1PK: 'CATEGORIES', GSI1SK: category.code, ...category });
  }
  putPolicy(policy: EscalationPolicy) {
    return this.put({ PK: `POLICY#${policy.category}#${policy.urgency}`, SK: 'POLICY', ...policy });
  }
  putCredential(credential: Credential) {
    return this.put({ PK: `CREDENTIAL#${credential.username}`, SK: 'CREDENTIAL', ...credential });
  }
}
