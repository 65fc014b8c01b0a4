/** Lambda entry: every Task of escalation.asl.json (lambda:invoke passes the Task's Payload as the event). */
import { createEscalationStepsHandler, type StepPayload } from '#handlers/workflow/escalation-steps.ts';
import { lazyAwsDeps } from '#wiring/aws.ts';

const deps = lazyAwsDeps({ sms: true, links: true });

export const handler = async (payload: StepPayload) => createEscalationStepsHandler(await deps())(payload);
