import { type Photo, photoPath } from '#core/photos.ts';
import { checkPhotoUploadLink, readPhoto, receivePhotoContent, requestPhotoUpload } from '#core/use-cases/photos.ts';
import type { PhotoContent } from '#ports/photos.ts';
import type { HttpDeps } from './deps.ts';
import { type ApiResult, authenticate, bodyBytes, check, json, parseJsonBody, parseQuery, pathParameter, route } from './http.ts';
import { photoContentQuery, photoId, photoUploadBody } from './schemas.ts';

function presentPhoto(photo: Photo) {
  return {
    id: photo.id,
    url: photoPath(photo.id),
    status: photo.status,
    contentType: photo.sniffedType,
    size: photo.size,
    createdAt: photo.createdAt,
    uploadedAt: photo.uploadedAt,
  };
}

/** Bytes leave as the sniffed type only, with headers that stop a browser from guessing otherwise. */
function photoResult(content: PhotoContent, contentType: string): ApiResult {
  if (content.kind === 'redirect') return { statusCode: 302, headers: { location: content.url, 'cache-control': 'no-store' }, body: '' };
  return {
    statusCode: 200,
    headers: {
      'content-type': contentType,
      'content-length': String(content.bytes.length),
      'cache-control': 'private, max-age=300',
      'x-content-type-options': 'nosniff',
      'content-security-policy': "default-src 'none'; sandbox",
      'content-disposition': 'inline',
    },
    body: Buffer.from(content.bytes).toString('base64'),
    isBase64Encoded: true,
  };
}

export const createRequestPhotoUploadHandler = (deps: HttpDeps) =>
  route(async (event) => {
    const actor = await authenticate(deps.tokens, event);
    const body = parseJsonBody(event, photoUploadBody);
    const { photo, upload, expiresAt } = await requestPhotoUpload(deps, actor, body);
    return json(201, {
      id: photo.id,
      uploadUrl: upload.url,
      uploadMethod: upload.method,
      uploadHeaders: upload.headers,
      url: photoPath(photo.id),
      expiresAt,
    });
  });

/** Refuses a forged, altered or expired upload link before the local server reads the bytes. */
export const createPhotoUploadLinkCheck = (deps: HttpDeps) =>
  check((event) => {
    const id = pathParameter(event, 'id', photoId);
    checkPhotoUploadLink(deps, { id, ...parseQuery(event, photoContentQuery) });
  });

/** The local stand-in for S3's presigned PUT: the signed link is the permission, no bearer token. */
export const createPutPhotoContentHandler = (deps: HttpDeps) =>
  route(async (event) => {
    const id = pathParameter(event, 'id', photoId);
    const { expires, signature } = parseQuery(event, photoContentQuery);
    const photo = await receivePhotoContent(deps, { id, expires, signature, bytes: bodyBytes(event) });
    return json(200, presentPhoto(photo));
  });

export const createGetPhotoHandler = (deps: HttpDeps) =>
  route(async (event) => {
    const actor = await authenticate(deps.tokens, event);
    const { photo, content } = await readPhoto(deps, actor, pathParameter(event, 'id', photoId));
    return photoResult(content, photo.sniffedType ?? 'application/octet-stream');
  });
