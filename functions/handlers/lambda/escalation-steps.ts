/** Lambda entry: every Task of escalation.asl.json (lambda:invoke passes the Task's Payload as the event). */
import { createEscalationStepsHandler, type StepPayload } from '#handlers/workflow/escalation-steps.ts';
import { lazyAwsDeps } from '#wiring/aws.ts';
import { secretsManagerLinkSecret } from '#wiring/aws-link-secret.ts';
import { snsSms } from '#wiring/aws-sms.ts';
import { sfnWorkflowWithWakes } from '#wiring/aws-workflow-wakes.ts';

const deps = lazyAwsDeps({ sms: snsSms, linkSecret: secretsManagerLinkSecret, workflow: sfnWorkflowWithWakes });

export const handler = async (payload: StepPayload) => createEscalationStepsHandler(await deps())(payload);
