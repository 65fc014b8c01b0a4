/**
 * Photo records and photo bytes. Records live in the table (DynamoDB); bytes in S3 on AWS and in
 * files under DATA_DIR locally. The bytes never pass through a use case on AWS: the client sends
 * them straight to storage, and they are inspected (size and first bytes) when a report cites them.
 */
import type { Photo, PhotoType } from '#core/photos.ts';

export interface PhotoStore {
  /** Stores a new pending photo. */
  create(photo: Photo): Promise<void>;
  get(id: string): Promise<Photo | null>;
  /** Records what the bytes turned out to be. Idempotent. */
  markUploaded(id: string, content: { sniffedType: PhotoType; size: number; uploadedAt: string }): Promise<void>;
  /** Records that a report cites the photo, so the report's readers may see it. Idempotent. */
  addReport(id: string, reportId: string): Promise<void>;
}

/** How the client sends the bytes: like an S3 presigned PUT, usable without a bearer token until it expires. */
export interface UploadTarget {
  /** Absolute (S3) or relative to the API origin (this server, locally). */
  url: string;
  method: 'PUT';
  /** Headers the client must send with the bytes (they are part of the S3 signature). */
  headers: Record<string, string>;
}

/** What storage holds for a photo id: its size and its first bytes (enough to sniff the type). */
export interface StoredBytes {
  size: number;
  head: Uint8Array;
}

/** How a permitted reader gets the bytes: served by us, or a short-lived link to redirect to. */
export type PhotoContent = { kind: 'bytes'; bytes: Uint8Array } | { kind: 'redirect'; url: string };

export interface PhotoStorage {
  uploadTarget(photo: Photo, now: Date, expiresAt: Date): Promise<UploadTarget>;
  /** What is stored under the id now; null when nothing is. */
  inspect(id: string): Promise<StoredBytes | null>;
  /** The bytes for a reader, served as `contentType` (the sniffed type, never the declared one). */
  read(id: string, contentType: PhotoType, now: Date): Promise<PhotoContent>;
  /**
   * Present only where the bytes come through this API (locally, where this server plays S3's
   * part). Absent on S3, which checks its own presigned signatures and takes the bytes itself.
   */
  direct?: DirectUploads;
}

export type UploadLinkCheck = 'valid' | 'invalid' | 'expired';

export interface DirectUploads {
  /** Checks an upload link's signature and expiry, as S3 checks a presigned URL. */
  checkLink(id: string, expires: string, signature: string, now: Date): UploadLinkCheck;
  /**
   * Stores the bytes under the id unless something is there already, atomically (never a half
   * file): 'stored' the first time, 'identical' when the same bytes are there (a retry),
   * 'conflict' when different bytes are.
   */
  storeOnce(id: string, bytes: Uint8Array): Promise<'stored' | 'identical' | 'conflict'>;
}
