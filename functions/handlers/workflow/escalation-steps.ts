/**
 * The one handler behind every Task of escalation.asl.json: the Lambda on AWS and the local
 * interpreter's task handlers both call it with the Task's Payload.
 */
import type { Deps } from '#core/use-cases/deps.ts';
import {
  assignStep,
  awaitStep,
  closeStep,
  escalateStep,
  loadStep,
  notifyFailedStep,
  notifyStep,
  superviseStep,
} from '#core/use-cases/escalation-steps.ts';

export interface StepPayload {
  step: string;
  reportId: string;
  tierSeq?: number;
  phase?: 'accept' | 'complete';
  taskToken?: string;
}

export const createEscalationStepsHandler = (deps: Deps) => async (payload: StepPayload) => {
  const input = { reportId: payload.reportId, tierSeq: payload.tierSeq };
  switch (payload.step) {
    case 'load':
      return loadStep(deps, input);
    case 'assign':
      return assignStep(deps, input);
    case 'notify':
      return notifyStep(deps, input);
    case 'notify_failed':
      return notifyFailedStep(deps, input);
    case 'await':
      return awaitStep(deps, {
        ...input,
        tierSeq: payload.tierSeq ?? 0,
        phase: payload.phase ?? 'accept',
        taskToken: payload.taskToken ?? '',
      });
    case 'escalate':
      return escalateStep(deps, input);
    case 'supervise':
      return superviseStep(deps, input);
    case 'close':
      return closeStep(deps, input);
    default:
      throw new Error(`unknown escalation step "${payload.step}"`);
  }
};
