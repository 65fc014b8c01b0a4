/**
 * The state machine on AWS is functions/workflows/escalation.asl.json itself: inlined as a string,
 * every `${Placeholder}` substituted, allowed to invoke exactly the functions the definition names.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Capture, Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { ESCALATION_DEFINITION_FILE, LOCAL_SUBSTITUTIONS } from '#wiring/local.ts';
import { ESCALATION_ASL } from '../../infra/constructs/paths.ts';
import { LAMBDA_FUNCTIONS } from '../../infra/lambda-functions.ts';
import { asArray, buildTestApp, logicalId, roleStatements, type Synth } from './support.ts';

const definitionText = readFileSync(ESCALATION_ASL, 'utf8');
const placeholders = new Set([...definitionText.matchAll(/\$\{(\w+)\}/g)].map((m) => m[1]));

let synth: Synth;
let service: Template;
let stateMachineId: string;

beforeAll(() => {
  synth = buildTestApp();
  service = Template.fromStack(synth.stacks.service);
  stateMachineId = logicalId(synth.stacks.service.stateMachine);
});

describe('the escalation state machine', () => {
  it('is built from the same ASL file the local runtime runs', () => {
    // Prepare
    const local = fileURLToPath(ESCALATION_DEFINITION_FILE);

    // Assess
    expect(ESCALATION_ASL).toBe(local);
    service.hasResourceProperties('AWS::StepFunctions::StateMachine', { DefinitionString: definitionText });
  });

  it('substitutes every placeholder of the definition, and nothing else', () => {
    // Prepare
    const substitutions = new Capture();
    service.hasResourceProperties('AWS::StepFunctions::StateMachine', { DefinitionSubstitutions: substitutions });

    // Act
    const keys = new Set(Object.keys(substitutions.asObject()));

    // Assess
    expect(placeholders.size).toBeGreaterThan(0);
    expect(keys).toEqual(placeholders);
    // The local runtime fills the same placeholders with its own values (and those of the earlier definitions it still serves).
    for (const name of placeholders) expect(Object.keys(LOCAL_SUBSTITUTIONS)).toContain(name);
  });

  it('calls the steps function by ARN', () => {
    // Prepare
    const stepsId = logicalId(synth.stacks.service.functions.escalationSteps.fn);

    // Assess
    service.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      DefinitionSubstitutions: { EscalationStepsFunctionArn: { 'Fn::GetAtt': [stepsId, 'Arn'] } },
    });
  });

  it('has its waits woken by one-time schedules whose role may only complete this state machine’s tasks', () => {
    // Prepare
    const roles = service.findResources('AWS::IAM::Role', {
      Properties: { AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Principal: { Service: 'scheduler.amazonaws.com' } })] } },
    });
    const [roleId] = Object.keys(roles);

    // Act
    const statements = roleStatements(service, roleId as string);
    const steps = synth.stacks.service.functions.escalationSteps;
    const env = (service.toJSON().Resources[logicalId(steps.fn)].Properties.Environment as { Variables: Record<string, unknown> })
      .Variables;

    // Assess
    expect(Object.keys(roles)).toHaveLength(1);
    service.resourceCountIs('AWS::Scheduler::ScheduleGroup', 1);
    expect(statements.flatMap((s) => asArray(s.Action))).toEqual(['states:SendTaskSuccess']);
    expect(JSON.stringify(statements[0]?.Resource)).toContain('stateMachine');
    expect(env.WAKE_ROLE_ARN).toEqual({ 'Fn::GetAtt': [roleId, 'Arn'] });
    expect(env.WAKE_SCHEDULE_GROUP).toBeDefined();
  });

  it('may invoke exactly the functions the definition names, and nothing else', () => {
    // Prepare
    const sm = service.toJSON().Resources[stateMachineId] as {
      Properties: { RoleArn: { 'Fn::GetAtt': [string, string] }; DefinitionSubstitutions: Record<string, unknown> };
    };
    const roleId = sm.Properties.RoleArn['Fn::GetAtt'][0];
    const functionPlaceholders = [...definitionText.matchAll(/"FunctionName":\s*"\$\{(\w+)\}"/g)].map((m) => m[1] as string);
    const named = new Set(functionPlaceholders.map((p) => JSON.stringify(sm.Properties.DefinitionSubstitutions[p])));

    // Act
    const invokes = roleStatements(service, roleId).filter((s) => asArray(s.Action).some((a) => a.startsWith('lambda:')));
    const invocable = new Set(invokes.flatMap((s) => asArray(s.Resource)).map((r) => JSON.stringify(r)));

    // Assess
    expect(functionPlaceholders.length).toBeGreaterThan(0);
    expect(invokes.every((s) => asArray(s.Action).join() === 'lambda:InvokeFunction' && s.Effect === 'Allow')).toBe(true);
    expect(invocable).toEqual(named);
  });

  it('is STANDARD, logs ALL with execution data, and traces with X-Ray', () => {
    service.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      StateMachineType: 'STANDARD',
      LoggingConfiguration: {
        Level: 'ALL',
        IncludeExecutionData: true,
        Destinations: [{ CloudWatchLogsLogGroup: { LogGroupArn: Match.anyValue() } }],
      },
      TracingConfiguration: { Enabled: true },
    });
  });

  it('has the name every function finds it by (STATE_MACHINE_ARN)', () => {
    // Prepare
    const name = new Capture();
    service.hasResourceProperties('AWS::StepFunctions::StateMachine', { StateMachineName: name });

    // Act
    const arns = Object.values(service.findResources('AWS::Lambda::Function'))
      .map((f) => (f.Properties as { Environment?: { Variables?: Record<string, unknown> } }).Environment?.Variables?.STATE_MACHINE_ARN)
      .filter((v) => v !== undefined);

    // Assess
    expect(arns.length).toBe(Object.values(LAMBDA_FUNCTIONS).filter((f) => 'workflow' in f.needs).length);
    expect(arns.length).toBeGreaterThanOrEqual(4);
    for (const arn of arns) expect(JSON.stringify(arn)).toContain(`:stateMachine:${name.asString()}"`);
  });
});
