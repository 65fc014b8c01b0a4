/**
 * The escalation state machine (functions/workflows/escalation.asl.json) is the single source of
 * truth for AWS and local runs alike: it must be valid ASL, JSONPath only, and wired so that every
 * decision the core can make has a state, every state is reachable, and no failure blocks a report.
 */
import { readFileSync } from 'node:fs';
import validator from 'asl-validator';
import { describe, expect, it } from 'vitest';
import { substitute } from '#adapters/local-workflow/local-workflow-engine.ts';
import type { Deps } from '#core/use-cases/deps.ts';
import { createEscalationStepsHandler, type StepPayload } from '#handlers/workflow/escalation-steps.ts';
import { ADVANCE_DEFINITION_FILE, ESCALATION_DEFINITION_FILE, LOCAL_SUBSTITUTIONS, PREVIOUS_DEFINITION_FILE } from '#wiring/local.ts';

type Json = Record<string, unknown>;
interface Retrier {
  ErrorEquals: string[];
  IntervalSeconds?: number;
  MaxAttempts?: number;
  BackoffRate?: number;
}
interface Catcher {
  ErrorEquals: string[];
  Next: string;
  ResultPath?: string | null;
}
interface State {
  Type: string;
  Next?: string;
  End?: boolean;
  Default?: string;
  Choices?: { Variable: string; StringEquals?: string; Next: string }[];
  Resource?: string;
  Parameters?: { FunctionName?: string; Payload?: Json };
  ResultSelector?: Json;
  ResultPath?: string | null;
  TimeoutSeconds?: number;
  TimeoutSecondsPath?: string;
  HeartbeatSeconds?: number;
  Retry?: Retrier[];
  Catch?: Catcher[];
}
interface Definition {
  StartAt: string;
  States: Record<string, State>;
}

const RAW = readFileSync(ESCALATION_DEFINITION_FILE, 'utf8');
const AWS_SUBSTITUTIONS = {
  EscalationStepsFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:steps',
};
/** `${Name}`, the definition placeholder syntax, spelled so it is not mistaken for a broken template literal. */
const placeholder = (name: string) => `$\{${name}}`;
const FUNCTION_PLACEHOLDER = placeholder('EscalationStepsFunctionArn');
const LAMBDA_INVOKE = 'arn:aws:states:::lambda:invoke';
const LAMBDA_INVOKE_WAIT = 'arn:aws:states:::lambda:invoke.waitForTaskToken';

/** A fresh parse each time: the validator writes defaults into the object it is given. */
function definition(): Definition {
  return JSON.parse(RAW) as Definition;
}

function substituted(values: Record<string, string>): Definition {
  return substitute(JSON.parse(RAW) as Json, values) as unknown as Definition;
}

const states = Object.entries(definition().States);
const tasks = states.filter(([, s]) => s.Type === 'Task');

function state(name: string): State {
  const found = definition().States[name];
  if (!found) throw new Error(`no state ${name}`);
  return found;
}

/** Every transition out of a state: Next, Default, each Choice and each Catch. */
function targetsOf(s: State): string[] {
  return [
    ...(s.Next ? [s.Next] : []),
    ...(s.Default ? [s.Default] : []),
    ...(s.Choices ?? []).map((c) => c.Next),
    ...(s.Catch ?? []).map((c) => c.Next),
  ];
}

/** Every key anywhere in a JSON value. */
function allKeys(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(allKeys);
  if (value !== null && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => [k, ...allKeys(v)]);
  return [];
}

describe('escalation.asl.json is valid Amazon States Language', () => {
  it('passes asl-validator with the values CDK substitutes on AWS', () => {
    // Prepare
    const aws = substituted(AWS_SUBSTITUTIONS);

    // Act
    const result = validator(aws, { checkPaths: true, checkArn: true });

    // Assess
    expect(result.errors).toEqual([]);
    expect(result.isValid).toBe(true);
  });

  it('passes asl-validator with the values the local runtime substitutes', () => {
    // Prepare
    const local = substituted(LOCAL_SUBSTITUTIONS);

    // Act
    const result = validator(local, { checkPaths: true, checkArn: true });

    // Assess
    expect(result.errors).toEqual([]);
    expect(result.isValid).toBe(true);
  });

  it('is checked by a validator that does catch a broken transition', () => {
    // Prepare: the same machine with one Choice pointing nowhere
    const broken = substituted(AWS_SUBSTITUTIONS);
    const route = broken.States.Route;
    if (!route?.Choices?.[0]) throw new Error('Route has no choices');
    route.Choices[0].Next = 'Nowhere';

    // Act
    const result = validator(broken, { checkPaths: true, checkArn: true });

    // Assess
    expect(result.isValid).toBe(false);
    expect(result.errorsText()).toContain('Nowhere');
  });

  it('uses only the placeholder CDK fills in, and the local runtime fills every placeholder of the definitions it serves', () => {
    // Act
    const placeholdersOf = (text: string) => new Set([...text.matchAll(/\$\{(\w+)\}/g)].map((m) => m[1]));
    const served = [RAW, readFileSync(ADVANCE_DEFINITION_FILE, 'utf8'), readFileSync(PREVIOUS_DEFINITION_FILE, 'utf8')];

    // Assess
    expect([...placeholdersOf(RAW)]).toEqual(['EscalationStepsFunctionArn']);
    expect(Object.keys(LOCAL_SUBSTITUTIONS).sort()).toEqual([...new Set(served.flatMap((text) => [...placeholdersOf(text)]))].sort());
  });
});

