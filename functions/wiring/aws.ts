/**
 * The composition root on AWS: one per Lambda function, built on the first invocation and reused.
 * Each function gets only the adapters (and so only the IAM grants) it uses; anything else is
 * `notWired`, which fails loudly instead of silently reaching for a permission it does not have.
 * The optional adapters come in from the entry (wiring/aws-sms.ts, aws-link-secret.ts,
 * aws-photos.ts, aws-accounts.ts, aws-workflow.ts, aws-import-files.ts, aws-import-queue.ts), so a
 * bundle loads only the SDK clients its function may call.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { cognitoVerifier } from '#adapters/auth/jwt-verifier.ts';
import { ScryptPasswordHasher } from '#adapters/auth/scrypt-password-hasher.ts';
import { DynamoApiKeyStore } from '#adapters/dynamodb/api-key-store.ts';
import { DynamoAuditLog } from '#adapters/dynamodb/audit-log.ts';
import { documentClient } from '#adapters/dynamodb/client.ts';
import { DynamoDirectoryBatch } from '#adapters/dynamodb/directory-batch.ts';
import { dynamoDirectoryStore } from '#adapters/dynamodb/directory-store.ts';
import { DynamoImportJobStore } from '#adapters/dynamodb/import-job-store.ts';
import { DynamoLeaseStore } from '#adapters/dynamodb/lease-store.ts';
import { DynamoLinkStore } from '#adapters/dynamodb/link-store.ts';
import { DynamoOutcomeStore } from '#adapters/dynamodb/outcome-store.ts';
import { DynamoReportStore } from '#adapters/dynamodb/report-store.ts';
import { DynamoSessionStore } from '#adapters/dynamodb/session-store.ts';
import { DynamoSignInThrottleStore } from '#adapters/dynamodb/sign-in-throttle-store.ts';
import { systemClock } from '#core/deadlines.ts';
import { DomainRefusalError } from '#core/errors.ts';
import type { AppDeps as HttpDeps } from '#core/use-cases/app-deps.ts';
import type { AccountProvider } from '#ports/accounts.ts';
import type { TokenService } from '#ports/auth.ts';
import type { ImportFileStore, ImportQueue } from '#ports/imports.ts';
import type { LeaseStore } from '#ports/leases.ts';
import type { SmsSender } from '#ports/messaging.ts';
import type { WorkflowEngine } from '#ports/workflow.ts';
import type { PhotoWiring } from './aws-photos.ts';
import { type Config, loadConfig, required } from './config.ts';

/** What a function may use, as infra/lambda-functions.ts declares it; the CDK service stack grants exactly these. */
export interface FunctionNeeds {
  /** Sends SMS (SNS publish). */
  sms?: boolean;
  /** Signs or checks SMS action links (reads the link secret). */
  links?: boolean;
  /** Writes URLs on the public address (PUBLIC_BASE_URL) without signing links: Open311's documents. */
  publicUrl?: boolean;
  /** Reads and presigns photos (S3). */
  photos?: boolean;
  /** Verifies Cognito tokens. */
  auth?: boolean;
  /** Creates, disables and re-scopes Cognito users (the people directory's accounts). */
  accounts?: boolean;
  /**
   * CSV imports: `start` stores uploads (S3 PutObject) and invokes the importer (lambda:InvokeFunction);
   * `run` reads them (S3 GetObject) and writes the directory in batches.
   */
  imports?: 'start' | 'run';
}

/** The adapters an entry hands in, one per need it has (`auth` needs no SDK: jose and a JWKS). */
export interface AwsAdapters {
  auth?: true;
  sms?: (config: Config) => SmsSender;
  linkSecret?: (config: Config) => Promise<Uint8Array>;
  photos?: (config: Config, db: DynamoDBDocumentClient) => PhotoWiring;
  accounts?: (config: Config) => AccountProvider;
  workflow?: (config: Config) => WorkflowEngine;
  importFiles?: (config: Config) => ImportFileStore;
  importQueue?: (config: Config) => ImportQueue;
}

