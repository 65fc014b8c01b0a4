/**
 * The people directory: grid workers, village and township officers, department officers and
 * admins, managed by the admins above them (core/admin-access.ts). Every change is audited; an
 * officer who leaves a post (deactivated, moved, no longer responsible) hands their open reports
 * to the post's other officers, or up to the next tier with one, on the report's timeline and by SMS.
 */
import { randomBytes } from 'node:crypto';
import type { AccountProvider } from '#ports/accounts.ts';
import type { PeopleFilter, StoredDepartment, StoredNode, StoredPerson } from '#ports/directory.ts';
import type { Page } from '#ports/versioning.ts';
import { assertCanManageNode, assertCanManagePerson, assertCountyAdmin, isManager, isOperator } from '../admin-access.ts';
import { auditSubject } from '../audit.ts';
import { DomainRefusalError, ForbiddenError, NotFoundError, ValidationError } from '../errors.ts';
import {
  type Actor,
  isActivePerson,
  isFieldProblem,
  isResponsibleOfficer,
  normalizePersonFields,
  type Person,
  type PersonFields,
  type PersonProblem,
  type PersonScopeTarget,
  personFieldProblems,
  personProblems,
  type Role,
} from '../people.ts';
import type { Tier } from '../policy.ts';
import { escalationTarget, type HandOverReason, type HandOverTarget, handOver, isHeldBy, type Report } from '../report.ts';
import { saveAudited, updateAudited } from './audited.ts';
import type { Deps } from './deps.ts';
import { mutateReport, wakeAfterStored } from './mutate.ts';
import { deadlinesFor, postOfficers, resolveAssignment } from './routing.ts';

export interface PeopleDeps extends Deps {
  /** Sign-in accounts: local credentials or Cognito users, whichever wiring chose. */
  accounts: AccountProvider;
}

/** A person as the API shows them: flags spelled out, bookkeeping (paths, audit entries) left out. */
export interface PersonView {
  id: string;
  name: string;
  phone: string;
  role: Role;
  scope: string;
  title?: string;
  active: boolean;
  responsible: boolean;
  username?: string;
  version?: number;
  createdAt?: string;
  updatedAt?: string;
}

export function personView(person: StoredPerson): PersonView {
  return {
    id: person.id,
    name: person.name,
    phone: person.phone,
    role: person.role,
    scope: person.scope,
    ...(person.title ? { title: person.title } : {}),
    active: isActivePerson(person),
    responsible: person.responsible !== false,
    ...(person.username ? { username: person.username } : {}),
    ...(person.version !== undefined ? { version: person.version } : {}),
    ...(person.createdAt ? { createdAt: person.createdAt } : {}),
    ...(person.updatedAt ? { updatedAt: person.updatedAt } : {}),
  };
}

/** What a scope code points at, looked up by the kind the role needs. */
export interface ResolvedScope {
  target: PersonScopeTarget;
  node: StoredNode | null;
  department: StoredDepartment | null;
}

export async function resolveScope(deps: Pick<Deps, 'directory'>, role: Role, scope: string): Promise<ResolvedScope> {
  if (role === 'department_officer') {
    const department = await deps.directory.getDepartment(scope);
    return { target: department ? { department } : null, node: null, department };
  }
  const node = await deps.directory.getNode(scope);
  return { target: node ? { node } : null, node, department: null };
}

function assertManager(actor: Actor): void {
  if (!isOperator(actor) && !isManager(actor)) throw new ForbiddenError('PEOPLE.NOT_AN_ADMIN', 'only admins manage people');
}

/** The admin may manage a person with this role at this (existing) scope; 422 when the scope names nothing. */
function assertMayManageAt(actor: Actor, role: Role, scope: string, resolved: ResolvedScope): void {
  if (resolved.node) assertCanManagePerson(actor, { role }, { node: resolved.node });
  else if (resolved.department) assertCanManagePerson(actor, { role }, { department: resolved.department });
  else throw new DomainRefusalError('PEOPLE.SCOPE_UNKNOWN', `no ${role === 'department_officer' ? 'department' : 'node'} ${scope}`);
}

/** The person's problems as the HTTP edge answers them: a malformed field 400, a scope that does not fit 422. */
function assertNoProblems(problems: PersonProblem[]): void {
  const details = problems.map((p) => ({ path: p.field, code: p.code, message: p.message }));
  if (problems.some(isFieldProblem)) throw new ValidationError('PEOPLE.INVALID', 'the person is not valid', details);
  const first = problems[0];
  if (first) throw new DomainRefusalError(first.code, first.message, details);
}

