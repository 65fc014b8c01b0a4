/**
 * Open311 inputs (zod): the POST requests form and the GET requests query. Field rules are the
 * JSON API's own schemas (handlers/http/schemas.ts) wherever the meaning is the same, so a report
 * filed through Open311 passes exactly the checks a report filed through /api/v1 does.
 */
import * as z from 'zod';
import { URGENCIES } from '#core/catalog.ts';
import { ValidationError } from '#core/errors.ts';
import type { RequestFilters } from '#core/open311.ts';
import type { ServiceRequestSubmission } from '#core/use-cases/open311.ts';
import { code, createReportBody } from '#handlers/http/schemas.ts';

const location = createReportBody.shape.location.unwrap().shape;

/** Form values are text: a plain decimal, then the JSON API's range check. */
const decimal = z
  .string()
  .regex(/^[+-]?\d{1,3}(\.\d{1,15})?$/, 'must be a decimal number')
  .transform(Number);

/** Who the citizen is (name, phone, email, device) is accepted and dropped: the key's worker files. */
const ignored = z.string().max(500).optional();

export const serviceRequestForm = z
  .object({
    service_code: code,
    lat: decimal.pipe(location.lat).optional(),
    long: decimal.pipe(location.lng).optional(),
    address_string: location.address,
    address_id: z.string().max(200).optional(),
    description: createReportBody.shape.description,
    media_url: createReportBody.shape.photos.unwrap().element.optional(),
    // The attributes our service definitions declare; another code means a stale definition.
    attribute: z.strictObject({ urgency: z.enum(URGENCIES).optional() }),
    jurisdiction_id: ignored,
    email: ignored,
    device_id: ignored,
    account_id: ignored,
    first_name: ignored,
    last_name: ignored,
    phone: ignored,
  })
  .superRefine((form, ctx) => {
    if ((form.lat === undefined) !== (form.long === undefined)) {
      ctx.addIssue({ code: 'custom', path: [form.lat === undefined ? 'lat' : 'long'], message: 'lat and long are sent together' });
    } else if (form.lat === undefined && form.address_string === undefined) {
      const message =
        form.address_id === undefined
          ? 'a location is required: lat & long, or address_string'
          : 'address_id is not resolvable here: send lat & long, or address_string';
      ctx.addIssue({ code: 'custom', path: ['lat'], message });
    }
  });

/** Fields the standard sends once; a second value is a client bug, not a choice we make for it. */
const SINGLE_FIELDS = new Set(Object.keys(serviceRequestForm.shape).filter((name) => name !== 'attribute'));
const ATTRIBUTE_FIELD = /^attribute\[([^\]]{1,64})\](\[\])?$/;

function fieldName(path: readonly PropertyKey[]): string {
  const [first, ...rest] = path.map(String);
  return `${first ?? 'form'}${rest.map((p) => `[${p}]`).join('')}`;
}

function issuesOf(error: z.ZodError): { path: string; message: string }[] {
  return error.issues.map((issue) => {
    const keys = issue.code === 'unrecognized_keys' ? issue.keys : [];
    // An unknown attribute code reports the offending form field, e.g. attribute[colour].
    if (keys.length > 0) return { path: fieldName([...issue.path, keys[0] ?? '']), message: 'is not an attribute of this service' };
    return { path: fieldName(issue.path), message: issue.message };
  });
}

/**
 * The form's fields in arrival order. The standard's "optional" rule applies: an empty value is
 * the same as no value.
 */
export function parseServiceRequestForm(fields: readonly (readonly [string, string])[]): ServiceRequestSubmission {
  const form: Record<string, unknown> = {};
  const attribute: Record<string, string | string[]> = {};
  const repeated = new Set<string>();
  for (const [name, value] of fields) {
    if (value === '') continue;
    const attr = ATTRIBUTE_FIELD.exec(name);
    if (attr?.[1]) {
      const attributeCode = attr[1];
      const earlier = attribute[attributeCode];
      if (attr[2]) attribute[attributeCode] = [...(Array.isArray(earlier) ? earlier : earlier === undefined ? [] : [earlier]), value];
      else if (earlier === undefined) attribute[attributeCode] = value;
      else repeated.add(`attribute[${attributeCode}]`);
    } else if (SINGLE_FIELDS.has(name)) {
      if (name in form) repeated.add(name);
      form[name] = value;
    }
    // Anything else (extensions of other servers, cache busters) is ignored, as clients expect.
  }
  if (repeated.size > 0) {
    throw new ValidationError(
      'OPEN311.REPEATED_FIELD',
      'a field was sent more than once',
      [...repeated].map((path) => ({ path, message: 'sent more than once' })),
    );
  }
  const parsed = serviceRequestForm.safeParse({ ...form, attribute });
  if (!parsed.success) throw new ValidationError('OPEN311.INVALID_REQUEST', 'the request is invalid', issuesOf(parsed.error));
  const f = parsed.data;
  return {
    serviceCode: f.service_code,
    description: f.description,
    coordinates: f.lat !== undefined && f.long !== undefined ? { lat: f.lat, lng: f.long } : undefined,
    address: f.address_string,
    mediaUrl: f.media_url,
    urgency: f.attribute.urgency,
  };
}

// ---- GET requests ----

const commaList = <T extends z.ZodType<unknown, string>>(item: T) =>
  z
    .string()
    .max(4000)
    .transform((s) =>
      s
        .split(',')
        .map((part) => part.trim())
        .filter((part) => part.length > 0),
    )
    .pipe(z.array(item));

/** W3C date-times with a zone (Z or ±hh:mm), seconds optional, as the standard requires. */
const w3DateTime = z
  .string()
  // An unencoded "+08:00" arrives as " 08:00": a space never belongs in a date-time, so it was a plus.
  .transform((s) => s.replace(' ', '+'))
  .pipe(
    z.union(
      [z.iso.datetime({ offset: true }), z.iso.datetime({ offset: true, precision: -1 })],
      'a date-time with a zone, e.g. 2026-01-01T00:00:00+08:00',
    ),
  )
  .transform((s) => new Date(s));

const wholeNumber = z
  .string()
  .regex(/^\d{1,6}$/, 'a whole number')
  .transform(Number);

export const requestsQuery = z.object({
  jurisdiction_id: z.string().max(200).optional(),
  service_request_id: commaList(z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'not a service_request_id')).optional(),
  service_code: commaList(code).optional(),
  start_date: w3DateTime.optional(),
  end_date: w3DateTime.optional(),
  status: commaList(z.enum(['open', 'closed'])).optional(),
  page: wholeNumber.optional(),
  page_size: wholeNumber.optional(),
});

/** Query parameters → filters; ranges and defaults are the core's (core/open311.ts planRequestSearch). */
export function parseRequestsQuery(query: Record<string, string | undefined> | undefined): RequestFilters {
  const present = Object.fromEntries(Object.entries(query ?? {}).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = requestsQuery.safeParse(present);
  if (!parsed.success) throw new ValidationError('OPEN311.INVALID_QUERY', 'the query is invalid', issuesOf(parsed.error));
  const q = parsed.data;
  return {
    serviceRequestIds: q.service_request_id,
    serviceCodes: q.service_code,
    startDate: q.start_date,
    endDate: q.end_date,
    statuses: q.status,
    page: q.page,
    pageSize: q.page_size,
  };
}
