/**
 * What every route's OpenAPI description is made of. A route carries its `doc` beside its
 * definition (routes.ts and the *-routes.ts modules), so the document cannot drift from the
 * routes; request bodies come from the zod schemas the handlers validate with.
 */
import * as z from 'zod';

export type Schema = Record<string, unknown>;

export interface RouteDoc {
  summary: string;
  tag: string;
  /** A body schema (zod) or a raw media-type map for non-JSON bodies. */
  body?: z.ZodType | { content: Record<string, { schema: Schema }> };
  query?: Schema[];
  headers?: Schema[];
  /** Status → description and optional schema ref/name. */
  responses: Record<
    string,
    { description: string; schema?: Schema; content?: Record<string, { schema: Schema }>; headers?: Record<string, Schema> }
  >;
  /** Omit for routes that take no bearer token. */
  bearer?: boolean;
}

export const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });

export const jsonBody = (schema: z.ZodType): Schema => z.toJSONSchema(schema, { io: 'input', target: 'draft-2020-12' }) as Schema;
const RETRY_AFTER: Record<string, Schema> = {
  'Retry-After': { description: 'seconds to wait before trying again', schema: { type: 'integer', minimum: 1 } },
};
export const errorResponses = (...codes: number[]) =>
  Object.fromEntries(
    codes.map((code) => [
      String(code),
      { description: ERROR_TEXT[code] ?? 'error', schema: ref('Error'), ...(code === 429 ? { headers: RETRY_AFTER } : {}) },
    ]),
  );

export const ERROR_TEXT: Record<number, string> = {
  400: 'invalid request (validation); REQUEST.INVALID_TEXT when the body is not UTF-8 or holds a lone surrogate escape',
  401: 'missing, invalid or expired token',
  403: 'outside your scope',
  404: 'not found',
  409: 'conflict: stale action, reused idempotency key, link for a tier the report left',
  413: 'body too large',
  415: 'wrong content type, or a charset other than UTF-8',
  422: 'a valid request the domain refuses',
  429: 'throttled (AUTH.THROTTLED: too many failed sign-ins; AUTH.BUSY: too many at once): retry after the Retry-After header, in seconds',
};

export const query = (name: string, schema: Schema, description: string): Schema => ({
  name,
  in: 'query',
  required: false,
  schema,
  description,
});

export const isoTime: Schema = { type: 'string', format: 'date-time' };
export const nullableTime: Schema = { type: ['string', 'null'], format: 'date-time' };