async function loadPerson(deps: Pick<Deps, 'directory'>, id: string): Promise<StoredPerson> {
  const person = await deps.directory.getPerson(id);
  if (!person) throw new NotFoundError('PERSON.NOT_FOUND', `person ${id} does not exist`);
  return person;
}

/** Checks that the actor manages this stored person where they are now. */
export async function assertCanManageStoredPerson(deps: Pick<Deps, 'directory'>, actor: Actor, person: StoredPerson): Promise<void> {
  assertManager(actor);
  const resolved = await resolveScope(deps, person.role, person.scope);
  // A scope that is gone (a node deleted by hand) leaves the person to the county admin.
  if (resolved.target) assertMayManageAt(actor, person.role, person.scope, resolved);
  else assertCountyAdmin(actor, `person ${person.id}`);
}

const newPersonId = () => `p-${randomBytes(9).toString('base64url').replace(/[-_]/g, 'x')}`;

export interface NewPersonInput extends PersonFields {
  responsible?: boolean;
  /** Seeds only (the operator): a fixed id, so the demo county's people keep theirs across releases. */
  id?: string;
}

export async function createPerson(deps: PeopleDeps, actor: Actor, input: NewPersonInput): Promise<PersonView> {
  assertManager(actor);
  const fields = normalizePersonFields(input);
  assertNoProblems(personFieldProblems(fields));
  const resolved = await resolveScope(deps, fields.role, fields.scope);
  assertMayManageAt(actor, fields.role, fields.scope, resolved);
  assertNoProblems(personProblems(fields, resolved.target));
  if (input.id !== undefined && !isOperator(actor))
    throw new ForbiddenError('PEOPLE.ID_OPERATOR_ONLY', 'person ids are assigned by the directory');
  const person: StoredPerson = {
    id: input.id ?? newPersonId(),
    name: fields.name,
    phone: fields.phone,
    role: fields.role,
    scope: fields.scope,
    ...(fields.title ? { title: fields.title } : {}),
    active: true,
    responsible: input.responsible ?? true,
    ...(resolved.node ? { scopePath: resolved.node.path } : {}),
  };
  const saved = await saveAudited(deps, {
    subject: auditSubject('person', person.id),
    actor,
    change: 'created',
    before: null,
    after: person,
    save: (p, v) => deps.directory.savePerson(p, v),
  });
  return personView(saved);
}

/** Who may read a person's record (with the full number): the admins who manage them, and they themselves. */
export async function getPerson(deps: Pick<Deps, 'directory'>, actor: Actor, id: string): Promise<PersonView> {
  const person = await loadPerson(deps, id);
  if (person.id !== actor.id) {
    try {
      await assertCanManageStoredPerson(deps, actor, person);
    } catch (error) {
      if (error instanceof ForbiddenError) throw new ForbiddenError('PEOPLE.OUT_OF_SCOPE', `person ${id} is outside your scope`);
      throw error;
    }
  }
  return personView(person);
}

export interface ListPeopleInput extends PeopleFilter {
  node?: string;
  department?: string;
  cursor?: string;
  limit: number;
}

/**
 * The people directory of a subtree (default: the admin's own scope), or a department's officers
 * (county admins): the one listing that shows full phone numbers, to the admins who manage them.
 */
export async function listPeople(deps: Pick<Deps, 'directory'>, actor: Actor, input: ListPeopleInput): Promise<Page<PersonView>> {
  assertManager(actor);
  const filter: PeopleFilter = { role: input.role, active: input.active, q: input.q };
  if (input.department !== undefined) {
    assertCountyAdmin(actor, 'department officers');
    const department = await deps.directory.getDepartment(input.department);
    if (!department) throw new NotFoundError('DEPARTMENT.NOT_FOUND', `department ${input.department} does not exist`);
    const officers = (await deps.directory.peopleIn(department.code, 'department_officer')).filter((p) => matches(p, filter));
    return pageById(officers, input);
  }
  const code = input.node ?? actor.scope;
  const node = await deps.directory.getNode(code);
  if (!node) throw new NotFoundError('NODE.NOT_FOUND', `node ${code} does not exist`);
  assertCanManageNode(actor, node);
  const page = await deps.directory.peopleUnder(node.path, { cursor: input.cursor, limit: input.limit }, filter);
  return { items: page.items.map(personView), nextCursor: page.nextCursor };
}

function matches(person: StoredPerson, filter: PeopleFilter): boolean {
  if (filter.role && person.role !== filter.role) return false;
  if (filter.active !== undefined && isActivePerson(person) !== filter.active) return false;
  if (filter.q && ![person.name, person.phone, person.username ?? ''].some((text) => text.includes(filter.q ?? ''))) return false;
  return true;
}