/** A port this function was deliberately not given. */
export function notWired<T extends object>(name: string): T {
  return new Proxy({} as T, {
    get: (_target, property) => {
      if (property === 'then') return undefined;
      return () => {
        throw new Error(`${name} is not wired into this function (property ${String(property)})`);
      };
    },
  });
}

/** Cognito signs users in on AWS; the local password sign-in route is not deployed there. */
function cognitoTokens(config: Config): TokenService {
  const verifier = cognitoVerifier({
    region: config.AWS_REGION,
    userPoolId: required(config, 'COGNITO_USER_POOL_ID'),
    clientId: required(config, 'COGNITO_CLIENT_ID'),
    issuerBaseUrl: config.COGNITO_ISSUER_BASE_URL,
  });
  return {
    verify: (token) => verifier.verify(token),
    issue: async () => {
      throw new DomainRefusalError('AUTH.USE_COGNITO', 'sign in with Cognito on this deployment');
    },
  };
}

/** Every function's deps: the HTTP ones, plus the lease the reconciler takes. */
export type AwsDeps = HttpDeps & { leases: LeaseStore };

export async function buildAwsDeps(adapters: AwsAdapters, config: Config = loadConfig()): Promise<AwsDeps> {
  const table = required(config, 'TABLE_NAME');
  const db = documentClient({ region: config.AWS_REGION });
  const directory = dynamoDirectoryStore(db, table);
  const deps = {
    directory,
    reports: new DynamoReportStore(db, table),
    outcomes: new DynamoOutcomeStore(db, table),
    audit: new DynamoAuditLog(db, table),
    links: new DynamoLinkStore(db, table),
    apiKeys: new DynamoApiKeyStore(db, table),
    workflow: adapters.workflow ? adapters.workflow(config) : notWired('the workflow'),
    clock: systemClock,
    timeScale: 1,
    linkSettings: {
      secret: adapters.linkSecret ? await adapters.linkSecret(config) : notWired<Uint8Array>('the link secret'),
      // Every public URL we write (SMS links, Open311 discovery and media_url) is on this address.
      baseUrl: () => required(config, 'PUBLIC_BASE_URL'),
    },
    sms: adapters.sms ? adapters.sms(config) : notWired('the SMS sender'),
    tokens: adapters.auth ? cognitoTokens(config) : notWired('token verification'),
    credentials: directory,
    passwords: new ScryptPasswordHasher(),
    accounts: adapters.accounts ? adapters.accounts(config) : notWired('the account provider (Cognito users)'),
    signInThrottle: new DynamoSignInThrottleStore(db, table),
    sessions: new DynamoSessionStore(db, table),
    // Cognito issues refresh tokens here; the local refresh route is not deployed.
    refreshTokens: notWired<HttpDeps['refreshTokens']>('the refresh-token key (local sign-in only)'),
    refreshTtlSeconds: config.REFRESH_TTL_SECONDS,
    ...(adapters.photos ? adapters.photos(config, db) : { photos: notWired('photos'), photoStorage: notWired('photo storage') }),
    leases: new DynamoLeaseStore(db, table),
    importJobs: new DynamoImportJobStore(db, table),
    directoryBatch: new DynamoDirectoryBatch(db, table),
    importFiles: adapters.importFiles ? adapters.importFiles(config) : notWired('import files'),
    importQueue: adapters.importQueue ? adapters.importQueue(config) : notWired('the import queue'),
    ready: () => true,
  } satisfies AwsDeps;
  return deps;
}

/** Builds the deps once per Lambda container, on first use, and shares the promise. */
export function lazyAwsDeps(adapters: AwsAdapters): () => Promise<AwsDeps> {
  let built: Promise<AwsDeps> | undefined;
  return () => {
    built ??= buildAwsDeps(adapters).catch((error: unknown) => {
      built = undefined; // a failed cold start (e.g. a throttled secret read) retries next time
      throw error;
    });
    return built;
  };
}
