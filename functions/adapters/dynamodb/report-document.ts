/**
 * The report item's compact form. DynamoDB bills a write per started kilobyte of the item, and a
 * report item is written a dozen times on the shortest path (filing, each step, each action, each
 * outcome mark): as plain attributes a report passes 1 KB at its first assignment, so every later
 * write cost 2 WRU. The fields DynamoDB itself never reads (the text, the people, the plans, the
 * last event) are therefore stored as one deflated JSON document, `doc`, with a preset dictionary
 * of the report's attribute names and common values, which keeps a typical report well under 1 KB.
 *
 * Stay top-level, because DynamoDB reads them: the table and index keys, the attributes the
 * indexes project for their filters (status, tier, category, the tree codes), `version` (the
 * writes' condition), `outcomesSeq` (updated in place by the outcome projection) and `eventSeq`
 * (the last event's seq, the projection's condition). On reading, top-level attributes win over
 * the document's, so items stored before this form (all top-level) read as they always did, and
 * are rewritten compactly by their next save.
 *
 * The format byte leads the document: a later dictionary is a new format, and the old ones stay
 * here for the items that carry them.
 */
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import type { Report } from '#core/report.ts';
import { ALL_INDEXES } from './table.ts';

type Item = Record<string, unknown>;

/**
 * Attributes of the report kept as attributes of the item (see above); the rest goes into `doc`.
 * Derived from the index design, so an index that comes to key or filter on a report field keeps it readable there.
 */
export const TOP_LEVEL_REPORT_ATTRIBUTES: ReadonlySet<string> = new Set([
  ...ALL_INDEXES.flatMap((index) => [
    index.partitionKey,
    index.sortKey,
    ...(index.projection.type === 'INCLUDE' ? index.projection.attributes : []),
  ]),
  'version',
  'outcomesSeq',
]);

/** The item attribute holding the document. */
export const DOCUMENT_ATTRIBUTE = 'doc';
/** The last event's seq on the item, for conditions (the event itself is in the document). */
export const EVENT_SEQ_ATTRIBUTE = 'eventSeq';

const FORMAT_DEFLATE_V1 = 1;

/**
 * Format 1's preset dictionary. NEVER EDIT: stored documents can only be inflated with the exact
 * bytes they were deflated with. Deflate finds its matches in the last 32 KB before the data, and
 * nearer matches cost fewer bits, so the most frequent fragments come last.
 */
const DICTIONARY_V1 = Buffer.from(
  [
    '"publicNote":{"text":"","by":"","at":"',
    '"mergedInto":"R","mergedChildren":["R"],"parentClosedAt":"',
    '"assignments":[{"seq":1,"tier":"department","ownerCode":"","ownerName":"","assignees":[',
    '],"status":"summoned","summonedBy":{"tier":"township","tierSeq":1,"actor":{',
    '}},"summonedAt":"","checkInBy":"","checkedInAt":null,"breaches":[]}],"pendingWhistle":[',
    '"calendarVersion":1,"smsRetry":{"tierSeq":1,"reminder":0,"attempts":1,"at":"',
    '"breaches":[{"tier":"grid","ownerCode":"","phase":"accept","deadline":"","at":"',
    '"departmentCodes":["',
    '"location":{"lat":24.,"lng":109.,"accuracy":',
    '"photos":["',
    '"occurredAt":"',
    '"visit":{"tierSeq":1,"visitors":[{"id":"p-","name":"","role":"village_admin"}],"dueBy":"',
    '","assignedAt":"","outcome":"satisfied","visitedBy":"p-',
    '"reminderPlan":{"tierSeq":1,"acceptBy":"","completeBy":"","accept":[],"complete":[],"acceptSent":0,"completeSent":0}',
    '"waiting":{"token":"local-","tierSeq":1,"phase":"accept","deadline":"","wakeAt":"","execution":"R","rounds":1}',
    '"lastEvent":{"seq":1,"at":"","tier":"grid","type":"assigned","actor":{"id":"system","name":"系统","role":"system"},"note":"","data":{},"hash":"',
    '{"id":"R","title":"","description":"","location":null,"photos":[],"occurredAt":null,',
    '"urgency":"normal","reporter":{"id":"p-worker-","name":"","role":"grid_worker"},',
    '"filedUnder":{"countyName":"县","townshipName":"镇","villageName":"村","gridName":"网格"},"flags":[],',
    '"tierSeq":1,"ownerCode":"","ownerName":"","assignees":[{"id":"p-","name":"","role":"grid_worker"}],',
    '"pastAssigneeIds":["p-"],"departmentCodes":[],"acceptBy":"2026-","completeBy":"2026-",',
    '"acceptedAt":null,"resolvedAt":null,"closedAt":null,"notifiedTierSeq":1,"remindersSent":0,"breaches":[],',
    '"pinnedPolicy":{"category":"","urgency":"normal","tiers":{"grid":{"acceptSeconds":7200,"completeSeconds":86400},',
    '"village":{"acceptSeconds":14400,"completeSeconds":172800},"township":{"acceptSeconds":28800,"completeSeconds":259200},',
    '"department":{"acceptSeconds":86400,"completeSeconds":432000},"supervision":{"acceptSeconds":86400,"completeSeconds":259200}},',
    '"version":1,"basis":"working","reminderFractions":[0.5,0.8],"startTier":"township","whistleDepartments":[],"visitSeconds":',
    '"createdAt":"2026-","updatedAt":"2026-","policyVersion":1,"smsRetry":null,"assignedAt":"2026-',
    'T00:00:00.000Z","',
  ].join(''),
);

/** The item attributes of a report: its top-level ones, the last event's seq and the document. */
export function encodeReport(report: Report): Item {
  const top: Item = {};
  const rest: Item = {};
  for (const [name, value] of Object.entries(report)) {
    if (value === undefined) continue;
    if (TOP_LEVEL_REPORT_ATTRIBUTES.has(name)) top[name] = value;
    else rest[name] = value;
  }
  const deflated = deflateRawSync(Buffer.from(JSON.stringify(rest)), { level: 9, dictionary: DICTIONARY_V1 });
  const doc = new Uint8Array(deflated.length + 1);
  doc[0] = FORMAT_DEFLATE_V1;
  doc.set(deflated, 1);
  return { ...top, [EVENT_SEQ_ATTRIBUTE]: report.lastEvent.seq, [DOCUMENT_ATTRIBUTE]: doc };
}

/** The report's fields of an item in either form; `skip` names the item's own keys and index keys. */
export function decodeReport(item: Item, skip: ReadonlySet<string>): Report {
  const raw = item[DOCUMENT_ATTRIBUTE];
  const out: Item = raw === undefined ? {} : inflateDocument(raw);
  for (const [name, value] of Object.entries(item)) {
    if (name === DOCUMENT_ATTRIBUTE || name === EVENT_SEQ_ATTRIBUTE || skip.has(name)) continue;
    out[name] = value;
  }
  return out as unknown as Report;
}

function inflateDocument(raw: unknown): Item {
  if (!(raw instanceof Uint8Array) || raw.length < 2) throw new Error('report document: not a binary document');
  if (raw[0] !== FORMAT_DEFLATE_V1) throw new Error(`report document: unknown format ${raw[0]}`);
  const json = inflateRawSync(raw.subarray(1), { dictionary: DICTIONARY_V1 });
  return JSON.parse(json.toString('utf8')) as Item;
}
