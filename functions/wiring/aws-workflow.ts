/**
 * The escalation workflow on Step Functions (STATE_MACHINE_ARN). Its own module so that only the
 * bundles that start or wake executions load @aws-sdk/client-sfn (the importer does neither).
 */
import { SFNClient } from '@aws-sdk/client-sfn';
import { SfnWorkflowEngine } from '#adapters/sfn/sfn-workflow-engine.ts';
import { systemClock } from '#core/deadlines.ts';
import type { WorkflowEngine } from '#ports/workflow.ts';
import { type Config, required } from './config.ts';

export function sfnWorkflow(config: Config): WorkflowEngine {
  return new SfnWorkflowEngine(new SFNClient({ region: config.AWS_REGION }), required(config, 'STATE_MACHINE_ARN'), systemClock);
}
