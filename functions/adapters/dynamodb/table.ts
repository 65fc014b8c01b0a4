/**
 * The single-table design, shared by the CDK data stack and the local runtime so both build the
 * same table. Every access pattern of DESIGN.md §5 is a GetItem or a Query on these keys:
 *
 *   item           PK                          SK            index keys
 *   tree node      NODE#<code>                 NODE          GSI1: CHILDREN#<parent> / <code>;
 *                                                            GSI2: SUBTREE#<county> / <path joined by />/
 *   person         PERSON#<id>                 PERSON        GSI1: PEOPLE#<scope> / <role>#<id>;
 *                                                            GSI2 (node scopes): STAFF#<county> /
 *                                                            <scope path>/#<role>#<id>
 *   history        HISTORY#<kind>:<id>         SEQ#<version> (who, when, change, before, after: the
 *                                                            append-only audit trail, core/audit.ts)
 *   credential     CREDENTIAL#<username>       CREDENTIAL    (scrypt hash; mustChangePassword, disabled)
 *   department     DEPARTMENT#<code>           DEPARTMENT    GSI1: DEPARTMENTS / <code>
 *   category       CATEGORY#<code>             CATEGORY      GSI1: CATEGORIES / <code>
 *   policy         POLICY#<category>#<urgency> POLICY        (the deployment default)
 *   county policy  POLICY#<county>#<category>#<urgency>  V#<version>  (each save a new version)
 *   calendar       CALENDAR#<county>           V#<version>   (working days, hours, overrides)
 *   report         REPORT#<id>                 #REPORT       byCounty/byTownship/byVillage/byGrid:
 *                                                            <code> / createdKey; byDepartment:
 *                                                            departmentKey / createdKey; byDue
 *                                                            (open only): openKey / dueKey;
 *                                                            byOverdue (late only): overdueKey /
 *                                                            createdKey; byOutcomesPending (while its
 *                                                            outcomes lag): outcomesPendingKey /
 *                                                            createdKey. Its fields DynamoDB never
 *                                                            reads are one deflated `doc` (report-document.ts)
 *   timeline event REPORT#<id>                 EVENT#<seq>
 *   SMS record     REPORT#<id>                 SMS#<tier>#<reminder>#<person>   GSI2 (the SMS log):
 *                                                            SMS#<county> / <at>#<reportId>#<key>;
 *                                                            smsPath (the report's path) to filter
 *   idempotency    IDEMPOTENCY#<actor>#<key>   IDEMPOTENCY
 *   photo          PHOTO#<id>                  PHOTO         (owner, status, types, size; reportIds: a
 *                                                            string set of the reports citing it)
 *   api key        APIKEY#<sha256 of the key>  APIKEY        (Open311 api_key → person; never the key)
 *   lease          LEASE#<name>                LEASE         (holder, expiresAt: one reconciler run at a time)
 *   session        SESSION#<id>                SESSION       GSI1: SESSIONS#<person> / <createdAt>#<id>
 *                                                            (local sign-in: generation and sha256 of
 *                                                            the current refresh secret; never the secret)
 *   sign-in        THROTTLE#username#<name>,   THROTTLE      (failures, lastFailureAt, lockedUntil; see
 *   throttle       THROTTLE#address#<addr>,                  core/sign-in-throttle.ts; reset on a
 *                  THROTTLE#at#<addr>#<name>                 successful sign-in, no TTL needed)
 *
 * A report, its timeline and its SMS share a partition: one Query reads them all.
 */
export const TABLE_KEYS = { partitionKey: 'PK', sortKey: 'SK' } as const;

/**
 * What an index copies of each item. DynamoDB writes an index entry when the item enters or leaves
 * the index, when its index key changes, or when a projected attribute changes; the entry is billed
 * by its own size. The directory indexes serve whole items (tree nodes, people, catalog, SMS log) and
 * project ALL; the report indexes carry only the attributes their queries filter on (the reader then
 * fetches the reports by key, report-store.ts), so a report's change rewrites only the indexes whose
 * key or filter attributes it changed. Lane items (`#LANE#<code>`) share byDepartment.
 */
export type IndexProjection = { type: 'ALL' } | { type: 'KEYS_ONLY' } | { type: 'INCLUDE'; attributes: readonly string[] };

export interface IndexDesign {
  name: string;
  partitionKey: string;
  sortKey: string;
  projection: IndexProjection;
}

