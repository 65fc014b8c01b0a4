/**
 * The photo use cases against in-memory ports, with storage that behaves like S3 (no direct
 * uploads: bytes are inspected when a report cites them) or like the local server (direct).
 */
import { describe, expect, it } from 'vitest';
import type { GridWhistleError } from '#core/errors.ts';
import { newPhoto, type Photo, type PhotoType, photoPath } from '#core/photos.ts';
import type { Report } from '#core/report.ts';
import { checkReportPhotos, type PhotoDeps, readPhoto, receivePhotoContent, requestPhotoUpload } from '#core/use-cases/photos.ts';
import type { DirectUploads, PhotoStorage, PhotoStore, StoredBytes } from '#ports/photos.ts';
import { NOW, otherVillageAdmin, siblingWorker, submittedReport, villageAdmin, worker } from './fixtures.ts';

const JPEG = Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46, 0, 1]);
const PHP = Uint8Array.from(Buffer.from('<?php echo 1; ?>'));

class MemoryPhotoStore implements PhotoStore {
  readonly items = new Map<string, Photo>();
  writes: string[] = [];
  async create(photo: Photo) {
    this.writes.push(`create ${photo.id}`);
    this.items.set(photo.id, structuredClone(photo));
  }
  async get(id: string) {
    const photo = this.items.get(id);
    return photo ? structuredClone(photo) : null;
  }
  async markUploaded(id: string, content: { sniffedType: PhotoType; size: number; uploadedAt: string }) {
    this.writes.push(`markUploaded ${id}`);
    const photo = this.items.get(id);
    if (photo) Object.assign(photo, content, { status: 'uploaded', uploadedAt: photo.uploadedAt ?? content.uploadedAt });
  }
  async addReport(id: string, reportId: string) {
    this.writes.push(`addReport ${id} ${reportId}`);
    const photo = this.items.get(id);
    if (photo && !photo.reportIds.includes(reportId)) photo.reportIds.push(reportId);
  }
}

/** S3-like by default; pass `direct` for the local server's behaviour. */
function fakeStorage(objects: Map<string, Uint8Array>, direct?: DirectUploads): PhotoStorage {
  return {
    uploadTarget: async (photo) => ({
      url: `https://bucket.example/${photo.id}`,
      method: 'PUT',
      headers: { 'content-type': photo.declaredType },
    }),
    inspect: async (id): Promise<StoredBytes | null> => {
      const bytes = objects.get(id);
      return bytes ? { size: bytes.length, head: bytes.subarray(0, 16) } : null;
    },
    read: async (id) => ({ kind: 'redirect', url: `https://bucket.example/${id}?signed` }),
    direct,
  };
}

function setup(options: { reports?: Report[]; direct?: DirectUploads } = {}) {
  const photos = new MemoryPhotoStore();
  const objects = new Map<string, Uint8Array>();
  const reports = new Map((options.reports ?? []).map((r) => [r.id, r]));
  const deps = {
    photos,
    photoStorage: fakeStorage(objects, options.direct),
    reports: { get: async (id: string) => reports.get(id) ?? null },
    clock: { now: () => NOW },
  } as unknown as PhotoDeps;
  let n = 0;
  const add = (fields: Partial<Photo> & { bytes?: Uint8Array } = {}): Photo => {
    n++;
    const { bytes, ...rest } = fields;
    const id = `P${String(n).padStart(20, '0')}`;
    const photo = {
      ...newPhoto({ id, ownerId: worker.id, declaredType: 'image/jpeg', declaredSize: bytes?.length ?? JPEG.length }, NOW),
      ...rest,
    };
    photos.items.set(id, photo);
    if (bytes) objects.set(id, bytes);
    return photo;
  };
  return { deps, photos, objects, reports, add };
}

async function refusal(promise: Promise<unknown>): Promise<{ kind: string; code: string }> {
  try {
    await promise;
  } catch (error) {
    const e = error as GridWhistleError;
    return { kind: e.kind, code: e.code };
  }
  throw new Error('expected a refusal');
}

