/**
 * The queue of import jobs on AWS: an asynchronous invocation of the importer function. Its own
 * module so that only the api bundle, which starts imports, loads @aws-sdk/client-lambda.
 */
import { LambdaClient } from '@aws-sdk/client-lambda';
import { LambdaImportQueue } from '#adapters/lambda-imports/lambda-import-queue.ts';
import type { ImportQueue } from '#ports/imports.ts';
import { type Config, required } from './config.ts';

export function lambdaImportQueue(config: Config): ImportQueue {
  return new LambdaImportQueue({
    client: new LambdaClient({ region: config.AWS_REGION }),
    functionName: required(config, 'IMPORTER_FUNCTION_NAME'),
  });
}