const ALL = { type: 'ALL' } as const;
/** The filters of a report listing (report-store.ts list): status, tier, category. */
const LISTING_FILTERS = ['status', 'tier', 'category'] as const;
/** The scope filters below the county partition (openReportsUnder, the overdue listing). */
const SCOPE_FILTERS = ['townshipCode', 'villageCode', 'gridCode'] as const;

export const INDEXES = {
  directory: { name: 'GSI1', partitionKey: 'GSI1PK', sortKey: 'GSI1SK', projection: ALL },
  subtree: { name: 'GSI2', partitionKey: 'GSI2PK', sortKey: 'GSI2SK', projection: ALL },
  byCounty: {
    name: 'byCounty',
    partitionKey: 'countyCode',
    sortKey: 'createdKey',
    projection: { type: 'INCLUDE', attributes: LISTING_FILTERS },
  },
  byTownship: {
    name: 'byTownship',
    partitionKey: 'townshipCode',
    sortKey: 'createdKey',
    projection: { type: 'INCLUDE', attributes: LISTING_FILTERS },
  },
  byVillage: {
    name: 'byVillage',
    partitionKey: 'villageCode',
    sortKey: 'createdKey',
    projection: { type: 'INCLUDE', attributes: LISTING_FILTERS },
  },
  // The duplicate look-up (core/use-cases/duplicates.ts) reads the spot ([lat, lng]) here, so a grid's
  // reports too far away to be the same case are never fetched: in a typhoon a grid files dozens a day.
  byGrid: {
    name: 'byGrid',
    partitionKey: 'gridCode',
    sortKey: 'createdKey',
    projection: { type: 'INCLUDE', attributes: [...LISTING_FILTERS, 'spot'] },
  },
  byDepartment: {
    name: 'byDepartment',
    partitionKey: 'departmentKey',
    sortKey: 'createdKey',
    projection: { type: 'INCLUDE', attributes: [...LISTING_FILTERS, 'overdueKey', 'laneLate'] },
  },
  byDue: { name: 'byDue', partitionKey: 'openKey', sortKey: 'dueKey', projection: { type: 'INCLUDE', attributes: SCOPE_FILTERS } },
  byOverdue: {
    name: 'byOverdue',
    partitionKey: 'overdueKey',
    sortKey: 'createdKey',
    projection: { type: 'INCLUDE', attributes: [...LISTING_FILTERS, ...SCOPE_FILTERS] },
  },
  /** Reports whose timeline is ahead of their outcome projection (outcome-store.ts): only their keys. */
  outcomesPending: {
    name: 'byOutcomesPending',
    partitionKey: 'outcomesPendingKey',
    sortKey: 'createdKey',
    projection: { type: 'KEYS_ONLY' },
  },
} as const satisfies Record<string, IndexDesign>;

/** The CreateTable Projection of an index. */
export function projectionOf(index: IndexDesign) {
  return index.projection.type === 'INCLUDE'
    ? { ProjectionType: 'INCLUDE' as const, NonKeyAttributes: [...index.projection.attributes] }
    : { ProjectionType: index.projection.type };
}

export const ALL_INDEXES: IndexDesign[] = Object.values(INDEXES);

/** The CreateTable input the local runtime uses; the CDK data stack declares the same keys. */
export function createTableInput(tableName: string) {
  const attributes = new Set<string>([TABLE_KEYS.partitionKey, TABLE_KEYS.sortKey]);
  for (const index of ALL_INDEXES) {
    attributes.add(index.partitionKey);
    attributes.add(index.sortKey);
  }
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST' as const,
    AttributeDefinitions: [...attributes].map((name) => ({ AttributeName: name, AttributeType: 'S' as const })),
    KeySchema: [
      { AttributeName: TABLE_KEYS.partitionKey, KeyType: 'HASH' as const },
      { AttributeName: TABLE_KEYS.sortKey, KeyType: 'RANGE' as const },
    ],
    GlobalSecondaryIndexes: ALL_INDEXES.map((index) => ({
      IndexName: index.name,
      KeySchema: [
        { AttributeName: index.partitionKey, KeyType: 'HASH' as const },
        { AttributeName: index.sortKey, KeyType: 'RANGE' as const },
      ],
      Projection: projectionOf(index),
    })),
  };
}
