import { describe, expect, it } from 'vitest';
import {
  contentProblem,
  MAX_PHOTO_BYTES,
  newPhoto,
  PhotoContentError,
  PhotoTooLargeError,
  photoIdFromRef,
  photoPath,
  sniffImageType,
  uploaded,
} from '#core/photos.ts';
import { createReportBody, photoUploadBody } from '#handlers/http/schemas.ts';

const ID = 'P0123456789ABCDEF0123';
const NOW = new Date('2026-03-23T08:00:00+08:00');

const bytes = (...values: number[]) => Uint8Array.from(values);
const ascii = (text: string) => Uint8Array.from(Buffer.from(text, 'latin1'));

const JPEG_HEAD = bytes(0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00);
const PNG_HEAD = bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d);
const WEBP_HEAD = Uint8Array.from([...ascii('RIFF'), 0x24, 0x00, 0x00, 0x00, ...ascii('WEBPVP8 ')]);

describe('sniffImageType', () => {
  it.each([
    ['a JPEG (FF D8 FF)', JPEG_HEAD, 'image/jpeg'],
    ['a bare JPEG signature', bytes(0xff, 0xd8, 0xff), 'image/jpeg'],
    ['a PNG', PNG_HEAD, 'image/png'],
    ['a WebP (RIFF ???? WEBP)', WEBP_HEAD, 'image/webp'],
  ])('recognises %s', (_name, head, type) => {
    // Act + Assess
    expect(sniffImageType(head)).toBe(type);
  });

  it.each([
    ['a PHP script', ascii('<?php echo 1; ?>')],
    ['an HTML page', ascii('<!doctype html><script>')],
    ['an SVG image', ascii('<svg xmlns="http://www.w3.org/2000/svg">')],
    ['a GIF', ascii('GIF89a\x01\x00\x01\x00')],
    ['a RIFF WAVE file', Uint8Array.from([...ascii('RIFF'), 0x24, 0, 0, 0, ...ascii('WAVEfmt ')])],
    ['a PDF', ascii('%PDF-1.7')],
    ['a ZIP', bytes(0x50, 0x4b, 0x03, 0x04)],
    ['a truncated JPEG signature', bytes(0xff, 0xd8)],
    ['a truncated PNG signature', PNG_HEAD.subarray(0, 7)],
    ['a truncated WebP signature', WEBP_HEAD.subarray(0, 11)],
    ['a PNG signature one byte off', bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0b)],
    ['the JPEG signature not at the start', bytes(0x00, 0xff, 0xd8, 0xff)],
    ['nothing', bytes()],
  ])('refuses %s', (_name, head) => {
    // Act + Assess
    expect(sniffImageType(head)).toBeNull();
  });
});

describe('contentProblem', () => {
  it('accepts an image of the announced size', () => {
    // Act + Assess
    expect(contentProblem(1234, JPEG_HEAD, 1234)).toBeNull();
  });

  it.each([
    ['empty', 0, JPEG_HEAD, 0, 'PHOTO.EMPTY'],
    ['over 10 MB', MAX_PHOTO_BYTES + 1, JPEG_HEAD, MAX_PHOTO_BYTES + 1, 'PHOTO.TOO_LARGE'],
    ['not an image', 16, ascii('<?php echo 1; ?>'), 16, 'PHOTO.UNSUPPORTED_TYPE'],
    ['not the announced size', 1000, PNG_HEAD, 999, 'PHOTO.SIZE_MISMATCH'],
    ['a PHP script of the wrong size (the type is the first complaint)', 16, ascii('<?php echo 1; ?>'), 5, 'PHOTO.UNSUPPORTED_TYPE'],
  ])('names the problem with bytes that are %s', (_name, size, head, declared, code) => {
    // Act + Assess
    expect(contentProblem(size, head, declared)?.code).toBe(code);
  });

  it('accepts exactly 10 MB', () => {
    // Act + Assess
    expect(contentProblem(MAX_PHOTO_BYTES, WEBP_HEAD, MAX_PHOTO_BYTES)).toBeNull();
  });

  it.each([
    ['PHOTO.EMPTY', 'validation'],
    ['PHOTO.SIZE_MISMATCH', 'validation'],
    ['PHOTO.TOO_LARGE', 'too_large'],
    ['PHOTO.UNSUPPORTED_TYPE', 'unsupported_media_type'],
  ] as const)('turns %s into a %s error for the upload', (code, kind) => {
    // Act
    const error = new PhotoContentError({ code, message: 'm' });

    // Assess
    expect(error.kind).toBe(kind);
    expect(error.code).toBe(code);
  });
});

