/**
 * Departments (职能部门) and report categories: read by everyone signed in, changed by county
 * admins only, every change audited. A category names the department its reports fall to and
 * whether the public Open311 feed may show what they say; a new one gets the default policies.
 */
import type { StoredCategory, StoredDepartment } from '#ports/directory.ts';
import { VersionConflictError } from '#ports/versioning.ts';
import { assertCountyAdmin } from '../admin-access.ts';
import { auditSubject, type Versioned } from '../audit.ts';
import {
  type CatalogProblem,
  type Category,
  categoryProblems,
  type Department,
  departmentProblems,
  trimmedCatalogText,
  URGENCIES,
} from '../catalog.ts';
import { ConflictError, DomainRefusalError, NotFoundError, ValidationError } from '../errors.ts';
import type { Actor } from '../people.ts';
import { defaultPolicy } from '../policy.ts';
import { saveAudited, updateAudited } from './audited.ts';
import type { Deps } from './deps.ts';

export type CatalogDeps = Pick<Deps, 'directory' | 'audit' | 'clock'>;

/** What readers see: the record without its audit bookkeeping (the trail is GET /api/v1/history). */
function view<T extends Versioned>(record: T): Omit<T, 'lastChange'> {
  const { lastChange: _lastChange, ...rest } = record;
  return rest;
}

function assertNoProblems(what: string, problems: CatalogProblem[]): void {
  if (problems.length > 0) throw new ValidationError(`${what}.INVALID`, `the ${what.toLowerCase()} is not valid`, problems);
}

/** A create that found the code taken (someone else's create won the conditional put). */
async function created<T>(create: () => Promise<T>, taken: () => Error): Promise<T> {
  try {
    return await create();
  } catch (error) {
    if (error instanceof VersionConflictError) throw taken();
    throw error;
  }
}

export async function listDepartments(deps: Pick<Deps, 'directory'>): Promise<{ items: Omit<StoredDepartment, 'lastChange'>[] }> {
  return { items: (await deps.directory.listDepartments()).map(view) };
}

export async function listCategories(deps: Pick<Deps, 'directory'>): Promise<{ items: Omit<StoredCategory, 'lastChange'>[] }> {
  return { items: (await deps.directory.listCategories()).map(view) };
}

export async function createDepartment(deps: CatalogDeps, actor: Actor, input: Department): Promise<Omit<StoredDepartment, 'lastChange'>> {
  assertCountyAdmin(actor, 'departments');
  const department = trimmedCatalogText(input);
  assertNoProblems('DEPARTMENT', departmentProblems(department));
  const taken = () => new ConflictError('DEPARTMENT.EXISTS', `department ${input.code} exists`);
  if (await deps.directory.getDepartment(department.code)) throw taken();
  const saved = await created(
    () =>
      saveAudited(deps, {
        subject: auditSubject('department', department.code),
        actor,
        change: 'created',
        before: null,
        after: department as StoredDepartment,
        save: (d, v) => deps.directory.saveDepartment(d, v),
      }),
    taken,
  );
  return view(saved);
}

export async function updateDepartment(
  deps: CatalogDeps,
  actor: Actor,
  code: string,
  patch: Partial<Pick<Department, 'name' | 'contacts'>>,
): Promise<Omit<StoredDepartment, 'lastChange'>> {
  assertCountyAdmin(actor, 'departments');
  const saved = await updateAudited(deps, {
    subject: auditSubject('department', code),
    actor,
    load: () => deps.directory.getDepartment(code),
    notFound: () => new NotFoundError('DEPARTMENT.NOT_FOUND', `department ${code} does not exist`),
    save: (d, v) => deps.directory.saveDepartment(d, v),
    apply: (current) => {
      const after = trimmedCatalogText({ ...current, ...patch });
      assertNoProblems('DEPARTMENT', departmentProblems(after));
      return { after, change: 'updated' };
    },
  });
  return view(saved);
}

async function assertDepartmentExists(deps: Pick<Deps, 'directory'>, code: string): Promise<void> {
  if (!(await deps.directory.getDepartment(code))) {
    throw new DomainRefusalError('DEPARTMENT.UNKNOWN', `department ${code} does not exist`, [
      { path: 'departmentCode', message: 'unknown' },
    ]);
  }
}

/**
 * A new category, with the default escalation policy for every urgency (policies already there,
 * say from an interrupted earlier attempt, are kept). Policies go first: a category is never
 * stored without them.
 */
export async function createCategory(
  deps: CatalogDeps,
  actor: Actor,
  input: Omit<Category, 'public'> & { public?: boolean },
): Promise<Omit<StoredCategory, 'lastChange'>> {
  assertCountyAdmin(actor, 'categories');
  const category: Category = trimmedCatalogText({ ...input, public: input.public ?? false });
  assertNoProblems('CATEGORY', categoryProblems(category));
  const taken = () => new ConflictError('CATEGORY.EXISTS', `category ${input.code} exists`);
  if (await deps.directory.getCategory(category.code)) throw taken();
  await assertDepartmentExists(deps, category.departmentCode);
  for (const urgency of URGENCIES) {
    if (!(await deps.directory.getPolicy(category.code, urgency))) {
      await deps.directory.putPolicy(defaultPolicy(category.code, urgency, category.departmentCode));
    }
  }
  const saved = await created(
    () =>
      saveAudited(deps, {
        subject: auditSubject('category', category.code),
        actor,
        change: 'created',
        before: null,
        after: category as StoredCategory,
        save: (c, v) => deps.directory.saveCategory(c, v),
      }),
    taken,
  );
  return view(saved);
}

export async function updateCategory(
  deps: CatalogDeps,
  actor: Actor,
  code: string,
  patch: Partial<Pick<Category, 'name' | 'description' | 'departmentCode' | 'public'>>,
): Promise<Omit<StoredCategory, 'lastChange'>> {
  assertCountyAdmin(actor, 'categories');
  if (patch.departmentCode !== undefined) await assertDepartmentExists(deps, patch.departmentCode);
  const saved = await updateAudited(deps, {
    subject: auditSubject('category', code),
    actor,
    load: () => deps.directory.getCategory(code),
    notFound: () => new NotFoundError('CATEGORY.NOT_FOUND', `category ${code} does not exist`),
    save: (c, v) => deps.directory.saveCategory(c, v),
    apply: (current) => {
      const after = trimmedCatalogText({ ...current, ...patch });
      assertNoProblems('CATEGORY', categoryProblems(after));
      return { after, change: 'updated' };
    },
  });
  return view(saved);
}
