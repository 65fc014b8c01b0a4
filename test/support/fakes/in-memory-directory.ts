/**
 * The directory ports in memory, with the DynamoDB adapters' rules (versioned saves, children by
 * code, people by scope and role), for fast unit tests of the use cases. One class per area, like
 * the adapters, joined by `inMemoryDirectory()`; an area adds its methods to its own class.
 */
import type { AuditEntry, AuditSubject } from '#core/audit.ts';
import type { Category, Department, Urgency } from '#core/catalog.ts';
import type { Person, Role } from '#core/people.ts';
import type { EscalationPolicy } from '#core/policy.ts';
import type { TreeNode } from '#core/tree.ts';
import type { WorkingCalendar } from '#core/working-calendar.ts';
import type { AuditLog } from '#ports/audit.ts';
import type { CountyRulesStore, StoredPolicy } from '#ports/county-rules.ts';
import type {
  CatalogStore,
  Credential,
  CredentialStore,
  DirectoryStore,
  PeopleFilter,
  PeopleStore,
  StoredCategory,
  StoredDepartment,
  StoredNode,
  StoredPerson,
  TreeStore,
} from '#ports/directory.ts';
import { type Page, type PageRequest, VersionConflictError } from '#ports/versioning.ts';

const copy = <T>(value: T): T => structuredClone(value);

/** The same conditions as adapters/dynamodb/versioned-put.ts. */
export function checkVersion(stored: { version?: number } | undefined, expected: number | null, what: string): void {
  const ok =
    expected === null
      ? stored === undefined
      : expected === 0
        ? stored !== undefined && stored.version === undefined
        : stored?.version === expected;
  if (!ok) throw new VersionConflictError(what);
}

/** Pages a sorted list by an opaque cursor (the last key of the previous page). */
export function pageOf<T>(items: T[], keyOf: (item: T) => string, page: PageRequest): Page<T> {
  const after = page.cursor ? Buffer.from(page.cursor, 'base64url').toString('utf8') : '';
  const rest = items.filter((item) => keyOf(item) > after);
  const slice = rest.slice(0, page.limit);
  const last = slice.at(-1);
  return { items: slice, nextCursor: rest.length > page.limit && last ? Buffer.from(keyOf(last)).toString('base64url') : null };
}

const pathKeyOf = (node: { path: string[] }) => `${node.path.join('/')}/`;

export class InMemoryTreeStore implements TreeStore {
  readonly nodes = new Map<string, StoredNode>();

  async getNode(code: string) {
    const node = this.nodes.get(code);
    return node ? copy(node) : null;
  }
  async getNodes(codes: readonly string[]) {
    return codes.flatMap((code) => {
      const node = this.nodes.get(code);
      return node ? [copy(node)] : [];
    });
  }
  async listChildren(parentCode: string) {
    return [...this.nodes.values()]
      .filter((n) => (n.parentCode ?? '') === parentCode)
      .sort((a, b) => a.code.localeCompare(b.code))
      .map(copy);
  }
  async listChildrenPage(parentCode: string, page: PageRequest) {
    return pageOf(await this.listChildren(parentCode), (n) => n.code, page);
  }
  async listRoots() {
    return this.listChildren('');
  }
  async listSubtree(path: string[], page: PageRequest) {
    return pageOf(this.under(path), pathKeyOf, page);
  }
  async searchSubtree(path: string[], text: string, page: PageRequest) {
    return pageOf(
      this.under(path).filter((n) => n.name.includes(text) || n.code.startsWith(text)),
      pathKeyOf,
      page,
    );
  }
  private under(path: string[]): StoredNode[] {
    const prefix = pathKeyOf({ path });
    return [...this.nodes.values()]
      .filter((n) => pathKeyOf(n).startsWith(prefix))
      .sort((a, b) => pathKeyOf(a).localeCompare(pathKeyOf(b)))
      .map(copy);
  }
  async saveNode(node: StoredNode, expectedVersion: number | null) {
    checkVersion(this.nodes.get(node.code), expectedVersion, `node ${node.code}`);
    this.nodes.set(node.code, copy(node));
  }
  async putNode(node: TreeNode) {
    this.nodes.set(node.code, copy(node));
  }
}