describe('newPhoto and uploaded', () => {
  it('starts pending, with nothing known about the bytes', () => {
    // Act
    const photo = newPhoto({ id: ID, ownerId: 'p-worker-1', declaredType: 'image/png', declaredSize: 10 }, NOW);

    // Assess
    expect(photo).toEqual({
      id: ID,
      ownerId: 'p-worker-1',
      status: 'pending',
      declaredType: 'image/png',
      declaredSize: 10,
      sniffedType: null,
      size: null,
      createdAt: NOW.toISOString(),
      uploadedAt: null,
      reportIds: [],
    });
  });

  it('refuses to announce more than 10 MB (413)', () => {
    // Act + Assess
    expect(() => newPhoto({ id: ID, ownerId: 'w', declaredType: 'image/jpeg', declaredSize: MAX_PHOTO_BYTES + 1 }, NOW)).toThrow(
      PhotoTooLargeError,
    );
  });

  it('records the sniffed type, not the declared one, and keeps the first upload time', () => {
    // Prepare
    const photo = newPhoto({ id: ID, ownerId: 'w', declaredType: 'image/jpeg', declaredSize: 10 }, NOW);
    const later = new Date(NOW.getTime() + 60_000);

    // Act
    const first = uploaded(photo, { sniffedType: 'image/png', size: 10 }, NOW);
    const again = uploaded(first, { sniffedType: 'image/png', size: 10 }, later);

    // Assess
    expect(first).toMatchObject({
      status: 'uploaded',
      declaredType: 'image/jpeg',
      sniffedType: 'image/png',
      uploadedAt: NOW.toISOString(),
    });
    expect(again.uploadedAt).toBe(NOW.toISOString());
  });
});

describe('photoIdFromRef', () => {
  it.each([
    ['a bare id', ID],
    ['the relative url upload returns', photoPath(ID)],
    ['an absolute https url', `https://gw.example.cn/api/v1/photos/${ID}`],
    ['an absolute http url with a port', `http://127.0.0.1:8080/api/v1/photos/${ID}`],
  ])('reads the id from %s', (_name, ref) => {
    // Act + Assess
    expect(photoIdFromRef(ref)).toBe(ID);
  });

  it.each([
    ['javascript:', `javascript:alert(1)//api/v1/photos/${ID}`],
    ['data:', 'data:image/jpeg;base64,/9j/4AAQ'],
    ['file:', `file:///api/v1/photos/${ID}`],
    ['ftp:', `ftp://example.org/api/v1/photos/${ID}`],
    ['an outside photo', 'https://example.org/photos/1.jpg'],
    ['the upload link', `/api/v1/photos/${ID}/content`],
    ['a url with a query', `https://gw.example.cn/api/v1/photos/${ID}?x=1`],
    ['a url with a fragment', `https://gw.example.cn/api/v1/photos/${ID}#x`],
    ['a url with credentials', `https://u:p@gw.example.cn/api/v1/photos/${ID}`],
    ['a protocol-relative url', `//evil.example/api/v1/photos/${ID}`],
    ['a lower-case id', ID.toLowerCase()],
    ['a short id', ID.slice(0, -1)],
    ['a report id', 'R0123456789ABCDE'],
    ['a traversal', `/api/v1/photos/../${ID}`],
  ])('names no photo with %s', (_name, ref) => {
    // Act + Assess
    expect(photoIdFromRef(ref)).toBeNull();
  });
});

describe('schemas for photos', () => {
  const report = { gridCode: '451322201001001', category: 'safety_hazard', title: '便桥塌陷', description: '桥面塌陷。' };

  it('lets a report cite photos by id, relative url or absolute url, up to nine', () => {
    // Prepare
    const photos = [ID, photoPath(ID), `https://gw.example.cn${photoPath(ID)}`, ...Array(6).fill(ID)];

    // Act + Assess
    expect(createReportBody.safeParse({ ...report, photos }).success).toBe(true);
    expect(createReportBody.safeParse({ ...report, photos: [...photos, ID] }).success).toBe(false);
  });

  it.each(['javascript:alert(1)', 'data:text/html,<script>alert(1)</script>', 'https://example.org/photos/1.jpg'])(
    'refuses a report citing %j',
    (ref) => {
      // Act
      const parsed = createReportBody.safeParse({ ...report, photos: [ref] });

      // Assess
      expect(parsed.success).toBe(false);
      expect(parsed.error?.issues.map((i) => i.path.join('.'))).toEqual(['photos.0']);
    },
  );

  it.each([
    [{ contentType: 'image/jpeg', size: 1 }, true],
    [{ contentType: 'image/webp', size: MAX_PHOTO_BYTES + 1 }, true], // the core answers 413
    [{ contentType: 'image/gif', size: 100 }, false],
    [{ contentType: 'application/x-php', size: 100 }, false],
    [{ contentType: 'image/png', size: 0 }, false],
    [{ contentType: 'image/png', size: 1.5 }, false],
    [{ contentType: 'image/png' }, false],
    [{ contentType: 'image/png', size: 10, name: 'x.png' }, false],
  ])('an upload request %j is valid: %s', (body, valid) => {
    // Act + Assess
    expect(photoUploadBody.safeParse(body).success).toBe(valid);
  });
});
