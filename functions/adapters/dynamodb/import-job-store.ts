/**
 * Import jobs: `IMPORT#<id>` items. While a job is queued or running it sits in GSI1 under
 * `IMPORTS#OPEN` (by creation time), so a restarted process finds the jobs to run again with one
 * Query; finishing a job removes those keys, which takes it out of the index.
 */
import { type DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { ImportCounts, ImportJob, ImportJobStore, ImportResult } from '#ports/imports.ts';
import { applied } from './client.ts';
import { type Item, strip } from './directory-items.ts';
import { INDEXES } from './table.ts';

export const importKey = (id: string) => ({ PK: `IMPORT#${id}`, SK: 'IMPORT' });
const OPEN = 'IMPORTS#OPEN';

const counts = (c: ImportCounts) => ({
  ':total': c.total,
  ':processed': c.processed,
  ':created': c.created,
  ':updated': c.updated,
  ':unchanged': c.unchanged,
});
const SET_COUNTS = '#total = :total, #processed = :processed, #created = :created, #updated = :updated, #unchanged = :unchanged';
// Every attribute by an alias: DynamoDB reserves hundreds of words (STATUS, TOTAL…), and an alias can never collide.
const NAMES = {
  '#status': 'status',
  '#total': 'total',
  '#processed': 'processed',
  '#created': 'created',
  '#updated': 'updated',
  '#unchanged': 'unchanged',
  '#updatedAt': 'updatedAt',
};

export class DynamoImportJobStore implements ImportJobStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async createImportJob(job: ImportJob): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...importKey(job.id), GSI1PK: OPEN, GSI1SK: `${job.createdAt}#${job.id}`, ...job },
        ConditionExpression: 'attribute_not_exists(PK)',
      }),
    );
  }

  async getImportJob(id: string): Promise<ImportJob | null> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: importKey(id), ConsistentRead: true }));
    return Item ? strip<ImportJob>(Item) : null;
  }

  async claimImportJob(id: string, at: { now: string; staleBefore: string; runner: string }): Promise<ImportJob | null> {
    let claimed: Item | undefined;
    const ok = await applied(
      this.db
        .send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: importKey(id),
            UpdateExpression: 'SET #status = :running, #heartbeatAt = :now, #updatedAt = :now, #runner = :runner',
            ConditionExpression: 'attribute_exists(PK) AND (#status = :queued OR (#status = :running AND #heartbeatAt <= :stale))',
            ExpressionAttributeNames: {
              '#status': 'status',
              '#heartbeatAt': 'heartbeatAt',
              '#updatedAt': 'updatedAt',
              '#runner': 'runner',
            },
            ExpressionAttributeValues: {
              ':running': 'running',
              ':queued': 'queued',
              ':now': at.now,
              ':stale': at.staleBefore,
              ':runner': at.runner,
            },
            ReturnValues: 'ALL_NEW',
          }),
        )
        .then((result) => {
          claimed = result.Attributes;
        }),
    );
    return ok && claimed ? strip<ImportJob>(claimed) : null;
  }

  recordImportProgress(id: string, runner: string, progress: ImportCounts, now: string): Promise<boolean> {
    return applied(
      this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: importKey(id),
          UpdateExpression: `SET ${SET_COUNTS}, #heartbeatAt = :now, #updatedAt = :now`,
          ConditionExpression: '#status = :running AND #runner = :runner',
          ExpressionAttributeNames: { ...NAMES, '#heartbeatAt': 'heartbeatAt', '#runner': 'runner' },
          ExpressionAttributeValues: { ...counts(progress), ':running': 'running', ':runner': runner, ':now': now },
        }),
      ),
    );
  }

  finishImportJob(id: string, runner: string | null, result: ImportResult, now: string): Promise<boolean> {
    const values: Record<string, unknown> = {
      ...counts(result),
      ':status': result.status,
      ':errors': result.errors,
      ':errorCount': result.errorCount,
      ':now': now,
    };
    const names: Record<string, string> = { ...NAMES, '#errors': 'errors', '#errorCount': 'errorCount' };
    const sets = [SET_COUNTS, '#status = :status', '#errors = :errors', '#errorCount = :errorCount', '#updatedAt = :now'];
    for (const key of ['encoding', 'message'] as const) {
      if (!result[key]) continue;
      sets.push(`#${key} = :${key}`);
      names[`#${key}`] = key;
      values[`:${key}`] = result[key];
    }
    let condition = 'attribute_exists(PK)';
    if (runner !== null) {
      condition += ' AND #status = :running AND #runner = :runner';
      names['#runner'] = 'runner';
      values[':running'] = 'running';
      values[':runner'] = runner;
    }
    return applied(
      this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: importKey(id),
          UpdateExpression: `SET ${sets.join(', ')} REMOVE GSI1PK, GSI1SK`,
          ConditionExpression: condition,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        }),
      ),
    );
  }

  async listOpenImportJobs(): Promise<ImportJob[]> {
    const out: ImportJob[] = [];
    let start: Item | undefined;
    do {
      const page = await this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: INDEXES.directory.name,
          KeyConditionExpression: 'GSI1PK = :pk',
          ExpressionAttributeValues: { ':pk': OPEN },
          ExclusiveStartKey: start,
        }),
      );
      for (const item of page.Items ?? []) out.push(strip<ImportJob>(item));
      start = page.LastEvaluatedKey;
    } while (start);
    return out;
  }
}
