import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  type QueryCommandInput,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { distanceMeters } from '#core/duplicates.ts';
import { ValidationError } from '#core/errors.ts';
import type { Tier } from '#core/policy.ts';
import { type Change, currentDeadline, isOpen, type Report, type TimelineEvent } from '#core/report.ts';
import { pathKey } from '#core/tree.ts';
import {
  type IdempotencyRecord,
  type OpenReport,
  type ReportHistory,
  type ReportPage,
  type ReportQuery,
  type ReportStore,
  type SmsListing,
  type SmsLogEntry,
  type SmsLogQuery,
  type SmsRecord,
  VersionConflictError,
} from '#ports/reports.ts';
import type { Page } from '#ports/versioning.ts';
import { applied, isConditionFailure } from './client.ts';
import { BATCH_GET_KEYS, batchGetByKey } from './directory-batch.ts';
import { outcomesPendingPartition } from './outcome-store.ts';
import { countyCodes, queryItems, queryPage } from './paging.ts';
import { decodeReport, encodeReport } from './report-document.ts';
import { INDEXES, type IndexDesign } from './table.ts';

type Item = Record<string, unknown>;

const REPORT_SK = '#REPORT';
const DERIVED_ATTRIBUTES: ReadonlySet<string> = new Set([
  'PK',
  'SK',
  'createdKey',
  'departmentKey',
  'openKey',
  'dueKey',
  'overdueKey',
  'outcomesPendingKey',
  'spot',
]);
/** Filtered queries read this many items per round trip, and at most this many rounds per page. */
const QUERY_BATCH = 100;
const MAX_ROUNDS = 10;

const reportPk = (id: string) => `REPORT#${id}`;
const eventSk = (seq: number) => `EVENT#${String(seq).padStart(6, '0')}`;

/** The report item: the report's fields (compacted, report-document.ts) plus the keys that put it into its indexes. */
function reportItem(report: Report): Item {
  const item: Item = {
    ...encodeReport(report),
    PK: reportPk(report.id),
    SK: REPORT_SK,
    createdKey: `${report.createdAt}#${report.id}`,
  };
  // Where it is, for the duplicate look-up's distance filter on byGrid (list's `near`).
  if (report.location) item.spot = [report.location.lat, report.location.lng];
  const department = report.departmentCodes.at(-1);
  if (department) item.departmentKey = department;
  if (isOpen(report)) {
    // Open reports sit in byDue, ordered by the deadline they race (or by age before routing).
    item.openKey = `OPEN#${report.countyCode}`;
    item.dueKey = `${currentDeadline(report) ?? report.updatedAt}#${report.id}`;
  }
  // Late cases (a breach at some tier) sit in the sparse byOverdue index until handled or closed.
  if ((report.status === 'assigned' || report.status === 'accepted') && report.breaches.length > 0) {
    item.overdueKey = `OVERDUE#${report.countyCode}`;
  }
  // A timeline ahead of its outcome projection is listed until the projection catches up (outcome-store.ts).
  if ((report.outcomesSeq ?? 0) < report.lastEvent.seq) item.outcomesPendingKey = outcomesPendingPartition(report.countyCode);
  return item;
}

/**
 * A summoned department (吹哨) finds the report by a Query of byDepartment, like the department
 * that holds its tier: the report item carries one departmentKey, so every other summoned
 * department gets a lane index item in the report's partition (`#LANE#<code>`), with the keys of
 * byDepartment and the attributes its filters read; a listing fetches the report itself by key.
 */
const LANE_SK_PREFIX = '#LANE#';

function laneIndexItems(report: Report): Item[] {
  const held = report.departmentCodes.at(-1);
  const codes = [...new Set((report.assignments ?? []).map((l) => l.ownerCode))].filter((c) => c !== held);
  return codes.map((code) => {
    const late = (report.assignments ?? []).some(
      (l) => l.ownerCode === code && l.breaches.length > 0 && ['summoned', 'checked_in', 'accepted'].includes(l.status),
    );
    return {
      PK: reportPk(report.id),
      SK: `${LANE_SK_PREFIX}${code}`,
      departmentKey: code,
      createdKey: `${report.createdAt}#${report.id}`,
      status: report.status,
      tier: report.tier,
      category: report.category,
      version: report.version,
      ...(late ? { laneLate: true } : {}),
    };
  });
}

