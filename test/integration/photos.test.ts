/**
 * Photos on the real local engines: upload links, content sniffing, the size limits, signed links,
 * who may read a photo, and what a report may cite. Every refused upload or report stores nothing.
 */
import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadOrCreateUploadKey, signUploadLink } from '#adapters/local-photos/upload-signature.ts';
import { MAX_PHOTO_BYTES } from '#core/photos.ts';
import { reportIdFor } from '#core/use-cases/reports.ts';
import { newKey, reportBody, startTestRuntime, type TestRuntime } from '../support/local-runtime.ts';

let rt: TestRuntime;

beforeAll(async () => {
  rt = await startTestRuntime();
});
afterAll(async () => rt?.stop());

// ---- tiny valid images, built here ----

function pngChunk(type: string, data: Buffer): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** A 1×1 red RGB PNG: signature, IHDR, IDAT (one filter byte + one pixel, deflated), IEND. */
function tinyPng(): Buffer {
  const ihdr = Buffer.from([0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0]);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr),
    pngChunk('IDAT', deflateSync(Buffer.from([0, 255, 0, 0]))),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A 1×1 lossless WebP: RIFF <size> WEBP, then one VP8L chunk of 13 bytes (+1 padding). */
function tinyWebp(): Buffer {
  const vp8l = Buffer.from([0x2f, 0x00, 0x00, 0x00, 0x10, 0x07, 0x10, 0x11, 0x11, 0x88, 0x88, 0xfe, 0x07, 0x00]);
  const chunk = Buffer.concat([Buffer.from('VP8L', 'latin1'), Buffer.from([13, 0, 0, 0]), vp8l]);
  const size = Buffer.alloc(4);
  size.writeUInt32LE(4 + chunk.length);
  return Buffer.concat([Buffer.from('RIFF', 'latin1'), size, Buffer.from('WEBP', 'latin1'), chunk]);
}

/** A 1×1 JPEG (107 bytes): SOI, DQT, SOF9, DAC, SOS, one scan, EOI. */
const TINY_JPEG = Buffer.from(
  '/9j/2wBDAAMCAgICAgMCAgIDAwMDBAYEBAQEBAgGBgUGCQgKCgkICQkKDA8MCgsOCwkJDRENDg8QEBEQCgwSExIQEw8QEBD/yQALCAABAAEBAREA/8wABgAQEAX/2gAIAQEAAD8A0s8g/9k=',
  'base64',
);
const PHP = Buffer.from('<?php echo 1; ?>');

// ---- helpers ----

interface Slot {
  id: string;
  uploadUrl: string;
  uploadMethod: string;
  uploadHeaders: Record<string, string>;
  url: string;
  expiresAt: string;
}

