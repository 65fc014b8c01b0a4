/** Photo upload, reading, and the checks a report's photos must pass before the report is stored. */
import { randomBytes } from 'node:crypto';
import type { DirectUploads, PhotoContent, PhotoStorage, PhotoStore, UploadTarget } from '#ports/photos.ts';
import { canRead } from '../access.ts';
import { ConflictError, DomainRefusalError, ForbiddenError, NotFoundError, ValidationError } from '../errors.ts';
import type { Actor } from '../people.ts';
import {
  type ContentProblem,
  contentProblem,
  MAX_PHOTOS_PER_REPORT,
  newPhoto,
  type Photo,
  PhotoContentError,
  type PhotoType,
  photoIdFromRef,
  photoPath,
  SNIFF_BYTES,
  sniffImageType,
  UPLOAD_WINDOW_SECONDS,
  uploaded,
} from '../photos.ts';
import type { Report } from '../report.ts';
import type { Deps } from './deps.ts';

/** The report use cases plus photo records and bytes (the workflow steps never need these). */
export interface PhotoDeps extends Deps {
  photos: PhotoStore;
  photoStorage: PhotoStorage;
}

export function newPhotoId(): string {
  return `P${randomBytes(10).toString('hex').toUpperCase()}`;
}

export interface PhotoUpload {
  photo: Photo;
  upload: UploadTarget;
  expiresAt: string;
}

/** Step 1: a pending photo record and a link the client sends the bytes to. */
export async function requestPhotoUpload(
  deps: PhotoDeps,
  actor: Actor,
  input: { contentType: PhotoType; size: number },
): Promise<PhotoUpload> {
  // Photos exist to be cited by reports, which only grid workers file.
  if (actor.role !== 'grid_worker') throw new ForbiddenError('PHOTO.WORKERS_ONLY', 'only grid workers upload report photos');
  const now = deps.clock.now();
  const photo = newPhoto({ id: newPhotoId(), ownerId: actor.id, declaredType: input.contentType, declaredSize: input.size }, now);
  const expiresAt = new Date(now.getTime() + UPLOAD_WINDOW_SECONDS * 1000);
  const upload = await deps.photoStorage.uploadTarget(photo, now, expiresAt);
  await deps.photos.create(photo);
  return { photo, upload, expiresAt: expiresAt.toISOString() };
}

/**
 * The permission to upload, from the link alone (no store read, no bytes): cheap enough to run on
 * every stranger's request before the body is read, and again on the bytes.
 */
export function checkPhotoUploadLink(deps: PhotoDeps, link: { id: string; expires: string; signature: string }): DirectUploads {
  const direct = deps.photoStorage.direct;
  if (!direct)
    throw new NotFoundError('PHOTO.DIRECT_UPLOAD_UNAVAILABLE', 'send the bytes to the uploadUrl that POST /api/v1/photos returned');
  const check = direct.checkLink(link.id, link.expires, link.signature, deps.clock.now());
  if (check === 'invalid') throw new ForbiddenError('PHOTO.UPLOAD_LINK_INVALID', 'this upload link was not issued by us or was altered');
  if (check === 'expired') throw new ForbiddenError('PHOTO.UPLOAD_LINK_EXPIRED', 'this upload link has expired; ask for a new one');
  return direct;
}

export interface PhotoContentInput {
  id: string;
  expires: string;
  signature: string;
  bytes: Uint8Array;
}

/**
 * Step 2 where the bytes come through this API (locally): the link is the permission, the bytes
 * must be an image, and only then are they stored and the record marked uploaded. A retry with
 * the same bytes answers the same; different bytes for an uploaded photo are refused.
 */
export async function receivePhotoContent(deps: PhotoDeps, input: PhotoContentInput): Promise<Photo> {
  const direct = checkPhotoUploadLink(deps, input);
  const now = deps.clock.now();
  const photo = await deps.photos.get(input.id);
  if (!photo) throw new NotFoundError('PHOTO.NOT_FOUND', `photo ${input.id} does not exist`);
  const problem = contentProblem(input.bytes.length, input.bytes.subarray(0, SNIFF_BYTES), photo.declaredSize);
  if (problem) throw new PhotoContentError(problem);
  if ((await direct.storeOnce(photo.id, input.bytes)) === 'conflict') {
    throw new ConflictError('PHOTO.ALREADY_UPLOADED', 'different bytes were already uploaded for this photo');
  }
  const next = uploaded(photo, { sniffedType: sniffImageType(input.bytes) as PhotoType, size: input.bytes.length }, now);
  await deps.photos.markUploaded(photo.id, {
    sniffedType: next.sniffedType as PhotoType,
    size: input.bytes.length,
    uploadedAt: next.uploadedAt as string,
  });
  return next;
}

type Checked =
  | { ok: true; photo: Photo; fresh: boolean }
  | { ok: false; problem: ContentProblem | { code: 'PHOTO.NOT_UPLOADED'; message: string } };

/**
 * A photo whose bytes are known good. Locally they were checked on upload; on S3 nothing checked
 * them, so storage is inspected now (size and first bytes) and `fresh` says the record should learn
 * the result.
 */