/**
 * The index entries `near` keeps: those whose spot lies within its distance, and those without a
 * spot (a report filed without a location, or an entry written before spots were projected), which
 * the caller judges on the report itself.
 */
function nearEnough(near: ReportQuery['near']): (item: Item) => boolean {
  if (!near) return () => true;
  return (item) => {
    const spot = item.spot;
    if (!Array.isArray(spot) || typeof spot[0] !== 'number' || typeof spot[1] !== 'number') return true;
    return distanceMeters(near.location, { lat: spot[0], lng: spot[1] }) <= near.meters;
  };
}

function toReport(item: Item): Report {
  return decodeReport(item, DERIVED_ATTRIBUTES);
}

/** The report key of an index entry: a report item's own, or a lane item's report. */
const reportKeyOf = (item: Item) => ({ PK: String(item.PK), SK: REPORT_SK });

/**
 * The reports behind index entries, in the entries' order, each once: the report indexes project
 * only their filter attributes, so the reports are read by key (BatchGetItem, 100 a call).
 */
async function fetchReports(db: DynamoDBDocumentClient, tableName: string, entries: readonly Item[]): Promise<Report[]> {
  if (entries.length === 0) return [];
  const byPk = new Map((await batchGetByKey(db, tableName, entries.map(reportKeyOf))).map((item) => [String(item.PK), item]));
  const seen = new Set<string>();
  const reports: Report[] = [];
  for (const entry of entries) {
    const item = byPk.get(String(entry.PK));
    if (!item || seen.has(String(entry.PK))) continue;
    seen.add(String(entry.PK));
    reports.push(toReport(item));
  }
  return reports;
}

/** A sweep's reports, fetched a batch of index entries at a time. */
async function* sweepReports(db: DynamoDBDocumentClient, tableName: string, entries: AsyncIterable<Item>): AsyncIterable<Report> {
  let batch: Item[] = [];
  for await (const entry of entries) {
    batch.push(entry);
    if (batch.length >= BATCH_GET_KEYS) {
      yield* await fetchReports(db, tableName, batch);
      batch = [];
    }
  }
  yield* await fetchReports(db, tableName, batch);
}

function stripKeys<T>(item: Item): T {
  const { PK: _pk, SK: _sk, ...rest } = item;
  return rest as T;
}

/** The SMS log's index keys and listing attributes on an SMS item (see claimSms). */
const SMS_LOG_ATTRIBUTES = ['GSI2PK', 'GSI2SK', 'smsPath', 'reportTitle', 'smsTier'];

/** An SMS item as the record it is, without its table keys or its place in the SMS log. */
function toSms(item: Item): SmsRecord {
  const out: Item = {};
  for (const [k, v] of Object.entries(item)) if (k !== 'PK' && k !== 'SK' && !SMS_LOG_ATTRIBUTES.includes(k)) out[k] = v;
  return out as unknown as SmsRecord;
}

const smsLogPartition = (countyCode: string) => `SMS#${countyCode}`;

interface Cursor {
  index: string;
  key: Record<string, string>;
}

function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

/** A cursor is untrusted input: it must name the same index and partition as the query. */
function decodeCursor(raw: string, index: IndexDesign, partition: string): Item {
  try {
    const parsed = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as Cursor;
    const key = parsed.key;
    const expected = ['PK', 'SK', index.partitionKey, index.sortKey].sort();
    const ok =
      parsed.index === index.name &&
      key !== null &&
      typeof key === 'object' &&
      JSON.stringify(Object.keys(key).sort()) === JSON.stringify(expected) &&
      Object.values(key).every((v) => typeof v === 'string' && v.length < 300) &&
      key[index.partitionKey] === partition &&
      key.SK === REPORT_SK &&
      key.PK?.startsWith('REPORT#');
    if (ok) return key;
  } catch {
    // fall through to the error below
  }
  throw new ValidationError('CURSOR.INVALID', 'the cursor is not one this listing returned');
}

