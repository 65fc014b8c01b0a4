/** The jurisdiction tree, people, departments, categories and policies. */
import type { Category, Department, Urgency } from '#core/catalog.ts';
import type { Person, Role } from '#core/people.ts';
import type { EscalationPolicy } from '#core/policy.ts';
import type { TreeNode } from '#core/tree.ts';

export interface DirectoryStore {
  getNode(code: string): Promise<TreeNode | null>;
  listChildren(parentCode: string): Promise<TreeNode[]>;
  /** The roots of the tree: the counties this deployment serves. */
  listRoots(): Promise<TreeNode[]>;
  /** People whose scope is exactly this node or department, optionally of one role. */
  peopleIn(scope: string, role?: Role): Promise<Person[]>;
  getPerson(id: string): Promise<Person | null>;
  getDepartment(code: string): Promise<Department | null>;
  listDepartments(): Promise<Department[]>;
  getCategory(code: string): Promise<Category | null>;
  listCategories(): Promise<Category[]>;
  getPolicy(category: string, urgency: Urgency): Promise<EscalationPolicy | null>;

  putNode(node: TreeNode): Promise<void>;
  putPerson(person: Person): Promise<void>;
  putDepartment(department: Department): Promise<void>;
  putCategory(category: Category): Promise<void>;
  putPolicy(policy: EscalationPolicy): Promise<void>;
}

/** Sign-in credentials, kept apart from the person record so a read of people never carries hashes. */
export interface Credential {
  username: string;
  personId: string;
  passwordHash: string;
}

export interface CredentialStore {
  getCredential(username: string): Promise<Credential | null>;
  putCredential(credential: Credential): Promise<void>;
}
