/**
 * Our documents against the GeoReport v2 specification's own sample documents
 * (test/fixtures/open311, sources in its README): same element names, nesting and order in XML,
 * same keys and value types in JSON.
 */
import { describe, expect, it } from 'vitest';
import { discovery, serviceDefinition, toCreatedRequest, toService, toServiceRequest } from '#core/open311.ts';
import { close, type Report, resolve } from '#core/report.ts';
import {
  createdRequestsDocument,
  discoveryDocument,
  errorsDocument,
  type GeoReportDocument,
  Repeated,
  serviceDefinitionDocument,
  serviceRequestsDocument,
  servicesDocument,
} from '#handlers/open311/documents.ts';
import { toJson, toXml } from '#handlers/open311/serializers.ts';
import { jsonDifferences, parseXml, readFixture, xmlDifferences } from '../support/open311-shape.ts';
import { acceptedReport, assignedReport, NOW, worker } from './fixtures.ts';

const CATEGORIES = [
  { code: 'dispute', name: '矛盾纠纷', description: '土地、邻里、婚姻家庭、征地补偿等纠纷' },
  { code: 'infrastructure', name: '基础设施', description: '村道、桥梁、供水、路灯等公共设施损坏' },
];

const PUBLIC_SERVICE = { name: '安全隐患', public: true };

function closedReport(): Report {
  return close(resolve(acceptedReport(), worker, NOW, { note: '已修复', public: true }).report, NOW).report;
}

const withPhoto = (r: Report): Report => ({ ...r, photos: ['/api/v1/photos/P0123456789ABCDEF0123'] });

const OURS: Record<string, GeoReportDocument> = {
  services: servicesDocument(CATEGORIES.map(toService)),
  'service-definition': serviceDefinitionDocument(serviceDefinition(CATEGORIES[1] as (typeof CATEGORIES)[number])),
  'post-request': createdRequestsDocument([toCreatedRequest(assignedReport())]),
  requests: serviceRequestsDocument([
    toServiceRequest(closedReport(), PUBLIC_SERVICE),
    toServiceRequest(withPhoto(assignedReport()), PUBLIC_SERVICE),
    toServiceRequest({ ...assignedReport(), category: 'dispute' }, { name: '矛盾纠纷', public: false }),
  ]),
  request: serviceRequestsDocument([toServiceRequest(withPhoto(acceptedReport()), PUBLIC_SERVICE)]),
  errors: errorsDocument([
    { code: 400, description: 'lat: must be at most 90' },
    { code: 400, description: 'service_code: unknown' },
  ]),
  discovery: discoveryDocument(discovery('http://127.0.0.1:8080/open311/v2')),
};

describe.each(Object.keys(OURS))('our %s document, held against the specification’s sample', (name) => {
  const ours = OURS[name] as GeoReportDocument;

  it('has the same XML element names, nesting and order', () => {
    // Prepare
    const sample = parseXml(readFixture(`${name}.xml`));

    // Act
    const differences = xmlDifferences(parseXml(toXml(ours)), sample);

    // Assess
    expect(differences).toEqual([]);
  });

  it('has the same JSON keys and value types', () => {
    // Prepare
    const sample = JSON.parse(readFixture(`${name}.json`));

    // Act
    const differences = jsonDifferences(JSON.parse(toJson(ours)), sample);

    // Assess
    expect(differences).toEqual([]);
  });

  it('is, in JSON, the Spark conversion of its own XML (same names, same nesting)', () => {
    // Prepare
    const xml = parseXml(toXml(ours));
    const json = JSON.parse(toJson(ours));

    // Act
    const firstItem = Array.isArray(json) ? json[0] : json;
    const firstElement = ours.body instanceof Repeated ? xml.children[0] : xml;

    // Assess
    expect(Object.keys(firstItem)).toEqual(firstElement?.children.map((c) => c.name));
  });
});

describe('the comparison itself', () => {
  it('notices a missing field, a reordered field and a wrong type', () => {
    // Prepare
    const sample = parseXml(readFixture('request.xml'));
    const { status_notes: _dropped, ...rest } = toServiceRequest(assignedReport(), PUBLIC_SERVICE);
    const missing = parseXml(toXml(serviceRequestsDocument([rest as never])));
    const record = toServiceRequest(assignedReport(), PUBLIC_SERVICE);
    const { service_request_id, status, ...others } = record;
    const reordered = parseXml(toXml(serviceRequestsDocument([{ status, service_request_id, ...others }])));
    const jsonSample = JSON.parse(readFixture('request.json'));

    // Assess
    expect(xmlDifferences(missing, sample)).toHaveLength(1);
    expect(xmlDifferences(reordered, sample)).toHaveLength(1);
    expect(jsonDifferences([{ ...record, lat: '23.96' }], jsonSample)).toEqual(['$[0].lat: string in ours, number in the sample']);
  });
});
