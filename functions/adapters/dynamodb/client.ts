import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

export interface DynamoConnection {
  /** Set locally (dynalite); absent on AWS, where the SDK finds the regional endpoint. */
  endpoint?: string;
  region: string;
}

export function documentClient(connection: DynamoConnection): DynamoDBDocumentClient {
  const client = new DynamoDBClient(
    connection.endpoint
      ? {
          endpoint: connection.endpoint,
          region: connection.region,
          credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
          maxAttempts: 5,
        }
      : { region: connection.region },
  );
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
