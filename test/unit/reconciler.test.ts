import { describe, expect, it } from 'vitest';
import { reportIdOfExecution } from '#adapters/sfn/sfn-workflow-engine.ts';
import type { Deps } from '#core/use-cases/deps.ts';
import { reconcileExecutions } from '#core/use-cases/escalation-steps.ts';

/** Just enough of the ports for the reconciler: open report ids and a workflow that records starts. */
function fakeDeps(open: string[], running: string[]) {
  const started: { id: string; resume?: boolean }[] = [];
  const deps = {
    reports: {
      async *openReportIds() {
        yield* open;
      },
    },
    workflow: {
      runningReportIds: async () => new Set(running),
      start: async (id: string, opts?: { resume?: boolean }) => {
        started.push({ id, resume: opts?.resume });
      },
      wake: async () => undefined,
    },
  } as unknown as Deps;
  return { deps, started };
}

describe('reconcileExecutions', () => {
  it('resumes exactly the open reports whose execution is not running', async () => {
    // Prepare
    const { deps, started } = fakeDeps(['R1', 'R2', 'R3', 'R4'], ['R2', 'R4', 'R9']);

    // Act
    const outcome = await reconcileExecutions(deps);

    // Assess
    expect(outcome).toEqual({ open: 4, resumed: ['R1', 'R3'] });
    expect(started).toEqual([
      { id: 'R1', resume: true },
      { id: 'R3', resume: true },
    ]);
  });

  it('does nothing when every open report runs', async () => {
    // Prepare
    const { deps, started } = fakeDeps(['R1'], ['R1']);

    // Act
    const outcome = await reconcileExecutions(deps);

    // Assess
    expect(outcome.resumed).toEqual([]);
    expect(started).toEqual([]);
  });
});

describe('reportIdOfExecution', () => {
  it.each([
    ['R0123456789ABCDE', 'R0123456789ABCDE'],
    ['R0123456789ABCDE-resume-1732400000000', 'R0123456789ABCDE'],
  ])('maps the execution name %s to the report %s', (name, id) => {
    // Act + Assess
    expect(reportIdOfExecution(name)).toBe(id);
  });
});
