/**
 * cdk-nag acknowledgements, on the construct the finding is about (never on a whole stack), each
 * with a reason a reviewer can check. A short or placeholder reason fails synth here, before
 * cdk-nag ever sees it.
 */
import { Stack, Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

export const MIN_REASON_LENGTH = 40;
const PLACEHOLDER = /\b(todo|tbd|fixme|placeholder|lorem|n\/a|xxx)\b/i;

export function acknowledge(scope: IConstruct, id: `AwsSolutions-${string}`, reason: string): void {
  if (reason.trim().length < MIN_REASON_LENGTH || PLACEHOLDER.test(reason)) {
    throw new Error(`the acknowledgement of ${id} on ${scope.node.path} needs a real reason (≥ ${MIN_REASON_LENGTH} characters)`);
  }
  Validations.of(scope).acknowledge({ id, reason });
}

/** The one wildcard every traced function and state machine carries. */
export const XRAY_REASON =
  'X-Ray tracing (Tracing.ACTIVE / tracingEnabled) adds xray:PutTraceSegments and xray:PutTelemetryRecords (and the sampling reads for ' +
  'Step Functions); X-Ray has no resource-level permissions, so AWS requires Resource "*" for these actions.';

/**
 * How cdk-nag spells a resource in an IAM5 finding (`Resource::…`): Fn::Join concatenated, Ref as
 * <Name>, Fn::GetAtt as <Resource.Attribute> — so an acknowledgement names exactly that resource.
 */
export function nagResource(scope: IConstruct, value: string): string {
  const visit = (node: unknown): string => {
    if (typeof node === 'string') return node;
    const o = node as Record<string, unknown>;
    if (Array.isArray(o['Fn::Join'])) {
      const [delimiter, items] = o['Fn::Join'] as [string, unknown[]];
      return items.map(visit).join(delimiter);
    }
    if (o.Ref !== undefined) return `<${visit(o.Ref)}>`;
    if (Array.isArray(o['Fn::GetAtt'])) {
      const [resource, attribute] = o['Fn::GetAtt'] as [unknown, unknown];
      return `<${visit(resource)}.${visit(attribute)}>`;
    }
    return JSON.stringify(node);
  };
  return visit(Stack.of(scope).resolve(value));
}
