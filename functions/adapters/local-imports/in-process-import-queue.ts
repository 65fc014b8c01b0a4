/**
 * Import jobs on one machine: run in this process, one after another, as soon as the request that
 * queued one has been answered. Nothing survives a restart but the job records, which is enough:
 * at start the runtime queues every job still open again (core/use-cases/imports.ts,
 * resumeOpenImports), and running a job again is safe.
 */
import type { ImportQueue } from '#ports/imports.ts';

export class InProcessImportQueue implements ImportQueue {
  private tail: Promise<void> = Promise.resolve();
  private stopped = false;
  private running = 0;

  constructor(
    private readonly run: (id: string) => Promise<void>,
    private readonly log: (message: string) => void,
  ) {}

  async enqueue(id: string): Promise<void> {
    if (this.stopped) return;
    this.running++;
    // setImmediate: the job starts after the HTTP answer (202) has been sent, never inside the request.
    this.tail = this.tail
      .then(() => new Promise<void>((resolve) => setImmediate(resolve)))
      .then(() => (this.stopped ? undefined : this.run(id)))
      .catch((error: unknown) => this.log(`[import] ${id} failed: ${error instanceof Error ? error.message : String(error)}`))
      .finally(() => {
        this.running--;
      });
  }

  /** Resolves once every job queued so far has run (tests and the bench wait on it). */
  async idle(): Promise<void> {
    while (this.running > 0) await this.tail;
  }

  /** Starts no further job; one already running ends when its store goes away, and runs again at the next start. */
  stop(): void {
    this.stopped = true;
  }
}
