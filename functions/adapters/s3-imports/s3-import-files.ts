/**
 * Uploaded import files in S3: `<prefix><import id>.csv` in the import bucket (private, expiring
 * after a few days: the lists carry officers' names and phones). The api function writes them, the
 * importer reads them.
 */
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { ImportFileStore } from '#ports/imports.ts';

export const IMPORT_KEY_PREFIX = 'imports/';

export class S3ImportFiles implements ImportFileStore {
  constructor(private readonly options: { client: S3Client; bucket: string; keyPrefix?: string }) {}

  private key(id: string): string {
    return `${this.options.keyPrefix ?? IMPORT_KEY_PREFIX}${id}.csv`;
  }

  async putImportFile(id: string, bytes: Uint8Array): Promise<void> {
    await this.options.client.send(
      new PutObjectCommand({ Bucket: this.options.bucket, Key: this.key(id), Body: bytes, ContentType: 'text/csv' }),
    );
  }

  async getImportFile(id: string): Promise<Uint8Array> {
    const object = await this.options.client.send(new GetObjectCommand({ Bucket: this.options.bucket, Key: this.key(id) }));
    if (!object.Body) throw new Error(`import file ${id} has no body`);
    return object.Body.transformToByteArray();
  }
}
