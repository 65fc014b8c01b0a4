/**
 * Photo bytes in S3. The client PUTs straight to a presigned URL (the bytes never cross Lambda or
 * API Gateway, whose payload limits are below 10 MB once base64-encoded), readers are redirected
 * to a short-lived presigned GET. S3 cannot look inside an upload, so the core inspects the object
 * (HeadObject for the size, a ranged GetObject for the first bytes) when a report cites it.
 */
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { type Photo, type PhotoType, SNIFF_BYTES } from '#core/photos.ts';
import type { PhotoContent, PhotoStorage, StoredBytes, UploadTarget } from '#ports/photos.ts';

/** How long a reader's redirect link stays valid. */
const READ_LINK_SECONDS = 5 * 60;

/**
 * Signed into the presigned PUT, so S3 itself refuses a different declared type, a body of any
 * other length, and a second write to the same key (If-None-Match: *): cited evidence is never
 * swapped. A client retrying an upload that did land gets 412 and may carry on.
 */
const SIGNED_UPLOAD_HEADERS = new Set(['content-type', 'content-length', 'if-none-match']);

export interface S3PhotoStorageOptions {
  client: S3Client;
  bucket: string;
  /** Object keys are `<prefix><photo id>`. */
  keyPrefix?: string;
}

function isNotFound(error: unknown): boolean {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e.name === 'NotFound' || e.name === 'NoSuchKey' || e.$metadata?.httpStatusCode === 404;
}

export class S3PhotoStorage implements PhotoStorage {
  constructor(private readonly options: S3PhotoStorageOptions) {}

  /**
   * An S3 client fit for presigning. Recent SDKs add a CRC32 checksum of the (empty) request body
   * to presigned PUTs by default, which makes S3 reject every real upload; checksums are therefore
   * only computed when an operation requires them.
   */
  static client(config: S3ClientConfig): S3Client {
    return new S3Client({ ...config, requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED' });
  }

  private key(id: string): string {
    return `${this.options.keyPrefix ?? 'photos/'}${id}`;
  }

  async uploadTarget(photo: Photo, now: Date, expiresAt: Date): Promise<UploadTarget> {
    const command = new PutObjectCommand({
      Bucket: this.options.bucket,
      Key: this.key(photo.id),
      ContentType: photo.declaredType,
      ContentLength: photo.declaredSize,
      IfNoneMatch: '*',
    });
    const expiresIn = Math.max(1, Math.round((expiresAt.getTime() - now.getTime()) / 1000));
    const url = await getSignedUrl(this.options.client, command, { expiresIn, signingDate: now, signableHeaders: SIGNED_UPLOAD_HEADERS });
    // content-length is not listed: HTTP clients set it from the body, which must be `size` bytes.
    return { url, method: 'PUT', headers: { 'content-type': photo.declaredType, 'if-none-match': '*' } };
  }

  async inspect(id: string): Promise<StoredBytes | null> {
    const { client, bucket } = this.options;
    let size: number;
    try {
      const head = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: this.key(id) }));
      size = head.ContentLength ?? 0;
    } catch (error) {
      if (isNotFound(error)) return null;
      throw error;
    }
    if (size === 0) return { size, head: new Uint8Array() };
    const part = await client.send(new GetObjectCommand({ Bucket: bucket, Key: this.key(id), Range: `bytes=0-${SNIFF_BYTES - 1}` }));
    const head = (await part.Body?.transformToByteArray()) ?? new Uint8Array();
    return { size, head: head.subarray(0, SNIFF_BYTES) };
  }

  async read(id: string, contentType: PhotoType, now: Date): Promise<PhotoContent> {
    const command = new GetObjectCommand({
      Bucket: this.options.bucket,
      Key: this.key(id),
      // Served as what the bytes are, not as what the uploader declared, and never as a download
      // the browser might open as HTML.
      ResponseContentType: contentType,
      ResponseContentDisposition: 'inline',
      ResponseCacheControl: `private, max-age=${READ_LINK_SECONDS}`,
    });
    const url = await getSignedUrl(this.options.client, command, { expiresIn: READ_LINK_SECONDS, signingDate: now });
    return { kind: 'redirect', url };
  }
}
