/** One step reads a directory entry once (read-once.ts), and never reads its own write stale. */
import { describe, expect, it } from 'vitest';
import type { Deps } from '#core/use-cases/deps.ts';
import { readOnce } from '#core/use-cases/read-once.ts';

function countingDirectory() {
  const reads: string[] = [];
  const people = [{ id: 'p-worker-1', name: '韦小宝' }];
  const directory = {
    getNode: async (code: string) => {
      reads.push(`node ${code}`);
      return { code };
    },
    peopleIn: async (scope: string) => {
      reads.push(`people ${scope}`);
      return people;
    },
    getPerson: async (id: string) => {
      reads.push(`person ${id}`);
      return people.find((p) => p.id === id) ?? null;
    },
    getCountyPolicy: async (county: string, category: string, urgency: string, version?: number) => {
      reads.push(`policy ${county}/${category}/${urgency}@${version ?? 'latest'}`);
      if (county !== '451322') return null;
      return version === undefined || version === 2 ? { county, category, urgency, version: 2 } : null;
    },
    putNode: async () => undefined,
  };
  return { reads, deps: { directory, clock: { now: () => new Date() } } as unknown as Deps };
}

describe('readOnce', () => {
  it('answers a repeated read from the first, and the people of a post answer the reads of each of them', async () => {
    // Prepare
    const { reads, deps } = countingDirectory();
    const step = readOnce(deps);

    // Act
    const [a, b] = [await step.directory.getNode('451322'), await step.directory.getNode('451322')];
    await step.directory.peopleIn('451322201001001');
    const person = await step.directory.getPerson('p-worker-1');

    // Assess
    expect(a).toEqual(b);
    expect(person?.name).toBe('韦小宝');
    expect(reads).toEqual(['node 451322', 'people 451322201001001']);
    expect(step.clock).toBe(deps.clock);
  });

  it("answers a county policy's version from its latest read, and no version where the latest found none", async () => {
    // Prepare
    const { reads, deps } = countingDirectory();
    const step = readOnce(deps);

    // Act
    const latest = await step.directory.getCountyPolicy('451322', 'infrastructure', 'normal');
    const byNumber = await step.directory.getCountyPolicy('451322', 'infrastructure', 'normal', 2);
    const older = await step.directory.getCountyPolicy('451322', 'infrastructure', 'normal', 1);
    const none = await step.directory.getCountyPolicy('451323', 'infrastructure', 'normal');
    const noneByNumber = await step.directory.getCountyPolicy('451323', 'infrastructure', 'normal', 1);
    await step.directory.putNode({ code: '451322' } as never);
    await step.directory.getCountyPolicy('451323', 'infrastructure', 'normal', 1);

    // Assess
    expect(byNumber).toEqual(latest);
    expect([older, none, noneByNumber]).toEqual([null, null, null]);
    expect(reads).toEqual([
      'policy 451322/infrastructure/normal@latest',
      'policy 451322/infrastructure/normal@1',
      'policy 451323/infrastructure/normal@latest',
      'policy 451323/infrastructure/normal@1',
    ]);
  });

  it('forgets what it read after a write, and a fresh step reads again', async () => {
    // Prepare
    const { reads, deps } = countingDirectory();
    const step = readOnce(deps);
    await step.directory.getNode('451322');

    // Act
    await step.directory.putNode({ code: '451322' } as never);
    await step.directory.getNode('451322');
    await readOnce(deps).directory.getNode('451322');

    // Assess
    expect(reads).toEqual(['node 451322', 'node 451322', 'node 451322']);
  });

  it('lets a failed read of the people of a post fail its caller only, leaving no unhandled rejection', async () => {
    // Prepare
    const unhandled: unknown[] = [];
    const collect = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', collect);
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:43795'), { code: 'ECONNREFUSED' });
    const deps = {
      directory: {
        peopleIn: async () => {
          throw refused;
        },
      },
    } as unknown as Deps;

    // Act
    const outcome = await readOnce(deps)
      .directory.peopleIn('451322201001001')
      .catch((error: unknown) => error);
    await new Promise((resolve) => setTimeout(resolve, 20));
    process.off('unhandledRejection', collect);

    // Assess
    expect(outcome).toBe(refused);
    expect(unhandled).toEqual([]);
  });
});
