/**
 * Jurisdiction management: read a node with its path, counts and officers; list its children;
 * search a subtree; create and edit nodes; move a node and its subtree under another parent;
 * retire a node, or merge it into a sibling (撤并). Every change to a node or person is an audited,
 * versioned save (audited.ts); every open report a move or merge touches is re-filed through
 * mutateReport with a timeline event.
 *
 * Moves and merges touch many records (a township: about a thousand nodes and their people), so
 * they go node by node, a bounded number at a time, and the node that moves (or retires) is saved
 * last: until it is, a retried request walks the whole subtree again, finds the records already
 * moved as they should be and leaves them alone, and finishes the rest.
 */
import type { StoredNode, StoredPerson } from '#ports/directory.ts';
import type { Page } from '#ports/versioning.ts';
import { VersionConflictError } from '#ports/versioning.ts';
import { assertCanManageNode, assertCanRestructureNode, holdsNode, isManager, isOperator } from '../admin-access.ts';
import { auditSubject } from '../audit.ts';
import { boundaryExcludesChild, boundaryFromGeoJson, boundaryOutsideParent } from '../boundary.ts';
import { ConflictError, DomainRefusalError, ForbiddenError, GridWhistleError, NotFoundError, ValidationError } from '../errors.ts';
import { type Actor, isActivePerson } from '../people.ts';
import { isOpen, type PathStep, type Report, refile } from '../report.ts';
import {
  type Contact,
  childLevel,
  codeAtLevel,
  isActiveNode,
  type Jurisdiction,
  jurisdictionCodes,
  levelIndex,
  makeNode,
  type NodeLevel,
  nodeCodeProblem,
} from '../tree.ts';
import {
  mergeProblem,
  moveProblem,
  normalizeContacts,
  officersOf,
  ownerLeftPath,
  refiledJurisdiction,
  retireProblem,
  sameJurisdiction,
  type TreeProblem,
} from '../tree-changes.ts';
import { saveAudited, updateAudited } from './audited.ts';
import { mapBounded } from './bounded.ts';
import type { Deps } from './deps.ts';
import { mutateReport, wakeAfterStored } from './mutate.ts';
import { deadlinesFor, resolveAssignment } from './routing.ts';

/** How many records a move or merge writes at once. */
export const WALK_PARALLELISM = 8;

export interface NodeCounts {
  /** Active direct children. */
  children: number;
  /** Open reports anywhere in the node's subtree. */
  openReports: number;
  /** Active people whose scope is this node. */
  people: number;
}

export interface NodeView {
  node: StoredNode;
  path: { code: string; name: string; level: NodeLevel }[];
  counts: NodeCounts;
  /** The node's active responsible officers (its level's role). */
  officers: StoredPerson[];
  /** Nobody holds the post: reports skip this tier. */
  vacant: boolean;
}

const notFound = (code: string) => new NotFoundError('NODE.NOT_FOUND', `node ${code} does not exist`);

async function loadNode(deps: Pick<Deps, 'directory'>, code: string): Promise<StoredNode> {
  const node = await deps.directory.getNode(code);
  if (!node) throw notFound(code);
  return node;
}

function refuse(problem: TreeProblem, details?: unknown): never {
  if (problem.code === 'NODE.RETIRED') throw new ConflictError(problem.code, problem.message, details);
  throw new DomainRefusalError(problem.code, problem.message, details);
}

async function countOpenReports(deps: Pick<Deps, 'reports'>, node: StoredNode): Promise<number> {
  let count = 0;
  for await (const _ of deps.reports.openReportsUnder(node)) count++;
  return count;
}

