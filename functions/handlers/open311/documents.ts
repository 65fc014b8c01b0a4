/**
 * GeoReport v2 documents, before they become JSON or XML. The standard defines XML and derives
 * JSON from it by the "Spark convention": the root element disappears, an element whose children
 * all repeat one name (<services><service/>…) becomes an array, any other element an object, and
 * an empty element null. Describing each response once in this neutral shape lets one serializer
 * per format follow that rule, so the two formats cannot drift apart.
 */
import type { CreatedRequestRecord, DiscoveryRecord, ServiceDefinitionRecord, ServiceRecord, ServiceRequestRecord } from '#core/open311.ts';

export type Scalar = string | number | boolean | null;

/** An element holding one repeated child element: an array in JSON. */
export class Repeated {
  constructor(
    readonly itemName: string,
    readonly items: readonly DocumentValue[],
  ) {}
}

/** An element with named child elements, in document order: an object in JSON. */
export interface Fields {
  readonly [name: string]: DocumentValue;
}

export type DocumentValue = Scalar | Repeated | Fields;

export interface GeoReportDocument {
  /** The XML root element; JSON has none. */
  readonly root: string;
  readonly body: Fields | Repeated;
}

export function servicesDocument(services: readonly ServiceRecord[]): GeoReportDocument {
  return {
    root: 'services',
    body: new Repeated(
      'service',
      services.map((s) => ({ ...s })),
    ),
  };
}

export function serviceDefinitionDocument(definition: ServiceDefinitionRecord): GeoReportDocument {
  const attributes = definition.attributes.map((a) => ({
    ...a,
    values: new Repeated(
      'value',
      a.values.map((v) => ({ ...v })),
    ),
  }));
  return { root: 'service_definition', body: { service_code: definition.service_code, attributes: new Repeated('attribute', attributes) } };
}

export function serviceRequestsDocument(requests: readonly ServiceRequestRecord[]): GeoReportDocument {
  return {
    root: 'service_requests',
    body: new Repeated(
      'request',
      requests.map((r) => ({ ...r })),
    ),
  };
}

/** POST requests answers with the same envelope as GET requests, holding only the new id. */
export function createdRequestsDocument(created: readonly CreatedRequestRecord[]): GeoReportDocument {
  return {
    root: 'service_requests',
    body: new Repeated(
      'request',
      created.map((c) => ({ ...c })),
    ),
  };
}

export function discoveryDocument(record: DiscoveryRecord): GeoReportDocument {
  const endpoints = record.endpoints.map((e) => ({ ...e, formats: new Repeated('format', e.formats) }));
  return {
    root: 'discovery',
    body: {
      changeset: record.changeset,
      contact: record.contact,
      key_service: record.key_service,
      endpoints: new Repeated('endpoint', endpoints),
    },
  };
}

export interface ErrorEntry {
  /** The HTTP status, as in the standard's examples. */
  code: number;
  description: string;
}

export function errorsDocument(errors: readonly ErrorEntry[]): GeoReportDocument {
  return {
    root: 'errors',
    body: new Repeated(
      'error',
      errors.map((e) => ({ code: e.code, description: e.description })),
    ),
  };
}
