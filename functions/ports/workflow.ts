/** The escalation state machine, as the core sees it. Step Functions on AWS, the ASL interpreter locally. */

/** How a step completes the task that waits for it: go round again, continue as a fresh execution, or end. */
export interface CycleOutcome {
  next: 'advance' | 'continue' | 'done';
}

export interface WorkflowEngine {
  /**
   * Starts the report's execution. Idempotent: a second start for a report that already runs is a
   * no-op. `resume` starts a fresh execution that continues from the stored state.
   */
  start(reportId: string, opts?: { resume?: boolean }): Promise<void>;
  /**
   * Starts a fresh execution for the report that takes over from the calling one (which ends
   * next): an execution near its history or age limit continues as a new one, same report, new name.
   */
  startSuccessor(reportId: string): Promise<void>;
  /**
   * Wakes a waiting task so that the report advances (SendTaskSuccess with `{"next":"advance"}`).
   * A token that no longer waits is ignored.
   */
  wake(token: string): Promise<void>;
  /**
   * Completes the calling step's own task with what comes next (SendTaskSuccess with the outcome):
   * the Cycle step runs inside a `.waitForTaskToken` task, so it ends the task itself when it does
   * not wait.
   */
  finish(token: string, outcome: CycleOutcome): Promise<void>;
  /**
   * Wakes the task at `at` unless something wakes it first: a one-time EventBridge schedule on AWS,
   * the engine's clock locally. Idempotent per token, so a retried step sets it once.
   */
  wakeAt(token: string, at: Date): Promise<void>;
  /** Drops the wake-up set for a token that no longer waits (best effort: a late one is ignored anyway). */
  cancelWake(token: string): Promise<void>;
  /** Ids of the reports whose execution is running now (the reconciler resumes the others). */
  runningReportIds(): Promise<Set<string>>;
}