/** A node for an admin who manages it: where it sits, what it holds, who answers for it. */
export async function readNode(deps: Pick<Deps, 'directory' | 'reports'>, actor: Actor, code: string): Promise<NodeView> {
  const node = await loadNode(deps, code);
  assertCanManageNode(actor, node);
  const [ancestors, people, children, openReports] = await Promise.all([
    Promise.all(node.path.slice(0, -1).map((c) => deps.directory.getNode(c))),
    deps.directory.peopleIn(node.code),
    deps.directory.listChildren(node.code),
    countOpenReports(deps, node),
  ]);
  const path = [...ancestors, node].map((n, i) => ({
    code: n?.code ?? (node.path[i] as string),
    name: n?.name ?? (node.path[i] as string),
    level: n?.level ?? node.level,
  }));
  const officers = officersOf(node.level, people);
  return {
    node,
    path,
    counts: { children: children.filter(isActiveNode).length, openReports, people: people.filter(isActivePerson).length },
    officers,
    vacant: officers.length === 0,
  };
}

/**
 * A page of a node's children (retired ones too, marked by their status) with their counts: the
 * open reports of every child come from one pass over the parent's, grouped by child.
 */
export async function listNodeChildren(
  deps: Pick<Deps, 'directory' | 'reports'>,
  actor: Actor,
  code: string,
  page: { cursor?: string; limit: number },
): Promise<Page<{ node: StoredNode; counts: NodeCounts }>> {
  const parent = await loadNode(deps, code);
  assertCanManageNode(actor, parent);
  const level = childLevel(parent.level);
  const children = await deps.directory.listChildrenPage(code, page);
  const open = new Map<string, number>();
  if (level && children.items.length > 0) {
    for await (const report of deps.reports.openReportsUnder(parent)) {
      const child = codeAtLevel(report, level);
      open.set(child, (open.get(child) ?? 0) + 1);
    }
  }
  const items = await mapBounded(children.items, WALK_PARALLELISM, async (node) => {
    const [grandchildren, people] = await Promise.all([
      node.level === 'grid' ? Promise.resolve([]) : deps.directory.listChildren(node.code),
      deps.directory.peopleIn(node.code),
    ]);
    const counts: NodeCounts = {
      children: grandchildren.filter(isActiveNode).length,
      openReports: open.get(node.code) ?? 0,
      people: people.filter(isActivePerson).length,
    };
    return { node, counts };
  });
  return { items, nextCursor: children.nextCursor };
}

/** Nodes in the caller's own subtree whose name contains `q` or whose code starts with it. */
export async function searchTree(
  deps: Pick<Deps, 'directory'>,
  actor: Actor,
  input: { q: string; cursor?: string; limit: number },
): Promise<Page<StoredNode>> {
  if (!isManager(actor)) throw new ForbiddenError('NODE.OUT_OF_SCOPE', 'only admins search the tree');
  const scope = await deps.directory.getNode(actor.scope);
  if (!scope) throw new ForbiddenError('NODE.OUT_OF_SCOPE', 'your scope is not a node of the tree');
  assertCanManageNode(actor, scope);
  return deps.directory.searchSubtree(scope.path, input.q, { cursor: input.cursor, limit: input.limit });
}

export interface NewNodeInput {
  code: string;
  name: string;
  level: NodeLevel;
  /** null only for a county, which only the operator creates. */
  parentCode: string | null;
  /** A GeoJSON Polygon. */
  boundary?: unknown;
  contacts?: Contact[];
}

function checkedRing(boundary: unknown): [number, number][] {
  const parsed = boundaryFromGeoJson(boundary);
  if ('problem' in parsed)
    throw new ValidationError(parsed.problem.code, parsed.problem.message, [{ path: 'boundary', message: parsed.problem.message }]);
  return parsed.ring;
}

function checkedContacts(contacts: readonly Contact[]): Contact[] {
  const normalized = normalizeContacts(contacts);
  if ('problem' in normalized) throw new ValidationError(normalized.problem.code, normalized.problem.message);
  return normalized.contacts;
}

