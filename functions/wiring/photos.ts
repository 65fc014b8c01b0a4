/**
 * Picks where photo bytes live: S3 when PHOTO_BUCKET is set (always on AWS), files under
 * DATA_DIR/photos otherwise. Records are in the table either way.
 */
import { join } from 'node:path';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoPhotoStore } from '#adapters/dynamodb/photo-store.ts';
import { LocalPhotoStorage } from '#adapters/local-photos/local-photo-storage.ts';
import { S3PhotoStorage } from '#adapters/s3-photos/s3-photo-storage.ts';
import type { PhotoDeps } from '#core/use-cases/photos.ts';
import type { Config } from './config.ts';

export async function buildPhotoDeps(config: Config, db: DynamoDBDocumentClient): Promise<Pick<PhotoDeps, 'photos' | 'photoStorage'>> {
  const photos = new DynamoPhotoStore(db, config.TABLE_NAME);
  if (config.PHOTO_BUCKET) {
    const client = S3PhotoStorage.client({ region: config.AWS_REGION });
    return { photos, photoStorage: new S3PhotoStorage({ client, bucket: config.PHOTO_BUCKET }) };
  }
  if (config.GW_MODE === 'aws') throw new Error('invalid configuration: PHOTO_BUCKET is required when GW_MODE=aws');
  const photoStorage = await LocalPhotoStorage.open({
    dir: join(config.DATA_DIR, 'photos'),
    keyFile: join(config.DATA_DIR, 'keys', 'photo-upload.key'),
  });
  return { photos, photoStorage };
}
