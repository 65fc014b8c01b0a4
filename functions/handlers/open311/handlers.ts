/**
 * Open311 GeoReport v2 under /open311/v2/: discovery, services, service definitions, requests.
 * Reads are public; POST requests authenticates by `api_key` (a grid worker's key), not a token.
 */
import { NotFoundError, ValidationError } from '#core/errors.ts';
import { derivedIdempotencyKey, discovery, open311EndpointUrl, withAbsoluteMediaUrl } from '#core/open311.ts';
import {
  authenticateApiKey,
  findServiceRequests,
  getServiceDefinition,
  getServiceRequest,
  listServices,
  type Open311Deps,
  submitServiceRequest,
} from '#core/use-cases/open311.ts';
import { header } from '#handlers/http/http.ts';
import { idempotencyKey } from '#handlers/http/schemas.ts';
import {
  createdRequestsDocument,
  discoveryDocument,
  serviceDefinitionDocument,
  serviceRequestsDocument,
  servicesDocument,
} from './documents.ts';
import { formFields, open311Route, respond, single } from './http.ts';
import { parseRequestsQuery, parseServiceRequestForm } from './schemas.ts';

const noSuchResource = (name: string) => new NotFoundError('OPEN311.NO_SUCH_RESOURCE', `${name} is not a GeoReport v2 resource here`);

/**
 * URLs in responses are built on PUBLIC_BASE_URL (the deps' public address), never on the Host
 * header: a client must not be able to make our documents point somewhere else.
 */
const publicBaseUrl = (deps: Open311Deps) => deps.linkSettings.baseUrl();

/** GET /open311/v2/{discovery|services|requests}.{json|xml} */
export const createOpen311ResourceHandler = (deps: Open311Deps) =>
  open311Route(async (event, file) => {
    switch (file.name) {
      case 'discovery':
        return respond(200, discoveryDocument(discovery(open311EndpointUrl(publicBaseUrl(deps)))), file.format);
      case 'services':
        return respond(200, servicesDocument(await listServices(deps)), file.format);
      case 'requests': {
        const requests = await findServiceRequests(deps, parseRequestsQuery(event.queryStringParameters));
        const base = publicBaseUrl(deps);
        return respond(200, serviceRequestsDocument(requests.map((r) => withAbsoluteMediaUrl(r, base))), file.format);
      }
      default:
        throw noSuchResource(file.name);
    }
  });

/** GET /open311/v2/services/{service_code}.{json|xml} */
export const createOpen311ServiceDefinitionHandler = (deps: Open311Deps) =>
  open311Route(async (_event, file) => respond(200, serviceDefinitionDocument(await getServiceDefinition(deps, file.name)), file.format));

/** GET /open311/v2/requests/{service_request_id}.{json|xml} — the standard's one-element list. */
export const createOpen311RequestHandler = (deps: Open311Deps) =>
  open311Route(async (_event, file) => {
    const request = withAbsoluteMediaUrl(await getServiceRequest(deps, file.name), publicBaseUrl(deps));
    return respond(200, serviceRequestsDocument([request]), file.format);
  });

/**
 * POST /open311/v2/requests.{json|xml}, form-urlencoded. A retried POST finds the first report:
 * by the client's Idempotency-Key header, or else by a key derived from the api key and the form.
 */
export const createOpen311SubmitHandler = (deps: Open311Deps) =>
  open311Route(async (event, file) => {
    if (file.name !== 'requests') throw noSuchResource(`POST ${file.name}`);
    const fields = formFields(event);
    const apiKey = single(fields, 'api_key');
    const actor = await authenticateApiKey(deps, apiKey);
    const submission = parseServiceRequestForm(fields);
    const { created, replayed } = await submitServiceRequest(
      deps,
      actor,
      submission,
      idempotencyKeyOf(header(event, 'idempotency-key'), apiKey, fields),
    );
    return respond(
      replayed ? 200 : 201,
      createdRequestsDocument([created]),
      file.format,
      replayed ? { 'idempotent-replayed': 'true' } : {},
    );
  });

function idempotencyKeyOf(sent: string | undefined, apiKey: string | undefined, fields: readonly (readonly [string, string])[]): string {
  if (sent === undefined) return derivedIdempotencyKey(apiKey ?? '', fields);
  const key = idempotencyKey.safeParse(sent);
  if (!key.success) throw new ValidationError('REQUEST.IDEMPOTENCY_KEY', 'Idempotency-Key must be 8–128 characters of A–Z a–z 0–9 _ . : -');
  return key.data;
}