export class InMemoryPeopleStore implements PeopleStore, CredentialStore {
  readonly people = new Map<string, StoredPerson>();
  readonly credentials = new Map<string, Credential>();

  async peopleIn(scope: string, role?: Role) {
    return [...this.people.values()]
      .filter((p) => p.scope === scope && (role === undefined || p.role === role))
      .sort((a, b) => `${a.role}#${a.id}`.localeCompare(`${b.role}#${b.id}`))
      .map(copy);
  }
  async getPerson(id: string) {
    const person = this.people.get(id);
    return person ? copy(person) : null;
  }
  async savePerson(person: StoredPerson, expectedVersion: number | null) {
    checkVersion(this.people.get(person.id), expectedVersion, `person ${person.id}`);
    this.people.set(person.id, copy(person));
  }
  async putPerson(person: Person | StoredPerson) {
    this.people.set(person.id, copy(person));
  }
  async peopleUnder(path: string[], page: PageRequest, filter: PeopleFilter = {}) {
    const prefix = `${path.join('/')}/`;
    const key = (p: StoredPerson) => `${(p.scopePath ?? []).join('/')}/#${p.role}#${p.id}`;
    const under = [...this.people.values()]
      .filter((p) => p.scopePath && key(p).startsWith(prefix))
      .sort((a, b) => key(a).localeCompare(key(b)));
    // Filtered after the key range, like the adapter's FilterExpression.
    const matching = under.filter(
      (p) =>
        (filter.role === undefined || p.role === filter.role) &&
        (filter.active === undefined || (p.active !== false) === filter.active) &&
        (filter.q === undefined || [p.name, p.phone, p.username ?? ''].some((text) => text.includes(filter.q ?? ''))),
    );
    return pageOf(matching.map(copy), key, page);
  }
  async getCredential(username: string) {
    const credential = this.credentials.get(username);
    return credential ? copy(credential) : null;
  }
  async putCredential(credential: Credential) {
    this.credentials.set(credential.username, copy(credential));
  }
  async createCredential(credential: Credential) {
    if (this.credentials.has(credential.username)) return false;
    this.credentials.set(credential.username, copy(credential));
    return true;
  }
  async replacePasswordHash(username: string, fromHash: string, toHash: string) {
    const credential = this.credentials.get(username);
    if (!credential || credential.passwordHash !== fromHash || credential.disabled) return false;
    const { mustChangePassword: _spent, ...rest } = credential;
    this.credentials.set(username, { ...rest, passwordHash: toHash });
    return true;
  }
  async disableCredential(username: string) {
    const credential = this.credentials.get(username);
    if (credential) this.credentials.set(username, { ...credential, disabled: true });
  }
}

export class InMemoryCatalogStore implements CatalogStore {
  readonly departments = new Map<string, StoredDepartment>();
  readonly categories = new Map<string, StoredCategory>();
  readonly policies = new Map<string, EscalationPolicy>();

  async getDepartment(code: string) {
    const d = this.departments.get(code);
    return d ? copy(d) : null;
  }
  async listDepartments() {
    return [...this.departments.values()].sort((a, b) => a.code.localeCompare(b.code)).map(copy);
  }
  async saveDepartment(department: StoredDepartment, expectedVersion: number | null) {
    checkVersion(this.departments.get(department.code), expectedVersion, `department ${department.code}`);
    this.departments.set(department.code, copy(department));
  }
  async putDepartment(department: Department) {
    this.departments.set(department.code, copy(department));
  }
  async getCategory(code: string) {
    const c = this.categories.get(code);
    return c ? copy(c) : null;
  }
  async listCategories() {
    return [...this.categories.values()].sort((a, b) => a.code.localeCompare(b.code)).map(copy);
  }
  async saveCategory(category: StoredCategory, expectedVersion: number | null) {
    checkVersion(this.categories.get(category.code), expectedVersion, `category ${category.code}`);
    this.categories.set(category.code, copy(category));
  }
  async putCategory(category: Category) {
    this.categories.set(category.code, copy(category));
  }
  async getPolicy(category: string, urgency: Urgency) {
    const p = this.policies.get(`${category}#${urgency}`);
    return p ? copy(p) : null;
  }
  async putPolicy(policy: EscalationPolicy) {
    this.policies.set(`${policy.category}#${policy.urgency}`, copy(policy));
  }
}