function assertInsideParent(ring: [number, number][] | undefined, parent: StoredNode | null): void {
  if (!ring || !parent) return;
  const problem = boundaryOutsideParent(ring, parent);
  if (problem) throw new DomainRefusalError(problem.code, problem.message);
}

const nodeSave = (deps: Pick<Deps, 'directory'>) => (node: StoredNode, expected: number | null) => deps.directory.saveNode(node, expected);
const personSave = (deps: Pick<Deps, 'directory'>) => (person: StoredPerson, expected: number | null) =>
  deps.directory.savePerson(person, expected);

/** Creates a node under a parent the actor manages (a county: the operator only), its code checked against the parent's. */
export async function createNode(
  deps: Pick<Deps, 'directory' | 'audit' | 'clock'>,
  actor: Actor,
  input: NewNodeInput,
): Promise<StoredNode> {
  let parent: StoredNode | null = null;
  if (input.parentCode === null) {
    if (!isOperator(actor)) throw new ForbiddenError('NODE.ROOT_OPERATOR_ONLY', 'counties are created by the operator, not over the API');
  } else {
    parent = await deps.directory.getNode(input.parentCode);
    if (!parent) throw new DomainRefusalError('NODE.PARENT_UNKNOWN', `the parent ${input.parentCode} does not exist`);
    assertCanManageNode(actor, parent);
    if (!isActiveNode(parent)) {
      throw new DomainRefusalError(
        'NODE.PARENT_RETIRED',
        `上级${parent.code}已撤销，不能在其下新建 (the parent ${parent.code} is retired)`,
      );
    }
  }
  const codeProblem = nodeCodeProblem(input.code, input.level, parent);
  if (codeProblem) throw new ValidationError(codeProblem.code, codeProblem.message, [{ path: 'code', message: codeProblem.message }]);
  const ring = input.boundary === undefined ? undefined : checkedRing(input.boundary);
  const contacts = input.contacts === undefined ? [] : checkedContacts(input.contacts);
  assertInsideParent(ring, parent);
  const node: StoredNode = {
    ...makeNode({ code: input.code, name: input.name, level: input.level, parent }),
    status: 'active',
    ...(ring ? { boundary: ring } : {}),
    ...(contacts.length > 0 ? { contacts } : {}),
  };
  try {
    return await saveAudited(deps, {
      subject: auditSubject('node', node.code),
      actor,
      change: 'created',
      before: null,
      after: node,
      save: nodeSave(deps),
    });
  } catch (error) {
    if (error instanceof VersionConflictError) throw new ConflictError('NODE.EXISTS', `node ${node.code} already exists`);
    throw error;
  }
}

export interface NodeEdit {
  name?: string;
  /** A GeoJSON Polygon, or null to remove the boundary. */
  boundary?: unknown;
  /** null or [] removes every published contact. */
  contacts?: Contact[] | null;
  /** A new parent moves the node and its subtree. */
  parentCode?: string;
}

interface CheckedEdit {
  name?: string;
  /** undefined: keep; null: remove. */
  ring?: [number, number][] | null;
  contacts?: Contact[];
}

function withEdits(node: StoredNode, edit: CheckedEdit): StoredNode {
  const next: StoredNode = { ...node };
  if (edit.name !== undefined) next.name = edit.name;
  if (edit.ring === null) delete next.boundary;
  else if (edit.ring !== undefined) next.boundary = edit.ring;
  if (edit.contacts !== undefined) {
    if (edit.contacts.length === 0) delete next.contacts;
    else next.contacts = edit.contacts;
  }
  return next;
}

/**
 * Edits a node's name, boundary and published contacts (managers of the node), and moves it under
 * another parent when `parentCode` changes (the tier above it, into a parent it also manages).
 */