describe('query language', () => {
  it('uses JSONPath only: no JSONata, no Assign, no JSONata-only fields', () => {
    // Act
    const keys = new Set(allKeys(definition()));

    // Assess
    expect(RAW).not.toMatch(/"QueryLanguage"\s*:\s*"JSONata"/);
    expect(RAW).not.toContain('{%');
    for (const key of ['Assign', 'Arguments', 'Output', 'QueryLanguage']) expect(keys.has(key), key).toBe(false);
  });
});

describe('tasks', () => {
  it.each(tasks)('%s invokes the escalation-steps Lambda through the lambda:invoke integration', (_name, task) => {
    // Assess
    expect([LAMBDA_INVOKE, LAMBDA_INVOKE_WAIT]).toContain(task.Resource);
    expect(task.Parameters?.FunctionName).toBe(FUNCTION_PLACEHOLDER);
    expect(task.Parameters?.Payload).toMatchObject({ 'reportId.$': '$.reportId' });
  });

  it('Cycle advances and waits in one task: it hands the step its own token, stores the outcome it is completed with, and returns to Route', () => {
    // Act
    const cycle = state('Cycle');

    // Assess
    expect(cycle.Resource).toBe(LAMBDA_INVOKE_WAIT);
    expect(cycle.Parameters?.Payload).toEqual({
      step: 'cycle',
      'reportId.$': '$.reportId',
      'execution.$': '$$.Execution.Name',
      'startedAt.$': '$$.Execution.StartTime',
      'taskToken.$': '$$.Task.Token',
    });
    expect(cycle.ResultSelector).toBeUndefined();
    expect(cycle.ResultPath).toBe('$.decision');
    expect(cycle.Next).toBe('Route');
  });

  it('Cycle’s timeout is only a backstop: fixed, below the local engine’s timer limit, and a timeout goes round again', () => {
    // Act
    const cycle = state('Cycle');

    // Assess: the step sets each wait's wake-up itself (EventBridge Scheduler on AWS)
    expect(cycle.TimeoutSeconds).toBeGreaterThanOrEqual(86_400);
    expect(cycle.TimeoutSeconds).toBeLessThanOrEqual(2_147_483);
    expect(cycle.TimeoutSecondsPath).toBeUndefined();
    expect(cycle.HeartbeatSeconds).toBeUndefined();
    expect(cycle.Catch).toEqual([{ ErrorEquals: ['States.Timeout'], ResultPath: null, Next: 'Cycle' }]);
  });

  it.each(tasks)('%s retries transient Lambda failures with backoff and bounded attempts', (_name, task) => {
    // Act
    const lambdaRetry = (task.Retry ?? []).find((r) => r.ErrorEquals.includes('Lambda.ServiceException'));

    // Assess
    expect(lambdaRetry).toBeDefined();
    expect(lambdaRetry?.BackoffRate).toBeGreaterThan(1);
    for (const retrier of task.Retry ?? []) {
      expect(retrier.ErrorEquals.length).toBeGreaterThan(0);
      expect(retrier.MaxAttempts).toBeGreaterThan(0);
      expect(retrier.MaxAttempts).toBeLessThanOrEqual(10);
    }
  });

  it('sends only step names the Lambda handler knows, and the handler still knows the previous definition’s', async () => {
    // Prepare: deps that throw as soon as a step touches them, so no step does real work
    const refuse = (): never => {
      throw new Error('deps touched');
    };
    const untouchable: unknown = new Proxy(refuse, { get: () => untouchable, apply: refuse });
    const handler = createEscalationStepsHandler(untouchable as Deps);
    const steps = tasks.map(([, t]) => String(t.Parameters?.Payload?.step));
    // Executions started before a deploy keep the definition they started on: their steps are still served.
    const previousSteps = [PREVIOUS_DEFINITION_FILE, ADVANCE_DEFINITION_FILE].flatMap((file) =>
      Object.values((JSON.parse(readFileSync(file, 'utf8')) as Definition).States)
        .filter((t) => t.Type === 'Task')
        .map((t) => String(t.Parameters?.Payload?.step)),
    );
    steps.push(...previousSteps.filter((step) => !steps.includes(step)));

    // Act
    const outcomes = await Promise.all(
      [...steps, 'no_such_step'].map((step) =>
        handler({ step, reportId: 'R0123456789ABCDE', tierSeq: 1 } as StepPayload).then(
          () => 'returned',
          (error: Error) => error.message,
        ),
      ),
    );

    // Assess
    expect(outcomes.slice(0, -1)).toEqual(steps.map(() => 'deps touched'));
    expect(outcomes.at(-1)).toMatch(/unknown escalation step "no_such_step"/);
  });
});

