/** The OpenAPI entries of the photo routes, merged into openapi.ts beside the other route docs. */
import { MAX_PHOTO_BYTES, PHOTO_TYPES } from '#core/photos.ts';
import type { RouteDoc } from './openapi.ts';
import { photoUploadBody } from './schemas.ts';

type Schema = Record<string, unknown>;

const error: Schema = { $ref: '#/components/schemas/Error' };
const isoTime: Schema = { type: 'string', format: 'date-time' };
const image = Object.fromEntries(PHOTO_TYPES.map((type) => [type, { schema: { type: 'string', contentMediaType: type } }]));

const uploadSlot: Schema = {
  type: 'object',
  required: ['id', 'uploadUrl', 'uploadMethod', 'uploadHeaders', 'url', 'expiresAt'],
  properties: {
    id: { type: 'string', pattern: '^P[0-9A-F]{20}$' },
    uploadUrl: { type: 'string', description: 'S3 presigned PUT (absolute) on AWS; relative to this API locally' },
    uploadMethod: { const: 'PUT' },
    uploadHeaders: { type: 'object', additionalProperties: { type: 'string' }, description: 'send these with the bytes' },
    url: { type: 'string', description: 'cite this (or the id) in a report’s photos' },
    expiresAt: { ...isoTime, description: 'the upload link expires after 15 minutes' },
  },
};

const uploadedPhoto: Schema = {
  type: 'object',
  required: ['id', 'url', 'status', 'contentType', 'size'],
  properties: {
    id: { type: 'string' },
    url: { type: 'string' },
    status: { const: 'uploaded' },
    contentType: { type: 'string', enum: [...PHOTO_TYPES], description: 'what the bytes are, by their signature' },
    size: { type: 'integer' },
    createdAt: isoTime,
    uploadedAt: isoTime,
  },
};

export const PHOTO_ROUTE_DOCS: Record<string, RouteDoc> = {
  'POST /api/v1/photos': {
    summary: `Ask for a photo upload link (JPEG, PNG or WebP; at most ${MAX_PHOTO_BYTES} bytes, the exact size announced)`,
    tag: 'photos',
    body: photoUploadBody,
    bearer: true,
    responses: {
      201: { description: 'a pending photo and where to PUT its bytes', schema: uploadSlot },
      400: { description: 'invalid request', schema: error },
      401: { description: 'missing or invalid token', schema: error },
      403: { description: 'only grid workers upload photos', schema: error },
      413: { description: 'announced size above 10 MB', schema: error },
    },
  },
  'PUT /api/v1/photos/{id}/content': {
    summary: 'Local mode only (S3 takes this part on AWS): the bytes, through the signed upload link; checked by content',
    tag: 'photos',
    body: { content: image },
    query: [
      { name: 'expires', in: 'query', required: true, schema: { type: 'string' }, description: 'from the upload link' },
      { name: 'signature', in: 'query', required: true, schema: { type: 'string' }, description: 'from the upload link' },
    ],
    responses: {
      200: { description: 'stored (a retry with the same bytes answers the same)', schema: uploadedPhoto },
      400: { description: 'empty, or not the announced size', schema: error },
      403: {
        description: 'the link is forged, altered or expired; answered before the body is read, and the connection closed',
        schema: error,
      },
      409: { description: 'different bytes were already uploaded for this photo', schema: error },
      413: {
        description: 'above 10 MB (a declared Content-Length is refused before the body is read; the connection is closed)',
        schema: error,
      },
      415: { description: 'the bytes are not a JPEG, PNG or WebP image (PHOTO.UNSUPPORTED_TYPE)', schema: error },
    },
  },
  'GET /api/v1/photos/{id}': {
    summary: 'A photo, for its uploader and for anyone who may read a report citing it',
    tag: 'photos',
    bearer: true,
    responses: {
      200: { description: 'the bytes (local mode), served as their sniffed type', content: image },
      302: { description: 'a short-lived presigned S3 link (AWS)' },
      401: { description: 'missing or invalid token', schema: error },
      403: { description: 'outside your scope', schema: error },
      404: { description: 'unknown, or not uploaded yet', schema: error },
    },
  },
};