export async function editNode(deps: Deps, actor: Actor, code: string, edit: NodeEdit): Promise<StoredNode> {
  const current = await loadNode(deps, code);
  assertCanManageNode(actor, current);
  if (!isActiveNode(current)) throw new ConflictError('NODE.RETIRED', `${code}已撤销，不能修改 (node ${code} is retired)`);
  const moving = edit.parentCode !== undefined && edit.parentCode !== current.parentCode;
  let newParent: StoredNode | null = null;
  if (moving) {
    assertCanRestructureNode(actor, current);
    newParent = await deps.directory.getNode(edit.parentCode as string);
    if (!newParent) throw new DomainRefusalError('NODE.PARENT_UNKNOWN', `the parent ${edit.parentCode} does not exist`);
    if (!holdsNode(actor, newParent)) {
      throw new ForbiddenError('NODE.OUT_OF_SCOPE', `the new parent ${newParent.code} is outside your scope`);
    }
    const problem = moveProblem(current, newParent);
    if (problem) refuse(problem);
  }

  const checked: CheckedEdit = {
    name: edit.name,
    ring: edit.boundary === undefined ? undefined : edit.boundary === null ? null : checkedRing(edit.boundary),
    contacts: edit.contacts === undefined ? undefined : edit.contacts === null ? [] : checkedContacts(edit.contacts),
  };
  // The boundary the node will have must lie in the parent it will have: checked when either changes.
  if (newParent || checked.ring) {
    const parent = newParent ?? (current.parentCode === null ? null : await deps.directory.getNode(current.parentCode));
    assertInsideParent(checked.ring === undefined ? current.boundary : (checked.ring ?? undefined), parent);
  }
  if (checked.ring) {
    const children = (await deps.directory.listChildren(code)).filter(isActiveNode);
    const problem = boundaryExcludesChild(checked.ring, children);
    if (problem) throw new DomainRefusalError(problem.code, problem.message);
  }

  if (newParent) return moveNode(deps, actor, current, newParent, checked);
  return updateAudited(deps, {
    load: () => deps.directory.getNode(code),
    apply: (node) => {
      if (!isActiveNode(node)) throw new ConflictError('NODE.RETIRED', `node ${code} is retired`);
      return { after: withEdits(node, checked), change: 'updated' };
    },
    save: nodeSave(deps),
    subject: auditSubject('node', code),
    actor,
    notFound: () => notFound(code),
  });
}

/** What a move or merge carries through its walk: who does it, and the names of the nodes it has seen. */
class Walk {
  private readonly names = new Map<string, string>();

  constructor(
    readonly deps: Deps,
    readonly actor: Actor,
  ) {}

  saw(node: { code: string; name: string }): void {
    this.names.set(node.code, node.name);
  }

  async nameOf(code: string): Promise<string> {
    const known = this.names.get(code);
    if (known !== undefined) return known;
    const name = (await this.deps.directory.getNode(code))?.name ?? code;
    this.names.set(code, name);
    return name;
  }

  async steps(j: Jurisdiction): Promise<PathStep[]> {
    return Promise.all(jurisdictionCodes(j).map(async (code) => ({ code, name: await this.nameOf(code) })));
  }
}

async function saveNodeChange(walk: Walk, code: string, change: string, apply: (node: StoredNode) => StoredNode): Promise<StoredNode> {
  const { deps, actor } = walk;
  return updateAudited(deps, {
    load: () => deps.directory.getNode(code),
    apply: (node) => ({ after: apply(node), change }),
    save: nodeSave(deps),
    subject: auditSubject('node', code),
    actor,
    notFound: () => notFound(code),
  });
}

const samePath = (a: readonly string[] | undefined, b: readonly string[]) => a !== undefined && a.join('/') === b.join('/');

