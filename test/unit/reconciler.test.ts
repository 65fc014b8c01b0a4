import { describe, expect, it } from 'vitest';
import { reportIdOfExecution } from '#adapters/sfn/sfn-workflow-engine.ts';
import { RECONCILE_GRACE_MS, RECONCILER_LEASE, type ReconcileDeps, reconcileExecutions } from '#core/use-cases/escalation-steps.ts';
import { InMemoryLeaseStore } from '../support/fakes/in-memory-leases.ts';

const NOW = new Date('2026-12-01T08:00:00+08:00');
const AN_HOUR_AGO = new Date(NOW.getTime() - 3_600_000).toISOString();

/** Just enough of the ports for the reconciler: open reports and a workflow that records starts. */
function fakeDeps(open: (string | { id: string; createdAt: string })[], running: string[], leases = new InMemoryLeaseStore()) {
  const started: { id: string; resume?: boolean }[] = [];
  const deps = {
    clock: { now: () => NOW },
    leases,
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
  } as unknown as ReconcileDeps;
  return { deps, started };
}

/** A run's lease: for as long as the invocation may live (five minutes here). */
const run = (holder: string) => ({ holder, until: new Date(NOW.getTime() + 300_000) });

describe('reconcileExecutions', () => {
  it('resumes exactly the open reports whose execution is not running', async () => {
    // Prepare
    const { deps, started } = fakeDeps(['R1', 'R2', 'R3', 'R4'], ['R2', 'R4', 'R9']);

    // Act
    const outcome = await reconcileExecutions(deps, run('run-1'));

    // Assess
    expect(outcome).toEqual({ open: 4, resumed: ['R1', 'R3'], woken: [], skipped: false });
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
    const outcome = await reconcileExecutions(deps, run('run-1'));

    // Assess
    expect(outcome).toEqual({ open: 2, resumed: ['R3'], woken: [], skipped: false });
    expect(started).toEqual([{ id: 'R3', resume: true }]);
  });

  it('does nothing when every open report runs', async () => {
    // Prepare
    const { deps, started } = fakeDeps(['R1'], ['R1']);

    // Act
    const outcome = await reconcileExecutions(deps, run('run-1'));

    // Assess
    expect(outcome.resumed).toEqual([]);
    expect(started).toEqual([]);
  });
});

describe('two reconciler runs at once', () => {
  it('lets only the holder of the lease resume; the other does nothing and resumes nothing twice', async () => {
    // Prepare: one run is half-way (holds the lease), a second starts
    const leases = new InMemoryLeaseStore();
    await leases.acquire(RECONCILER_LEASE, 'run-1', new Date(NOW.getTime() + 300_000), NOW);
    const { deps, started } = fakeDeps(['R1', 'R2'], [], leases);

    // Act
    const second = await reconcileExecutions(deps, run('run-2'));

    // Assess
    expect(second).toEqual({ open: 0, resumed: [], woken: [], skipped: true });
    expect(started).toEqual([]);
  });

  it('takes over a lease whose holder died: it expired with the dead run’s time limit', async () => {
    // Prepare
    const leases = new InMemoryLeaseStore();
    await leases.acquire(RECONCILER_LEASE, 'died', new Date(NOW.getTime() - 1), new Date(NOW.getTime() - 300_001));
    const { deps, started } = fakeDeps(['R1'], [], leases);

    // Act
    const outcome = await reconcileExecutions(deps, run('run-2'));

    // Assess
    expect(outcome.skipped).toBe(false);
    expect(started).toEqual([{ id: 'R1', resume: true }]);
  });

  it('gives the lease back when it finishes, and when it fails', async () => {
    // Prepare
    const leases = new InMemoryLeaseStore();
    const { deps } = fakeDeps(['R1'], [], leases);
    const failing = fakeDeps(['R1'], [], leases).deps;
    failing.workflow.start = async () => {
      throw new Error('StartExecution throttled');
    };

    // Act
    await reconcileExecutions(deps, run('run-1'));
    const afterSuccess = await leases.acquire(RECONCILER_LEASE, 'probe-1', new Date(NOW.getTime() + 1), NOW);
    leases.leases.clear();
    await expect(reconcileExecutions(failing, run('run-2'))).rejects.toThrow(/throttled/);
    const afterFailure = await leases.acquire(RECONCILER_LEASE, 'probe-2', new Date(NOW.getTime() + 1), NOW);

    // Assess
    expect(afterSuccess).toBe(true);
    expect(afterFailure).toBe(true);
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
