/** The escalation workflow on AWS Step Functions (Standard); the steps function's wake-ups come from scheduler-wake-ups.ts. */
import { ListExecutionsCommand, SendTaskSuccessCommand, type SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import type { Clock } from '#core/deadlines.ts';
import type { CycleOutcome, WorkflowEngine } from '#ports/workflow.ts';

/** Execution names are the report id, or `<id>-resume-<ms>` for a resumed one. */
export function reportIdOfExecution(name: string): string {
  return name.split('-resume-')[0] ?? name;
}

/** Errors that mean "that task no longer waits": the report moved on, which is fine. */
const STALE_TOKEN_ERRORS = new Set(['TaskTimedOut', 'TaskDoesNotExist', 'InvalidToken']);

/** What a woken task outputs: the definition's Route sends it round the Cycle again. */
export const WAKE_OUTPUT: CycleOutcome = { next: 'advance' };

/** Sets and drops one-time wake-ups (adapters/sfn/scheduler-wake-ups.ts): only the steps function has them. */
export interface WakeUps {
  set(token: string, at: Date, output: CycleOutcome): Promise<void>;
  cancel(token: string): Promise<void>;
}

/** A wake-up closer than this is sent at once: a schedule in the past or within its own latency buys nothing. */
const WAKE_NOW_WITHIN_MS = 1000;

export class SfnWorkflowEngine implements WorkflowEngine {
  constructor(
    private readonly sfn: SFNClient,
    private readonly stateMachineArn: string,
    private readonly clock: Clock,
    /** Only the steps function sets wake-ups; the other functions start and wake executions. */
    private readonly wakes?: WakeUps,
  ) {}

  async start(reportId: string, opts: { resume?: boolean } = {}): Promise<void> {
    // The execution name is the report id, so a retried create cannot start a second execution;
    // a resume gets a name of its own because a closed name cannot be reused.
    const name = opts.resume ? `${reportId}-resume-${this.clock.now().getTime()}` : reportId;
    try {
      await this.sfn.send(
        new StartExecutionCommand({
          stateMachineArn: this.stateMachineArn,
          name,
          input: JSON.stringify(opts.resume ? { reportId, resume: true } : { reportId }),
        }),
      );
    } catch (error) {
      if ((error as { name?: string }).name !== 'ExecutionAlreadyExists') throw error;
    }
  }

  /** A resume under a new name: it may start while the caller still runs, which ends right after. */
  async startSuccessor(reportId: string): Promise<void> {
    await this.start(reportId, { resume: true });
  }

  async runningReportIds(): Promise<Set<string>> {
    const ids = new Set<string>();
    let nextToken: string | undefined;
    do {
      const page = await this.sfn.send(
        new ListExecutionsCommand({ stateMachineArn: this.stateMachineArn, statusFilter: 'RUNNING', maxResults: 1000, nextToken }),
      );
      for (const execution of page.executions ?? []) if (execution.name) ids.add(reportIdOfExecution(execution.name));
      nextToken = page.nextToken;
    } while (nextToken);
    return ids;
  }

  async wake(token: string): Promise<void> {
    await this.complete(token, WAKE_OUTPUT);
  }

  async finish(token: string, outcome: CycleOutcome): Promise<void> {
    await this.complete(token, outcome);
  }

  async wakeAt(token: string, at: Date): Promise<void> {
    if (!this.wakes) throw new Error('this function sets no wake-ups (no WAKE_SCHEDULE_GROUP)');
    if (at.getTime() - this.clock.now().getTime() < WAKE_NOW_WITHIN_MS) return this.wake(token);
    await this.wakes.set(token, at, WAKE_OUTPUT);
  }

  async cancelWake(token: string): Promise<void> {
    await this.wakes?.cancel(token);
  }

  private async complete(token: string, output: CycleOutcome): Promise<void> {
    try {
      await this.sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: JSON.stringify(output) }));
    } catch (error) {
      if (!STALE_TOKEN_ERRORS.has((error as { name?: string }).name ?? '')) throw error;
    }
  }
}
