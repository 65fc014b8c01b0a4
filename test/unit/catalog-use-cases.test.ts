/** Departments and categories on in-memory ports: county admins only, audited, a new category with its default policies. */
import { describe, expect, it } from 'vitest';
import { contactPhoneProblem, departmentProblems } from '#core/catalog.ts';
import { type ConflictError, type DomainRefusalError, ForbiddenError, NotFoundError, ValidationError } from '#core/errors.ts';
import { defaultPolicy } from '#core/policy.ts';
import { createCategory, createDepartment, listCategories, updateCategory, updateDepartment } from '#core/use-cases/catalog.ts';
import { InMemoryAuditLog, inMemoryDirectory } from '../support/fakes/in-memory-directory.ts';
import { countyAdmin, NOW, townshipAdmin } from './fixtures.ts';

async function setup() {
  const directory = inMemoryDirectory();
  await directory.putDepartment({ code: 'housing', name: '象州县住房和城乡建设局' });
  const audit = new InMemoryAuditLog();
  return { directory, audit, deps: { directory, audit, clock: { now: () => NOW } } };
}

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => new Error('expected a refusal'),
    (e: unknown) => e,
  );
const WATER = { code: 'water', name: '象州县水利局', contacts: [{ label: '值班电话', phone: '0772-4321234' }] };
const FLOOD = { code: 'flood', name: '防汛抗旱', description: '山洪、内涝、堤坝险情', departmentCode: 'water' };

describe('departments', () => {
  it('a county admin creates one (trimmed, audited) and edits it; the same code again is a conflict', async () => {
    // Prepare
    const { deps, audit } = await setup();

    // Act
    const created = await createDepartment(deps, countyAdmin, { ...WATER, name: ' 象州县水利局 ' });
    const again = await failure(createDepartment(deps, countyAdmin, WATER));
    const renamed = await updateDepartment(deps, countyAdmin, 'water', { name: '象州县水利局（防汛办）' });

    // Assess
    expect(created).toMatchObject({ code: 'water', name: '象州县水利局', version: 1 });
    expect(created).not.toHaveProperty('lastChange');
    expect((again as ConflictError).code).toBe('DEPARTMENT.EXISTS');
    expect(renamed).toMatchObject({ name: '象州县水利局（防汛办）', version: 2 });
    expect(audit.entries.map((e) => `${e.subject} ${e.change}`)).toEqual(['department:water created', 'department:water updated']);
  });

  it('refuses anyone but a county admin, a bad contact phone, and an unknown department', async () => {
    // Prepare
    const { deps, directory } = await setup();

    // Act
    const township = await failure(createDepartment(deps, townshipAdmin, WATER));
    const badPhone = await failure(createDepartment(deps, countyAdmin, { ...WATER, contacts: [{ label: '值班', phone: '12' }] }));
    const missing = await failure(updateDepartment(deps, countyAdmin, 'nope', { name: '无' }));

    // Assess
    expect((township as ForbiddenError).code).toBe('ADMIN.COUNTY_ONLY');
    expect(badPhone).toBeInstanceOf(ValidationError);
    expect(missing).toBeInstanceOf(NotFoundError);
    expect(await directory.getDepartment('water')).toBeNull();
  });

  it('takes mobiles, E.164 numbers and landlines with their area code as contact phones', () => {
    for (const phone of ['13977201234', '+8613977201234', '0772-4321234', '07724321234', '12345'])
      expect(contactPhoneProblem(phone)).toBeNull();
    expect(departmentProblems({ name: '水利局', contacts: [{ label: '\u0007', phone: '0772-4321234' }] })).toHaveLength(1);
  });
});

describe('categories', () => {
  it('a new category names an existing department, is private by default and gets the default policy for every urgency', async () => {
    // Prepare
    const { deps, directory } = await setup();
    await createDepartment(deps, countyAdmin, WATER);

    // Act
    const created = await createCategory(deps, countyAdmin, FLOOD);

    // Assess
    expect(created).toMatchObject({ ...FLOOD, public: false, version: 1 });
    for (const urgency of ['normal', 'urgent', 'emergency'] as const) {
      expect(await directory.getPolicy('flood', urgency)).toEqual(defaultPolicy('flood', urgency, WATER.code));
    }
    expect(await directory.getPolicy('flood', 'emergency')).toMatchObject({ startTier: 'township', whistleDepartments: [WATER.code] });
    expect((await listCategories(deps)).items.map((c) => c.code)).toEqual(['flood']);
  });

  it('keeps a policy that was already set for the code', async () => {
    // Prepare
    const { deps, directory } = await setup();
    await createDepartment(deps, countyAdmin, WATER);
    const tuned = {
      ...defaultPolicy('flood', 'emergency'),
      tiers: { ...defaultPolicy('flood', 'emergency').tiers, grid: { acceptSeconds: 60, completeSeconds: 600 } },
    };
    await directory.putPolicy(tuned);

    // Act
    await createCategory(deps, countyAdmin, FLOOD);

    // Assess
    expect(await directory.getPolicy('flood', 'emergency')).toEqual(tuned);
  });

  it('refuses an unknown department, storing neither the category nor its policies', async () => {
    // Prepare
    const { deps, directory } = await setup();

    // Act
    const error = await failure(createCategory(deps, countyAdmin, FLOOD));

    // Assess
    expect((error as DomainRefusalError).code).toBe('DEPARTMENT.UNKNOWN');
    expect(await directory.getCategory('flood')).toBeNull();
    expect(await directory.getPolicy('flood', 'normal')).toBeNull();
  });

  it('a county admin makes a category public and moves it to another department; nobody else may', async () => {
    // Prepare
    const { deps } = await setup();
    await createDepartment(deps, countyAdmin, WATER);
    await createCategory(deps, countyAdmin, FLOOD);

    // Act
    const changed = await updateCategory(deps, countyAdmin, 'flood', { public: true, departmentCode: 'housing' });
    const refused = await failure(updateCategory(deps, townshipAdmin, 'flood', { public: false }));
    const unknown = await failure(updateCategory(deps, countyAdmin, 'flood', { departmentCode: 'nope' }));

    // Assess
    expect(changed).toMatchObject({ public: true, departmentCode: 'housing', version: 2 });
    expect(refused).toBeInstanceOf(ForbiddenError);
    expect((unknown as DomainRefusalError).code).toBe('DEPARTMENT.UNKNOWN');
  });
});
