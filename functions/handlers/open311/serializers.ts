/**
 * The two wire formats of a GeoReport document: JSON by the Spark convention and XML as the
 * standard writes it (UTF-8 declaration, no namespace, no attributes).
 */
import { jsonText } from '#handlers/http/http.ts';
import { type DocumentValue, type Fields, type GeoReportDocument, Repeated } from './documents.ts';

export type Format = 'json' | 'xml';

export const CONTENT_TYPES: Record<Format, string> = {
  json: 'application/json; charset=utf-8',
  xml: 'text/xml; charset=utf-8',
};

function toPlain(value: DocumentValue): unknown {
  if (value instanceof Repeated) return value.items.map(toPlain);
  if (value === null || typeof value !== 'object') return typeof value === 'number' && !Number.isFinite(value) ? null : value;
  return Object.fromEntries(Object.entries(value).map(([name, v]) => [name, toPlain(v)]));
}

export function toJson(document: GeoReportDocument): string {
  return jsonText(toPlain(document.body));
}

// ---- XML ----

// XML 1.0 allows only these characters, even escaped; anything else (C0 controls, lone
// surrogates, U+FFFE/FFFF) would make the whole document unparseable, so it becomes U+FFFD.
const NOT_XML_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;
const XML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;', '\r': '&#13;' };

/** Text safe inside an element or an attribute; \r is kept as a reference or parsers would drop it. */
export function escapeXml(text: string): string {
  return text.replace(NOT_XML_CHAR, '\uFFFD').replace(/[&<>"'\r]/g, (ch) => XML_ESCAPES[ch] ?? ch);
}

// Names come from our own document builders, never from input; a bad one is a bug to fail loudly on.
const XML_NAME = /^(?!xml)[A-Za-z_][A-Za-z0-9_.-]*$/i;

function scalarText(value: string | number | boolean): string {
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  return typeof value === 'boolean' ? String(value) : escapeXml(value);
}

function writeElement(name: string, value: DocumentValue, depth: number, out: string[]): void {
  if (!XML_NAME.test(name)) throw new Error(`not an XML element name: ${name}`);
  const indent = '  '.repeat(depth);
  if (value === null || (typeof value === 'number' && !Number.isFinite(value))) {
    out.push(`${indent}<${name}/>`);
    return;
  }
  if (typeof value !== 'object') {
    out.push(`${indent}<${name}>${scalarText(value)}</${name}>`);
    return;
  }
  const children: [string, DocumentValue][] =
    value instanceof Repeated ? value.items.map((item) => [value.itemName, item]) : Object.entries(value as Fields);
  if (children.length === 0) {
    out.push(`${indent}<${name}/>`);
    return;
  }
  out.push(`${indent}<${name}>`);
  for (const [childName, child] of children) writeElement(childName, child, depth + 1, out);
  out.push(`${indent}</${name}>`);
}

export function toXml(document: GeoReportDocument): string {
  const out = ['<?xml version="1.0" encoding="utf-8"?>'];
  writeElement(document.root, document.body, 0, out);
  return `${out.join('\n')}\n`;
}

export function serialize(document: GeoReportDocument, format: Format): string {
  return format === 'json' ? toJson(document) : toXml(document);
}