/** A department's officers are few: paged in memory by id, with the last id as the cursor. */
function pageById(people: StoredPerson[], page: { cursor?: string; limit: number }): Page<PersonView> {
  let after = '';
  if (page.cursor) {
    after = Buffer.from(page.cursor, 'base64url').toString('utf8');
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(after)) throw new ValidationError('CURSOR.INVALID', 'the cursor is not one this listing returned');
  }
  const rest = people.sort((a, b) => a.id.localeCompare(b.id)).filter((p) => p.id > after);
  const items = rest.slice(0, page.limit);
  const last = items.at(-1);
  return {
    items: items.map(personView),
    nextCursor: rest.length > page.limit && last ? Buffer.from(last.id).toString('base64url') : null,
  };
}

export interface PersonPatch {
  name?: string;
  phone?: string;
  /** null clears the title. */
  title?: string | null;
  responsible?: boolean;
  /** A transfer: the role stays, the new scope must fit it and lie within the admin's own. */
  scope?: string;
}

/** One report's hand-over, as the console shows it before confirming and as it was done. */
export interface HandOverItem {
  reportId: string;
  title: string;
  /** The tier that holds the report after the hand-over. */
  tier: Tier;
  action: HandOverTarget['action'];
  to: string[];
}

export async function updatePerson(
  deps: PeopleDeps,
  actor: Actor,
  id: string,
  patch: PersonPatch,
): Promise<{ person: PersonView; handOver: HandOverItem[] }> {
  assertManager(actor);
  let before: StoredPerson | null = null;
  const saved = await updateAudited(deps, {
    subject: auditSubject('person', id),
    actor,
    load: () => deps.directory.getPerson(id),
    notFound: () => new NotFoundError('PERSON.NOT_FOUND', `person ${id} does not exist`),
    save: (p, v) => deps.directory.savePerson(p, v),
    apply: async (current) => {
      await assertCanManageStoredPerson(deps, actor, current);
      before = current;
      const { title, ...rest } = patch;
      const next: StoredPerson = normalizePersonFields({ ...current, ...rest });
      if (title === null) delete next.title;
      else if (title !== undefined) next.title = title.trim();
      const moved = next.scope !== current.scope;
      let target: PersonScopeTarget = null;
      if (moved) {
        const resolved = await resolveScope(deps, next.role, next.scope);
        assertMayManageAt(actor, next.role, next.scope, resolved);
        target = resolved.target;
        if (resolved.node) next.scopePath = resolved.node.path;
        else delete next.scopePath;
      }
      const problems = personProblems(next, target);
      // An unchanged scope is not re-judged: renaming someone at a node retired since stays possible.
      assertNoProblems(moved ? problems : problems.filter(isFieldProblem));
      if (leavesPost(current, next)) await planHandOver(deps, current);
      return { after: next, change: moved ? 'moved' : 'updated' };
    },
  });
  const previous = before as StoredPerson | null;
  if (!previous) return { person: personView(saved), handOver: [] };
  const left = scopeLeft(previous, saved);
  let handed: HandOverItem[] = [];
  if (left !== null) handed = await performHandOver(deps, actor, { ...saved, scope: left }, 'moved');
  else if (!isResponsibleOfficer(saved) && isActivePerson(saved)) handed = await performHandOver(deps, actor, saved, 'not_responsible');
  if (saved.scope !== previous.scope) await deps.accounts.scopeChanged(saved);
  return { person: personView(saved), handOver: handed };
}

/**
 * The scope a person was transferred away from by this edit — or, when the edit changed nothing,
 * by the last one (a retry after a crash between the transfer and its hand-over finds it there).
 */
function scopeLeft(previous: StoredPerson, saved: StoredPerson): string | null {
  if (saved.scope !== previous.scope) return previous.scope;
  const last = saved === previous ? saved.lastChange : undefined;
  const from = last?.change === 'moved' ? last.before?.scope : undefined;
  return typeof from === 'string' && from !== saved.scope ? from : null;
}

/** The person no longer answers for the post they held: moved elsewhere, or no longer responsible for it. */
function leavesPost(before: Person, after: Person): boolean {
  return isResponsibleOfficer(before) && (after.scope !== before.scope || !isResponsibleOfficer(after));
}

/**
 * Deactivates a person: their open reports go to the post's other officers or up a tier (the dry
 * run only shows where, changing nothing), they are marked inactive, and their account signs in no
 * more. A deactivation that was cut short is finished by sending it again.
 */
