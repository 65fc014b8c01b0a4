/**
 * The escalation's wake-ups on EventBridge Scheduler: one one-time schedule per waiting task token
 * that completes the task (the universal SendTaskSuccess target) at the next due instant.
 */
import { createHash } from 'node:crypto';
import { CreateScheduleCommand, DeleteScheduleCommand, type SchedulerClient } from '@aws-sdk/client-scheduler';
import type { CycleOutcome } from '#ports/workflow.ts';
import type { WakeUps } from './sfn-workflow-engine.ts';

/** EventBridge Scheduler's universal target for SendTaskSuccess. */
export const SEND_TASK_SUCCESS_TARGET = 'arn:aws:scheduler:::aws-sdk:sfn:sendTaskSuccess';

/**
 * One schedule per waiting token, named by a hash of it (a token is ~1 KB; a name is ≤ 64
 * characters), so a retried step creates it once and the next cycle can delete it by the token alone.
 */
export function wakeScheduleName(token: string): string {
  return `wake-${createHash('sha256').update(token).digest('hex').slice(0, 48)}`;
}

/** `at()` takes a date-time without zone or fraction; the schedule's zone is UTC. */
export function atExpression(at: Date): string {
  return `at(${at.toISOString().slice(0, 19)})`;
}

const errorName = (error: unknown) => (error as { name?: string }).name ?? 'Error';

export class SchedulerWakeUps implements WakeUps {
  constructor(
    private readonly client: SchedulerClient,
    private readonly groupName: string,
    /** The role the schedules act with: states:SendTaskSuccess on the state machine, nothing else. */
    private readonly roleArn: string,
  ) {}

  async set(token: string, at: Date, output: CycleOutcome): Promise<void> {
    try {
      await this.client.send(
        new CreateScheduleCommand({
          GroupName: this.groupName,
          Name: wakeScheduleName(token),
          ScheduleExpression: atExpression(at),
          ScheduleExpressionTimezone: 'UTC',
          FlexibleTimeWindow: { Mode: 'OFF' },
          // Gone once it fired; one left by an early wake is deleted by the next cycle.
          ActionAfterCompletion: 'DELETE',
          Target: {
            Arn: SEND_TASK_SUCCESS_TARGET,
            RoleArn: this.roleArn,
            Input: JSON.stringify({ TaskToken: token, Output: JSON.stringify(output) }),
            // A token that stopped waiting answers TaskTimedOut: a few tries, then nothing. A wake-up
            // lost for good leaves a due report waiting, which the reconciler wakes (waitingTokenIsStale).
            RetryPolicy: { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 900 },
          },
        }),
      );
    } catch (error) {
      // The same token's schedule exists: a retried step set it already.
      if (errorName(error) !== 'ConflictException') throw error;
    }
  }

  async cancel(token: string): Promise<void> {
    try {
      await this.client.send(new DeleteScheduleCommand({ GroupName: this.groupName, Name: wakeScheduleName(token) }));
    } catch (error) {
      // Usually ResourceNotFound (it fired and deleted itself). Anything else is logged and left:
      // a schedule left behind fires on a token that no longer waits, which is ignored.
      if (errorName(error) !== 'ResourceNotFoundException')
        console.warn(`[workflow] a wake-up schedule was not deleted: ${errorName(error)}`);
    }
  }
}
