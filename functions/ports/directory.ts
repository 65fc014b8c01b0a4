/**
 * The directory: the jurisdiction tree, people, departments, categories and policies. Split by
 * area (one adapter per area), joined as DirectoryStore for the use cases that read across them.
 * Versioned writes (`save…`) are conditional on the version the caller read (null: must not exist)
 * and throw VersionConflictError otherwise; `put…` writes unconditionally (seeds, tests).
 */
import type { Versioned } from '#core/audit.ts';
import type { Category, Department, Urgency } from '#core/catalog.ts';
import type { Person, Role } from '#core/people.ts';
import type { EscalationPolicy } from '#core/policy.ts';
import type { TreeNode } from '#core/tree.ts';
import type { CountyRulesStore } from './county-rules.ts';
import type { Page, PageRequest } from './versioning.ts';

export type StoredNode = TreeNode & Versioned;
export type StoredPerson = Person &
  Versioned & {
    /** The path of the person's scope node (absent for department officers), so subtree listings are one key range. */
    scopePath?: string[];
  };
export type StoredDepartment = Department & Versioned;
export type StoredCategory = Category & Versioned;

export interface TreeStore {
  getNode(code: string): Promise<StoredNode | null>;
  /** The nodes with these codes that exist, in no particular order, in one batched read (a node's ancestors). */
  getNodes(codes: readonly string[]): Promise<StoredNode[]>;
  /** Children of a node, every one (a node has at most a few hundred). */
  listChildren(parentCode: string): Promise<StoredNode[]>;
  /** Children of a node by code, a page at a time. */
  listChildrenPage(parentCode: string, page: PageRequest): Promise<Page<StoredNode>>;
  /** The roots of the tree: the counties this deployment serves. */
  listRoots(): Promise<StoredNode[]>;
  /** The nodes at or under this path (the node itself first), in path order, a page at a time. */
  listSubtree(path: string[], page: PageRequest): Promise<Page<StoredNode>>;
  /**
   * The nodes at or under this path whose name contains `text` or whose code starts with it, in
   * path order. A page reads a bounded stretch of the subtree: it may hold fewer than `limit`
   * matches and still have a `nextCursor` to read on from.
   */
  searchSubtree(path: string[], text: string, page: PageRequest): Promise<Page<StoredNode>>;
  saveNode(node: StoredNode, expectedVersion: number | null): Promise<void>;
  putNode(node: TreeNode): Promise<void>;
}

export interface PeopleStore {
  /** People whose scope is exactly this node or department, optionally of one role. */
  peopleIn(scope: string, role?: Role): Promise<StoredPerson[]>;
  getPerson(id: string): Promise<StoredPerson | null>;
  savePerson(person: StoredPerson, expectedVersion: number | null): Promise<void>;
  putPerson(person: Person | StoredPerson): Promise<void>;
  /**
   * The people whose scope node lies at or under this path (a subtree's staff), by path then role;
   * with a filter, only those that match it (a page may then hold fewer than `limit`).
   */
  peopleUnder(path: string[], page: PageRequest, filter?: PeopleFilter): Promise<Page<StoredPerson>>;
}

/** What a listing of people may be narrowed to. */
export interface PeopleFilter {
  role?: Role;
  /** true: active people (a record without the flag is active); false: deactivated ones. */
  active?: boolean;
  /** Part of the name, the phone number or the username. */
  q?: string;
}

export interface CatalogStore {
  getDepartment(code: string): Promise<StoredDepartment | null>;
  listDepartments(): Promise<StoredDepartment[]>;
  saveDepartment(department: StoredDepartment, expectedVersion: number | null): Promise<void>;
  putDepartment(department: Department): Promise<void>;
  getCategory(code: string): Promise<StoredCategory | null>;
  listCategories(): Promise<StoredCategory[]>;
  saveCategory(category: StoredCategory, expectedVersion: number | null): Promise<void>;
  putCategory(category: Category): Promise<void>;
  getPolicy(category: string, urgency: Urgency): Promise<EscalationPolicy | null>;
  putPolicy(policy: EscalationPolicy): Promise<void>;
}

export interface DirectoryStore extends TreeStore, PeopleStore, CatalogStore, CountyRulesStore {
  /**
   * The nodes with these codes that exist (as getNodes) and the category (as getCategory), in one
   * batched read: what filing a report checks before it stores anything.
   */
  getNodesAndCategory(codes: readonly string[], category: string): Promise<{ nodes: StoredNode[]; category: StoredCategory | null }>;
}

/** Sign-in credentials, kept apart from the person record so a read of people never carries hashes. */
export interface Credential {
  username: string;
  personId: string;
  passwordHash: string;
  /** The password is the one-time initial one an admin handed out: sign-in must set a new one first. */
  mustChangePassword?: boolean;
  /** The person was deactivated: the credential signs in nowhere. */
  disabled?: boolean;
}

export interface CredentialStore {
  getCredential(username: string): Promise<Credential | null>;
  putCredential(credential: Credential): Promise<void>;
  /** Stores a new credential; false when the username is taken (usernames are never reused). */
  createCredential(credential: Credential): Promise<boolean>;
  /**
   * Swaps the password hash if it is still `fromHash` (and the credential is not disabled), and
   * clears `mustChangePassword`; false otherwise, so a one-time password changes a password once.
   */
  replacePasswordHash(username: string, fromHash: string, toHash: string): Promise<boolean>;
  /** Marks the credential disabled; a credential that does not exist is left alone. */
  disableCredential(username: string): Promise<void>;
}