export async function deactivatePerson(
  deps: PeopleDeps,
  actor: Actor,
  id: string,
  options: { dryRun?: boolean } = {},
): Promise<{ person: PersonView; handOver: HandOverItem[] }> {
  const person = await loadPerson(deps, id);
  await assertCanManageStoredPerson(deps, actor, person);
  if (person.id === actor.id)
    throw new DomainRefusalError('PEOPLE.DEACTIVATE_SELF', 'ask the admin above you to deactivate your own account');
  const plan = await planHandOver(deps, person);
  if (options.dryRun) return { person: personView(person), handOver: plan };
  const { person: saved, handOver: handed } = await takeOffPost(deps, actor, person, { reason: 'deactivated' });
  return { person: personView(saved), handOver: handed };
}

/**
 * The person leaves for good: marked inactive (audited), their open reports handed to the post's
 * other officers or up a tier, their account disabled. Deactivation and a CSV import that names a
 * new officer for a post both end here; sending it again finishes one that was cut short.
 */
export async function takeOffPost(
  deps: PeopleDeps,
  actor: Actor,
  person: StoredPerson,
  opts: { reason: 'deactivated' | 'replaced_by_import'; importId?: string },
): Promise<{ person: StoredPerson; handOver: HandOverItem[] }> {
  const saved = await updateAudited(deps, {
    subject: auditSubject('person', person.id),
    actor,
    load: () => deps.directory.getPerson(person.id),
    notFound: () => new NotFoundError('PERSON.NOT_FOUND', `person ${person.id} does not exist`),
    save: (p, v) => deps.directory.savePerson(p, v),
    apply: (current) => ({ after: { ...current, active: false }, change: 'deactivated' }),
    ...(opts.importId ? { importId: opts.importId } : {}),
  });
  const handed = await performHandOver(deps, actor, person, opts.reason);
  await deps.accounts.disable(saved);
  return { person: saved, handOver: handed };
}

/** The open reports a person holds now, at the post they hold (their scope's node or department). */
async function reportsHeldBy(deps: Pick<Deps, 'directory' | 'reports'>, person: Person): Promise<Report[]> {
  const held: Report[] = [];
  if (person.role === 'department_officer') {
    for await (const report of deps.reports.openReportsOfDepartment(person.scope)) if (isHeldBy(report, person.id)) held.push(report);
    return held;
  }
  const node = await deps.directory.getNode(person.scope);
  if (!node) return held;
  for await (const report of deps.reports.openReportsUnder(node)) if (isHeldBy(report, person.id)) held.push(report);
  return held;
}

/** Who takes a report over from `leavingId`: the post's other officers, else the next tier with one. */
async function handOverTarget(deps: Deps, report: Report, leavingId: string): Promise<HandOverTarget> {
  const others = (await postOfficers(deps, report.tier, report.ownerCode)).filter((a) => a.id !== leavingId);
  if (others.length > 0) return { action: 'reassigned', assignees: others };
  const next = escalationTarget(report);
  if (next === null) {
    throw new DomainRefusalError(
      'PEOPLE.NOBODY_TO_TAKE_OVER',
      `nobody else supervises report ${report.id}: add another county admin first`,
      {
        reportId: report.id,
      },
    );
  }
  const assignment = await resolveAssignment(deps, report, next);
  return { action: 'escalated', assignment, deadlines: await deadlinesFor(deps, report, assignment.tier, deps.clock.now()) };
}

function itemOf(report: Report, target: HandOverTarget): HandOverItem {
  return target.action === 'reassigned'
    ? { reportId: report.id, title: report.title, tier: report.tier, action: 'reassigned', to: target.assignees.map((a) => a.name) }
    : {
        reportId: report.id,
        title: report.title,
        tier: target.assignment.tier,
        action: 'escalated',
        to: target.assignment.assignees.map((a) => a.name),
      };
}

/** Where each of the person's open reports would go; refuses (422) when one would have nobody. */
async function planHandOver(deps: Deps, person: Person): Promise<HandOverItem[]> {
  const plan: HandOverItem[] = [];
  for (const report of await reportsHeldBy(deps, person)) plan.push(itemOf(report, await handOverTarget(deps, report, person.id)));
  return plan;
}

/** Hands each open report over, on its timeline, and wakes its workflow so the new officers are texted. */
async function performHandOver(deps: Deps, actor: Actor, person: Person, reason: HandOverReason): Promise<HandOverItem[]> {
  const done: HandOverItem[] = [];
  for (const held of await reportsHeldBy(deps, person)) {
    let item: HandOverItem | null = null;
    const { before, changed } = await mutateReport(deps, held.id, async (report) => {
      if (!isHeldBy(report, person.id)) return null;
      const target = await handOverTarget(deps, report, person.id);
      item = itemOf(report, target);
      return handOver(report, person, target, { actor, reason }, deps.clock.now());
    });
    if (!changed || !item) continue;
    done.push(item);
    if (before.waiting) await wakeAfterStored(deps, before.waiting.token);
  }
  return done;
}
