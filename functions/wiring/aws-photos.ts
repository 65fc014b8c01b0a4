/**
 * Photos on S3: records in the table, bytes in PHOTO_BUCKET. Its own module so that only the
 * bundles that handle photos load @aws-sdk/client-s3 and the presigner (see wiring/aws.ts).
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoPhotoStore } from '#adapters/dynamodb/photo-store.ts';
import { S3PhotoStorage } from '#adapters/s3-photos/s3-photo-storage.ts';
import type { PhotoDeps } from '#core/use-cases/photos.ts';
import { type Config, required } from './config.ts';

export type PhotoWiring = Pick<PhotoDeps, 'photos' | 'photoStorage'>;

export function s3Photos(config: Config, db: DynamoDBDocumentClient): PhotoWiring {
  const client = S3PhotoStorage.client({ region: config.AWS_REGION });
  return {
    photos: new DynamoPhotoStore(db, config.TABLE_NAME),
    photoStorage: new S3PhotoStorage({ client, bucket: required(config, 'PHOTO_BUCKET') }),
  };
}