async function requestSlot(username: string, contentType: string, size: number): Promise<Slot> {
  const res = await rt.http('POST', '/api/v1/photos', { token: await rt.login(username), body: { contentType, size } });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

/** Sends bytes the way a client does: to the upload link, with its headers, no bearer token. */
function put(slot: Slot, bytes: Buffer, headers: Record<string, string> = slot.uploadHeaders) {
  return rt.http(slot.uploadMethod, slot.uploadUrl, { rawBody: bytes, headers });
}

async function uploadPhoto(bytes: Buffer, contentType = 'image/jpeg', username = 'worker1'): Promise<Slot> {
  const slot = await requestSlot(username, contentType, bytes.length);
  const res = await put(slot, bytes);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return slot;
}

async function getPhoto(id: string, username: string) {
  const res = await fetch(`${rt.url}/api/v1/photos/${id}`, { headers: { authorization: `Bearer ${await rt.login(username)}` } });
  return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
}

function photoRecord(id: string) {
  return rt.runtime.container.deps.photos.get(id);
}

const photoFile = (id: string) => join(rt.dataDir, 'photos', id);

async function leftoverTempFiles(): Promise<string[]> {
  return (await readdir(join(rt.dataDir, 'photos'))).filter((name) => name.endsWith('.part'));
}

async function fileReport(photos: string[], key = newKey('photo-report'), username = 'worker1') {
  return rt.http('POST', '/api/v1/reports', {
    token: await rt.login(username),
    headers: { 'idempotency-key': key },
    body: reportBody({ photos }),
  });
}

/** Nothing was stored for a refused report: no report item, and the key is still free for a good body. */
async function expectNoReport(key: string) {
  expect(await rt.runtime.container.deps.reports.get(reportIdFor('p-worker-1', key))).toBeNull();
  const retry = await fileReport([], key);
  expect(retry.status, 'the key was never claimed').toBe(201);
}

// ---- tests ----

describe('uploading JPEG, PNG and WebP photos', () => {
  it.each([
    ['JPEG', 'image/jpeg', TINY_JPEG],
    ['PNG', 'image/png', tinyPng()],
    ['WebP', 'image/webp', tinyWebp()],
  ])('stores a %s and serves the same bytes back to its owner', async (_name, type, bytes) => {
    // Prepare / Act
    const slot = await requestSlot('worker1', type, bytes.length);
    const put1 = await put(slot, bytes);
    const read = await getPhoto(slot.id, 'worker1');

    // Assess
    expect(slot.id).toMatch(/^P[0-9A-F]{20}$/);
    expect(slot.uploadMethod).toBe('PUT');
    expect(slot.uploadUrl).toMatch(new RegExp(`^/api/v1/photos/${slot.id}/content\\?expires=\\d+&signature=[\\w-]{43}$`));
    expect(slot.uploadHeaders).toEqual({ 'content-type': type });
    expect(slot.url).toBe(`/api/v1/photos/${slot.id}`);
    expect(Date.parse(slot.expiresAt) - rt.clock.now().getTime()).toBe(15 * 60 * 1000);
    expect(put1.status).toBe(200);
    expect(put1.body).toMatchObject({ id: slot.id, url: slot.url, status: 'uploaded', contentType: type, size: bytes.length });
    expect(read.status).toBe(200);
    expect(read.headers.get('content-type')).toBe(type);
    expect(read.headers.get('x-content-type-options')).toBe('nosniff');
    expect(read.bytes.equals(bytes)).toBe(true);
    expect(existsSync(photoFile(slot.id))).toBe(true);
    expect(await photoRecord(slot.id)).toMatchObject({ status: 'uploaded', ownerId: 'p-worker-1', sniffedType: type, size: bytes.length });
  });

  it('trusts the bytes, not the declared type: a PNG declared as JPEG is stored and served as PNG', async () => {
    // Prepare / Act
    const slot = await uploadPhoto(tinyPng(), 'image/jpeg');
    const read = await getPhoto(slot.id, 'worker1');

    // Assess
    expect(read.headers.get('content-type')).toBe('image/png');
    expect(await photoRecord(slot.id)).toMatchObject({ declaredType: 'image/jpeg', sniffedType: 'image/png' });
  });

  it('answers a retried upload of the same bytes the same, and refuses different bytes (409)', async () => {
    // Prepare
    const slot = await uploadPhoto(TINY_JPEG);
    const other = Buffer.from(TINY_JPEG);
    other.writeUInt8(other.readUInt8(other.length - 3) ^ 0xff, other.length - 3);

    // Act
    const again = await put(slot, TINY_JPEG);
    const different = await put(slot, other);
    const read = await getPhoto(slot.id, 'worker1');

    // Assess
    expect(again.status).toBe(200);
    expect(again.body.status).toBe('uploaded');
    expect(different.status).toBe(409);
    expect(different.body.error.code).toBe('PHOTO.ALREADY_UPLOADED');
    expect(read.bytes.equals(TINY_JPEG)).toBe(true);
  });

  it('lets only grid workers ask for an upload, and only signed in', async () => {
    // Act
    const admin = await rt.http('POST', '/api/v1/photos', {
      token: await rt.login('village1'),
      body: { contentType: 'image/png', size: 10 },
    });
    const anonymous = await rt.http('POST', '/api/v1/photos', { body: { contentType: 'image/png', size: 10 } });

    // Assess
    expect(admin.status).toBe(403);
    expect(admin.body.error.code).toBe('PHOTO.WORKERS_ONLY');
    expect(anonymous.status).toBe(401);
  });

  it('refuses to announce a type other than JPEG, PNG or WebP (400)', async () => {
    // Act
    const res = await rt.http('POST', '/api/v1/photos', {
      token: await rt.login('worker1'),
      body: { contentType: 'image/svg+xml', size: 10 },
    });

    // Assess
    expect(res.status).toBe(400);
  });
});

describe('bad uploads store nothing', () => {
  it('refuses a PHP file renamed .jpg (declared image/jpeg) with 415, and a report citing it with 422', async () => {
    // Prepare
    const slot = await requestSlot('worker1', 'image/jpeg', PHP.length);
    const key = newKey('php');

    // Act
    const res = await put(slot, PHP, { 'content-type': 'image/jpeg', 'content-disposition': 'attachment; filename="photo.jpg"' });
    const report = await fileReport([slot.url], key);

    // Assess
    expect(res.status).toBe(415);
    expect(res.body.error.code).toBe('PHOTO.UNSUPPORTED_TYPE');
    expect(existsSync(photoFile(slot.id))).toBe(false);
    expect(await leftoverTempFiles()).toEqual([]);
    expect(await photoRecord(slot.id)).toMatchObject({ status: 'pending', sniffedType: null, size: null });
    expect(report.status).toBe(422);
    expect(report.body.error.code).toBe('PHOTO.NOT_UPLOADED');
    await expectNoReport(key);
  });

  it('refuses 11 MB with 413 before the handler runs, at the upload and at the announcement', async () => {
    // Prepare
    const eleven = Buffer.alloc(11 * 1024 * 1024, 0);
    TINY_JPEG.copy(eleven);
    const slot = await requestSlot('worker1', 'image/jpeg', MAX_PHOTO_BYTES);

    // Act
    const upload = await put(slot, eleven);
    const announced = await rt.http('POST', '/api/v1/photos', {
      token: await rt.login('worker1'),
      body: { contentType: 'image/jpeg', size: eleven.length },
    });

    // Assess
    expect(upload.status).toBe(413);
    expect(announced.status).toBe(413);
    expect(announced.body.error.code).toBe('PHOTO.TOO_LARGE');
    expect(existsSync(photoFile(slot.id))).toBe(false);
    expect((await photoRecord(slot.id))?.status).toBe('pending');
  });

  it('accepts exactly 10 MB', async () => {
    // Prepare
    const ten = Buffer.alloc(MAX_PHOTO_BYTES, 0);
    TINY_JPEG.copy(ten);

    // Act
    const slot = await uploadPhoto(ten);

    // Assess
    expect((await photoRecord(slot.id))?.size).toBe(MAX_PHOTO_BYTES);
  });

  it('refuses an empty body (400) and a body of another size than announced (400)', async () => {
    // Prepare
    const slot = await requestSlot('worker1', 'image/jpeg', TINY_JPEG.length + 1);

    // Act
    const empty = await put(slot, Buffer.alloc(0));
    const shorter = await put(slot, TINY_JPEG);

    // Assess
    expect(empty.status).toBe(400);
    expect(empty.body.error.code).toBe('PHOTO.EMPTY');
    expect(shorter.status).toBe(400);
    expect(shorter.body.error.code).toBe('PHOTO.SIZE_MISMATCH');
    expect(existsSync(photoFile(slot.id))).toBe(false);
  });

  it('refuses forged, altered, missing and expired upload links with 403', async () => {
    // Prepare
    const slot = await requestSlot('worker1', 'image/jpeg', TINY_JPEG.length);
    const link = new URL(slot.uploadUrl, rt.url);
    const expires = Number(link.searchParams.get('expires'));
    const signature = link.searchParams.get('signature') ?? '';
    const key = await loadOrCreateUploadKey(join(rt.dataDir, 'keys', 'photo-upload.key'));
    const past = Math.floor(rt.clock.now().getTime() / 1000) - 60;
    const other = await requestSlot('worker1', 'image/jpeg', TINY_JPEG.length);
    const linkTo = (id: string, query: string) => ({ ...slot, uploadUrl: `/api/v1/photos/${id}/content${query}` });
    const forged = `${signature[0] === 'A' ? 'B' : 'A'}${signature.slice(1)}`;

    // Act
    const results = {
      forged: await put(linkTo(slot.id, `?expires=${expires}&signature=${forged}`), TINY_JPEG),
      extended: await put(linkTo(slot.id, `?expires=${expires + 86_400}&signature=${signature}`), TINY_JPEG),
      otherPhoto: await put(linkTo(other.id, `?expires=${expires}&signature=${signature}`), TINY_JPEG),
      missing: await put(linkTo(slot.id, ''), TINY_JPEG),
      expired: await put(linkTo(slot.id, `?expires=${past}&signature=${signUploadLink(key, slot.id, past)}`), TINY_JPEG),
    };

    // Assess
    for (const [name, res] of Object.entries(results)) expect(res.status, name).toBe(403);
    expect(results.forged.body.error.code).toBe('PHOTO.UPLOAD_LINK_INVALID');
    expect(results.extended.body.error.code).toBe('PHOTO.UPLOAD_LINK_INVALID');
    expect(results.expired.body.error.code).toBe('PHOTO.UPLOAD_LINK_EXPIRED');
    expect(existsSync(photoFile(slot.id))).toBe(false);
    expect(existsSync(photoFile(other.id))).toBe(false);
    expect((await photoRecord(slot.id))?.status).toBe('pending');
  });
});

describe('reports citing photos', () => {
  it('stores up to nine of the reporter’s photos, cited by url, absolute url or id, as their API paths', async () => {
    // Prepare
    const slots = await Promise.all(
      Array.from({ length: 9 }, (_, i) => uploadPhoto(i % 2 ? tinyPng() : TINY_JPEG, i % 2 ? 'image/png' : 'image/jpeg')),
    );
    const refs = slots.map((s, i) => (i % 3 === 0 ? s.url : i % 3 === 1 ? `${rt.url}${s.url}` : s.id));

    // Act
    const res = await fileReport(refs);

    // Assess
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.photos).toEqual(slots.map((s) => s.url));
    expect((await photoRecord(slots[0]?.id ?? ''))?.reportIds).toEqual([res.body.id]);
  });

  it('refuses a tenth photo with 400 and stores no report', async () => {
    // Prepare
    const slots = await Promise.all(Array.from({ length: 10 }, () => uploadPhoto(TINY_JPEG)));
    const key = newKey('ten');

    // Act
    const res = await fileReport(
      slots.map((s) => s.url),
      key,
    );

    // Assess
    expect(res.status).toBe(400);
    expect(res.body.error.details.map((d: { path: string }) => d.path)).toContain('photos');
    expect(await photoRecord(slots[0]?.id ?? '')).toMatchObject({ reportIds: [] });
    await expectNoReport(key);
  });

  it('refuses another worker’s photo (403) and stores no report', async () => {
    // Prepare
    const theirs = await uploadPhoto(TINY_JPEG, 'image/jpeg', 'worker2');
    const mine = await uploadPhoto(tinyPng(), 'image/png');
    const key = newKey('foreign');

    // Act
    const res = await fileReport([mine.url, theirs.url], key);

    // Assess
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('PHOTO.NOT_YOURS');
    expect((await photoRecord(mine.id))?.reportIds).toEqual([]);
    await expectNoReport(key);
  });

  it('refuses an unknown photo (422), the same photo twice (400) and an outside URL (400), storing nothing', async () => {
    // Prepare
    const mine = await uploadPhoto(TINY_JPEG);
    const keys = [newKey('unknown'), newKey('twice'), newKey('outside')];

    // Act
    const unknown = await fileReport(['P00000000000000000000'], keys[0]);
    const twice = await fileReport([mine.url, mine.id], keys[1]);
    const outside = await fileReport(['https://example.org/photos/1.jpg'], keys[2]);

    // Assess
    expect([unknown.status, unknown.body.error.code]).toEqual([422, 'PHOTO.UNKNOWN']);
    expect([twice.status, twice.body.error.code]).toEqual([400, 'PHOTO.DUPLICATE']);
    expect(outside.status).toBe(400);
    for (const key of keys) await expectNoReport(key as string);
  });
});

