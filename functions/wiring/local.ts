/**
 * The composition root for one machine: DynamoDB adapters pointed at the embedded dynalite, the
 * ASL interpreter running escalation.asl.json, the SMS outbox and the local token issuer.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { CreateTableCommand, DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { BoundedPasswordHasher } from '#adapters/auth/bounded-password-hasher.ts';
import { LocalAccountProvider } from '#adapters/auth/local-accounts.ts';
import { LocalTokenService } from '#adapters/auth/local-token-service.ts';
import { ScryptPasswordHasher } from '#adapters/auth/scrypt-password-hasher.ts';
import { offsetClock, type Scheduler, wallScheduler } from '#adapters/clock/clocks.ts';
import { DynamoApiKeyStore } from '#adapters/dynamodb/api-key-store.ts';
import { DynamoAuditLog } from '#adapters/dynamodb/audit-log.ts';
import { documentClient } from '#adapters/dynamodb/client.ts';
import { DynamoDirectoryBatch } from '#adapters/dynamodb/directory-batch.ts';
import { type DynamoDirectoryStore, dynamoDirectoryStore } from '#adapters/dynamodb/directory-store.ts';
import { DynamoImportJobStore } from '#adapters/dynamodb/import-job-store.ts';
import { DynamoLinkStore } from '#adapters/dynamodb/link-store.ts';
import { DynamoOutcomeStore } from '#adapters/dynamodb/outcome-store.ts';
import { DynamoReportStore } from '#adapters/dynamodb/report-store.ts';
import { DynamoSessionStore } from '#adapters/dynamodb/session-store.ts';
import { DynamoSignInThrottleStore } from '#adapters/dynamodb/sign-in-throttle-store.ts';
import { createTableInput } from '#adapters/dynamodb/table.ts';
import { InProcessImportQueue } from '#adapters/local-imports/in-process-import-queue.ts';
import { LocalImportFiles } from '#adapters/local-imports/local-import-files.ts';
import { LocalWorkflowEngine } from '#adapters/local-workflow/local-workflow-engine.ts';
import { OutboxSmsSender, type SmsFailFor } from '#adapters/sms-outbox/outbox-sms-sender.ts';
import type { Clock } from '#core/deadlines.ts';
import type { AppDeps as HttpDeps } from '#core/use-cases/app-deps.ts';
import type { Deps } from '#core/use-cases/deps.ts';
import { runEscalationStep, type StepPayload } from '#core/use-cases/escalation-steps.ts';
import { runImport } from '#core/use-cases/imports.ts';
import { readOnce } from '#core/use-cases/read-once.ts';
import type { Config } from './config.ts';
import { buildPhotoDeps } from './photos.ts';

export const ESCALATION_DEFINITION_FILE = new URL('../workflows/escalation.asl.json', import.meta.url);
/** The first definition (Load → Route → one Task per step): still served to executions that started on it. */
export const PREVIOUS_DEFINITION_FILE = new URL('../workflows/escalation.v1.asl.json', import.meta.url);
/** The definition before the Cycle fold (Advance → Route → Await): still served to executions that started on it, and benched beside the current one. */
export const ADVANCE_DEFINITION_FILE = new URL('../workflows/escalation.v2.asl.json', import.meta.url);

/** Local stand-ins for the values CDK substitutes on AWS. */
export const LOCAL_SUBSTITUTIONS = {
  EscalationStepsFunctionArn: 'arn:aws:lambda:local:000000000000:function:gridwhistle-escalation-steps',
  // The earlier definitions' Await: the interpreter resolves TimeoutSecondsPath against the Task's
  // Parameters (AWS: the state input). The current one has no such placeholder.
  AwaitTimeoutSecondsPath: '$.Payload.waitSeconds',
};

export interface LocalContainerOptions {
  config: Config;
  dynamoEndpoint: string;
  /** Every deadline, expiry and lockout reads this clock (default: the system clock, shifted by GW_CLOCK_OFFSET_SECONDS). */
  clock?: Clock;
  /** Where the workflow's waits fire; give a ManualClock as both clock and scheduler to drive time by hand. */
  scheduler?: Scheduler;
  /** Divides the state machine's retry intervals (default TIME_SCALE); tests make retries immediate. */
  retryIntervalDivisor?: number;
  smsFailFor?: SmsFailFor;
  onStateEntered?: (reportId: string, stateName: string) => void;
  log?: (message: string) => void;
  /** The state machine to run (default escalation.asl.json; the transitions bench also runs the previous one). */
  definitionFile?: URL;
}

export interface LocalContainer {
  deps: HttpDeps;
  db: DynamoDBDocumentClient;
  directory: DynamoDirectoryStore;
  workflow: LocalWorkflowEngine;
  /** Runs import jobs in this process; `idle()` waits for the queued ones. */
  imports: InProcessImportQueue;
  markReady: () => void;
  listeningAt: (url: string) => void;
  close: () => void;
}

