import { describe, expect, it } from 'vitest';
import { substitute } from '#adapters/local-workflow/local-workflow-engine.ts';

/** `${Name}`, the definition placeholder syntax, spelled so it is not mistaken for a broken template literal. */
const placeholder = (name: string) => `$\{${name}}`;

const definition = {
  StartAt: 'Step',
  States: {
    Step: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
      Parameters: { FunctionName: placeholder('FunctionArn'), Payload: { 'token.$': '$$.Task.Token', 'id.$': '$.id' } },
      TimeoutSecondsPath: placeholder('TimeoutPath'),
      Comment: `calls ${placeholder('FunctionArn')} again`,
      End: true,
    },
  },
};

describe('substitute', () => {
  it('fills in every placeholder, wherever and however often it appears', () => {
    // Act
    const result = substitute(definition, {
      FunctionArn: 'arn:aws:lambda:local:000000000000:function:f',
      TimeoutPath: '$.wait',
    }) as typeof definition;

    // Assess
    expect(result.States.Step.Parameters.FunctionName).toBe('arn:aws:lambda:local:000000000000:function:f');
    expect(result.States.Step.TimeoutSecondsPath).toBe('$.wait');
    expect(result.States.Step.Comment).toBe('calls arn:aws:lambda:local:000000000000:function:f again');
  });

  it('escapes a value so quotes and backslashes cannot break out of their JSON string', () => {
    // Act
    const result = substitute(definition, {
      FunctionArn: 'arn"}, "Injected": {"x": "y\\',
      TimeoutPath: '$["decision"]',
    }) as typeof definition & { Injected?: unknown };

    // Assess
    expect(result.States.Step.Parameters.FunctionName).toBe('arn"}, "Injected": {"x": "y\\');
    expect(result.States.Step.TimeoutSecondsPath).toBe('$["decision"]');
    expect(result.Injected).toBeUndefined();
  });

  it('leaves JSONPath expressions such as $$.Task.Token alone', () => {
    // Act
    const result = substitute(definition, { FunctionArn: 'f', TimeoutPath: '$.wait' }) as typeof definition;

    // Assess
    expect(result.States.Step.Parameters.Payload).toEqual({ 'token.$': '$$.Task.Token', 'id.$': '$.id' });
  });

  it('throws on a placeholder it has no value for, naming it', () => {
    // Act
    const run = () => substitute(definition, { FunctionArn: 'f' });

    // Assess
    expect(run).toThrow(`no local value for ${placeholder('TimeoutPath')} in the state machine definition`);
  });

  it('throws even when the unknown placeholder is the only one', () => {
    // Act
    const run = () => substitute({ Comment: placeholder('Unknown') }, {});

    // Assess
    expect(run).toThrow(/\$\{Unknown\}/);
  });

  it('returns a copy and leaves the definition it was given unchanged', () => {
    // Prepare
    const before = JSON.stringify(definition);

    // Act
    const result = substitute(definition, { FunctionArn: 'f', TimeoutPath: '$.wait' });

    // Assess
    expect(result).not.toBe(definition);
    expect(JSON.stringify(definition)).toBe(before);
  });

  it('ignores extra substitution values that the definition does not use', () => {
    // Act
    const result = substitute({ A: placeholder('FunctionArn') }, { FunctionArn: 'f', Unused: 'x' });

    // Assess
    expect(result).toEqual({ A: 'f' });
  });
});
