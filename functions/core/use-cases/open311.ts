/**
 * Open311 GeoReport v2 use cases: the standard's services and requests on top of our categories
 * and reports. Filing goes through the very same createReport as the JSON API, so validation,
 * idempotency, the workflow start and the SMS are shared, not re-implemented.
 */
import type { ApiKeyStore } from '#ports/api-keys.ts';
import type { Urgency } from '../catalog.ts';
import { AuthenticationError, DomainRefusalError, ForbiddenError, NotFoundError, ValidationError } from '../errors.ts';
import {
  apiKeyHash,
  type CreatedRequestRecord,
  type GeoReportStatus,
  geoReportStatus,
  type PublicService,
  planRequestSearch,
  type RequestFilters,
  type ServiceDefinitionRecord,
  type ServiceRecord,
  type ServiceRequestRecord,
  serviceDefinition,
  titleFor,
  toCreatedRequest,
  toService,
  toServiceRequest,
} from '../open311.ts';
import type { Actor } from '../people.ts';
import type { Report } from '../report.ts';
import type { TreeNode } from '../tree.ts';
import type { Deps } from './deps.ts';
import type { PhotoDeps } from './photos.ts';
import { createReport } from './reports.ts';

/** Filing reuses createReport, photo checks included, hence PhotoDeps. */
export interface Open311Deps extends PhotoDeps {
  apiKeys: ApiKeyStore;
}

/** Keys longer than this are not ours: refused before any lookup. */
const MAX_API_KEY_LENGTH = 256;
/** Reports read from the store per round trip while walking a listing. */
const STORE_PAGE_SIZE = 200;
/** Reports examined (matching or not) for one GET requests: bounds the cost of a deep page. */
const MAX_EXAMINED = 20_000;

/**
 * `api_key` → the grid worker it was issued to. A missing or unknown key is 403 in Open311 (the
 * error kind is `unauthenticated`); so is a key whose person may not file reports.
 */
export async function authenticateApiKey(deps: Pick<Open311Deps, 'apiKeys' | 'directory'>, apiKey: string | undefined): Promise<Actor> {
  if (!apiKey) throw new AuthenticationError('OPEN311.API_KEY_MISSING', 'api_key is required to submit a request');
  const record = apiKey.length <= MAX_API_KEY_LENGTH ? await deps.apiKeys.findApiKey(apiKeyHash(apiKey)) : null;
  const person = record ? await deps.directory.getPerson(record.personId) : null;
  if (!record || !person) throw new AuthenticationError('OPEN311.API_KEY_INVALID', 'invalid api_key');
  if (person.role !== 'grid_worker') {
    throw new ForbiddenError('OPEN311.WORKERS_ONLY', 'this api_key does not belong to a grid worker; only grid workers file requests');
  }
  return { id: person.id, name: person.name, role: person.role, scope: person.scope };
}

export async function listServices(deps: Pick<Deps, 'directory'>): Promise<ServiceRecord[]> {
  const categories = await deps.directory.listCategories();
  return categories.map(toService);
}

export async function getServiceDefinition(deps: Pick<Deps, 'directory'>, serviceCode: string): Promise<ServiceDefinitionRecord> {
  const category = await deps.directory.getCategory(serviceCode);
  if (!category) throw new NotFoundError('OPEN311.SERVICE_NOT_FOUND', `service_code ${serviceCode} was not found`);
  return serviceDefinition(category);
}

/** A POST requests form after edge validation (handlers/open311/schemas.ts). */
export interface ServiceRequestSubmission {
  serviceCode: string;
  description: string;
  /** lat & long; at least one of coordinates and address is present. */
  coordinates?: { lat: number; lng: number };
  address?: string;
  mediaUrl?: string;
  urgency?: Urgency;
}

/**
 * Files the request as the key's grid worker, for the worker's own grid. Our reports keep an
 * address only next to coordinates, so an address without them is kept in the description.
 */
export async function submitServiceRequest(
  deps: Open311Deps,
  actor: Actor,
  submission: ServiceRequestSubmission,
  idempotencyKey: string,
): Promise<{ created: CreatedRequestRecord; replayed: boolean }> {
  const category = await deps.directory.getCategory(submission.serviceCode);
  // The standard answers 400 for a service_code it does not know (404 is for missing resources).
  if (!category) {
    throw new DomainRefusalError('OPEN311.UNKNOWN_SERVICE_CODE', `service_code ${submission.serviceCode} is not a service here`);
  }
  const { coordinates, address } = submission;
  const location = coordinates ? { ...coordinates, ...(address ? { address } : {}) } : undefined;
  const description = !coordinates && address ? `${submission.description}\n地址：${address}` : submission.description;
  const { report, replayed } = await createReport(
    deps,
    actor,
    {
      gridCode: actor.scope,
      category: category.code,
      urgency: submission.urgency,
      title: titleFor(category.name, submission.description),
      description,
      location,
      photos: submission.mediaUrl ? [submission.mediaUrl] : undefined,
    },
    idempotencyKey,
  );
  return { created: toCreatedRequest(report), replayed };
}

