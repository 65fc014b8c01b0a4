import { describe, expect, it } from 'vitest';
import { reportIdOfExecution } from '#adapters/sfn/sfn-workflow-engine.ts';
import type { Deps } from '#core/use-cases/deps.ts';
import { RECONCILE_GRACE_MS, reconcileExecutions } from '#core/use-cases/escalation-steps.ts';

const NOW = new Date('2026-12-01T08:00:00+08:00');
const AN_HOUR_AGO = new Date(NOW.getTime() - 3_600_000).toISOString();

/** Just enough of the ports for the reconciler: open reports and a workflow that records starts. */
function fakeDeps(open: (string | { id: string; createdAt: string })[], running: string[]) {
  const started: { id: string; resume?: boolean }[] = [];
  const deps = {
    clock: { now: () => NOW },
    reports: {
      async *openReports() {
        for (const report of open) yield typeof report === 'string' ? { id: report, createdAt: AN_HOUR_AGO } : report;
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

  it('leaves a report filed within the grace period to the request that is starting its execution', async () => {
    // Prepare: R2 was filed after ListExecutions answered, R3 just before the grace period ended.
    const justFiled = new Date(NOW.getTime() - 5_000).toISOString();
    const graceOver = new Date(NOW.getTime() - RECONCILE_GRACE_MS - 1).toISOString();
    const { deps, started } = fakeDeps(
      [
        { id: 'R2', createdAt: justFiled },
        { id: 'R3', createdAt: graceOver },
      ],
      [],
    );

    // Act
    const outcome = await reconcileExecutions(deps);

    // Assess
    expect(outcome).toEqual({ open: 2, resumed: ['R3'] });
    expect(started).toEqual([{ id: 'R3', resume: true }]);
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
