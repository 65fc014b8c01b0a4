/**
 * Who may manage what in the directory, as pure checks on role + scope (DESIGN.md §6):
 * - a village admin manages their village and its grids, a township admin their township's
 *   subtree, a county admin their county; grid workers and department officers manage nothing;
 * - the structure of a node (moving, retiring, merging it) belongs to the tier above: nobody moves
 *   or retires the node their own scope is;
 * - departments and categories are the county's: only a county admin changes them;
 * - nobody creates or edits a person with a role above their own or a scope outside their own.
 * The operator (OPERATOR below) is the bootstrap identity of scripts and seeds: it may create the
 * roots (counties) themselves. No token ever carries it: scopes in tokens are codes.
 */
import type { Department } from './catalog.ts';
import { ForbiddenError } from './errors.ts';
import { type Actor, levelOfRole, type Person, type Role } from './people.ts';
import type { NodeLevel, TreeNode } from './tree.ts';

/** The scope of the operator: everything. Never a node code, so no person or token can hold it. */
export const OPERATOR_SCOPE = '*';

/** The identity seeds, imports run by scripts, and the bench act as; it is never signed in. */
export const OPERATOR: Actor = { id: 'operator', name: '系统管理员', role: 'county_admin', scope: OPERATOR_SCOPE };

export function isOperator(actor: Pick<Actor, 'scope'>): boolean {
  return actor.scope === OPERATOR_SCOPE;
}

/** Admin roles by how far they reach; the higher may create and manage the lower. */
export const ADMIN_RANK: Record<Role, number> = {
  grid_worker: 0,
  department_officer: 1,
  village_admin: 1,
  township_admin: 2,
  county_admin: 3,
};

const MANAGERS: ReadonlySet<Role> = new Set(['county_admin', 'township_admin', 'village_admin']);

export function isManager(actor: Pick<Actor, 'role'>): boolean {
  return MANAGERS.has(actor.role);
}

/** The node is the actor's scope or lies below it. */
export function holdsNode(actor: Actor, node: Pick<TreeNode, 'path'>): boolean {
  return isOperator(actor) || (isManager(actor) && node.path.includes(actor.scope));
}

/** Read and edit a node (name, boundary, contacts) and create nodes under it. */
export function assertCanManageNode(actor: Actor, node: Pick<TreeNode, 'code' | 'path'>): void {
  if (!holdsNode(actor, node)) throw new ForbiddenError('NODE.OUT_OF_SCOPE', `node ${node.code} is outside your scope`);
}

/** Move, retire or merge a node: only from above it (a village secretary cannot retire their village). */
export function assertCanRestructureNode(actor: Actor, node: Pick<TreeNode, 'code' | 'path'>): void {
  assertCanManageNode(actor, node);
  if (!isOperator(actor) && node.code === actor.scope) {
    throw new ForbiddenError('NODE.OWN_SCOPE', `node ${node.code} is your own scope: the tier above moves or retires it`);
  }
}

/** Departments and categories belong to the county. */
export function assertCountyAdmin(actor: Actor, what: string): void {
  if (actor.role !== 'county_admin') throw new ForbiddenError('ADMIN.COUNTY_ONLY', `only a county admin manages ${what}`);
}

/** The node level a role's scope must be at (null: a department). */
export function scopeLevelOf(role: Role): NodeLevel | null {
  return levelOfRole(role);
}

/**
 * Whether `actor` may create or change a person with this role and scope: the role no higher than
 * the actor's own, the scope inside the actor's (a node they hold, or for department officers a
 * department, which only county admins manage).
 */
export function assertCanManagePerson(
  actor: Actor,
  person: Pick<Person, 'role'>,
  scope: { node: Pick<TreeNode, 'code' | 'path' | 'level'> } | { department: Pick<Department, 'code'> },
): void {
  if (!isOperator(actor)) {
    if (!isManager(actor)) throw new ForbiddenError('PEOPLE.NOT_AN_ADMIN', 'only admins manage people');
    if (ADMIN_RANK[person.role] > ADMIN_RANK[actor.role]) {
      throw new ForbiddenError('PEOPLE.ROLE_ABOVE_YOURS', `a ${actor.role} cannot manage a ${person.role}`);
    }
  }
  if ('department' in scope) {
    if (!isOperator(actor) && actor.role !== 'county_admin') {
      throw new ForbiddenError('PEOPLE.OUT_OF_SCOPE', 'department officers are managed by the county admin');
    }
    return;
  }
  if (!holdsNode(actor, scope.node)) throw new ForbiddenError('PEOPLE.OUT_OF_SCOPE', `node ${scope.node.code} is outside your scope`);
}