async function checkBytes(deps: PhotoDeps, photo: Photo, now: Date): Promise<Checked> {
  if (photo.status === 'uploaded') return { ok: true, photo, fresh: false };
  const stored = await deps.photoStorage.inspect(photo.id);
  if (!stored) return { ok: false, problem: { code: 'PHOTO.NOT_UPLOADED', message: `photo ${photo.id} has not been uploaded` } };
  const problem = contentProblem(stored.size, stored.head, photo.declaredSize);
  if (problem) return { ok: false, problem };
  return {
    ok: true,
    photo: uploaded(photo, { sniffedType: sniffImageType(stored.head) as PhotoType, size: stored.size }, now),
    fresh: true,
  };
}

async function remember(deps: PhotoDeps, checked: { photo: Photo; fresh: boolean }): Promise<void> {
  const { photo } = checked;
  if (!checked.fresh || !photo.sniffedType || photo.size === null || !photo.uploadedAt) return;
  await deps.photos.markUploaded(photo.id, { sniffedType: photo.sniffedType, size: photo.size, uploadedAt: photo.uploadedAt });
}

export interface ReportPhotos {
  /** What the report stores: each photo's API path, in the order given. */
  urls: string[];
  /** Links the photos to the report (so its readers may see them). Idempotent; call before storing the report. */
  attachTo(reportId: string): Promise<void>;
}

/**
 * The photos a new report cites, checked without writing anything: at most nine, each named once,
 * existing, uploaded by the reporter and holding an image. The first problem in list order wins.
 */
export async function checkReportPhotos(deps: PhotoDeps, actor: Actor, refs: readonly string[]): Promise<ReportPhotos> {
  if (refs.length > MAX_PHOTOS_PER_REPORT) {
    throw new ValidationError('PHOTO.TOO_MANY', `a report has at most ${MAX_PHOTOS_PER_REPORT} photos`);
  }
  const ids = refs.map((ref) => {
    const id = photoIdFromRef(ref);
    if (!id) throw new ValidationError('PHOTO.INVALID_REFERENCE', 'name a photo by its id or by the url its upload returned');
    return id;
  });
  if (new Set(ids).size !== ids.length) throw new ValidationError('PHOTO.DUPLICATE', 'a report cites each photo once');
  const now = deps.clock.now();
  const settled = await Promise.allSettled(
    ids.map(async (id) => {
      const photo = await deps.photos.get(id);
      if (!photo) throw new DomainRefusalError('PHOTO.UNKNOWN', `photo ${id} does not exist`, { photo: id });
      if (photo.ownerId !== actor.id) throw new ForbiddenError('PHOTO.NOT_YOURS', `photo ${id} was uploaded by someone else`);
      const checked = await checkBytes(deps, photo, now);
      if (!checked.ok) throw new DomainRefusalError(checked.problem.code, checked.problem.message, { photo: id });
      return checked;
    }),
  );
  const failed = settled.find((s) => s.status === 'rejected');
  if (failed) throw failed.reason;
  const checked = settled.map((s) => (s as PromiseFulfilledResult<{ photo: Photo; fresh: boolean }>).value);
  return {
    urls: ids.map(photoPath),
    attachTo: async (reportId) => {
      await Promise.all(
        checked.map(async (c) => {
          await remember(deps, c);
          await deps.photos.addReport(c.photo.id, reportId);
        }),
      );
    },
  };
}

/** The owner, and anyone who may read a report that cites the photo. */
async function mayView(deps: PhotoDeps, actor: Actor, photo: Photo): Promise<boolean> {
  if (photo.ownerId === actor.id) return true;
  const reports = await Promise.all(photo.reportIds.map((id) => deps.reports.get(id)));
  // A link is written before its report, so a report that never got stored grants nothing.
  const cites = (report: Report) => report.photos.some((ref) => photoIdFromRef(ref) === photo.id);
  return reports.some((r) => r !== null && cites(r) && canRead(actor, r));
}

export async function readPhoto(deps: PhotoDeps, actor: Actor, id: string): Promise<{ photo: Photo; content: PhotoContent }> {
  const photo = await deps.photos.get(id);
  if (!photo) throw new NotFoundError('PHOTO.NOT_FOUND', `photo ${id} does not exist`);
  if (!(await mayView(deps, actor, photo))) throw new ForbiddenError('PHOTO.OUT_OF_SCOPE', 'this photo is outside your scope');
  const checked = await checkBytes(deps, photo, deps.clock.now());
  if (!checked.ok) {
    if (checked.problem.code === 'PHOTO.NOT_UPLOADED') throw new NotFoundError(checked.problem.code, checked.problem.message);
    // Bytes that are not an image are never served, whoever asks.
    throw new DomainRefusalError(checked.problem.code, checked.problem.message);
  }
  await remember(deps, checked);
  const content = await deps.photoStorage.read(photo.id, checked.photo.sniffedType as PhotoType, deps.clock.now());
  return { photo: checked.photo, content };
}
