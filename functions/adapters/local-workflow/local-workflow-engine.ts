/**
 * The escalation workflow on one machine: aws-local-stepfunctions runs the very same
 * escalation.asl.json, with every Task mapped to the same step handler the Lambda runs.
 *
 * What the interpreter lacks, this adapter supplies:
 * - `.waitForTaskToken`: the local handler mints a token per wait, parks a promise under it, and
 *   `wake`/`finish` (the local SendTaskSuccess) resolve it with the task's output; `wakeAt` (the
 *   local EventBridge schedule) wakes it on the shared clock. The previous definition's Await
 *   returns its own deadline instead, which rejects the wait with `States.Timeout`, as an AWS task
 *   timeout would.
 * - durability: nothing survives a restart, so the runtime resumes every open report at boot
 *   (the definition starts from stored state), and a failed execution is resumed after a pause.
 */
import './promise-polyfill.ts';
import { randomUUID } from 'node:crypto';
import { StateMachine } from 'aws-local-stepfunctions';
import type { CycleOutcome, WorkflowEngine } from '#ports/workflow.ts';
import type { Scheduler } from '../clock/clocks.ts';

type Json = Record<string, unknown>;
type StateDefinition = { Type: string; Resource?: string; Retry?: { IntervalSeconds?: number }[] };

export interface LocalWorkflowOptions {
  /** The parsed ASL file, placeholders and all. */
  definition: Json;
  /** Local values for the definition's ${Placeholders}, like CDK's definitionSubstitutions. */
  substitutions: Record<string, string>;
  /** The step handler shared with the Lambda: receives the Task's Payload. */
  runStep: (payload: Json) => Promise<unknown>;
  /** Policy seconds per real second; retry intervals shrink by the same factor. */
  timeScale: number;
  /** Fires each wait's deadline on the same clock the steps decide with. */
  scheduler: Scheduler;
  /** Divides the definition's Retry intervals (default: timeScale); tests make retries instant. */
  retryIntervalDivisor?: number;
  /** Called with every state a report's execution enters (tests assert on the path taken). */
  onStateEntered?: (reportId: string, stateName: string) => void;
  log?: (message: string) => void;
  /** The clock the steps read ($$.Execution.StartTime is on it). */
  now: () => Date;
  /** Pause before resuming an execution that failed (ms). */
  restartDelayMs?: number;
}

interface Waiter {
  resolve: (value: Json) => void;
  reject: (error: Error) => void;
  cancelTimer: () => void;
}

export function substitute(definition: Json, substitutions: Record<string, string>): Json {
  const text = JSON.stringify(definition).replace(/\$\{(\w+)\}/g, (whole, name: string) => {
    const value = substitutions[name];
    if (value === undefined) throw new Error(`no local value for ${whole} in the state machine definition`);
    // Escaped as the inside of a JSON string, so a value can never break out of its field.
    return JSON.stringify(value).slice(1, -1);
  });
  return JSON.parse(text) as Json;
}

function timeoutError(): Error {
  const error = new Error('the wait reached its deadline');
  error.name = 'States.Timeout';
  return error;
}

export class LocalWorkflowEngine implements WorkflowEngine {
  private readonly machine: StateMachine;
  private readonly running = new Map<string, { abort: () => void }>();
  private readonly waiters = new Map<string, Waiter>();
  private readonly handlers: Record<string, (input: unknown) => Promise<unknown>> = {};
  private readonly retryIntervals: Record<string, number[]> = {};
  private readonly restartTimers = new Set<NodeJS.Timeout>();
  /** When each running execution started, on the steps' clock. */
  private readonly startedAt = new Map<string, string>();
  /** Reports whose running execution hands over to a fresh one when it ends (continue as new). */
  private readonly successors = new Set<string>();
  /** The wake-ups set per waiting token (cancelled when the wait ends another way). */
  private readonly wakeUps = new Map<string, () => void>();
  private stopped = false;

  constructor(private readonly options: LocalWorkflowOptions) {
    const definition = substitute(options.definition, options.substitutions);
    this.machine = new StateMachine(definition as never);
    const states = definition.States as Record<string, StateDefinition>;
    for (const [name, state] of Object.entries(states)) {
      if (state.Type !== 'Task') continue;
      this.handlers[name] = state.Resource?.endsWith('.waitForTaskToken')
        ? (input) => this.waitForToken(input as Json)
        : async (input) => ({ StatusCode: 200, Payload: await options.runStep(this.onOurClock((input as Json).Payload as Json)) });
      const divisor = options.retryIntervalDivisor ?? options.timeScale;
      this.retryIntervals[name] = (state.Retry ?? []).map((r) => ((r.IntervalSeconds ?? 1) * 1000) / divisor);
    }
  }

