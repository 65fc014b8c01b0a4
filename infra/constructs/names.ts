/**
 * Physical names that two stacks must agree on without a cross-stack reference.
 *
 * The photo bucket is named from the stack prefix, account and region, so the service stack can
 * name its objects in IAM (`…/photos/*`) with a plain ARN instead of a token imported from the data
 * stack, and so that a data stack redeployed after deletion fails loudly on the retained bucket
 * (reattach it with `cdk import`) instead of silently starting an empty one.
 */
import { Aws } from 'aws-cdk-lib';

function bucketName(stackPrefix: string, what: string): string {
  if (!/^[a-z0-9][a-z0-9-]{0,14}$/.test(stackPrefix.toLowerCase())) {
    throw new Error(`stackPrefix must be 1-15 letters, digits or dashes (it is part of S3 bucket names): ${stackPrefix}`);
  }
  return `${stackPrefix.toLowerCase()}-${what}-${Aws.ACCOUNT_ID}-${Aws.REGION}`;
}

export function photoBucketName(stackPrefix: string): string {
  return bucketName(stackPrefix, 'photos');
}

/** The bucket of uploaded CSV imports, named the same way for the same reason. */
export function importBucketName(stackPrefix: string): string {
  return bucketName(stackPrefix, 'imports');
}
