/**
 * Seeds the demo county through the product's own use cases, acting as the operator: the tree
 * (createNode), departments and categories (createDepartment, createCategory, which adds the
 * default policies), the people (createPerson) and, locally, their logins (createAccount with the
 * shared demo password). No side door: what a seed writes, an admin or an import could have, and
 * it is all on the audit trail. Into an empty local store at first start, or into a deployed table
 * by scripts/seed-aws.ts (without logins: Cognito signs users in there). Anything already there is
 * left as it is, so a seed interrupted half-way is completed by running it again.
 */
import { OPERATOR } from '#core/admin-access.ts';
import { polygonOf } from '#core/boundary.ts';
import { apiKeyHash } from '#core/open311.ts';
import { createAccount } from '#core/use-cases/accounts.ts';
import { createCategory, createDepartment } from '#core/use-cases/catalog.ts';
import { createPerson, type PeopleDeps } from '#core/use-cases/people.ts';
import { createNode } from '#core/use-cases/tree.ts';
import type { ApiKeyStore } from '#ports/api-keys.ts';
import type { PasswordHasher } from '#ports/auth.ts';
import type { CredentialStore } from '#ports/directory.ts';
import { CATEGORIES, DEPARTMENTS, type DemoAccount, demoCounty } from './demo-county.ts';

/** What seeding needs: the directory's use cases (people's deps cover the tree's and the catalog's). */
export type SeedDeps = PeopleDeps;

export interface DirectorySeedOptions {
  /** Overrides every person's phone (a deployment's test phone: the demo numbers are invented). */
  phone?: string;
}

/** The tree, departments, categories with their default policies, and the people; no logins. */
export async function seedDemoDirectory(deps: SeedDeps, options: DirectorySeedOptions = {}): Promise<DemoAccount[]> {
  const { nodes, accounts } = demoCounty();
  for (const node of nodes) {
    if (await deps.directory.getNode(node.code)) continue;
    await createNode(deps, OPERATOR, {
      code: node.code,
      name: node.name,
      level: node.level,
      parentCode: node.parentCode,
      ...(node.boundary ? { boundary: polygonOf(node.boundary) } : {}),
    });
  }
  for (const department of DEPARTMENTS) {
    if (!(await deps.directory.getDepartment(department.code))) await createDepartment(deps, OPERATOR, department);
  }
  for (const category of CATEGORIES) {
    if (!(await deps.directory.getCategory(category.code))) await createCategory(deps, OPERATOR, category);
  }
  for (const { person } of accounts) {
    if (await deps.directory.getPerson(person.id)) continue;
    await createPerson(deps, OPERATOR, {
      id: person.id,
      name: person.name,
      phone: options.phone ?? person.phone,
      role: person.role,
      scope: person.scope,
      ...(person.title ? { title: person.title } : {}),
    });
  }
  return accounts;
}

export async function seedDemoCountyIfEmpty(
  deps: SeedDeps & { credentials: CredentialStore; passwords: PasswordHasher },
  password: string,
): Promise<{ seeded: boolean; usernames: string[] }> {
  const usernames = demoCounty().accounts.map((a) => a.username);
  // The admin login is made last, so its presence means a complete seed.
  if (await deps.credentials.getCredential('admin')) return { seeded: false, usernames };
  const accounts = await seedDemoDirectory(deps);
  // One hash for every demo login: they share the demo password, and scrypt is slow on purpose.
  const passwordHash = await deps.passwords.hash(password);
  for (const { username, person } of [...accounts].reverse()) {
    const stored = await deps.directory.getPerson(person.id);
    if (stored?.username) continue;
    await createAccount(deps, OPERATOR, person.id, username, { passwordHash });
  }
  return { seeded: true, usernames };
}

/**
 * The demo Open311 api_key, acting as worker1. Added on every start (a no-op when present), so a
 * data directory seeded before Open311 existed gets it too; only the key's hash is stored.
 */
export async function seedDemoOpen311Key(apiKeys: ApiKeyStore, apiKey: string, now: Date): Promise<void> {
  const worker1 = demoCounty().accounts.find((a) => a.username === 'worker1');
  if (!worker1) return;
  await apiKeys.addApiKey({
    keyHash: apiKeyHash(apiKey),
    personId: worker1.person.id,
    label: 'demo Open311 key (worker1)',
    createdAt: now.toISOString(),
  });
}