/** Calendars and county policies, each version written once; an empty national table (tests name their days). */
export class InMemoryCountyRulesStore implements CountyRulesStore {
  readonly calendars = new Map<string, WorkingCalendar[]>();
  readonly countyPolicies = new Map<string, StoredPolicy[]>();

  nationalHolidays() {
    return { holidays: {}, workdays: {}, years: [] };
  }
  private pick<T extends { version: number }>(versions: T[] | undefined, version?: number): T | null {
    const found = version === undefined ? versions?.at(-1) : versions?.find((v) => v.version === version);
    return found ? copy(found) : null;
  }
  private add<T extends { version: number }>(map: Map<string, T[]>, key: string, value: T, what: string) {
    const versions = map.get(key) ?? [];
    if (versions.some((v) => v.version === value.version)) throw new VersionConflictError(what);
    map.set(
      key,
      [...versions, copy(value)].sort((a, b) => a.version - b.version),
    );
  }
  async getCalendar(countyCode: string, version?: number) {
    return this.pick(this.calendars.get(countyCode), version);
  }
  async addCalendarVersion(calendar: WorkingCalendar) {
    this.add(this.calendars, calendar.countyCode, calendar, `calendar ${calendar.countyCode}`);
  }
  async getCountyPolicy(countyCode: string, category: string, urgency: Urgency, version?: number) {
    return this.pick(this.countyPolicies.get(`${countyCode}#${category}#${urgency}`), version);
  }
  async listCountyPolicyVersions(countyCode: string, category: string, urgency: Urgency) {
    return [...(this.countyPolicies.get(`${countyCode}#${category}#${urgency}`) ?? [])].reverse().map(copy);
  }
  async addCountyPolicyVersion(policy: StoredPolicy) {
    this.add(this.countyPolicies, `${policy.countyCode}#${policy.category}#${policy.urgency}`, policy, `policy ${policy.category}`);
  }
}

export type InMemoryDirectory = InMemoryTreeStore &
  InMemoryPeopleStore &
  InMemoryCatalogStore &
  InMemoryCountyRulesStore &
  DirectoryStore &
  CredentialStore;

/** The three areas joined into one DirectoryStore, each method bound to its area (like dynamoDirectoryStore). */
export function inMemoryDirectory(): InMemoryDirectory {
  const parts = [new InMemoryTreeStore(), new InMemoryPeopleStore(), new InMemoryCatalogStore(), new InMemoryCountyRulesStore()];
  const joined: Record<string, unknown> = {};
  for (const part of parts) {
    for (const [name, value] of Object.entries(part)) joined[name] = value;
    for (let proto = Object.getPrototypeOf(part); proto && proto !== Object.prototype; proto = Object.getPrototypeOf(proto)) {
      for (const name of Object.getOwnPropertyNames(proto)) {
        const value = (part as unknown as Record<string, unknown>)[name];
        if (name !== 'constructor' && typeof value === 'function' && !(name in joined)) joined[name] = value.bind(part);
      }
    }
  }
  const directory = joined as unknown as InMemoryDirectory;
  directory.getNodesAndCategory = async (codes, category) => ({
    nodes: await directory.getNodes(codes),
    category: await directory.getCategory(category),
  });
  return directory;
}

export class InMemoryAuditLog implements AuditLog {
  readonly entries: AuditEntry[] = [];

  async append(entry: AuditEntry) {
    if (!this.entries.some((e) => e.subject === entry.subject && e.seq === entry.seq)) this.entries.push(copy(entry));
  }
  async list(subject: AuditSubject, page: PageRequest) {
    const mine = this.entries.filter((e) => e.subject === subject).sort((a, b) => b.seq - a.seq);
    const inverted = (seq: number) => String(1e9 - seq).padStart(10, '0');
    return pageOf(mine, (e) => inverted(e.seq), page);
  }
}
