/**
 * The report item's compact form (report-document.ts): what DynamoDB reads stays an attribute, the
 * rest is one deflated document, and items stored before the form still read as they did.
 */
import { describe, expect, it } from 'vitest';
import {
  DOCUMENT_ATTRIBUTE,
  decodeReport,
  EVENT_SEQ_ATTRIBUTE,
  encodeReport,
  TOP_LEVEL_REPORT_ATTRIBUTES,
} from '#adapters/dynamodb/report-document.ts';
import { escalatedTo } from './fixtures.ts';

const NO_KEYS = new Set<string>();
const KEYS = new Set(['PK', 'SK', 'createdKey']);
/** The report as its JSON (what a round trip through a document can keep: no undefined fields). */
const plain = <T>(value: T): T => JSON.parse(JSON.stringify(value));

describe('the report document', () => {
  it('reads back every field of a report that went up the tiers (breaches, assignees, plans, the last event)', () => {
    // Prepare
    const { report } = escalatedTo('township');

    // Act
    const decoded = decodeReport(encodeReport(report), NO_KEYS);

    // Assess
    expect(decoded).toEqual(plain(report));
  });

  it('keeps as attributes only what DynamoDB reads: keys of indexes, their filters, the version, the projection marks', () => {
    // Prepare
    const { report } = escalatedTo('village');

    // Act
    const item = encodeReport(report);

    // Assess
    expect(Object.keys(item).sort()).toEqual(
      [...[...TOP_LEVEL_REPORT_ATTRIBUTES].filter((name) => name in report), EVENT_SEQ_ATTRIBUTE, DOCUMENT_ATTRIBUTE].sort(),
    );
    expect(item).toMatchObject({
      status: report.status,
      tier: 'village',
      version: report.version,
      [EVENT_SEQ_ATTRIBUTE]: report.lastEvent.seq,
    });
    expect(item[DOCUMENT_ATTRIBUTE]).toBeInstanceOf(Uint8Array);
    expect(new TextDecoder().decode(item[DOCUMENT_ATTRIBUTE] as Uint8Array)).not.toContain(report.title);
  });

  it('is well under the 1 KB a write unit covers for a report at its second tier', () => {
    // Prepare
    const { report } = escalatedTo('village');

    // Act
    const plainSize = new TextEncoder().encode(JSON.stringify(report)).length;
    const documentSize = (encodeReport(report)[DOCUMENT_ATTRIBUTE] as Uint8Array).length;

    // Assess
    expect(plainSize).toBeGreaterThan(1024);
    expect(documentSize).toBeLessThan(plainSize / 2);
  });

  it('reads an item stored before the compact form (all attributes) as it was, leaving out its keys', () => {
    // Prepare
    const { report } = escalatedTo('village');
    const oldItem = { ...plain(report), PK: `REPORT#${report.id}`, SK: '#REPORT', createdKey: `${report.createdAt}#${report.id}` };

    // Act
    const decoded = decodeReport(oldItem, KEYS);

    // Assess
    expect(decoded).toEqual(plain(report));
  });

  it('takes an attribute updated in place over the document (the outcome projection sets outcomesSeq)', () => {
    // Prepare
    const { report } = escalatedTo('village');
    const item = { ...encodeReport({ ...report, outcomesSeq: 1 }), outcomesSeq: report.lastEvent.seq };

    // Act
    const decoded = decodeReport(item, NO_KEYS);

    // Assess
    expect(decoded.outcomesSeq).toBe(report.lastEvent.seq);
    expect(decoded).not.toHaveProperty(EVENT_SEQ_ATTRIBUTE);
    expect(decoded).not.toHaveProperty(DOCUMENT_ATTRIBUTE);
  });

  it('refuses a document of a format it does not know, rather than reading garbage', () => {
    // Prepare
    const { report } = escalatedTo('village');
    const item = encodeReport(report);
    const doc = Uint8Array.from(item[DOCUMENT_ATTRIBUTE] as Uint8Array);
    doc[0] = 9;

    // Act + Assess
    expect(() => decodeReport({ ...item, [DOCUMENT_ATTRIBUTE]: doc }, NO_KEYS)).toThrow(/unknown format 9/);
  });
});
