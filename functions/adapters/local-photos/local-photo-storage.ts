/**
 * Photo bytes on one machine: files under DATA_DIR/photos/<id>, uploaded through this server's
 * signed `PUT /api/v1/photos/{id}/content` links and served back by `GET /api/v1/photos/{id}`.
 * This adapter plays S3's part: it issues and checks the links and stores each photo once.
 */
import { createHash, randomUUID } from 'node:crypto';
import { link, mkdir, open, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { PHOTO_ID, type Photo, SNIFF_BYTES } from '#core/photos.ts';
import type { DirectUploads, PhotoContent, PhotoStorage, StoredBytes, UploadLinkCheck, UploadTarget } from '#ports/photos.ts';
import { checkUploadLink, loadOrCreateUploadKey, signUploadLink } from './upload-signature.ts';

const TEMP_SUFFIX = '.part';

function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException).code === 'ENOENT';
}

export class LocalPhotoStorage implements PhotoStorage, DirectUploads {
  readonly direct: DirectUploads = this;

  private constructor(
    private readonly dir: string,
    private readonly key: Buffer,
  ) {}

  /** Opens the photo directory, creating it and the signing key on first start. */
  static async open(options: { dir: string; keyFile: string }): Promise<LocalPhotoStorage> {
    await mkdir(options.dir, { recursive: true });
    // A crash mid-upload leaves only a temporary file, never a photo; sweep those away.
    for (const name of await readdir(options.dir)) {
      if (name.endsWith(TEMP_SUFFIX)) await rm(join(options.dir, name), { force: true });
    }
    return new LocalPhotoStorage(options.dir, await loadOrCreateUploadKey(options.keyFile));
  }

  /** The file of a photo; the id is checked so no crafted id can reach outside the directory. */
  private file(id: string): string {
    if (!PHOTO_ID.test(id)) throw new Error(`not a photo id: ${id}`);
    return join(this.dir, id);
  }

  async uploadTarget(photo: Photo, _now: Date, expiresAt: Date): Promise<UploadTarget> {
    const expires = Math.floor(expiresAt.getTime() / 1000);
    const query = new URLSearchParams({ expires: String(expires), signature: signUploadLink(this.key, photo.id, expires) });
    return {
      url: `/api/v1/photos/${photo.id}/content?${query}`,
      method: 'PUT',
      headers: { 'content-type': photo.declaredType },
    };
  }

  checkLink(id: string, expires: string, signature: string, now: Date): UploadLinkCheck {
    return checkUploadLink(this.key, id, expires, signature, now);
  }

  /**
   * Writes a temporary file, flushes it, then hard-links it to the final name: link() fails when
   * the name exists, so the first complete upload wins atomically and a reader never sees half a
   * photo, even across a crash. Uploaded evidence is never replaced.
   */
  async storeOnce(id: string, bytes: Uint8Array): Promise<'stored' | 'identical' | 'conflict'> {
    const target = this.file(id);
    const temp = join(this.dir, `${id}.${randomUUID()}${TEMP_SUFFIX}`);
    try {
      const handle = await open(temp, 'wx', 0o600);
      try {
        await handle.writeFile(bytes);
        await handle.sync();
      } finally {
        await handle.close();
      }
      try {
        await link(temp, target);
        return 'stored';
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const existing = await readFile(target);
      return sha256(existing) === sha256(bytes) ? 'identical' : 'conflict';
    } finally {
      await rm(temp, { force: true });
    }
  }

  async inspect(id: string): Promise<StoredBytes | null> {
    let handle: Awaited<ReturnType<typeof open>>;
    try {
      handle = await open(this.file(id), 'r');
    } catch (error) {
      if (isMissing(error)) return null;
      throw error;
    }
    try {
      const { size } = await handle.stat();
      const head = Buffer.alloc(Math.min(SNIFF_BYTES, size));
      await handle.read(head, 0, head.length, 0);
      return { size, head };
    } finally {
      await handle.close();
    }
  }

  async read(id: string): Promise<PhotoContent> {
    return { kind: 'bytes', bytes: await readFile(this.file(id)) };
  }
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}
