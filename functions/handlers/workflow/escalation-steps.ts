/**
 * The one handler behind every Task of escalation.asl.json: the Lambda on AWS and the local
 * interpreter's task handlers both run the same step dispatcher with the Task's Payload.
 */
import type { Deps } from '#core/use-cases/deps.ts';
import { runEscalationStep, type StepPayload } from '#core/use-cases/escalation-steps.ts';
import { readOnce } from '#core/use-cases/read-once.ts';

export type { StepPayload };

/** Each invocation reads a directory entry once however often its operations ask (read-once.ts). */
export const createEscalationStepsHandler = (deps: Deps) => (payload: StepPayload) => runEscalationStep(readOnce(deps), payload);
