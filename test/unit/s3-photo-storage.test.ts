/**
 * The S3 adapter without AWS: presigning is pure computation over fake credentials, and the SDK's
 * HTTP layer is replaced by a handler that answers like S3, so the real commands and parsers run.
 */
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { S3PhotoStorage } from '#adapters/s3-photos/s3-photo-storage.ts';
import { newPhoto } from '#core/photos.ts';

const NOW = new Date('2026-03-23T00:00:00Z');
const ID = 'P0123456789ABCDEF0123';
const BUCKET = 'gridwhistle-photos-test';
const CREDENTIALS = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };

interface SeenRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
}

type FakeResponse = { statusCode: number; headers?: Record<string, string>; body?: Uint8Array };

function storage(answer: (request: SeenRequest) => FakeResponse = () => ({ statusCode: 500 })) {
  const seen: SeenRequest[] = [];
  const requestHandler = {
    handle: async (request: SeenRequest) => {
      seen.push({ method: request.method, path: request.path, headers: { ...request.headers } });
      const { statusCode, headers = {}, body = new Uint8Array() } = answer(request);
      return { response: { statusCode, headers, body: Readable.from([Buffer.from(body)]) } };
    },
    updateHttpClientConfig: () => undefined,
    httpHandlerConfigs: () => ({}),
  };
  const client = S3PhotoStorage.client({ region: 'ap-southeast-1', credentials: CREDENTIALS, requestHandler, maxAttempts: 1 });
  return { adapter: new S3PhotoStorage({ client, bucket: BUCKET }), seen };
}

describe('S3PhotoStorage.uploadTarget (presigned PUT)', () => {
  const photo = newPhoto({ id: ID, ownerId: 'p-worker-1', declaredType: 'image/webp', declaredSize: 4321 }, NOW);
  const expiresAt = new Date(NOW.getTime() + 15 * 60 * 1000);

  it('points at the bucket and key, signed for 15 minutes from now', async () => {
    // Act
    const target = await storage().adapter.uploadTarget(photo, NOW, expiresAt);
    const url = new URL(target.url);

    // Assess
    expect(target.method).toBe('PUT');
    expect(url.protocol).toBe('https:');
    expect(url.hostname).toBe(`${BUCKET}.s3.ap-southeast-1.amazonaws.com`);
    expect(url.pathname).toBe(`/photos/${ID}`);
    expect(url.searchParams.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/);
    expect(url.searchParams.get('X-Amz-Expires')).toBe('900');
    expect(url.searchParams.get('X-Amz-Date')).toBe('20260323T000000Z');
    expect(url.searchParams.get('X-Amz-Credential')).toBe('AKIDEXAMPLE/20260323/ap-southeast-1/s3/aws4_request');
  });

  it('binds the declared type, the exact size and write-once into the signature', async () => {
    // Act
    const target = await storage().adapter.uploadTarget(photo, NOW, expiresAt);
    const url = new URL(target.url);

    // Assess
    expect(url.searchParams.get('X-Amz-SignedHeaders')?.split(';')).toEqual(['content-length', 'content-type', 'host', 'if-none-match']);
    expect(target.headers).toEqual({ 'content-type': 'image/webp', 'if-none-match': '*' });
  });

  it('adds no checksum of an empty body (which would make S3 refuse every real upload)', async () => {
    // Act
    const target = await storage().adapter.uploadTarget(photo, NOW, expiresAt);

    // Assess
    expect(target.url).not.toMatch(/x-amz-checksum|x-amz-sdk-checksum/i);
  });

  it('signs differently for another declared type', async () => {
    // Prepare
    const png = { ...photo, declaredType: 'image/png' as const };

    // Act
    const a = new URL((await storage().adapter.uploadTarget(photo, NOW, expiresAt)).url);
    const b = new URL((await storage().adapter.uploadTarget(png, NOW, expiresAt)).url);

    // Assess
    expect(a.searchParams.get('X-Amz-Signature')).not.toBe(b.searchParams.get('X-Amz-Signature'));
  });
});

describe('S3PhotoStorage.inspect', () => {
  const JPEG = Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 0, 0, 1]);

  it('reads the size from HeadObject and only the first 16 bytes with a ranged GetObject', async () => {
    // Prepare
    const { adapter, seen } = storage(
      (req): FakeResponse =>
        req.method === 'HEAD'
          ? { statusCode: 200, headers: { 'content-length': '2345678', 'content-type': 'image/jpeg' } }
          : { statusCode: 206, headers: { 'content-length': '16', 'content-range': 'bytes 0-15/2345678' }, body: JPEG },
    );

    // Act
    const stored = await adapter.inspect(ID);

    // Assess
    expect(stored?.size).toBe(2345678);
    expect([...(stored?.head ?? [])]).toEqual([...JPEG]);
    expect(seen.map((r) => r.method)).toEqual(['HEAD', 'GET']);
    expect(seen[1]?.headers.range).toBe('bytes=0-15');
    expect(seen.every((r) => r.path.endsWith(`/photos/${ID}`))).toBe(true);
  });

  it('answers null when nothing was uploaded (404)', async () => {
    // Prepare
    const { adapter, seen } = storage(() => ({ statusCode: 404 }));

    // Act + Assess
    expect(await adapter.inspect(ID)).toBeNull();
    expect(seen).toHaveLength(1);
  });

  it('does not fetch bytes of an empty object', async () => {
    // Prepare
    const { adapter, seen } = storage(() => ({ statusCode: 200, headers: { 'content-length': '0' } }));

    // Act
    const stored = await adapter.inspect(ID);

    // Assess
    expect(stored?.size).toBe(0);
    expect(seen).toHaveLength(1);
  });

  it('passes other failures on', async () => {
    // Prepare
    const { adapter } = storage(() => ({ statusCode: 403 }));

    // Act + Assess
    await expect(adapter.inspect(ID)).rejects.toThrow();
  });
});

describe('S3PhotoStorage.read', () => {
  it('redirects to a 5-minute presigned GET that serves the sniffed type inline', async () => {
    // Act
    const content = await storage().adapter.read(ID, 'image/png', NOW);

    // Assess
    expect(content.kind).toBe('redirect');
    const url = new URL(content.kind === 'redirect' ? content.url : '');
    expect(url.pathname).toBe(`/photos/${ID}`);
    expect(url.searchParams.get('X-Amz-Expires')).toBe('300');
    expect(url.searchParams.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/);
    expect(url.searchParams.get('response-content-type')).toBe('image/png');
    expect(url.searchParams.get('response-content-disposition')).toBe('inline');
  });
});
