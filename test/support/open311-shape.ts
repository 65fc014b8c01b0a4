/**
 * Test-only tools to hold our Open311 documents against the specification's samples
 * (test/fixtures/open311): a small strict XML parser (elements, text and entities — GeoReport XML
 * has no attributes or namespaces) and shape comparisons that report every difference.
 */
import { readFileSync } from 'node:fs';

export interface XmlElement {
  name: string;
  children: XmlElement[];
  /** Text content (entities decoded); '' for an element with children or an empty one. */
  text: string;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decodeEntities(text: string): string {
  if (/&(?!(?:[a-z]+|#\d+|#x[0-9A-Fa-f]+);)/.test(text)) throw new Error(`a raw & in text: ${text}`);
  return text.replace(/&([^;]*);/g, (whole, body: string) => {
    if (body.startsWith('#x')) return String.fromCodePoint(Number.parseInt(body.slice(2), 16));
    if (body.startsWith('#')) return String.fromCodePoint(Number.parseInt(body.slice(1), 10));
    const named = ENTITIES[body];
    if (named === undefined) throw new Error(`unknown entity ${whole}`);
    return named;
  });
}

/** Parses a whole document; throws on anything that is not well-formed (for GeoReport's subset). */
export function parseXml(source: string): XmlElement {
  let text = source;
  const declaration = /^\uFEFF?<\?xml\s+version="1\.0"\s+encoding="(utf|UTF)-8"\s*\?>/.exec(text);
  if (!declaration) throw new Error('missing <?xml version="1.0" encoding="utf-8"?> declaration');
  text = text.slice(declaration[0].length);
  const token = /<(\/?)([A-Za-z_][\w.-]*)\s*(\/?)>|([^<]+)|(<)/g;
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  for (let match = token.exec(text); match !== null; match = token.exec(text)) {
    const [, closing, name, selfClosing, chars, stray] = match;
    if (stray) throw new Error(`not well-formed near: ${text.slice(match.index, match.index + 30)}`);
    const parent = stack.at(-1);
    if (chars !== undefined) {
      if (chars.includes('>') || chars.includes(']]>')) throw new Error(`unescaped > in text: ${chars}`);
      if (parent) parent.text += decodeEntities(chars);
      else if (chars.trim() !== '') throw new Error(`text outside the root element: ${chars}`);
      continue;
    }
    if (closing) {
      const open = stack.pop();
      if (!open || open.name !== name) throw new Error(`</${name}> closes <${open?.name ?? 'nothing'}>`);
      if (open.children.length > 0) {
        if (open.text.trim() !== '') throw new Error(`<${name}> mixes text and elements`);
        open.text = '';
      }
      continue;
    }
    const element: XmlElement = { name: name ?? '', children: [], text: '' };
    if (parent) parent.children.push(element);
    else if (root) throw new Error('a second root element');
    else root = element;
    if (!selfClosing) stack.push(element);
  }
  if (stack.length > 0) throw new Error(`<${stack.at(-1)?.name}> is not closed`);
  if (!root) throw new Error('no root element');
  return root;
}

export function readFixture(name: string): string {
  return readFileSync(new URL(`../fixtures/open311/${name}`, import.meta.url), 'utf8');
}

/** Elements whose children all repeat one name are lists (the Spark convention's arrays). */
function isList(element: XmlElement): boolean {
  const first = element.children[0];
  return first !== undefined && element.children.every((c) => c.name === first.name);
}

/**
 * Every structural difference between our element and the sample's: names, child order, nesting.
 * A list is compared by its first item: the specification's own service list varies the order of
 * later items, and its first item follows the documented field table.
 */
export function xmlDifferences(ours: XmlElement, sample: XmlElement, path = ours.name): string[] {
  if (ours.name !== sample.name) return [`${path}: element <${ours.name}>, sample <${sample.name}>`];
  const sampleLeaf = sample.children.length === 0;
  const oursLeaf = ours.children.length === 0;
  if (sampleLeaf || oursLeaf) {
    return sampleLeaf === oursLeaf
      ? []
      : [`${path}: ${oursLeaf ? 'text' : 'elements'} in ours, ${sampleLeaf ? 'text' : 'elements'} in the sample`];
  }
  if (isList(sample)) {
    const item = sample.children[0] as XmlElement;
    if (!isList(ours)) return [`${path}: not a list of <${item.name}>`];
    return ours.children.flatMap((child, i) => xmlDifferences(child, item, `${path}/${child.name}[${i}]`));
  }
  const ourNames = ours.children.map((c) => c.name);
  const sampleNames = sample.children.map((c) => c.name);
  if (ourNames.join() !== sampleNames.join()) return [`${path}: children (${ourNames.join(', ')}), sample (${sampleNames.join(', ')})`];
  return ours.children.flatMap((child, i) => xmlDifferences(child, sample.children[i] as XmlElement, `${path}/${child.name}`));
}

/** Fields the samples show as numbers that are opaque identifiers (strings here). */
const IDENTIFIERS = new Set(['service_request_id', 'service_code', 'address_id', 'zipcode', 'key', 'token']);

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

/**
 * Every difference in key sets and value types between our JSON and the sample's. JSON objects
 * are unordered, so keys are compared as sets; lists by their first sample item, as for XML.
 */
export function jsonDifferences(ours: unknown, sample: unknown, path = '$', key = ''): string[] {
  const ourType = typeOf(ours);
  const sampleType = typeOf(sample);
  if (ourType === 'null' || sampleType === 'null') return [];
  if (IDENTIFIERS.has(key) && ['string', 'number'].includes(ourType) && ['string', 'number'].includes(sampleType)) return [];
  if (ourType !== sampleType) return [`${path}: ${ourType} in ours, ${sampleType} in the sample`];
  if (Array.isArray(ours) && Array.isArray(sample)) {
    if (sample.length === 0) return [];
    return ours.flatMap((item, i) => jsonDifferences(item, sample[0], `${path}[${i}]`, key));
  }
  if (ourType === 'object') {
    const o = ours as Record<string, unknown>;
    const s = sample as Record<string, unknown>;
    const ourKeys = Object.keys(o).sort();
    const sampleKeys = Object.keys(s).sort();
    if (ourKeys.join() !== sampleKeys.join()) return [`${path}: keys (${ourKeys.join(', ')}), sample (${sampleKeys.join(', ')})`];
    return ourKeys.flatMap((k) => jsonDifferences(o[k], s[k], `${path}.${k}`, k));
  }
  return [];
}