/** One report item and its category: the public note is kept on the report, so no timeline is read. */
export async function getServiceRequest(deps: Pick<Deps, 'directory' | 'reports'>, id: string): Promise<ServiceRequestRecord> {
  const report = await deps.reports.get(id);
  if (!report) throw new NotFoundError('OPEN311.REQUEST_NOT_FOUND', `service_request_id ${id} was not found`);
  return toServiceRequest(report, await deps.directory.getCategory(report.category));
}

/**
 * GET requests: a public read of the whole jurisdiction, newest first. Lists by the tree's roots
 * (the counties) with a Query bounded by the creation window; ids are one GetItem each. Nothing
 * is read per listed report beyond its item, so an anonymous page costs a page of storage reads.
 */
export async function findServiceRequests(
  deps: Pick<Deps, 'directory' | 'reports' | 'clock'>,
  filters: RequestFilters,
): Promise<ServiceRequestRecord[]> {
  const search = planRequestSearch(filters, deps.clock.now());
  const services = new Map<string, PublicService>((await deps.directory.listCategories()).map((c) => [c.code, c]));
  let reports: Report[];
  if (search.kind === 'ids') {
    // Unknown ids are left out, as the standard's multi-id lookup implies; order is the caller's.
    const found = await Promise.all(search.ids.map((id) => deps.reports.get(id)));
    reports = found.filter((r): r is Report => r !== null);
  } else {
    const unknown = search.serviceCodes.filter((code) => !services.has(code));
    if (unknown.length > 0)
      throw new ValidationError('OPEN311.UNKNOWN_SERVICE_CODE', `service_code ${unknown.join(', ')} is not a service here`);
    const roots = await deps.directory.listRoots();
    const matches = (r: Report) =>
      (search.serviceCodes.length === 0 || search.serviceCodes.includes(r.category)) &&
      (search.status === null || geoReportStatus(r) === search.status);
    const skip = (search.page - 1) * search.pageSize;
    reports = [];
    let matched = 0;
    let examined = 0;
    for await (const report of newestFirst(roots.map((root) => reportsOf(deps, root, search)))) {
      if (++examined > MAX_EXAMINED) break;
      if (!matches(report)) continue;
      if (matched++ >= skip) reports.push(report);
      if (reports.length >= search.pageSize) break;
    }
  }
  return reports.map((report) => toServiceRequest(report, services.get(report.category) ?? null));
}

interface WindowSearch {
  from: Date;
  to: Date;
  serviceCodes: string[];
  status: GeoReportStatus | null;
}

/**
 * One root's reports in the window, newest first, walking the store's cursors. A single service
 * code or `closed` is filtered by the store; `open` (four statuses) and several codes in memory.
 */
async function* reportsOf(deps: Pick<Deps, 'reports'>, root: TreeNode, search: WindowSearch): AsyncGenerator<Report> {
  let cursor: string | undefined;
  do {
    const page = await deps.reports.list({
      node: { code: root.code, level: root.level, path: root.path },
      category: search.serviceCodes.length === 1 ? search.serviceCodes[0] : undefined,
      status: search.status === 'closed' ? 'closed' : undefined,
      createdFrom: search.from,
      createdTo: search.to,
      limit: STORE_PAGE_SIZE,
      cursor,
    });
    yield* page.items;
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
}

const isNewer = (a: Report, b: Report) => a.createdAt > b.createdAt || (a.createdAt === b.createdAt && a.id > b.id);

/** Merges newest-first streams (one per county) into one newest-first stream. */
async function* newestFirst(sources: AsyncIterator<Report>[]): AsyncGenerator<Report> {
  const heads = await Promise.all(sources.map((s) => s.next()));
  for (;;) {
    let best = -1;
    for (let i = 0; i < heads.length; i++) {
      const head = heads[i];
      const current = heads[best];
      if (head && !head.done && (!current || current.done || isNewer(head.value, current.value))) best = i;
    }
    const winner = heads[best];
    const source = sources[best];
    if (!winner || winner.done || !source) return;
    yield winner.value;
    heads[best] = await source.next();
  }
}
