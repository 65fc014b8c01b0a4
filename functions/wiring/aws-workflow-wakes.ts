/**
 * The steps function's workflow engine: it also sets each wait's one-time wake-up
 * (WAKE_SCHEDULE_GROUP, WAKE_ROLE_ARN). Its own module so that only that bundle loads
 * @aws-sdk/client-scheduler.
 */
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { SFNClient } from '@aws-sdk/client-sfn';
import { SchedulerWakeUps } from '#adapters/sfn/scheduler-wake-ups.ts';
import { SfnWorkflowEngine } from '#adapters/sfn/sfn-workflow-engine.ts';
import { systemClock } from '#core/deadlines.ts';
import type { WorkflowEngine } from '#ports/workflow.ts';
import { type Config, required } from './config.ts';

export function sfnWorkflowWithWakes(config: Config): WorkflowEngine {
  const wakes = new SchedulerWakeUps(
    new SchedulerClient({ region: config.AWS_REGION }),
    required(config, 'WAKE_SCHEDULE_GROUP'),
    required(config, 'WAKE_ROLE_ARN'),
  );
  return new SfnWorkflowEngine(new SFNClient({ region: config.AWS_REGION }), required(config, 'STATE_MACHINE_ARN'), systemClock, wakes);
}
