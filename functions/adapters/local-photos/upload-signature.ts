/**
 * Local upload links, signed like S3 presigned URLs: HMAC-SHA256 over (photo id, expiry) with a key
 * kept under DATA_DIR, so the link itself is the permission and no bearer token is needed.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { UploadLinkCheck } from '#ports/photos.ts';

const KEY_BYTES = 32;
/** Expiry as Unix seconds in canonical form only, so "0900", "900.0" or "9e2" cannot alias a signed value. */
const EXPIRES = /^[1-9]\d{0,11}$/;
const SIGNATURE = /^[A-Za-z0-9_-]{43}$/;

export function signUploadLink(key: Uint8Array, id: string, expires: number): string {
  // The newline keeps (id, expires) unambiguous: no id ends in digits that could shift into expires.
  return createHmac('sha256', key).update(`${id}\n${expires}`).digest('base64url');
}

/** Checks the signature first (a forged expiry is 'invalid', not 'expired'), then the time. */
export function checkUploadLink(key: Uint8Array, id: string, expires: string, signature: string, now: Date): UploadLinkCheck {
  if (!EXPIRES.test(expires) || !SIGNATURE.test(signature)) return 'invalid';
  const expected = Buffer.from(signUploadLink(key, id, Number(expires)), 'base64url');
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'invalid';
  return now.getTime() >= Number(expires) * 1000 ? 'expired' : 'valid';
}

/** Reads the signing key, creating it on first start; 'wx' keeps a racing second writer from replacing it. */
export async function loadOrCreateUploadKey(file: string): Promise<Buffer> {
  try {
    return await readKey(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  await mkdir(dirname(file), { recursive: true });
  try {
    await writeFile(file, randomBytes(KEY_BYTES).toString('base64'), { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  return readKey(file);
}

async function readKey(file: string): Promise<Buffer> {
  const key = Buffer.from((await readFile(file, 'utf8')).trim(), 'base64');
  if (key.length !== KEY_BYTES) throw new Error(`${file} does not hold a ${KEY_BYTES}-byte key`);
  return key;
}
