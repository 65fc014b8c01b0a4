/** Departments (`DEPARTMENT#<code>`), categories (`CATEGORY#<code>`) and policies (`POLICY#<category>#<urgency>`). */
import { type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Category, Department, Urgency } from '#core/catalog.ts';
import type { EscalationPolicy } from '#core/policy.ts';
import type { CatalogStore, StoredCategory, StoredDepartment } from '#ports/directory.ts';
import { getItem, type Item, queryDirectory } from './directory-items.ts';
import { putIfVersion } from './versioned-put.ts';

const departmentItem = (d: Department): Item => ({
  PK: `DEPARTMENT#${d.code}`,
  SK: 'DEPARTMENT',
  GSI1PK: 'DEPARTMENTS',
  GSI1SK: d.code,
  ...d,
});
export const categoryKey = (code: string) => ({ PK: `CATEGORY#${code}`, SK: 'CATEGORY' });
const categoryItem = (c: Category): Item => ({ ...categoryKey(c.code), GSI1PK: 'CATEGORIES', GSI1SK: c.code, ...c });

/** Categories stored before the flag existed are not public: the safe default for residents' data. */
export function withPublicFlag(category: StoredCategory | null): StoredCategory | null {
  return category ? { ...category, public: category.public === true } : null;
}

export class DynamoCatalogStore implements CatalogStore {
  constructor(
    protected readonly db: DynamoDBDocumentClient,
    protected readonly tableName: string,
  ) {}

  getDepartment(code: string) {
    return getItem<StoredDepartment>(this.db, this.tableName, `DEPARTMENT#${code}`, 'DEPARTMENT');
  }

  listDepartments() {
    return queryDirectory<StoredDepartment>(this.db, this.tableName, 'DEPARTMENTS');
  }

  saveDepartment(department: StoredDepartment, expectedVersion: number | null) {
    return putIfVersion(this.db, this.tableName, departmentItem(department), expectedVersion, `department ${department.code}`);
  }

  async putDepartment(department: Department): Promise<void> {
    await this.db.send(new PutCommand({ TableName: this.tableName, Item: departmentItem(department) }));
  }

  async getCategory(code: string) {
    return withPublicFlag(await getItem<StoredCategory>(this.db, this.tableName, `CATEGORY#${code}`, 'CATEGORY'));
  }

  async listCategories() {
    const categories = await queryDirectory<StoredCategory>(this.db, this.tableName, 'CATEGORIES');
    return categories.map((c) => ({ ...c, public: c.public === true }));
  }

  saveCategory(category: StoredCategory, expectedVersion: number | null) {
    return putIfVersion(this.db, this.tableName, categoryItem(category), expectedVersion, `category ${category.code}`);
  }

  async putCategory(category: Category): Promise<void> {
    await this.db.send(new PutCommand({ TableName: this.tableName, Item: categoryItem(category) }));
  }

  getPolicy(category: string, urgency: Urgency) {
    return getItem<EscalationPolicy>(this.db, this.tableName, `POLICY#${category}#${urgency}`, 'POLICY');
  }

  async putPolicy(policy: EscalationPolicy): Promise<void> {
    await this.db.send(
      new PutCommand({ TableName: this.tableName, Item: { PK: `POLICY#${policy.category}#${policy.urgency}`, SK: 'POLICY', ...policy } }),
    );
  }
}