describe('who may see a photo', () => {
  let photo: Slot;
  let unattached: Slot;

  beforeAll(async () => {
    photo = await uploadPhoto(TINY_JPEG);
    unattached = await uploadPhoto(tinyPng(), 'image/png');
    const res = await fileReport([photo.url]);
    expect(res.status).toBe(201);
  });

  it.each(['worker1', 'village1', 'township1', 'admin'])('lets %s (owner or in scope of the citing report) see it', async (username) => {
    // Act
    const res = await getPhoto(photo.id, username);

    // Assess
    expect(res.status).toBe(200);
    expect(res.bytes.equals(TINY_JPEG)).toBe(true);
  });

  it.each(['worker2', 'village3', 'township2', 'dept1'])('refuses %s, out of scope, with 403', async (username) => {
    // Act
    const res = await getPhoto(photo.id, username);

    // Assess
    expect(res.status).toBe(403);
    expect(JSON.parse(res.bytes.toString()).error.code).toBe('PHOTO.OUT_OF_SCOPE');
  });

  it('keeps a photo no report cites to its owner', async () => {
    // Act
    const owner = await getPhoto(unattached.id, 'worker1');
    const admin = await getPhoto(unattached.id, 'admin');

    // Assess
    expect(owner.status).toBe(200);
    expect(admin.status).toBe(403);
  });

  it('answers 404 for an unknown photo, 400 for a malformed id and 401 without a token', async () => {
    // Act
    const unknown = await getPhoto('P00000000000000000000', 'worker1');
    const malformed = await getPhoto('..%2Fkeys', 'worker1');
    const anonymous = await rt.http('GET', `/api/v1/photos/${photo.id}`);

    // Assess
    expect(unknown.status).toBe(404);
    expect(malformed.status).toBe(400);
    expect(anonymous.status).toBe(401);
  });
});
