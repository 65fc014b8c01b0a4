/**
 * Builds the CDK app the way `cdk synth` does (cdk.json's context and feature flags), minus esbuild
 * bundling, so assertions see the same templates in ~2 s per stack.
 */
import { readFileSync } from 'node:fs';
import { App, CfnResource, Stack, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { REPO_ROOT } from '../../infra/constructs/paths.ts';
import { buildGridWhistle, type GridWhistleStacks, readSettings } from '../../infra/stacks/gridwhistle.ts';

export const CDK_CONTEXT: Record<string, unknown> = JSON.parse(readFileSync(`${REPO_ROOT}/cdk.json`, 'utf8')).context;

/** Settings a real deployment would pass; the sender id makes SMS_SENDER_ID observable. */
export const TEST_CONTEXT = {
  publicBaseUrl: 'https://gw.example.cn',
  smsSenderId: 'GridWhistle',
  smsMonthlySpendLimitUsd: 50,
  alarmEmail: 'ops@example.cn',
};

export interface Synth {
  app: App;
  stacks: GridWhistleStacks;
}

/** A console build that is never there: templates must not depend on whether web/dist was built on this machine. */
export const NO_CONSOLE_BUILD = '/nonexistent/gridwhistle-web-dist';

export function buildTestApp(opts: { context?: Record<string, unknown>; webDist?: string } = {}): Synth {
  const app = new App({
    context: { ...CDK_CONTEXT, ...TEST_CONTEXT, ...opts.context, 'aws:cdk:bundling-stacks': [] },
  });
  // No process environment: the test must not depend on the machine's AWS settings (or its build).
  const stacks = buildGridWhistle(app, readSettings(app, {}), { webDist: opts.webDist ?? NO_CONSOLE_BUILD });
  return { app, stacks };
}

export function templates({ stacks }: Synth) {
  return {
    data: Template.fromStack(stacks.data),
    auth: Template.fromStack(stacks.auth),
    service: Template.fromStack(stacks.service),
    web: Template.fromStack(stacks.web),
  };
}

export type Json = Record<string, unknown>;

/** What every bucket of the app has (infra/constructs/private-bucket.ts), as the template spells it. */
export const PRIVATE_ENCRYPTED_BUCKET = {
  PublicAccessBlockConfiguration: {
    BlockPublicAcls: true,
    BlockPublicPolicy: true,
    IgnorePublicAcls: true,
    RestrictPublicBuckets: true,
  },
  BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
};

export interface Statement {
  Effect: string;
  Action: string | string[];
  Resource?: unknown;
  Principal?: unknown;
  Condition?: unknown;
}

export const asArray = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** The logical id a construct's CloudFormation resource has in its stack. */
export function logicalId(construct: IConstruct): string {
  const resource = CfnResource.isCfnResource(construct) ? construct : construct.node.defaultChild;
  if (!resource || !CfnResource.isCfnResource(resource)) throw new Error(`${construct.node.path} has no CloudFormation resource`);
  return Stack.of(resource).getLogicalId(resource);
}

/** Every statement of every identity policy attached to the role (inline and AWS::IAM::Policy). */
export function roleStatements(template: Template, roleLogicalId: string): Statement[] {
  const out: Statement[] = [];
  const role = template.toJSON().Resources[roleLogicalId] as {
    Properties: { Policies?: { PolicyDocument: { Statement: Statement[] } }[] };
  };
  for (const p of role.Properties.Policies ?? []) out.push(...p.PolicyDocument.Statement);
  for (const policy of Object.values(template.findResources('AWS::IAM::Policy'))) {
    const props = policy.Properties as { Roles: { Ref: string }[]; PolicyDocument: { Statement: Statement[] } };
    if (props.Roles.some((r) => r.Ref === roleLogicalId)) out.push(...props.PolicyDocument.Statement);
  }
  return out;
}

/** Every policy document anywhere in a template: identity, resource (bucket, queue, topic) and key policies. */
export function allPolicyDocuments(template: Template): { resource: string; type: string; statements: Statement[] }[] {
  const docs: { resource: string; type: string; statements: Statement[] }[] = [];
  const visit = (resource: string, type: string, node: unknown) => {
    if (!node || typeof node !== 'object') return;
    const o = node as Json;
    if (Array.isArray(o.Statement) && typeof o.Version === 'string') {
      docs.push({ resource, type, statements: o.Statement as Statement[] });
      return;
    }
    for (const v of Object.values(o)) visit(resource, type, v);
  };
  for (const [id, r] of Object.entries(template.toJSON().Resources as Record<string, { Type: string; Properties?: unknown }>)) {
    visit(id, r.Type, r.Properties);
  }
  return docs;
}

export interface Acknowledgement {
  path: string;
  id: string;
  reason: string;
  onStack: boolean;
}

/** Every acknowledgement recorded in the construct tree (Validations.of(x).acknowledge). */
export function acknowledgements(root: IConstruct): Acknowledgement[] {
  const out: Acknowledgement[] = [];
  for (const c of root.node.findAll()) {
    for (const entry of c.node.metadata) {
      if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY) continue;
      for (const [id, reason] of Object.entries(entry.data as Record<string, string>)) {
        out.push({ path: c.node.path, id: id.replace(/^[A-Za-z]+::(?=AwsSolutions-)/, ''), reason, onStack: Stack.isStack(c) });
      }
    }
  }
  return out;
}
