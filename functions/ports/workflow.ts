/** The escalation state machine, as the core sees it. Step Functions on AWS, the ASL interpreter locally. */
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
  /** Wakes a waiting task (SendTaskSuccess). A token that no longer waits is ignored. */
  wake(token: string): Promise<void>;
  /** Ids of the reports whose execution is running now (the reconciler resumes the others). */
  runningReportIds(): Promise<Set<string>>;
}
