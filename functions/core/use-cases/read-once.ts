/**
 * One escalation step reads the same directory entries several times: the report's policy for the
 * deadlines, the reminders and the outcome projection, the tier's officers and then each officer
 * for their SMS. For the length of one step those reads are answered once: the directory changes
 * rarely, and a step sees it as of its start either way (a read a few milliseconds earlier is no
 * less current). Any write through the wrapper forgets everything read, so a step never reads its
 * own write stale. A fresh wrapper per step (never per process): nothing outlives the step.
 */
import type { DirectoryStore } from '#ports/directory.ts';
import type { Deps } from './deps.ts';

/** The directory reads a step repeats; everything else passes through unchanged. */
const READS = ['getNode', 'getCategory', 'getDepartment', 'getPolicy', 'getCountyPolicy', 'getCalendar', 'getPerson', 'peopleIn'] as const;
type Read = (typeof READS)[number];
const isRead = (name: string): name is Read => (READS as readonly string[]).includes(name);

function readOnceDirectory(directory: DirectoryStore): DirectoryStore {
  const answers = new Map<string, Promise<unknown>>();
  const keyOf = (name: string, args: unknown[]) => `${name}|${JSON.stringify(args)}`;
  // Policies whose county has no version at all (its latest read found none): no version read can find one either.
  const withoutCountyVersions = new Set<string>();
  const policyKeyOf = (args: unknown[]) => JSON.stringify(args.slice(0, 3));
  // What one answer tells about other reads. The caller gets the answer and handles its failure;
  // this side branch must not leave a second, unhandled rejection behind (a read refused while the
  // process stops crashed a test run).
  const learnFrom = <T>(answer: Promise<unknown>, learn: (value: T) => void) =>
    answer.then(
      (value) => learn(value as T),
      () => undefined,
    );
  return new Proxy(directory, {
    get(target, name, receiver) {
      const member = Reflect.get(target, name, receiver);
      if (typeof member !== 'function' || typeof name !== 'string') return member;
      if (!isRead(name)) {
        if (/^(save|put|create|replace|disable|delete|retire)/.test(name)) {
          return (...args: unknown[]) => {
            answers.clear();
            withoutCountyVersions.clear();
            return member.apply(target, args);
          };
        }
        return member.bind(target);
      }
      return (...args: unknown[]) => {
        const key = keyOf(name, args);
        const known = answers.get(key);
        if (known) return known;
        if (name === 'getCountyPolicy' && args[3] !== undefined && withoutCountyVersions.has(policyKeyOf(args)))
          return Promise.resolve(null);
        const answer = Promise.resolve(member.apply(target, args));
        answers.set(key, answer);
        // The people of a post answer the reads of each of them that follow (the SMS to each officer).
        if (name === 'peopleIn') {
          learnFrom<{ id: string }[]>(answer, (people) => {
            for (const person of people) {
              const personKey = keyOf('getPerson', [person.id]);
              if (!answers.has(personKey)) answers.set(personKey, Promise.resolve(person));
            }
          });
        }
        // The latest version of a county's policy answers the read of that version by number (a report
        // assigned in this step runs under the version it just took).
        if (name === 'getCountyPolicy' && args[3] === undefined) {
          learnFrom<{ version: number } | null>(answer, (policy) => {
            if (policy === null) withoutCountyVersions.add(policyKeyOf(args));
            else answers.set(keyOf(name, [...args, policy.version]), Promise.resolve(policy));
          });
        }
        // A failed read is not remembered: the next one asks again.
        answer.catch(() => answers.delete(key));
        return answer;
      };
    },
  });
}

/** The deps of one step: the same ports, with the directory's repeated reads answered once. */
export function readOnce<D extends Deps>(deps: D): D {
  let directory: DirectoryStore | undefined;
  // A view, not a copy: ports wired onto deps after this was made (the workflow engine) are seen too.
  return new Proxy(deps, {
    get: (target, name, receiver) => {
      if (name !== 'directory') return Reflect.get(target, name, receiver);
      directory ??= readOnceDirectory(target.directory);
      return directory;
    },
  });
}
