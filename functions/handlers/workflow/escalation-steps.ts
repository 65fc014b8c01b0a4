/**
 * The one handler behind every Task of escalation.asl.json: the Lambda on AWS and the local
 * interpreter's task handlers both run the same step dispatcher with the Task's Payload.
 */
import type { Deps } from '#core/use-cases/deps.ts';
import { runEscalationStep, type StepPayload } from '#core/use-cases/escalation-steps.ts';

export type { StepPayload };

export const createEscalationStepsHandler = (deps: Deps) => (payload: StepPayload) => runEscalationStep(deps, payload);
