/**
 * Photos attached to reports. A photo is uploaded before the report that cites it: the client asks
 * for an upload slot, sends the bytes straight to storage (S3 on AWS, this server locally), then
 * names the photo in the report. What the bytes are is decided by their first bytes, never by the
 * file name or the type the client declared: a PHP script called photo.jpg stays a PHP script.
 */
import { GridWhistleError } from './errors.ts';

export const PHOTO_TYPES = ['image/jpeg', 'image/png', 'image/webp'] as const;
export type PhotoType = (typeof PHOTO_TYPES)[number];

export const MAX_PHOTO_BYTES = 10 * 1024 * 1024;
export const MAX_PHOTOS_PER_REPORT = 9;
/** How long an upload link stays valid, like the expiry of an S3 presigned URL. */
export const UPLOAD_WINDOW_SECONDS = 15 * 60;
/** How many leading bytes sniffing needs (WebP is the longest signature: 12). */
export const SNIFF_BYTES = 16;

export const PHOTO_ID = /^P[0-9A-F]{20}$/;
const PHOTO_PATH = /^\/api\/v1\/photos\/(P[0-9A-F]{20})$/;

export type PhotoStatus = 'pending' | 'uploaded';

export interface Photo {
  id: string;
  /** The grid worker who asked for the upload: only their reports may cite it. */
  ownerId: string;
  status: PhotoStatus;
  /** What the client said it would send; informational, never trusted. */
  declaredType: PhotoType;
  /** The exact byte count the client promised; the upload must match it (S3 signs it). */
  declaredSize: number;
  /** What the bytes are, by their signature; null until the bytes are checked. */
  sniffedType: PhotoType | null;
  size: number | null;
  createdAt: string;
  uploadedAt: string | null;
  /** Reports that cite the photo: their readers may see it too. */
  reportIds: string[];
}

/** The API path of a photo: what upload returns as `url` and what a report stores. */
export function photoPath(id: string): string {
  return `/api/v1/photos/${id}`;
}

/**
 * The photo id a report's `photos` entry names: a bare id, the relative path `/api/v1/photos/{id}`
 * or an absolute http(s) URL with that path (any host: clients may resolve the path against the
 * API origin they use, and the id is what is checked). Anything else, javascript: and data: URLs
 * included, names no photo.
 */
export function photoIdFromRef(ref: string): string | null {
  if (PHOTO_ID.test(ref)) return ref;
  if (ref.startsWith('/')) return PHOTO_PATH.exec(ref)?.[1] ?? null;
  let url: URL;
  try {
    url = new URL(ref);
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
  if (url.search || url.hash || url.username || url.password) return null;
  return PHOTO_PATH.exec(url.pathname)?.[1] ?? null;
}

function startsWith(bytes: Uint8Array, signature: readonly number[], offset = 0): boolean {
  return bytes.length >= offset + signature.length && signature.every((b, i) => bytes[offset + i] === b);
}

const JPEG = [0xff, 0xd8, 0xff];
const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const RIFF = [0x52, 0x49, 0x46, 0x46];
const WEBP = [0x57, 0x45, 0x42, 0x50];

/** The image type the leading bytes announce, or null for anything that is not JPEG, PNG or WebP. */
export function sniffImageType(head: Uint8Array): PhotoType | null {
  if (startsWith(head, JPEG)) return 'image/jpeg';
  if (startsWith(head, PNG)) return 'image/png';
  // RIFF <4-byte little-endian length> WEBP: the length varies, so only bytes 0–3 and 8–11 are fixed.
  if (startsWith(head, RIFF) && startsWith(head, WEBP, 8)) return 'image/webp';
  return null;
}

export interface ContentProblem {
  code: 'PHOTO.EMPTY' | 'PHOTO.TOO_LARGE' | 'PHOTO.UNSUPPORTED_TYPE' | 'PHOTO.SIZE_MISMATCH';
  message: string;
}

/**
 * What is wrong with stored or received bytes, given their size and first bytes; null when they
 * are a JPEG, PNG or WebP within the limit and of the promised size. Callers choose the error kind:
 * the upload itself answers 400/413/415, a report citing such a photo answers 422.
 */
export function contentProblem(size: number, head: Uint8Array, declaredSize: number): ContentProblem | null {
  if (size === 0) return { code: 'PHOTO.EMPTY', message: 'the photo is empty' };
  if (size > MAX_PHOTO_BYTES) return { code: 'PHOTO.TOO_LARGE', message: `a photo is at most ${MAX_PHOTO_BYTES} bytes` };
  if (sniffImageType(head) === null) {
    return { code: 'PHOTO.UNSUPPORTED_TYPE', message: 'only JPEG, PNG and WebP images are accepted (checked by content)' };
  }
  if (size !== declaredSize) {
    return { code: 'PHOTO.SIZE_MISMATCH', message: `the photo was announced as ${declaredSize} bytes but is ${size}` };
  }
  return null;
}

const KIND_OF_PROBLEM = {
  'PHOTO.EMPTY': 'validation',
  'PHOTO.SIZE_MISMATCH': 'validation',
  'PHOTO.TOO_LARGE': 'too_large',
  'PHOTO.UNSUPPORTED_TYPE': 'unsupported_media_type',
} as const;

/** The error for bad bytes sent to an upload link: 400 empty or wrong size, 413 too large, 415 not an image. */
export class PhotoContentError extends GridWhistleError {
  override name = 'PhotoContentError';

  constructor(problem: ContentProblem) {
    super(KIND_OF_PROBLEM[problem.code], problem.code, problem.message);
  }
}

/** The error for an upload announced above the limit: refused before any slot is handed out. */
export class PhotoTooLargeError extends GridWhistleError {
  override name = 'PhotoTooLargeError';

  constructor() {
    super('too_large', 'PHOTO.TOO_LARGE', `a photo is at most ${MAX_PHOTO_BYTES} bytes`);
  }
}

export function newPhoto(input: { id: string; ownerId: string; declaredType: PhotoType; declaredSize: number }, now: Date): Photo {
  if (input.declaredSize > MAX_PHOTO_BYTES) throw new PhotoTooLargeError();
  return {
    ...input,
    status: 'pending',
    sniffedType: null,
    size: null,
    createdAt: now.toISOString(),
    uploadedAt: null,
    reportIds: [],
  };
}

/** The photo once its bytes are known good; keeps the first upload time on a repeated check. */
export function uploaded(photo: Photo, content: { sniffedType: PhotoType; size: number }, now: Date): Photo {
  return { ...photo, ...content, status: 'uploaded', uploadedAt: photo.uploadedAt ?? now.toISOString() };
}
