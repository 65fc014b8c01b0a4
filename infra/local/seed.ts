/**
 * Seeds the demo county: into an empty local store at first start (with local logins), or into a
 * deployed table by scripts/seed-aws.ts (without: Cognito signs users in there). Every write is an
 * idempotent put, so a seed interrupted half-way is completed by running it again.
 */
import { URGENCIES } from '#core/catalog.ts';
import { apiKeyHash } from '#core/open311.ts';
import { defaultPolicy } from '#core/policy.ts';
import type { ApiKeyStore } from '#ports/api-keys.ts';
import type { PasswordHasher } from '#ports/auth.ts';
import type { CredentialStore, DirectoryStore } from '#ports/directory.ts';
import { CATEGORIES, DEPARTMENTS, type DemoAccount, demoCounty } from './demo-county.ts';

export interface DirectorySeedOptions {
  /** Overrides every person's phone (a deployment's test phone: the demo numbers are invented). */
  phone?: string;
}

/** The tree, departments, categories with their default policies, and the people; no logins. */
export async function seedDemoDirectory(store: DirectoryStore, options: DirectorySeedOptions = {}): Promise<DemoAccount[]> {
  const { nodes, accounts } = demoCounty();
  for (const node of nodes) await store.putNode(node);
  for (const department of DEPARTMENTS) await store.putDepartment(department);
  for (const category of CATEGORIES) {
    await store.putCategory(category);
    for (const urgency of URGENCIES) await store.putPolicy(defaultPolicy(category.code, urgency));
  }
  // Each person carries the path of their scope node, as the directory's people do (GSI2 lists a
  // subtree's staff by it: the CSV export and import find officers there).
  const paths = new Map(nodes.map((n) => [n.code, n.path]));
  for (const { person } of accounts) {
    const scopePath = paths.get(person.scope);
    const stored = { ...person, ...(options.phone ? { phone: options.phone } : {}), ...(scopePath ? { scopePath } : {}) };
    await store.putPerson(stored);
  }
  return accounts;
}

export async function seedDemoCountyIfEmpty(
  store: DirectoryStore & CredentialStore,
  passwords: PasswordHasher,
  password: string,
): Promise<{ seeded: boolean; usernames: string[] }> {
  const usernames = demoCounty().accounts.map((a) => a.username);
  // The admin credential is written last, so its presence means a complete seed.
  if (await store.getCredential('admin')) return { seeded: false, usernames };
  const accounts = await seedDemoDirectory(store);
  // One hash for every demo account: they share the demo password, and scrypt is slow on purpose.
  const passwordHash = await passwords.hash(password);
  for (const { username, person } of [...accounts].reverse()) {
    await store.putCredential({ username, personId: person.id, passwordHash });
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