/**
 * createdFrom/createdTo as a range on the index's sort key (`${createdAt}#${id}`, createdAt from
 * toISOString), so a date window reads only itself. The upper bound gets `#\uffff` to include every
 * id created in its last millisecond. 'empty' when the window is inverted (BETWEEN would throw).
 */
function createdRange(query: ReportQuery, index: IndexDesign): { condition: string; values: Item } | 'empty' | null {
  const from = query.createdFrom?.toISOString();
  const to = query.createdTo ? `${query.createdTo.toISOString()}#\uffff` : undefined;
  if (from !== undefined && to !== undefined) {
    return from > to
      ? 'empty'
      : { condition: `${index.sortKey} BETWEEN :createdFrom AND :createdTo`, values: { ':createdFrom': from, ':createdTo': to } };
  }
  if (from !== undefined) return { condition: `${index.sortKey} >= :createdFrom`, values: { ':createdFrom': from } };
  if (to !== undefined) return { condition: `${index.sortKey} <= :createdTo`, values: { ':createdTo': to } };
  return null;
}

export class DynamoReportStore implements ReportStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async create(change: Change): Promise<'created' | 'exists'> {
    // The first event goes first: a stored report always has it, so its steps need not repair it.
    // A crash before the report leaves an event no report cites; the retry finds it (same content,
    // the filing's time is the idempotency record's) and writes the report.
    await this.repairEvent(change.report.id, change.event);
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: reportItem(change.report),
          ConditionExpression: 'attribute_not_exists(PK)',
        }),
      );
    } catch (error) {
      if (isConditionFailure(error)) return 'exists';
      throw error;
    }
    await this.putLaneIndexItems(change.report);
    return 'created';
  }

  async get(id: string): Promise<Report | null> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: { PK: reportPk(id), SK: REPORT_SK }, ConsistentRead: true }),
    );
    return Item ? toReport(Item) : null;
  }

  async getHistory(id: string): Promise<ReportHistory | null> {
    const items: Item[] = [];
    let ExclusiveStartKey: Item | undefined;
    do {
      const page = await this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'PK = :pk',
          ExpressionAttributeValues: { ':pk': reportPk(id) },
          ConsistentRead: true,
          ExclusiveStartKey,
        }),
      );
      items.push(...(page.Items ?? []));
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    const reportItemFound = items.find((i) => i.SK === REPORT_SK);
    if (!reportItemFound) return null;
    const report = toReport(reportItemFound);
    const timeline = items.filter((i) => String(i.SK).startsWith('EVENT#')).map((i) => stripKeys<TimelineEvent>(i));
    // The last event is also on the report item: if a crash lost its own item, the reader still sees it.
    if (!timeline.some((e) => e.seq === report.lastEvent.seq)) timeline.push(report.lastEvent);
    timeline.sort((a, b) => a.seq - b.seq);
    const notifications = items
      .filter((i) => String(i.SK).startsWith('SMS#'))
      .map(toSms)
      .sort((a, b) => a.at.localeCompare(b.at) || a.key.localeCompare(b.key));
    return { report, timeline, notifications };
  }

  async getEvents(id: string): Promise<TimelineEvent[]> {
    const events = queryItems(this.db, {
      TableName: this.tableName,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :events)',
      ExpressionAttributeValues: { ':pk': reportPk(id), ':events': 'EVENT#' },
      ConsistentRead: true,
    });
    const timeline: TimelineEvent[] = [];
    for await (const item of events) timeline.push(stripKeys<TimelineEvent>(item));
    return timeline;
  }

  async save(report: Report, expectedVersion: number, event?: TimelineEvent): Promise<void> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: reportItem(report),
          ConditionExpression: 'version = :v',
          ExpressionAttributeValues: { ':v': expectedVersion },
        }),
      );
    } catch (error) {
      if (isConditionFailure(error)) throw new VersionConflictError(report.id);
      throw error;
    }
    await this.putLaneIndexItems(report);
    if (event) await this.repairEvent(report.id, event);
  }

  /** Never older over newer: a slow writer of an earlier version leaves the newer copy alone. */
  private async putLaneIndexItems(report: Report): Promise<void> {
    await Promise.all(
      laneIndexItems(report).map((Item) =>
        applied(
          this.db.send(
            new PutCommand({
              TableName: this.tableName,
              Item,
              ConditionExpression: 'attribute_not_exists(version) OR version < :v',
              ExpressionAttributeValues: { ':v': report.version },
            }),
          ),
        ),
      ),
    );
  }

  async repairEvent(reportId: string, event: TimelineEvent): Promise<void> {
    await applied(
      this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { PK: reportPk(reportId), SK: eventSk(event.seq), ...event },
          ConditionExpression: 'attribute_not_exists(PK)',
        }),
      ),
    );
  }

  async list(query: ReportQuery): Promise<ReportPage> {
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = {};
    const filters: string[] = [];
    let index: IndexDesign;
    let partition: string;
    let keyCondition: string;

    if (query.overdueAt && query.node) {
      // Late cases come from the sparse byOverdue index (newest first); a case whose deadline
      // passed this instant is also late, but the state machine escalates it within moments.
      index = INDEXES.byOverdue;
      partition = `OVERDUE#${query.node.path[0]}`;
      keyCondition = 'overdueKey = :p';
      if (query.node.level !== 'county') {
        names['#scope'] = `${query.node.level}Code`;
        values[':scope'] = query.node.code;
        filters.push('#scope = :scope');
      }
    } else if (query.node) {
      const byLevel = { county: INDEXES.byCounty, township: INDEXES.byTownship, village: INDEXES.byVillage, grid: INDEXES.byGrid };
      index = byLevel[query.node.level];
      partition = query.node.code;
      keyCondition = `${index.partitionKey} = :p`;
    } else if (query.departmentCode) {
      index = INDEXES.byDepartment;
      partition = query.departmentCode;
      keyCondition = 'departmentKey = :p';
    } else {
      throw new ValidationError('QUERY.NO_SCOPE', 'a listing needs a node or a department');
    }
    values[':p'] = partition;
    const created = createdRange(query, index);
    if (created === 'empty') return { items: [], nextCursor: null };
    if (created) {
      keyCondition += ` AND ${created.condition}`;
      Object.assign(values, created.values);
    }
    if (query.departmentCode && query.overdueAt) filters.push('(attribute_exists(overdueKey) OR attribute_exists(laneLate))');
    if (query.status) {
      names['#status'] = 'status';
      values[':status'] = query.status;
      filters.push('#status = :status');
    }
    if (query.tier) {
      names['#tier'] = 'tier';
      values[':tier'] = query.tier;
      filters.push('#tier = :tier');
    }
    if (query.category) {
      names['#category'] = 'category';
      values[':category'] = query.category;
      filters.push('#category = :category');
    }
    // Filtered on the index entry (its table key is always projected), so the report is not read by key either.
    if (query.excludingId) {
      values[':excluded'] = reportPk(query.excludingId);
      filters.push('PK <> :excluded');
    }

    const input: QueryCommandInput = {
      TableName: this.tableName,
      IndexName: index.name,
      KeyConditionExpression: keyCondition,
      ExpressionAttributeValues: values,
      ScanIndexForward: false,
      Limit: filters.length > 0 ? QUERY_BATCH : query.limit + 1,
    };
    if (Object.keys(names).length > 0) input.ExpressionAttributeNames = names;
    if (filters.length > 0) input.FilterExpression = filters.join(' AND ');

    const items: Item[] = [];
    let start: Item | undefined = query.cursor ? decodeCursor(query.cursor, index, partition) : undefined;
    let rounds = 0;
    do {
      const page = await this.db.send(new QueryCommand({ ...input, ExclusiveStartKey: start }));
      items.push(...(page.Items ?? []));
      start = page.LastEvaluatedKey;
      rounds++;
    } while (start && items.length <= query.limit && rounds < MAX_ROUNDS);

    const keyOf = (item: Item): Record<string, string> => ({
      PK: String(item.PK),
      SK: String(item.SK),
      [index.partitionKey]: String(item[index.partitionKey]),
      [index.sortKey]: String(item[index.sortKey]),
    });
    const pageItems = items.slice(0, query.limit);
    let nextCursor: string | null = null;
    const last = pageItems.at(-1);
    if (items.length > query.limit && last) nextCursor = encodeCursor({ index: index.name, key: keyOf(last) });
    else if (start) nextCursor = encodeCursor({ index: index.name, key: start as Record<string, string> });
    // A department that holds the tier and was summoned before may meet the report twice (its item and a lane item): fetchReports keeps one.
    return { items: await fetchReports(this.db, this.tableName, pageItems.filter(nearEnough(query.near))), nextCursor };
  }

  async *openReports(): AsyncIterable<OpenReport> {
    for await (const county of countyCodes(this.db, this.tableName, INDEXES.directory.name)) {
      const open = queryItems(this.db, {
        TableName: this.tableName,
        IndexName: INDEXES.byDue.name,
        KeyConditionExpression: 'openKey = :p',
        ExpressionAttributeValues: { ':p': `OPEN#${county}` },
      });
      for await (const report of sweepReports(this.db, this.tableName, open)) yield { id: report.id, createdAt: report.createdAt, report };
    }
  }

  async *openReportsUnder(node: {
    code: string;
    level: 'county' | 'township' | 'village' | 'grid';
    path: string[];
  }): AsyncIterable<Report> {
    const county = node.path[0] ?? node.code;
    const filter =
      node.level === 'county' ? {} : { FilterExpression: '#scope = :scope', ExpressionAttributeNames: { '#scope': `${node.level}Code` } };
    const open = queryItems(this.db, {
      TableName: this.tableName,
      IndexName: INDEXES.byDue.name,
      KeyConditionExpression: 'openKey = :p',
      ExpressionAttributeValues: { ':p': `OPEN#${county}`, ...(node.level === 'county' ? {} : { ':scope': node.code }) },
      ...filter,
    });
    yield* sweepReports(this.db, this.tableName, open);
  }

  async *openReportsOfDepartment(departmentCode: string): AsyncIterable<Report> {
    const seen = new Set<string>();
    const held = queryItems(this.db, {
      TableName: this.tableName,
      IndexName: INDEXES.byDepartment.name,
      KeyConditionExpression: 'departmentKey = :p',
      FilterExpression: '#status <> :closed AND #status <> :merged',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':p': departmentCode, ':closed': 'closed', ':merged': 'merged' },
    });
    for await (const report of sweepReports(this.db, this.tableName, held)) {
      if (seen.has(report.id)) continue;
      seen.add(report.id);
      yield report;
    }
  }

  /**
   * Claims the SMS item, and files it in its county's SMS log (GSI2: `SMS#<county>` /
   * `<at>#<reportId>#<key>`, so a retried send moves to the top), with the report's path for
   * filtering a subtree, its title and the tier it was sent for.
   */
  async claimSms(record: SmsRecord, listing: SmsListing): Promise<boolean> {
    const { attempts: _attempts, reportId: _reportId, key, ...fields } = record;
    const names: Record<string, string> = { '#status': 'status', '#attempts': 'attempts' };
    const values: Record<string, unknown> = { ':sending': 'sending', ':failed': 'failed', ':one': 1, ':zero': 0 };
    const sets = ['#status = :sending', '#attempts = if_not_exists(#attempts, :zero) + :one', 'reportId = :reportId', '#key = :key'];
    names['#key'] = 'key';
    values[':reportId'] = record.reportId;
    values[':key'] = key;
    for (const [name, value] of Object.entries(fields)) {
      if (name === 'status') continue;
      names[`#${name}`] = name;
      values[`:${name}`] = value;
      sets.push(`#${name} = :${name}`);
    }
    const county = listing.path[0];
    if (county) {
      const log: Item = {
        GSI2PK: smsLogPartition(county),
        GSI2SK: `${record.at}#${record.reportId}#${key}`,
        smsPath: pathKey(listing.path),
        reportTitle: listing.reportTitle,
        smsTier: listing.tier,
      };
      for (const [name, value] of Object.entries(log)) {
        names[`#${name}`] = name;
        values[`:${name}`] = value;
        sets.push(`#${name} = :${name}`);
      }
    }
    return applied(
      this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { PK: reportPk(record.reportId), SK: `SMS#${key}` },
          UpdateExpression: `SET ${sets.join(', ')}`,
          ConditionExpression: 'attribute_not_exists(PK) OR #status = :failed',
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        }),
      ),
    );
  }

  /**
   * A subtree's SMS, newest first, from its county's SMS log: below the county (or with a status)
   * a filter on the item, so a page reads at most a bounded number of rounds.
   */
  smsLog(query: SmsLogQuery): Promise<Page<SmsLogEntry>> {
    const partition = smsLogPartition(query.node.path[0] ?? query.node.code);
    const filters: string[] = [];
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = { ':pk': partition };
    if (query.node.path.length > 1) {
      filters.push('begins_with(#smsPath, :path)');
      names['#smsPath'] = 'smsPath';
      values[':path'] = pathKey(query.node.path);
    }
    if (query.status) {
      filters.push('#status = :status');
      names['#status'] = 'status';
      values[':status'] = query.status;
    }
    return queryPage(
      this.db,
      {
        TableName: this.tableName,
        IndexName: INDEXES.subtree.name,
        KeyConditionExpression: 'GSI2PK = :pk',
        ExpressionAttributeValues: values,
        ...(filters.length > 0 ? { FilterExpression: filters.join(' AND '), ExpressionAttributeNames: names } : {}),
        ScanIndexForward: false,
      },
      {
        limit: query.limit,
        cursor: query.cursor,
        shape: { attributes: ['PK', 'SK', 'GSI2PK', 'GSI2SK'], partition: { attribute: 'GSI2PK', value: partition } },
        map: (item) => {
          const sms = toSms(item);
          return { sms, report: { id: sms.reportId, title: String(item.reportTitle ?? ''), tier: item.smsTier as Tier } };
        },
      },
    );
  }

  async finishSms(reportId: string, key: string, outcome: Pick<SmsRecord, 'status' | 'providerMessageId' | 'error'>): Promise<void> {
    const names: Record<string, string> = { '#status': 'status' };
    const values: Record<string, unknown> = { ':status': outcome.status };
    const sets = ['#status = :status'];
    if (outcome.providerMessageId) {
      sets.push('providerMessageId = :pid');
      values[':pid'] = outcome.providerMessageId;
    }
    if (outcome.error) {
      sets.push('#error = :error');
      names['#error'] = 'error';
      values[':error'] = outcome.error;
    }
    await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: { PK: reportPk(reportId), SK: `SMS#${key}` },
        UpdateExpression: `SET ${sets.join(', ')}`,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      }),
    );
  }

  async claimIdempotencyKey(record: IdempotencyRecord): Promise<IdempotencyRecord | null> {
    const Key = { PK: `IDEMPOTENCY#${record.actorId}#${record.key}`, SK: 'IDEMPOTENCY' };
    try {
      await this.db.send(
        new PutCommand({ TableName: this.tableName, Item: { ...Key, ...record }, ConditionExpression: 'attribute_not_exists(PK)' }),
      );
      return null;
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key, ConsistentRead: true }));
    return Item ? stripKeys<IdempotencyRecord>(Item) : null;
  }
}
