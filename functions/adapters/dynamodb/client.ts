import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { UnavailableError } from '#core/errors.ts';

export interface DynamoConnection {
  /** Set locally (dynalite); absent on AWS, where the SDK finds the regional endpoint. */
  endpoint?: string;
  region: string;
}

/**
 * Tries per request, the first included, locally and on AWS (the SDK's default is 3). A throttled
 * request waits a random 0–1, 0–2, 0–4, 0–8 s before its 2nd to 5th try (the SDK's backoff for
 * throttling): 15 s at the very worst, inside the API function's 29 s and the steps' 30 s, so a
 * request that is still throttled after them ends as our own clean 503 rather than as a Lambda
 * timeout. At 20 % of requests throttled one request in 3,000 still fails; at 3 tries one in 125.
 */
export const DYNAMO_MAX_ATTEMPTS = 5;

const THROTTLING = new Set(['ProvisionedThroughputExceededException', 'ThrottlingException', 'RequestLimitExceeded']);

export function isThrottling(error: unknown): boolean {
  const e = error as { name?: string; $retryable?: { throttling?: boolean } } | undefined;
  return THROTTLING.has(e?.name ?? '') || e?.$retryable?.throttling === true;
}

/**
 * The embedded engine (dynalite) checks that a request carries an AWS4 Authorization header of the
 * right shape and never its signature: on loopback, SigV4 over every request (6 % of the server's
 * CPU when filing under load) is replaced by such a header. Anywhere else the SDK signs as always.
 */
const loopbackSigner = {
  sign: async <R extends { headers: Record<string, string> }>(request: R): Promise<R> => {
    const at = new Date().toISOString().replace(/[-:]|\.\d{3}/g, '');
    request.headers['x-amz-date'] = at;
    request.headers.authorization =
      `AWS4-HMAC-SHA256 Credential=local/${at.slice(0, 8)}/local/dynamodb/aws4_request, ` +
      `SignedHeaders=host;x-amz-date, Signature=${'0'.repeat(64)}`;
    return request;
  },
};

function isLoopback(endpoint: string): boolean {
  try {
    return ['127.0.0.1', 'localhost', '[::1]'].includes(new URL(endpoint).hostname);
  } catch {
    return false;
  }
}

export function documentClient(connection: DynamoConnection): DynamoDBDocumentClient {
  const client = new DynamoDBClient(
    connection.endpoint
      ? {
          endpoint: connection.endpoint,
          region: connection.region,
          credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
          maxAttempts: DYNAMO_MAX_ATTEMPTS,
          ...(isLoopback(connection.endpoint) ? { signer: loopbackSigner } : {}),
        }
      : { region: connection.region, maxAttempts: DYNAMO_MAX_ATTEMPTS },
  );
  // Outside the retries: throttling that outlasted them is a busy store, not a bug (503, send again).
  client.middlewareStack.add(
    (next) => async (args) => {
      try {
        return await next(args);
      } catch (error) {
        if (!isThrottling(error)) throw error;
        throw new UnavailableError('STORAGE.BUSY', 'the store is busy; send the same request again in a moment', 1, { cause: error });
      }
    },
    { step: 'initialize', name: 'throttlingAsUnavailable' },
  );
  // The SDK's logger middleware runs every input and output through its sensitive-data filter for
  // the logger, even the no-op one we leave it (3 % of the server's CPU when filing under load). We
  // log our own events, never SDK calls, so it goes.
  client.middlewareStack.remove('loggerMiddleware');
  return DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
}

export function isConditionFailure(error: unknown): boolean {
  return (error as { name?: string })?.name === 'ConditionalCheckFailedException';
}

/**
 * A conditional write's outcome: true when DynamoDB applied it, false when its condition did not
 * hold (someone else got there first, which the caller expects and handles); other errors throw.
 */
export async function applied(write: Promise<unknown>): Promise<boolean> {
  try {
    await write;
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}