describe('checkReportPhotos on S3-like storage (bytes inspected when cited)', () => {
  it('accepts the reporter’s uploaded image and writes nothing until attached', async () => {
    // Prepare
    const { deps, photos, add } = setup();
    const photo = add({ bytes: JPEG });

    // Act
    const checked = await checkReportPhotos(deps, worker, [photoPath(photo.id)]);
    const writesBeforeAttach = [...photos.writes];
    await checked.attachTo('R0000000000000AA');

    // Assess
    expect(checked.urls).toEqual([photoPath(photo.id)]);
    expect(writesBeforeAttach).toEqual([]);
    expect(photos.items.get(photo.id)).toMatchObject({
      status: 'uploaded',
      sniffedType: 'image/jpeg',
      size: JPEG.length,
      reportIds: ['R0000000000000AA'],
    });
  });

  it.each([
    ['nothing was uploaded', {}, 'refused', 'PHOTO.NOT_UPLOADED'],
    ['a PHP script was uploaded as image/jpeg', { bytes: PHP }, 'refused', 'PHOTO.UNSUPPORTED_TYPE'],
    ['an empty object was uploaded', { bytes: new Uint8Array() }, 'refused', 'PHOTO.EMPTY'],
    ['someone else uploaded it', { bytes: JPEG, ownerId: siblingWorker.id }, 'forbidden', 'PHOTO.NOT_YOURS'],
  ])('refuses a photo when %s, writing nothing', async (_name, fields, kind, code) => {
    // Prepare
    const { deps, photos, add } = setup();
    const good = add({ bytes: JPEG });
    const bad = add(fields);

    // Act
    const error = await refusal(checkReportPhotos(deps, worker, [good.id, bad.id]));

    // Assess
    expect(error).toEqual({ kind, code });
    expect(photos.writes).toEqual([]);
  });

  it('refuses an unknown photo (422)', async () => {
    // Prepare
    const { deps } = setup();

    // Act + Assess
    expect(await refusal(checkReportPhotos(deps, worker, ['P99999999999999999999']))).toEqual({ kind: 'refused', code: 'PHOTO.UNKNOWN' });
  });

  it('reports the first problem in list order', async () => {
    // Prepare
    const { deps, add } = setup();
    const foreign = add({ bytes: JPEG, ownerId: siblingWorker.id });
    const missing = add();

    // Act + Assess
    expect((await refusal(checkReportPhotos(deps, worker, [missing.id, foreign.id]))).code).toBe('PHOTO.NOT_UPLOADED');
    expect((await refusal(checkReportPhotos(deps, worker, [foreign.id, missing.id]))).code).toBe('PHOTO.NOT_YOURS');
  });

  it('refuses the same photo twice, even written two ways (400)', async () => {
    // Prepare
    const { deps, add } = setup();
    const photo = add({ bytes: JPEG });

    // Act + Assess
    expect(await refusal(checkReportPhotos(deps, worker, [photo.id, photoPath(photo.id)]))).toEqual({
      kind: 'validation',
      code: 'PHOTO.DUPLICATE',
    });
  });

  it('refuses a tenth photo (400), whoever calls', async () => {
    // Prepare
    const { deps, add } = setup();
    const ten = Array.from({ length: 10 }, () => add({ bytes: JPEG }).id);

    // Act + Assess
    expect(await refusal(checkReportPhotos(deps, worker, ten))).toEqual({ kind: 'validation', code: 'PHOTO.TOO_MANY' });
    expect((await checkReportPhotos(deps, worker, ten.slice(0, 9))).urls).toHaveLength(9);
  });

  it('trusts a record already marked uploaded without inspecting again', async () => {
    // Prepare
    const { deps, photos, add } = setup();
    const photo = add({ status: 'uploaded', sniffedType: 'image/png', size: 10, uploadedAt: NOW.toISOString() });

    // Act
    await (await checkReportPhotos(deps, worker, [photo.id])).attachTo('R0000000000000AB');

    // Assess
    expect(photos.writes).toEqual([`addReport ${photo.id} R0000000000000AB`]);
  });
});

describe('readPhoto', () => {
  const report = { ...submittedReport(), id: 'R0000000000000AC' };

  it('lets the owner read an uploaded photo, served as the sniffed type', async () => {
    // Prepare
    const { deps, add } = setup();
    const photo = add({ bytes: JPEG, declaredType: 'image/png' });

    // Act
    const { photo: read, content } = await readPhoto(deps, worker, photo.id);

    // Assess
    expect(read.sniffedType).toBe('image/jpeg');
    expect(content).toEqual({ kind: 'redirect', url: `https://bucket.example/${photo.id}?signed` });
  });

  it('lets a reader of a citing report read it, and nobody else', async () => {
    // Prepare
    const { deps, reports, add } = setup();
    const photo = add({ bytes: JPEG, reportIds: [report.id] });
    reports.set(report.id, { ...report, photos: [photoPath(photo.id)] });

    // Act + Assess
    expect((await readPhoto(deps, villageAdmin, photo.id)).photo.id).toBe(photo.id);
    expect(await refusal(readPhoto(deps, otherVillageAdmin, photo.id))).toEqual({ kind: 'forbidden', code: 'PHOTO.OUT_OF_SCOPE' });
    expect(await refusal(readPhoto(deps, siblingWorker, photo.id))).toEqual({ kind: 'forbidden', code: 'PHOTO.OUT_OF_SCOPE' });
  });

  it('grants nothing through a linked report that was never stored or does not cite the photo', async () => {
    // Prepare
    const { deps, add } = setup({ reports: [{ ...report, photos: [] }] });
    const photo = add({ bytes: JPEG, reportIds: [report.id, 'R0000000000000FF'] });

    // Act + Assess
    expect(await refusal(readPhoto(deps, villageAdmin, photo.id))).toEqual({ kind: 'forbidden', code: 'PHOTO.OUT_OF_SCOPE' });
  });

  it('answers 404 for an unknown photo and for one with no bytes yet, and never serves a non-image', async () => {
    // Prepare
    const { deps, add } = setup();
    const pending = add();
    const php = add({ bytes: PHP });

    // Act + Assess
    expect(await refusal(readPhoto(deps, worker, 'P99999999999999999999'))).toEqual({ kind: 'not_found', code: 'PHOTO.NOT_FOUND' });
    expect(await refusal(readPhoto(deps, worker, pending.id))).toEqual({ kind: 'not_found', code: 'PHOTO.NOT_UPLOADED' });
    expect(await refusal(readPhoto(deps, worker, php.id))).toEqual({ kind: 'refused', code: 'PHOTO.UNSUPPORTED_TYPE' });
  });
});