/** The people scoped to a node get the node's new path (their subtree listings follow). */
async function repathPeople(walk: Walk, nodeCode: string, path: string[]): Promise<void> {
  const { deps, actor } = walk;
  const people = await deps.directory.peopleIn(nodeCode);
  for (const person of people) {
    if (samePath(person.scopePath, path)) continue;
    await updateAudited(deps, {
      load: () => deps.directory.getPerson(person.id),
      apply: (p) => ({ after: p.scope === nodeCode ? { ...p, scopePath: path } : p, change: 'moved' }),
      save: personSave(deps),
      subject: auditSubject('person', person.id),
      actor,
      notFound: () => new NotFoundError('PERSON.NOT_FOUND', `person ${person.id} does not exist`),
    });
  }
}

/**
 * Gives every node below `top` (not `top` itself) and their people the paths they have once `top`
 * sits at `topPath`, level by level. Children are found by their parent's code, which a move never
 * changes, so a retried walk reaches every node however far an earlier attempt got; a node that
 * already has its path is not written again.
 */
async function repathDescendants(walk: Walk, top: StoredNode, topPath: string[]): Promise<void> {
  const { deps } = walk;
  let frontier = [{ node: top, path: topPath }];
  while (frontier.length > 0) {
    const parents = frontier.filter((f) => f.node.level !== 'grid');
    const next = (
      await mapBounded(parents, WALK_PARALLELISM, async ({ node, path }) =>
        (await deps.directory.listChildren(node.code)).map((child) => ({ node: child, path: [...path, child.code] })),
      )
    ).flat();
    await mapBounded(next, WALK_PARALLELISM, async ({ node, path }) => {
      walk.saw(node);
      await repathPeople(walk, node.code, path);
      if (!samePath(node.path, path)) await saveNodeChange(walk, node.code, 'moved', (n) => ({ ...n, path }));
    });
    frontier = next;
  }
}

interface RefileOrder {
  /** The node whose open reports are re-filed, as it was before (its own code selects the reports). */
  node: StoredNode;
  /** Where the node now stands: its new path (a move) or its merge target's (a merge). */
  nodePath: string[];
  reason: 'moved' | 'merged';
  mergedInto?: string;
}

/**
 * Re-files every open report under the node (one pass lists them, then each is changed through
 * mutateReport): its codes follow the node's new path, the names it was filed under stay, a
 * timeline event records from where to where. A report whose tier's owner is no longer on its path
 * goes to the officers who now stand there, and its waiting workflow is woken to text them.
 */
async function refileOpenReports(walk: Walk, order: RefileOrder): Promise<void> {
  const { deps, actor } = walk;
  const ids: string[] = [];
  for await (const report of deps.reports.openReportsUnder(order.node)) ids.push(report.id);
  const depth = levelIndex(order.node.level);
  await mapBounded(ids, WALK_PARALLELISM, async (id) => {
    let handedOver = false;
    const { before, changed } = await mutateReport(deps, id, async (report) => {
      handedOver = false;
      if (!isOpen(report) || jurisdictionCodes(report)[depth] !== order.node.code) return null;
      const to = refiledJurisdiction(report, order.node.level, order.nodePath);
      if (sameJurisdiction(report, to)) return null;
      const now = deps.clock.now();
      const handover = await handoverFor(deps, { ...report, ...to }, now);
      handedOver = handover !== undefined;
      const [fromPath, toPath] = await Promise.all([walk.steps(report), walk.steps(to)]);
      return refile(
        report,
        { reason: order.reason, nodeCode: order.node.code, mergedInto: order.mergedInto, to, fromPath, toPath },
        actor,
        now,
        handover,
      );
    });
    if (changed && handedOver && before.waiting) await wakeAfterStored(deps, before.waiting.token);
  });
}

/** The new owner of a report whose tier's owner left its path; none when nobody at all could take it (it stays). */
async function handoverFor(deps: Deps, moved: Report, now: Date) {
  if (!ownerLeftPath(moved)) return undefined;
  try {
    const assignment = await resolveAssignment(deps, moved, moved.tier);
    return { assignment, deadlines: await deadlinesFor(deps, moved, assignment.tier, now) };
  } catch (error) {
    if (error instanceof GridWhistleError && error.kind === 'refused') return undefined;
    throw error;
  }
}

