/**
 * The composition root on AWS: one per Lambda function, built on the first invocation and reused.
 * Each function gets only the adapters (and so only the IAM grants) it uses; anything else is
 * `notWired`, which fails loudly instead of silently reaching for a permission it does not have.
 */
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SFNClient } from '@aws-sdk/client-sfn';
import { SNSClient } from '@aws-sdk/client-sns';
import { cognitoVerifier } from '#adapters/auth/jwt-verifier.ts';
import { ScryptPasswordHasher } from '#adapters/auth/scrypt-password-hasher.ts';
import { DynamoApiKeyStore } from '#adapters/dynamodb/api-key-store.ts';
import { documentClient } from '#adapters/dynamodb/client.ts';
import { DynamoDirectoryStore } from '#adapters/dynamodb/directory-store.ts';
import { DynamoLinkStore } from '#adapters/dynamodb/link-store.ts';
import { DynamoReportStore } from '#adapters/dynamodb/report-store.ts';
import { DynamoSessionStore } from '#adapters/dynamodb/session-store.ts';
import { SfnWorkflowEngine } from '#adapters/sfn/sfn-workflow-engine.ts';
import { SnsSmsSender } from '#adapters/sns-sms/sns-sms-sender.ts';
import { systemClock } from '#core/deadlines.ts';
import { DomainRefusalError } from '#core/errors.ts';
import type { HttpDeps } from '#handlers/http/deps.ts';
import type { TokenService } from '#ports/auth.ts';
import { type Config, loadConfig, required } from './config.ts';
import { buildPhotoDeps } from './photos.ts';

/** What a function may use; the CDK service stack grants exactly these. */
export interface FunctionNeeds {
  /** Sends SMS (SNS publish). */
  sms?: boolean;
  /** Signs or checks SMS action links (reads the link secret). */
  links?: boolean;
  /** Reads and presigns photos (S3). */
  photos?: boolean;
  /** Verifies Cognito tokens. */
  auth?: boolean;
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

async function linkSecret(config: Config): Promise<Uint8Array> {
  const client = new SecretsManagerClient({ region: config.AWS_REGION });
  const out = await client.send(new GetSecretValueCommand({ SecretId: required(config, 'LINK_SECRET_ARN') }));
  if (!out.SecretString || out.SecretString.length < 32) throw new Error('the link-signing secret is missing or too short');
  return Buffer.from(out.SecretString, 'utf8');
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

export async function buildAwsDeps(needs: FunctionNeeds, config: Config = loadConfig()): Promise<HttpDeps> {
  const table = required(config, 'TABLE_NAME');
  const db = documentClient({ region: config.AWS_REGION });
  const directory = new DynamoDirectoryStore(db, table);
  const sfn = new SFNClient({ region: config.AWS_REGION });
  const deps = {
    directory,
    reports: new DynamoReportStore(db, table),
    links: new DynamoLinkStore(db, table),
    apiKeys: new DynamoApiKeyStore(db, table),
    workflow: new SfnWorkflowEngine(sfn, required(config, 'STATE_MACHINE_ARN'), systemClock),
    clock: systemClock,
    timeScale: 1,
    linkSettings: needs.links
      ? { secret: await linkSecret(config), baseUrl: (() => required(config, 'PUBLIC_BASE_URL')) as () => string }
      : notWired<HttpDeps['linkSettings']>('the link secret'),
    sms: needs.sms
      ? new SnsSmsSender(new SNSClient({ region: config.AWS_REGION }), { senderId: config.SMS_SENDER_ID })
      : notWired('the SMS sender'),
    tokens: needs.auth ? cognitoTokens(config) : notWired('token verification'),
    credentials: directory,
    passwords: new ScryptPasswordHasher(),
    sessions: new DynamoSessionStore(db, table),
    refreshTtlSeconds: config.REFRESH_TTL_SECONDS,
    ...(needs.photos ? await buildPhotoDeps(config, db) : { photos: notWired('photos'), photoStorage: notWired('photo storage') }),
    ready: () => true,
  } satisfies HttpDeps;
  return deps;
}

/** Builds the deps once per Lambda container, on first use, and shares the promise. */
export function lazyAwsDeps(needs: FunctionNeeds): () => Promise<HttpDeps> {
  let built: Promise<HttpDeps> | undefined;
  return () => {
    built ??= buildAwsDeps(needs).catch((error: unknown) => {
      built = undefined; // a failed cold start (e.g. a throttled secret read) retries next time
      throw error;
    });
    return built;
  };
}