describe('requestPhotoUpload and receivePhotoContent', () => {
  it('hands out a 15-minute slot to grid workers only', async () => {
    // Prepare
    const { deps, photos } = setup();

    // Act
    const upload = await requestPhotoUpload(deps, worker, { contentType: 'image/webp', size: 100 });

    // Assess
    expect(upload.expiresAt).toBe(new Date(NOW.getTime() + 15 * 60 * 1000).toISOString());
    expect(photos.items.get(upload.photo.id)).toMatchObject({ ownerId: worker.id, status: 'pending', declaredType: 'image/webp' });
    expect(await refusal(requestPhotoUpload(deps, villageAdmin, { contentType: 'image/png', size: 1 }))).toEqual({
      kind: 'forbidden',
      code: 'PHOTO.WORKERS_ONLY',
    });
    expect(await refusal(requestPhotoUpload(deps, worker, { contentType: 'image/png', size: 10 * 1024 * 1024 + 1 }))).toEqual({
      kind: 'too_large',
      code: 'PHOTO.TOO_LARGE',
    });
  });

  it('answers 404 where storage takes the bytes itself (S3)', async () => {
    // Prepare
    const { deps, add } = setup();
    const photo = add();

    // Act + Assess
    expect((await refusal(receivePhotoContent(deps, { id: photo.id, expires: '1', signature: 'x', bytes: JPEG }))).kind).toBe('not_found');
  });

  it('checks the link before anything else, then the bytes, and stores only images', async () => {
    // Prepare
    const stored: string[] = [];
    const direct: DirectUploads = {
      checkLink: (_id, _expires, signature) => (signature === 'good' ? 'valid' : signature === 'old' ? 'expired' : 'invalid'),
      storeOnce: async (id) => {
        stored.push(id);
        return 'stored';
      },
    };
    const { deps, photos, add } = setup({ direct });
    const photo = add({ declaredSize: JPEG.length });
    const send = (signature: string, bytes: Uint8Array) => receivePhotoContent(deps, { id: photo.id, expires: '1', signature, bytes });

    // Act + Assess
    expect(await refusal(send('forged', JPEG))).toEqual({ kind: 'forbidden', code: 'PHOTO.UPLOAD_LINK_INVALID' });
    expect(await refusal(send('old', JPEG))).toEqual({ kind: 'forbidden', code: 'PHOTO.UPLOAD_LINK_EXPIRED' });
    expect(await refusal(send('good', new Uint8Array()))).toEqual({ kind: 'validation', code: 'PHOTO.EMPTY' });
    expect(await refusal(send('good', Uint8Array.from([...JPEG, 0])))).toEqual({ kind: 'validation', code: 'PHOTO.SIZE_MISMATCH' });
    expect(stored).toEqual([]);
    expect(photos.writes).toEqual([]);
    expect(await send('good', JPEG)).toMatchObject({ status: 'uploaded', sniffedType: 'image/jpeg', size: JPEG.length });
    expect(stored).toEqual([photo.id]);
  });

  it('refuses different bytes for a photo already uploaded (409)', async () => {
    // Prepare
    const direct: DirectUploads = { checkLink: () => 'valid', storeOnce: async () => 'conflict' };
    const { deps, photos, add } = setup({ direct });
    const photo = add();

    // Act + Assess
    expect(await refusal(receivePhotoContent(deps, { id: photo.id, expires: '1', signature: 's', bytes: JPEG }))).toEqual({
      kind: 'conflict',
      code: 'PHOTO.ALREADY_UPLOADED',
    });
    expect(photos.writes).toEqual([]);
  });
});
