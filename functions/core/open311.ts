/**
 * Open311 GeoReport v2 (http://wiki.open311.org/GeoReport_v2), as pure functions: what our
 * categories, reports and filters become in the standard's vocabulary, independent of JSON or
 * XML. Field names are the standard's (snake_case) and every record lists its fields in the order
 * of the specification's examples, because the XML serialization keeps that order.
 */
import { createHash } from 'node:crypto';
import { URGENCIES, type Urgency } from './catalog.ts';
import { ValidationError } from './errors.ts';
import { maskPersonalData } from './personal-data.ts';
import { currentDeadline, type Report } from './report.ts';

export const GEOREPORT_V2_SPECIFICATION = 'http://wiki.open311.org/GeoReport_v2';

/**
 * Discovery's changeset tells clients when to refresh cached service lists and definitions.
 * Bump it whenever what `toService`/`serviceDefinition` produce changes shape or content.
 */
export const OPEN311_CHANGESET = '2026-11-23T00:00:00Z';

/** Every category is one group in the standard's sense: the county's social governance (社会治理). */
export const SERVICE_GROUP = '社会治理';

/** The default and widest window of GET requests (the specification's "most recent 90 days"). */
export const REQUEST_WINDOW_DAYS = 90;
export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 200;
/** `page` is walked cursor by cursor; past this the client should narrow the dates instead. */
export const MAX_PAGE = 50;
/** service_request_id lookups are one GetItem each: a bounded list keeps a request cheap. */
export const MAX_REQUEST_IDS = 100;

const DAY_MS = 24 * 3600 * 1000;

export type GeoReportStatus = 'open' | 'closed';

export interface ServiceRecord {
  service_code: string;
  service_name: string;
  description: string;
  metadata: boolean;
  type: 'realtime' | 'batch' | 'blackbox';
  keywords: string;
  group: string;
}

export interface AttributeValueRecord {
  key: string;
  name: string;
}

export interface AttributeRecord {
  variable: boolean;
  code: string;
  datatype: 'string' | 'number' | 'datetime' | 'text' | 'singlevaluelist' | 'multivaluelist';
  required: boolean;
  datatype_description: string | null;
  order: number;
  description: string;
  values: AttributeValueRecord[];
}

export interface ServiceDefinitionRecord {
  service_code: string;
  attributes: AttributeRecord[];
}

/** One request as GET requests shows it; null is an empty element in XML and null in JSON. */
export interface ServiceRequestRecord {
  service_request_id: string;
  status: GeoReportStatus;
  status_notes: string | null;
  service_name: string;
  service_code: string;
  description: string | null;
  agency_responsible: string | null;
  service_notice: string | null;
  requested_datetime: string;
  updated_datetime: string;
  expected_datetime: string | null;
  address: string | null;
  address_id: string | null;
  zipcode: string | null;
  lat: number | null;
  long: number | null;
  media_url: string | null;
}

/** What POST requests answers: the id at once (our services are all `realtime`). */
export interface CreatedRequestRecord {
  service_request_id: string;
  service_notice: string | null;
  account_id: string | null;
}

export interface DiscoveryEndpointRecord {
  specification: string;
  url: string;
  changeset: string;
  type: 'production' | 'test';
  formats: string[];
}

export interface DiscoveryRecord {
  changeset: string;
  contact: string;
  key_service: string;
  endpoints: DiscoveryEndpointRecord[];
}

export interface CategoryLike {
  code: string;
  name: string;
  description: string;
}

// ---- services ----

/** Keywords are the category's name and the items of its description (土地、邻里、…). */
function keywordsOf(category: CategoryLike): string {
  const parts = [category.name, ...category.description.split(/[、，,；;。/]+/)].map((p) => p.trim()).filter((p) => p.length > 0);
  return [...new Set(parts)].join(', ');
}

export function toService(category: CategoryLike): ServiceRecord {
  return {
    service_code: category.code,
    service_name: category.name,
    description: category.description,
    // Every service has a definition (the urgency attribute), so clients should fetch it.
    metadata: true,
    type: 'realtime',
    keywords: keywordsOf(category),
    group: SERVICE_GROUP,
  };
}

const URGENCY_NAMES: Record<Urgency, string> = { normal: '一般', urgent: '紧急', emergency: '特急' };

export const URGENCY_ATTRIBUTE_CODE = 'urgency';

