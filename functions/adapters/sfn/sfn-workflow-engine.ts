/** The escalation workflow on AWS Step Functions (Standard). */
import { ListExecutionsCommand, SendTaskSuccessCommand, type SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import type { Clock } from '#core/deadlines.ts';
import type { WorkflowEngine } from '#ports/workflow.ts';

/** Execution names are the report id, or `<id>-resume-<ms>` for a resumed one. */
export function reportIdOfExecution(name: string): string {
  return name.split('-resume-')[0] ?? name;
}

/** Errors that mean "that task no longer waits": the report moved on, which is fine. */
const STALE_TOKEN_ERRORS = new Set(['TaskTimedOut', 'TaskDoesNotExist', 'InvalidToken']);

export class SfnWorkflowEngine implements WorkflowEngine {
  constructor(
    private readonly sfn: SFNClient,
    private readonly stateMachineArn: string,
    private readonly clock: Clock,
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
    try {
      await this.sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: '{}' }));
    } catch (error) {
      if (!STALE_TOKEN_ERRORS.has((error as { name?: string }).name ?? '')) throw error;
    }
  }
}
