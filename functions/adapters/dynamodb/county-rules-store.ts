/**
 * Working calendars (`CALENDAR#<county>` / `V#<version>`) and county policies
 * (`POLICY#<county>#<category>#<urgency>` / `V#<version>`): one item per version, the latest read
 * by a one-item Query from the end of its partition, each version written once (conditional).
 */
import { type DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { NATIONAL_HOLIDAYS } from '#adapters/holidays/chinese-days-table.ts';
import type { Urgency } from '#core/catalog.ts';
import type { WorkingCalendar } from '#core/working-calendar.ts';
import type { CountyRulesStore, StoredPolicy } from '#ports/county-rules.ts';
import { VersionConflictError } from '#ports/versioning.ts';
import { applied } from './client.ts';
import { getItem, type Item, strip } from './directory-items.ts';

const versionKey = (version: number) => `V#${String(version).padStart(6, '0')}`;
const calendarPartition = (county: string) => `CALENDAR#${county}`;
const policyPartition = (county: string, category: string, urgency: Urgency) => `POLICY#${county}#${category}#${urgency}`;

export class DynamoCountyRulesStore implements CountyRulesStore {
  constructor(
    protected readonly db: DynamoDBDocumentClient,
    protected readonly tableName: string,
  ) {}

  nationalHolidays() {
    return NATIONAL_HOLIDAYS;
  }

  private async versionsOf<T>(PK: string, limit?: number): Promise<T[]> {
    const out: T[] = [];
    let ExclusiveStartKey: Item | undefined;
    do {
      const page = await this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'PK = :pk AND begins_with(SK, :v)',
          ExpressionAttributeValues: { ':pk': PK, ':v': 'V#' },
          ScanIndexForward: false,
          ConsistentRead: true,
          Limit: limit,
          ExclusiveStartKey,
        }),
      );
      for (const item of page.Items ?? []) out.push(strip<T>(item));
      ExclusiveStartKey = limit !== undefined && out.length >= limit ? undefined : page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    return out;
  }

  private async latestOrVersion<T>(PK: string, version?: number): Promise<T | null> {
    if (version !== undefined) return getItem<T>(this.db, this.tableName, PK, versionKey(version));
    return (await this.versionsOf<T>(PK, 1))[0] ?? null;
  }

  private async addVersion(PK: string, version: number, body: object, what: string): Promise<void> {
    const put = new PutCommand({
      TableName: this.tableName,
      Item: { PK, SK: versionKey(version), ...body },
      ConditionExpression: 'attribute_not_exists(PK)',
    });
    if (!(await applied(this.db.send(put)))) throw new VersionConflictError(what);
  }

  getCalendar(countyCode: string, version?: number) {
    return this.latestOrVersion<WorkingCalendar>(calendarPartition(countyCode), version);
  }

  addCalendarVersion(calendar: WorkingCalendar) {
    return this.addVersion(calendarPartition(calendar.countyCode), calendar.version, calendar, `calendar ${calendar.countyCode}`);
  }

  getCountyPolicy(countyCode: string, category: string, urgency: Urgency, version?: number) {
    return this.latestOrVersion<StoredPolicy>(policyPartition(countyCode, category, urgency), version);
  }

  listCountyPolicyVersions(countyCode: string, category: string, urgency: Urgency) {
    return this.versionsOf<StoredPolicy>(policyPartition(countyCode, category, urgency));
  }

  addCountyPolicyVersion(policy: StoredPolicy) {
    return this.addVersion(
      policyPartition(policy.countyCode, policy.category, policy.urgency),
      policy.version,
      policy,
      `policy ${policy.category}/${policy.urgency}`,
    );
  }
}