  async start(reportId: string, opts: { resume?: boolean } = {}): Promise<void> {
    if (this.stopped || this.running.has(reportId)) return;
    // Before run(): the interpreter may enter the first Task before run() returns.
    this.startedAt.set(reportId, this.options.now().toISOString());
    const execution = this.machine.run(opts.resume ? { reportId, resume: true } : { reportId }, {
      overrides: {
        taskResourceLocalHandlers: this.handlers as never,
        retryIntervalOverrides: this.retryIntervals,
      },
      // The interpreter needs a value behind $$.Task.Token; the wait handler replaces it per wait.
      context: { Task: { Token: 'local-token-placeholder' }, Execution: { Name: opts.resume ? `${reportId}-resume` : reportId } },
    });
    this.running.set(reportId, execution);
    if (this.options.onStateEntered) void this.followStates(reportId, execution.eventLogs);
    execution.result.then(
      () => {
        this.running.delete(reportId);
        this.startedAt.delete(reportId);
        if (this.successors.delete(reportId) && !this.stopped) void this.start(reportId, { resume: true });
      },
      (error: Error) => {
        this.running.delete(reportId);
        this.startedAt.delete(reportId);
        if (this.stopped) return;
        this.options.log?.(`[workflow] ${reportId} failed (${error.name}: ${error.message}); resuming shortly`);
        const timer = setTimeout(() => {
          this.restartTimers.delete(timer);
          void this.start(reportId, { resume: true });
        }, this.options.restartDelayMs ?? 5000);
        this.restartTimers.add(timer);
      },
    );
  }

  /** The interpreter runs one execution per report here: the successor starts when this one ends. */
  async startSuccessor(reportId: string): Promise<void> {
    if (this.running.has(reportId)) this.successors.add(reportId);
    else await this.start(reportId, { resume: true });
  }

  async wake(token: string): Promise<void> {
    this.complete(token, { next: 'advance' });
  }

  async finish(token: string, outcome: CycleOutcome): Promise<void> {
    this.complete(token, { ...outcome });
  }

  async wakeAt(token: string, at: Date): Promise<void> {
    if (this.wakeUps.has(token) || !this.waiters.has(token)) return;
    const cancel = this.options.scheduler.at(at, () => {
      this.wakeUps.delete(token);
      this.complete(token, { next: 'advance' });
    });
    this.wakeUps.set(token, cancel);
  }

  async cancelWake(token: string): Promise<void> {
    this.wakeUps.get(token)?.();
    this.wakeUps.delete(token);
  }

  /** The local SendTaskSuccess: a token that no longer waits is ignored, as AWS answers TaskTimedOut. */
  private complete(token: string, output: Json): void {
    const waiter = this.waiters.get(token);
    if (!waiter) return;
    this.waiters.delete(token);
    waiter.cancelTimer();
    this.wakeUps.get(token)?.();
    this.wakeUps.delete(token);
    waiter.resolve(output);
  }

  isRunning(reportId: string): boolean {
    return this.running.has(reportId);
  }

  async runningReportIds(): Promise<Set<string>> {
    return new Set(this.running.keys());
  }

  /** Stops every execution (process shutdown); nothing is lost, the data says where each was. */
  stop(): void {
    this.stopped = true;
    for (const timer of this.restartTimers) clearTimeout(timer);
    for (const cancel of this.wakeUps.values()) cancel();
    this.wakeUps.clear();
    // Rejected, not left pending: the interpreter's own task timer (the Cycle's backstop) is
    // cleared only when the task settles, and a pending one would keep the process alive.
    for (const waiter of this.waiters.values()) {
      waiter.cancelTimer();
      waiter.reject(new Error('the workflow engine stopped'));
    }
    this.waiters.clear();
    for (const execution of this.running.values()) {
      try {
        execution.abort();
      } catch {
        // already finished
      }
    }
    this.running.clear();
  }

  /**
   * The local `.waitForTaskToken`: the waiter is registered before the step stores the token (an
   * action may wake it the moment it is stored), and its deadline is the absolute instant the step
   * computed when it parked, scheduled on the shared clock; so a clock moved while the step ran can
   * never make the wait longer than the deadline.
   */
  private async waitForToken(input: Json): Promise<Json> {
    const payload = this.onOurClock(input.Payload as Json);
    const token = `local-${randomUUID()}`;
    const parked = new Promise<Json>((resolve, reject) => {
      this.waiters.set(token, { resolve, reject, cancelTimer: () => undefined });
    });
    // The deadline may pass while the step below still runs; the rejection is consumed on return.
    parked.catch(() => undefined);
    let result: { waiting?: boolean; wakeAt?: string | null };
    try {
      result = ((await this.options.runStep({ ...payload, taskToken: token })) ?? {}) as typeof result;
    } catch (error) {
      this.waiters.delete(token);
      throw error;
    }
    // The previous definition's Await answers {waiting, wakeAt}: its deadline times the task out.
    // (The Cycle step sets its wake-up through wakeAt() instead, which completes the task.)
    const waiter = this.waiters.get(token);
    if (waiter && result.waiting === true && result.wakeAt) {
      waiter.cancelTimer = this.options.scheduler.at(new Date(result.wakeAt), () => {
        if (this.waiters.get(token) !== waiter) return;
        this.waiters.delete(token);
        waiter.reject(timeoutError());
      });
    }
    return parked;
  }

  /**
   * The interpreter stamps $$.Execution.StartTime from the system clock; the steps decide on the
   * injected one (a test's manual clock, a demo's offset), so the start they are told is ours.
   */
  private onOurClock(payload: Json): Json {
    if (payload.startedAt === undefined) return payload;
    const startedAt = this.startedAt.get(String(payload.reportId));
    return startedAt ? { ...payload, startedAt } : payload;
  }

  private async followStates(reportId: string, events: AsyncGenerator<unknown>): Promise<void> {
    try {
      for await (const event of events as AsyncGenerator<{ type: string; state?: { name: string } }>) {
        if (event.type === 'StateEntered' && event.state) this.options.onStateEntered?.(reportId, event.state.name);
      }
    } catch {
      // the execution ended with an error; its result handler reports it
    }
  }
}