export function serviceDefinition(category: CategoryLike): ServiceDefinitionRecord {
  return {
    service_code: category.code,
    attributes: [
      {
        variable: true,
        code: URGENCY_ATTRIBUTE_CODE,
        datatype: 'singlevaluelist',
        required: false,
        datatype_description: '一般 normal, 紧急 urgent, 特急 emergency; normal when not sent',
        order: 1,
        description: '紧急程度 (urgency): shorter deadlines at every tier for urgent and emergency reports',
        values: URGENCIES.map((key) => ({ key, name: URGENCY_NAMES[key] })),
      },
    ],
  };
}

// ---- requests ----

export function geoReportStatus(report: Report): GeoReportStatus {
  // A merged duplicate is over for the public too: its parent carries the case.
  return report.status === 'closed' || report.status === 'merged' ? 'closed' : 'open';
}

/** What the public read needs of a report's category: its name, and whether its content is public. */
export interface PublicService {
  name: string;
  public: boolean;
}

/** A position to two decimals: about 1.1 km north–south, less east–west; the village, not the house. */
const toAboutAKilometre = (value: number) => Math.round(value * 100) / 100;

const publicText = (text: string | null | undefined): string | null => (text ? maskPersonalData(text) : null);

/**
 * A report as a public GeoReport request. Reports are about residents, so by default the public
 * sees that a request exists, its category, status, agency and dates, and roughly where; only for
 * a category marked public also what it says, its address, its photo and its latest public note,
 * with phone, ID-card and plate numbers masked. Never the reporter or the assignees. A category
 * the catalog no longer knows is treated as not public.
 */
export function toServiceRequest(report: Report, service: PublicService | null): ServiceRequestRecord {
  const shown = service?.public === true;
  const location = report.location;
  return {
    service_request_id: report.id,
    status: geoReportStatus(report),
    status_notes: shown ? publicText(report.publicNote?.note) : null,
    service_name: service?.name ?? report.category,
    service_code: report.category,
    description: shown ? publicText(report.description) : null,
    agency_responsible: report.ownerName || null,
    service_notice: null,
    requested_datetime: report.createdAt,
    updated_datetime: report.updatedAt,
    expected_datetime: currentDeadline(report),
    address: shown ? publicText(location?.address) : null,
    address_id: null,
    zipcode: null,
    lat: location ? toAboutAKilometre(location.lat) : null,
    long: location ? toAboutAKilometre(location.lng) : null,
    media_url: shown ? (report.photos[0] ?? null) : null,
  };
}

/**
 * Photos are stored as API paths (/api/v1/photos/{id}); the standard's media_url is a full URL,
 * so a path is resolved against this deployment's public address (PUBLIC_BASE_URL), never against
 * the Host a client sent.
 */
export function withAbsoluteMediaUrl(record: ServiceRequestRecord, publicBaseUrl: string): ServiceRequestRecord {
  if (!record.media_url?.startsWith('/')) return record;
  return { ...record, media_url: new URL(record.media_url, publicBaseUrl).href };
}

export const SUBMITTED_NOTICE = '已受理：网格员签收处置；逾期未办结将自动逐级上报（网格→村→乡镇→部门）。';

export function toCreatedRequest(report: Report): CreatedRequestRecord {
  // account_id would name the worker behind the key: never returned.
  return { service_request_id: report.id, service_notice: SUBMITTED_NOTICE, account_id: null };
}

// ---- submitting ----

/** Same limit as the JSON API's title (handlers/http/schemas.ts), in UTF-16 units like zod's max. */
export const MAX_TITLE_LENGTH = 100;
const TITLE_EXCERPT_LENGTH = 40;

/** Cuts to at most `max` UTF-16 units without splitting a surrogate pair. */
function cutAt(text: string, max: number): string {
  let out = '';
  for (const ch of text) {
    if (out.length + ch.length > max) break;
    out += ch;
  }
  return out;
}

/**
 * Open311 has no title, ours is required: the service name and the start of the description, on
 * one line (line breaks and controls become spaces), at most 100 characters.
 */
export function titleFor(serviceName: string, description: string): string {
  const flat = (s: string) =>
    s
      .replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ')
      .replace(/\s+/g, ' ')
      .trim();
  const name = flat(serviceName);
  const text = flat(description);
  const excerpt = cutAt(text, TITLE_EXCERPT_LENGTH);
  const body = excerpt.length < text.length ? `${excerpt}…` : excerpt;
  return cutAt(body ? `${name}：${body}` : name, MAX_TITLE_LENGTH);
}

