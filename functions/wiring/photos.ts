/**
 * Picks where photo bytes live when running locally: S3 when PHOTO_BUCKET is set, files under
 * DATA_DIR/photos otherwise. Records are in the table either way. (On AWS, wiring/aws-photos.ts.)
 */
import { join } from 'node:path';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoPhotoStore } from '#adapters/dynamodb/photo-store.ts';
import { LocalPhotoStorage } from '#adapters/local-photos/local-photo-storage.ts';
import { type PhotoWiring, s3Photos } from './aws-photos.ts';
import type { Config } from './config.ts';

export async function buildPhotoDeps(config: Config, db: DynamoDBDocumentClient): Promise<PhotoWiring> {
  if (config.PHOTO_BUCKET) return s3Photos(config, db);
  if (config.GW_MODE === 'aws') throw new Error('invalid configuration: PHOTO_BUCKET is required when GW_MODE=aws');
  const photoStorage = await LocalPhotoStorage.open({
    dir: join(config.DATA_DIR, 'photos'),
    keyFile: join(config.DATA_DIR, 'keys', 'photo-upload.key'),
  });
  return { photos: new DynamoPhotoStore(db, config.TABLE_NAME), photoStorage };
}