/** A random 32-byte secret kept under DATA_DIR, created on first start. */
async function loadOrCreateSecret(file: string): Promise<Uint8Array> {
  try {
    return await readFile(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const secret = randomBytes(32);
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, secret, { mode: 0o600 });
  return secret;
}

export async function ensureTable(db: DynamoDBDocumentClient, tableName: string): Promise<void> {
  const client = db as unknown as DynamoDBClient;
  try {
    await client.send(new DescribeTableCommand({ TableName: tableName }));
  } catch (error) {
    if ((error as { name?: string }).name !== 'ResourceNotFoundException') throw error;
    await client.send(new CreateTableCommand(createTableInput(tableName)));
  }
}

export async function buildLocalContainer(options: LocalContainerOptions): Promise<LocalContainer> {
  const { config } = options;
  const log = options.log ?? ((m: string) => console.log(m));
  const clock = options.clock ?? offsetClock(config.GW_CLOCK_OFFSET_SECONDS * 1000);
  const db = documentClient({ endpoint: options.dynamoEndpoint, region: 'local' });
  await ensureTable(db, config.TABLE_NAME);
  const directory = dynamoDirectoryStore(db, config.TABLE_NAME);
  const reports = new DynamoReportStore(db, config.TABLE_NAME);
  const sessions = new DynamoSessionStore(db, config.TABLE_NAME);
  const tokens = await LocalTokenService.open({
    keyFile: join(config.DATA_DIR, 'keys', 'local-issuer.json'),
    issuer: config.TOKEN_ISSUER,
    audience: config.TOKEN_AUDIENCE,
    ttlSeconds: config.TOKEN_TTL_SECONDS,
    sessions,
    now: () => clock.now(),
  });
  const sms = new OutboxSmsSender({
    file: join(config.DATA_DIR, 'sms-outbox.jsonl'),
    print: config.SMS_PRINT === 'true' ? log : undefined,
    failFor: options.smsFailFor,
    clock,
  });
  // Two of libuv's four threads at most, so reads keep theirs during a burst of sign-ins; about
  // a second's worth of sign-ins may wait, any more are told to come back (429 AUTH.BUSY).
  const passwords = new BoundedPasswordHasher(new ScryptPasswordHasher(), { concurrent: 2, queued: 24 });
  let ready = false;
  let publicBaseUrl = config.PUBLIC_BASE_URL ?? `http://${config.HOST}:${config.PORT}`;
  const deps = {
    directory,
    reports,
    outcomes: new DynamoOutcomeStore(db, config.TABLE_NAME),
    audit: new DynamoAuditLog(db, config.TABLE_NAME),
    sms,
    clock,
    timeScale: config.TIME_SCALE,
    credentials: directory,
    passwords,
    accounts: new LocalAccountProvider({ credentials: directory, passwords, sessions, now: () => clock.now() }),
    signInThrottle: new DynamoSignInThrottleStore(db, config.TABLE_NAME),
    tokens,
    sessions,
    refreshTokens: { secret: await loadOrCreateSecret(join(config.DATA_DIR, 'keys', 'refresh-secret')) },
    links: new DynamoLinkStore(db, config.TABLE_NAME),
    apiKeys: new DynamoApiKeyStore(db, config.TABLE_NAME),
    linkSettings: { secret: await loadOrCreateSecret(join(config.DATA_DIR, 'keys', 'link-secret')), baseUrl: () => publicBaseUrl },
    refreshTtlSeconds: config.REFRESH_TTL_SECONDS,
    ...(await buildPhotoDeps(config, db)),
    importJobs: new DynamoImportJobStore(db, config.TABLE_NAME),
    importFiles: new LocalImportFiles(join(config.DATA_DIR, 'imports')),
    directoryBatch: new DynamoDirectoryBatch(db, config.TABLE_NAME),
    ready: () => ready,
  } as Omit<HttpDeps, 'workflow' | 'importQueue'> as HttpDeps;
  // Nothing else runs this process's jobs: one found running at start was orphaned by a crash.
  const imports = new InProcessImportQueue((id) => runImport(deps, id, { staleAfterMs: 0 }), log);
  deps.importQueue = imports;
  const workflow = new LocalWorkflowEngine({
    definition: JSON.parse(readFileSync(options.definitionFile ?? ESCALATION_DEFINITION_FILE, 'utf8')),
    substitutions: LOCAL_SUBSTITUTIONS,
    // As the Lambda handler does: each step reads a directory entry once (read-once.ts).
    runStep: (payload) => runEscalationStep(readOnce(deps satisfies Deps), payload as unknown as StepPayload),
    timeScale: config.TIME_SCALE,
    now: () => clock.now(),
    scheduler: options.scheduler ?? wallScheduler(clock),
    retryIntervalDivisor: options.retryIntervalDivisor,
    onStateEntered: options.onStateEntered,
    log,
  });
  deps.workflow = workflow;
  return {
    deps,
    db,
    directory,
    workflow,
    imports,
    markReady: () => {
      ready = true;
    },
    /** The server's real address once it listens (PORT=0 picks one), unless PUBLIC_BASE_URL is set. */
    listeningAt: (url: string) => {
      if (!config.PUBLIC_BASE_URL) publicBaseUrl = url;
    },
    close: () => {
      ready = false;
      imports.stop();
      workflow.stop();
      db.destroy();
    },
  };
}
