import { describe, expect, it } from 'vitest';
import { errorsDocument, type GeoReportDocument, Repeated } from '#handlers/open311/documents.ts';
import { escapeXml, serialize, toJson, toXml } from '#handlers/open311/serializers.ts';
import { parseXml } from '../support/open311-shape.ts';

const sample: GeoReportDocument = {
  root: 'service_requests',
  body: new Repeated('request', [
    {
      service_request_id: 'R1',
      status: 'open',
      description: null,
      lat: 23.96,
      metadata: true,
      formats: new Repeated('format', ['text/xml']),
    },
  ]),
};

describe('the JSON serializer (Spark convention)', () => {
  it('drops the root, turns repeated elements into arrays, empty values into null, keeps numbers and booleans typed', () => {
    // Act
    const json = JSON.parse(toJson(sample));

    // Assess
    expect(json).toEqual([
      { service_request_id: 'R1', status: 'open', description: null, lat: 23.96, metadata: true, formats: ['text/xml'] },
    ]);
  });

  it('writes an object body as an object and an empty list as []', () => {
    // Assess
    expect(JSON.parse(toJson({ root: 'discovery', body: { changeset: 'x', endpoints: new Repeated('endpoint', []) } }))).toEqual({
      changeset: 'x',
      endpoints: [],
    });
  });

  it('writes a number that is not finite as null rather than invalid JSON', () => {
    // Assess
    expect(toJson({ root: 'r', body: { lat: Number.NaN } })).toBe('{"lat":null}');
  });
});

describe('the XML serializer', () => {
  it('writes the UTF-8 declaration, the root, one element per field in order and empty elements for empty values', () => {
    // Act
    const xml = toXml(sample);

    // Assess
    expect(xml.startsWith('<?xml version="1.0" encoding="utf-8"?>\n<service_requests>')).toBe(true);
    const request = parseXml(xml).children[0];
    expect(request?.children.map((c) => c.name)).toEqual(['service_request_id', 'status', 'description', 'lat', 'metadata', 'formats']);
    expect(request?.children.map((c) => c.text)).toEqual(['R1', 'open', '', '23.96', 'true', '']);
    expect(request?.children[5]?.children.map((c) => [c.name, c.text])).toEqual([['format', 'text/xml']]);
    expect(xml).toContain('<description/>');
  });

  it('escapes & < > " \' so any text survives a round trip through a parser', () => {
    // Prepare
    const nasty = `a & b < c > d " e ' f </description><x>&amp;]]>`;

    // Act
    const xml = toXml({ root: 'errors', body: new Repeated('error', [{ code: 400, description: nasty }]) });

    // Assess
    expect(xml).toContain('a &amp; b &lt; c &gt; d &quot; e &apos; f &lt;/description&gt;&lt;x&gt;&amp;amp;]]&gt;');
    expect(parseXml(xml).children[0]?.children[1]?.text).toBe(nasty);
  });

  it('keeps Chinese text, emoji, tabs and line breaks (\\r as a character reference) as they are', () => {
    // Prepare
    const text = '村道小桥塌陷\t😀\r\n第二行';

    // Act
    const xml = toXml({ root: 'r', body: { description: text } });

    // Assess
    expect(xml).toContain('村道小桥塌陷\t😀&#13;\n第二行');
    expect(parseXml(xml).children[0]?.text).toBe(text);
  });

  it('replaces characters XML 1.0 cannot carry (controls, lone surrogates, U+FFFF) with U+FFFD instead of breaking the document', () => {
    // Assess
    expect(escapeXml('a\u0000b\u0007c\ud800d\uffffe')).toBe('a\uFFFDb\uFFFDc\uFFFDd\uFFFDe');
  });

  it('refuses to write an element name that is not a legal XML name (a bug, not an input)', () => {
    // Assess
    expect(() => toXml({ root: 'r', body: { 'bad name': 'x' } })).toThrow(/not an XML element name/);
    expect(() => toXml({ root: 'xmlthing', body: {} })).toThrow(/not an XML element name/);
  });

  it('writes the standard’s errors document', () => {
    // Act
    const xml = serialize(errorsDocument([{ code: 403, description: 'invalid api_key' }]), 'xml');
    const json = serialize(errorsDocument([{ code: 403, description: 'invalid api_key' }]), 'json');

    // Assess
    const errors = parseXml(xml);
    expect(errors.name).toBe('errors');
    expect(errors.children[0]?.children.map((c) => [c.name, c.text])).toEqual([
      ['code', '403'],
      ['description', 'invalid api_key'],
    ]);
    expect(JSON.parse(json)).toEqual([{ code: 403, description: 'invalid api_key' }]);
  });
});

describe('the test XML parser', () => {
  it.each([
    ['no declaration', '<a/>'],
    ['a tag closed by another', '<?xml version="1.0" encoding="utf-8"?><a><b></a></b>'],
    ['an unclosed element', '<?xml version="1.0" encoding="utf-8"?><a><b/>'],
    ['a raw ampersand', '<?xml version="1.0" encoding="utf-8"?><a>&</a>'],
    ['a stray <', '<?xml version="1.0" encoding="utf-8"?><a>1 < 2</a>'],
    ['two roots', '<?xml version="1.0" encoding="utf-8"?><a/><b/>'],
  ])('rejects %s, so a passing round trip means well-formed output', (_name, xml) => {
    // Assess
    expect(() => parseXml(xml)).toThrow();
  });
});