describe('Route', () => {
  const route = state('Route');
  const names = new Set(Object.keys(definition().States));

  it('routes the three ways a cycle can end: round again, continue as a fresh execution, end', () => {
    // Act
    const handled = Object.fromEntries((route.Choices ?? []).map((c) => [c.StringEquals, c.Next]));

    // Assess: the outcomes of ports/workflow.ts CycleOutcome, which wake and finish send
    expect(handled).toEqual({ advance: 'Cycle', continue: 'ContinueAsNew', done: 'Done' });
    for (const choice of route.Choices ?? []) expect(choice.Variable).toBe('$.decision.next');
  });

  it('sends every choice and the default to a state that exists, and fails loudly on a decision it does not know', () => {
    // Act
    const targets = [...(route.Choices ?? []).map((c) => c.Next), route.Default ?? ''];

    // Assess
    for (const target of targets) expect(names.has(target), target).toBe(true);
    expect(state(route.Default ?? '').Type).toBe('Fail');
  });

  it('is the only Choice: the machine is Cycle → Route → Cycle…, two transitions a cycle', () => {
    // Assess
    expect(Object.keys(definition().States).sort()).toEqual(['ContinueAsNew', 'Cycle', 'Done', 'Route', 'UnknownStep']);
  });
});

describe('ContinueAsNew', () => {
  it('hands the report to a fresh execution and ends this one', () => {
    // Act
    const s = state('ContinueAsNew');

    // Assess
    expect(s.Parameters?.Payload).toEqual({ step: 'continue', 'reportId.$': '$.reportId' });
    expect(s.Next).toBe('Done');
    expect(state('Done').Type).toBe('Succeed');
  });
});

describe('the graph', () => {
  const def = definition();
  const names = new Set(Object.keys(def.States));

  it('starts at Cycle, the entry for new, resumed and continued executions', () => {
    // Assess
    expect(def.StartAt).toBe('Cycle');
    expect(names.has(def.StartAt)).toBe(true);
  });

  it('sends every transition (Next, Default, Choice, Catch) to a state that exists', () => {
    // Act
    const dangling = states.flatMap(([name, s]) =>
      targetsOf(s)
        .filter((t) => !names.has(t))
        .map((t) => `${name} → ${t}`),
    );

    // Assess
    expect(dangling).toEqual([]);
  });

  it('reaches every state from StartAt', () => {
    // Prepare
    const seen = new Set<string>([def.StartAt]);
    const queue = [def.StartAt];

    // Act
    while (queue.length > 0) {
      const current = def.States[queue.shift() ?? ''];
      for (const target of current ? targetsOf(current) : []) {
        if (!seen.has(target)) {
          seen.add(target);
          queue.push(target);
        }
      }
    }

    // Assess
    expect([...names].filter((n) => !seen.has(n))).toEqual([]);
  });

  it('gives every non-terminal state somewhere to go and ends only in Succeed or Fail', () => {
    // Act
    const stuck = states.filter(([, s]) => !['Succeed', 'Fail', 'Choice'].includes(s.Type) && !s.Next && !s.End).map(([n]) => n);
    const ends = states.filter(([, s]) => s.End === true).map(([n]) => n);

    // Assess
    expect(stuck).toEqual([]);
    expect(ends).toEqual([]);
    expect(states.some(([, s]) => s.Type === 'Succeed')).toBe(true);
  });
});
