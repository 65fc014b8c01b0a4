/**
 * Uploaded import files on S3 (IMPORT_BUCKET). Its own module so that only the bundles that store
 * or read import files load @aws-sdk/client-s3 for them (see wiring/aws.ts).
 */
import { S3Client } from '@aws-sdk/client-s3';
import { S3ImportFiles } from '#adapters/s3-imports/s3-import-files.ts';
import type { ImportFileStore } from '#ports/imports.ts';
import { type Config, required } from './config.ts';

export function s3ImportFiles(config: Config): ImportFileStore {
  return new S3ImportFiles({ client: new S3Client({ region: config.AWS_REGION }), bucket: required(config, 'IMPORT_BUCKET') });
}
