/**
 * The OpenAPI entries of the Open311 routes, used by their route module (open311-routes.ts). The form body's
 * schema is generated from the zod schema POST requests validates with, so it cannot drift.
 */
import * as z from 'zod';
import type { RouteDoc } from '#handlers/http/openapi-kit.ts';
import { serviceRequestForm } from './schemas.ts';

type Schema = Record<string, unknown>;

/** Every Open311 response is the same document in either format, chosen by the file extension. */
const both = (description: string) => ({
  description,
  content: { 'application/json': { schema: { type: ['array', 'object'] } }, 'text/xml': { schema: { type: 'string' } } },
});

const ERRORS: Record<number, string> = {
  400: 'invalid parameter or a form with a broken %-escape (errors document: [{"code":400,"description"}] or <errors><error>…)',
  403: 'missing or invalid api_key (errors document)',
  404: 'no such resource, service, request or format (errors document)',
};
const errors = (...codes: number[]) => Object.fromEntries(codes.map((code) => [String(code), both(ERRORS[code] ?? 'error')]));

function formSchema(): Schema {
  const generated = z.toJSONSchema(serviceRequestForm, { io: 'input', target: 'draft-2020-12', unrepresentable: 'any' }) as Schema;
  const { attribute: _attribute, ...properties } = (generated.properties ?? {}) as Record<string, Schema>;
  return {
    type: 'object',
    required: ['api_key', 'service_code', 'description'],
    properties: {
      api_key: { type: 'string', description: 'a grid worker’s key; the request is filed for the worker’s grid' },
      ...properties,
      'attribute[urgency]': { type: 'string', enum: ['normal', 'urgent', 'emergency'] },
    },
    description: 'one of lat & long, or address_string, is required; name, email and phone of a citizen are accepted and not stored',
  };
}

const param = (name: string, description: string): Schema => ({
  name,
  in: 'query',
  required: false,
  schema: { type: 'string' },
  description,
});

export const OPEN311_ROUTE_DOCS: Record<string, RouteDoc> = {
  'GET /open311/v2/{file}': {
    summary:
      'Open311 GeoReport v2: discovery.{json|xml}, services.{json|xml} or requests.{json|xml} (public; description, address, ' +
      'media_url and status_notes only for categories marked public, with phone, ID-card and plate numbers masked; positions to ' +
      'about a kilometre; URLs on PUBLIC_BASE_URL)',
    tag: 'open311',
    query: [
      param('service_request_id', 'requests: comma-separated ids; overrides every other filter'),
      param('service_code', 'requests: comma-separated service codes'),
      param('start_date', 'requests: W3C date-time with zone; default 90 days before end_date'),
      param('end_date', 'requests: W3C date-time with zone; default now (or 90 days after start_date)'),
      param('status', 'requests: open, closed or both (comma-separated)'),
      param('page', 'requests (extension): 1–50, default 1'),
      param('page_size', 'requests (extension): 1–200, default 50'),
    ],
    responses: { 200: both('the document'), ...errors(400, 404) },
  },
  'POST /open311/v2/{file}': {
    summary: 'Open311 GeoReport v2: submit a request to requests.{json|xml} (form-urlencoded, api_key)',
    tag: 'open311',
    body: { content: { 'application/x-www-form-urlencoded': { schema: formSchema() } } },
    headers: [
      {
        name: 'Idempotency-Key',
        in: 'header',
        required: false,
        schema: { type: 'string', pattern: '^[A-Za-z0-9_.:-]{8,128}$' },
        description: 'optional; without it an identical retry (same api_key and fields) finds the first request',
      },
    ],
    responses: {
      201: both('[{service_request_id, service_notice, account_id}]'),
      200: both('a retry of an earlier submission (header idempotent-replayed: true)'),
      ...errors(400, 403, 404),
    },
  },
  'GET /open311/v2/services/{file}': {
    summary: 'Open311 GeoReport v2: a service definition, {service_code}.{json|xml} (public)',
    tag: 'open311',
    responses: { 200: both('the service definition (the urgency attribute)'), ...errors(404) },
  },
  'GET /open311/v2/requests/{file}': {
    summary:
      'Open311 GeoReport v2: one request, {service_request_id}.{json|xml} (public; what it says only for categories marked public, ' +
      'personal data masked)',
    tag: 'open311',
    responses: { 200: both('a one-element list'), ...errors(404) },
  },
};