/**
 * Without an Idempotency-Key header, a retried identical POST must still find the first report:
 * the key is a hash of the api key and every form field except the api key itself. Two identical
 * submissions are therefore one report; a client that means two sends distinct Idempotency-Keys.
 */
export function derivedIdempotencyKey(apiKey: string, fields: readonly (readonly [string, string])[]): string {
  const canonical = JSON.stringify([...fields].filter(([name]) => name !== 'api_key').sort(([a, av], [b, bv]) => cmp(a, b) || cmp(av, bv)));
  return `open311-${sha256Hex(`${sha256Hex(apiKey)}\n${canonical}`)}`;
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * Keys are long random secrets, so a plain SHA-256 is the right lookup hash (a slow password hash
 * buys nothing and costs every request); only the hash is ever stored.
 */
export function apiKeyHash(apiKey: string): string {
  return sha256Hex(apiKey);
}

// ---- GET requests filters ----

export interface RequestFilters {
  serviceRequestIds?: string[];
  serviceCodes?: string[];
  startDate?: Date;
  endDate?: Date;
  statuses?: GeoReportStatus[];
  page?: number;
  pageSize?: number;
}

export type RequestSearch =
  | { kind: 'ids'; ids: string[] }
  | {
      kind: 'window';
      from: Date;
      to: Date;
      /** Empty: every service. */
      serviceCodes: string[];
      /** null: open and closed. */
      status: GeoReportStatus | null;
      page: number;
      pageSize: number;
    };

/**
 * The specification's rules for GET requests: service_request_id overrides every other filter;
 * otherwise the window is the last 90 days, a lone bound extends 90 days from itself, and a
 * window may not span more than 90 days. `page`/`page_size` are the widely used extension.
 */
export function planRequestSearch(filters: RequestFilters, now: Date): RequestSearch {
  if (filters.serviceRequestIds && filters.serviceRequestIds.length > 0) {
    const ids = [...new Set(filters.serviceRequestIds)];
    if (ids.length > MAX_REQUEST_IDS) {
      throw new ValidationError('OPEN311.TOO_MANY_IDS', `at most ${MAX_REQUEST_IDS} service_request_id values at once`);
    }
    return { kind: 'ids', ids };
  }
  const span = REQUEST_WINDOW_DAYS * DAY_MS;
  const { startDate, endDate } = filters;
  const to = endDate ?? (startDate ? new Date(startDate.getTime() + span) : now);
  const from = startDate ?? new Date(to.getTime() - span);
  if (from.getTime() > to.getTime()) throw new ValidationError('OPEN311.BAD_DATES', 'start_date is after end_date');
  if (to.getTime() - from.getTime() > span) {
    throw new ValidationError('OPEN311.BAD_DATES', `start_date and end_date may not span more than ${REQUEST_WINDOW_DAYS} days`);
  }
  const statuses = new Set(filters.statuses ?? []);
  const page = filters.page ?? 1;
  const pageSize = filters.pageSize ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(page) || page < 1 || page > MAX_PAGE) throw new ValidationError('OPEN311.BAD_PAGE', `page is 1 to ${MAX_PAGE}`);
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
    throw new ValidationError('OPEN311.BAD_PAGE_SIZE', `page_size is 1 to ${MAX_PAGE_SIZE}`);
  }
  return {
    kind: 'window',
    from,
    to,
    serviceCodes: [...new Set(filters.serviceCodes ?? [])],
    status: statuses.size === 1 ? ([...statuses][0] ?? null) : null,
    page,
    pageSize,
  };
}

// ---- discovery ----

/** This deployment's GeoReport v2 base URL, under its public address. */
export function open311EndpointUrl(publicBaseUrl: string): string {
  return new URL('/open311/v2', publicBaseUrl).href;
}

export function discovery(endpointUrl: string): DiscoveryRecord {
  return {
    changeset: OPEN311_CHANGESET,
    contact: 'GridWhistle 网格吹哨 — the county comprehensive governance centre (县综治中心) runs this endpoint',
    key_service: 'API keys are issued to grid workers (网格员) by the county administrator; each key files reports for its worker’s grid',
    endpoints: [
      {
        specification: GEOREPORT_V2_SPECIFICATION,
        url: endpointUrl,
        changeset: OPEN311_CHANGESET,
        type: 'production',
        formats: ['text/xml', 'application/json'],
      },
    ],
  };
}
