/**
 * The Lambda functions of the service, once: where each entry point is and what it may touch. The
 * CDK service stack turns `needs` into environment variables and IAM grants, and the bundle tests
 * and budget script bundle the same entries with the same esbuild settings (BUNDLING below).
 */
import type { FunctionNeeds } from '#wiring/aws.ts';

export interface LambdaFunctionSpec {
  /** Path from the repository root. */
  entry: string;
  description: string;
  needs: FunctionNeeds & {
    /** Starts, wakes and lists executions (StartExecution, SendTaskSuccess, ListExecutions). */
    workflow?: 'start-and-wake' | 'wake' | 'start-and-list' | 'start-list-and-wake';
    /** Sets and deletes the escalation's one-time wake-ups (EventBridge Scheduler): the steps function. */
    wakes?: boolean;
    /**
     * DynamoDB access: the reconciler reads, and updates only its lease and the outcome counters it
     * catches up; the importer also reads
     * and writes in batches.
     */
    table: 'read-write' | 'read' | 'read-and-leases' | 'batch-read-write';
  };
  memoryMb: number;
  timeoutSeconds: number;
}

export const LAMBDA_FUNCTIONS = {
  api: {
    entry: 'functions/handlers/lambda/api.ts',
    description:
      'GridWhistle HTTP API: reports, actions, SMS links, photos, people, accounts, the tree, departments, categories and CSV imports',
    needs: { auth: true, accounts: true, photos: true, links: true, workflow: 'start-and-wake', table: 'read-write', imports: 'start' },
    memoryMb: 512,
    // The HTTP API answers 503 after 30 s; a move or merge of a township (about 1,000 records) takes
    // seconds, and one cut short finishes when it is sent again.
    timeoutSeconds: 29,
  },
  open311: {
    entry: 'functions/handlers/lambda/open311.ts',
    description: 'GridWhistle Open311 GeoReport v2 (JSON and XML)',
    needs: { photos: true, publicUrl: true, workflow: 'start-and-wake', table: 'read-write' },
    memoryMb: 512,
    timeoutSeconds: 10,
  },
  escalationSteps: {
    entry: 'functions/handlers/lambda/escalation-steps.ts',
    description: 'GridWhistle escalation state machine steps (every Task of escalation.asl.json)',
    // Starts a successor execution near the history limit, completes its own Cycle task, sets each wait's wake-up.
    needs: { sms: true, links: true, workflow: 'start-and-wake', wakes: true, table: 'read-write' },
    memoryMb: 512,
    timeoutSeconds: 30,
  },
  reconciler: {
    entry: 'functions/handlers/lambda/reconciler.ts',
    description: 'GridWhistle reconciler: resumes open reports whose execution is not running',
    // Resumes reports whose execution is not running and wakes tokens their stored state has moved past.
    needs: { workflow: 'start-list-and-wake', table: 'read-and-leases' },
    memoryMb: 256,
    timeoutSeconds: 300,
  },
  importer: {
    entry: 'functions/handlers/lambda/importer.ts',
    description: 'GridWhistle CSV importer: runs one import job (invoked asynchronously by the api function)',
    // A file that names a new officer for a post takes the old one off it as an admin would: their
    // open reports handed over (waking the waiting workflow), their account disabled.
    needs: { imports: 'run', table: 'batch-read-write', workflow: 'wake', accounts: true },
    // A prefecture (about 23,000 rows, 90,000 items to write) holds its plan in memory and writes
    // for minutes: far past the HTTP API's 30 s, well inside Lambda's 15 minutes.
    memoryMb: 1024,
    timeoutSeconds: 900,
  },
} as const satisfies Record<string, LambdaFunctionSpec>;

export type LambdaFunctionName = keyof typeof LAMBDA_FUNCTIONS;

/**
 * esbuild settings shared by NodejsFunction (CDK) and the bundle tests. The AWS SDK v3 is left out:
 * the Node.js Lambda runtime ships it, and leaving it out keeps bundles small and cold starts short.
 */
export const BUNDLING = {
  minify: true,
  sourceMap: true,
  sourcesContent: false,
  target: 'node24',
  format: 'cjs' as const,
  externalModules: ['@aws-sdk/*'],
  /**
   * What the bundle-size budget counts: the minified .js, source maps excluded. It is there to catch
   * a library or an SDK pulled in by mistake (a few hundred KiB at once); our own code grows with
   * the API (the admin half of issue 9 added ~33 KiB to api and open311, which share routes.ts; the
   * console's routes of issue 10 — SMS log, map, workbench — and the Advance steps another ~15 KiB,
   * so 300 KiB became 350 KiB). Issue 11 added the calendar (with its compacted holiday table),
   * policies, whistle lanes, clocks, return visits, duplicates and outcomes routes and their OpenAPI
   * text: api 322 → 403 KiB, so 350 KiB became 425 KiB. zod is a quarter of the api bundle and the
   * OpenAPI descriptions are the next largest part: the first things to cut (issue 12).
   */
  maxBundleBytes: 425 * 1024,
};