/** Moves `top` and its subtree under `parent`: descendants, people and open reports first, `top` itself last. */
async function moveNode(deps: Deps, actor: Actor, top: StoredNode, parent: StoredNode, edit: CheckedEdit): Promise<StoredNode> {
  const walk = new Walk(deps, actor);
  for (const node of [top, parent]) walk.saw(node);
  const path = [...parent.path, top.code];
  await repathDescendants(walk, top, path);
  await repathPeople(walk, top.code, path);
  await refileOpenReports(walk, { node: top, nodePath: path, reason: 'moved' });
  return saveNodeChange(walk, top.code, 'moved', (node) => ({ ...withEdits(node, edit), parentCode: parent.code, path }));
}

/**
 * Retires a node (撤销): refused while it holds open reports or active children, unless it is
 * merged into a sibling (撤并), which takes them over: its active children move under the sibling
 * (keeping their codes), its people are re-scoped to it, its open reports re-filed under it. The
 * retired node stays readable with `mergedInto`; a retried request finishes what an earlier one
 * began, and one repeated after it finished answers the retired node.
 */
export async function retireNode(deps: Deps, actor: Actor, code: string, input: { mergeInto?: string }): Promise<StoredNode> {
  const node = await loadNode(deps, code);
  assertCanRestructureNode(actor, node);
  if (!isActiveNode(node)) {
    if (input.mergeInto === undefined || node.mergedInto === input.mergeInto) return node;
    throw new ConflictError('NODE.RETIRED', `${code}已撤销 (node ${code} is already retired)`, { mergedInto: node.mergedInto ?? null });
  }
  if (input.mergeInto === undefined) {
    const [children, openReports] = await Promise.all([deps.directory.listChildren(code), countOpenReports(deps, node)]);
    const activeChildren = children.filter(isActiveNode).length;
    const problem = retireProblem(node, { activeChildren, openReports });
    if (problem) throw new ConflictError(problem.code, problem.message, { activeChildren, openReports });
    return saveNodeChange(new Walk(deps, actor), code, 'retired', (n) => ({ ...n, status: 'retired' }));
  }

  const target = await deps.directory.getNode(input.mergeInto);
  if (!target) throw new DomainRefusalError('NODE.MERGE_TARGET_UNKNOWN', `the merge target ${input.mergeInto} does not exist`);
  assertCanManageNode(actor, target);
  const problem = mergeProblem(node, target);
  if (problem) refuse(problem);

  const walk = new Walk(deps, actor);
  for (const n of [node, target]) walk.saw(n);
  // One child at a time, each with its walk done before the child itself is saved under the
  // target: a retry finds the children not yet moved still under the node.
  for (const child of (await deps.directory.listChildren(code)).filter(isActiveNode)) {
    walk.saw(child);
    const path = [...target.path, child.code];
    await repathDescendants(walk, child, path);
    await repathPeople(walk, child.code, path);
    await saveNodeChange(walk, child.code, 'moved', (n) => ({ ...n, parentCode: target.code, path }));
  }
  for (const person of (await deps.directory.peopleIn(code)).filter(isActivePerson)) {
    await updateAudited(deps, {
      load: () => deps.directory.getPerson(person.id),
      apply: (p) => ({ after: p.scope === code ? { ...p, scope: target.code, scopePath: target.path } : p, change: 'rescoped' }),
      save: personSave(deps),
      subject: auditSubject('person', person.id),
      actor,
      notFound: () => new NotFoundError('PERSON.NOT_FOUND', `person ${person.id} does not exist`),
    });
  }
  await refileOpenReports(walk, { node, nodePath: target.path, reason: 'merged', mergedInto: target.code });
  return saveNodeChange(walk, code, 'merged', (n) => ({ ...n, status: 'retired', mergedInto: target.code }));
}
