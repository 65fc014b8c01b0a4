import { stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkUploadLink, loadOrCreateUploadKey, signUploadLink } from '#adapters/local-photos/upload-signature.ts';

const KEY = Buffer.alloc(32, 7);
const OTHER_KEY = Buffer.alloc(32, 8);
const ID = 'P0123456789ABCDEF0123';
const NOW = new Date('2026-03-23T00:00:00Z');
const EXPIRES = NOW.getTime() / 1000 + 900;

describe('upload link signatures', () => {
  const signature = signUploadLink(KEY, ID, EXPIRES);

  it('signs with 256 bits in base64url, deterministically', () => {
    // Act + Assess
    expect(signature).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(signUploadLink(KEY, ID, EXPIRES)).toBe(signature);
  });

  it('accepts its own link until it expires', () => {
    // Act + Assess
    expect(checkUploadLink(KEY, ID, String(EXPIRES), signature, NOW)).toBe('valid');
    expect(checkUploadLink(KEY, ID, String(EXPIRES), signature, new Date(EXPIRES * 1000 - 1))).toBe('valid');
  });

  it('calls a link expired from its expiry second on', () => {
    // Act + Assess
    expect(checkUploadLink(KEY, ID, String(EXPIRES), signature, new Date(EXPIRES * 1000))).toBe('expired');
  });

  it.each([
    ['another photo id', 'P0123456789ABCDEF0124', String(EXPIRES), signature],
    ['a later expiry', ID, String(EXPIRES + 3600), signature],
    ['the expiry written differently', ID, `0${EXPIRES}`, signature],
    ['the expiry in exponent form', ID, '1.7742240e9', signature],
    ['one changed signature character', ID, String(EXPIRES), `${signature[0] === 'A' ? 'B' : 'A'}${signature.slice(1)}`],
    ['a truncated signature', ID, String(EXPIRES), signature.slice(0, 42)],
    ['a hex signature', ID, String(EXPIRES), 'ab'.repeat(32)],
    ['no signature', ID, String(EXPIRES), ''],
    ['no expiry', ID, '', signature],
    ['a signature made with another key', ID, String(EXPIRES), signUploadLink(OTHER_KEY, ID, EXPIRES)],
  ])('refuses %s as invalid, not expired', (_name, id, expires, sig) => {
    // Act + Assess
    expect(checkUploadLink(KEY, id, expires, sig, NOW)).toBe('invalid');
  });

  it('says invalid rather than expired for a forged link that is also old', () => {
    // Act + Assess
    expect(checkUploadLink(KEY, ID, '1000', signature, NOW)).toBe('invalid');
  });
});

describe('loadOrCreateUploadKey', () => {
  it('creates a private 32-byte key once and returns the same key afterwards', async () => {
    // Prepare
    const file = join(tmpdir(), `gw-key-${process.pid}-${Date.now()}`, 'keys', 'photo-upload.key');

    // Act
    const [a, b] = await Promise.all([loadOrCreateUploadKey(file), loadOrCreateUploadKey(file)]);
    const c = await loadOrCreateUploadKey(file);

    // Assess
    expect(a).toHaveLength(32);
    expect(b.equals(a)).toBe(true);
    expect(c.equals(a)).toBe(true);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
  });
});
