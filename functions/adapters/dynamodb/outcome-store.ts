/**
 * Outcome counters in the one table (no transactions needed):
 *
 *   item           PK                         SK                     attributes
 *   day counters   STATS#<node>               DAY#<yyyy-mm-dd>#<s>   c_<counter key>: number, l_worktime|tier:<t>: list,
 *                                                                    w_<reportId>: seq of the last event applied
 *   overdue gauge  STATS#<node>               NOW#<s>                (the same)
 *   drill fact     DRILL#<county>#<counter>   <day>#<report>#<unit>  path, title, seq, live
 *   report item    (report-store.ts)          #REPORT                outcomesSeq; byOutcomesPending OUTCOMES#<county> while
 *                                                                    its timeline is ahead of its projection
 *
 * Exactly once: all facts of the events being projected (seq first..last) that land on one counter
 * item go in ONE UpdateItem that also sets the item's watermark for the report, `w_<report> =
 * last`, on condition that the watermark is absent or below `first`. Facts of a report are applied
 * in seq order, so a watermark at s means every fact of that report up to s is in the item: a
 * retry, a second projector or a replay after a crash fails the condition and adds nothing. When
 * the condition fails because the item has seen some of the events only (another projector got
 * part of the way), the item is brought up event by event, each on its own condition. Drill facts are last-writer-by-seq items
 * (a retraction is a tombstone, `live: false`), so a late replay can never resurrect one. A shard
 * `<s>` (by report id) keeps each item's watermarks far below 400 KB: one per report per shard.
 */
import { type DynamoDBDocumentClient, GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { counterKeys, DRILLABLE, NOW_DAY, nodesOf, type OutcomeFact } from '#core/outcomes.ts';
import { pathKey } from '#core/tree.ts';
import type { CompactionMark, DrillItem, DrillQuery, EventFacts, FactSubject, OutcomeCounts, OutcomeStore } from '#ports/outcomes.ts';
import type { Page } from '#ports/versioning.ts';
import { applied } from './client.ts';
import { batchGetByKey, chunked, DEFAULT_RETRY } from './directory-batch.ts';
import { countyCodes, queryItems, queryPage } from './paging.ts';
import { EVENT_SEQ_ATTRIBUTE } from './report-document.ts';
import { INDEXES } from './table.ts';

type Item = Record<string, unknown>;

/** Shards per node and day: a county's day holds one watermark per report that touched it, split four ways. */
export const OUTCOME_SHARDS = 4;

/** Watermarks one compacting update removes (its expressions stay far below DynamoDB's 4 KB). */
const WATERMARKS_PER_UPDATE = 50;

export const outcomesPendingPartition = (county: string) => `OUTCOMES#${county}`;

/** The shard of a report's watermark and counts (exported for the bench, which seeds counter items directly). */
export function shardOf(reportId: string): number {
  let h = 0;
  for (const ch of reportId) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return h % OUTCOME_SHARDS;
}

export const counterSk = (day: string, shard: number) => (day === NOW_DAY ? `NOW#${shard}` : `DAY#${day}#${shard}`);

interface ItemUpdate {
  node: string;
  day: string;
  adds: Map<string, number>;
  lists: Map<string, number[]>;
}

/** The counter items one event's facts move, by node and day, with what each gets. */
function itemUpdates(facts: readonly OutcomeFact[]): Map<string, ItemUpdate> {
  const updates = new Map<string, ItemUpdate>();
  for (const fact of facts) {
    for (const { code, child } of nodesOf(fact.path)) {
      const id = `${code}|${fact.day}`;
      const update = updates.get(id) ?? { node: code, day: fact.day, adds: new Map(), lists: new Map() };
      updates.set(id, update);
      if (fact.counter === 'worktime') {
        const key = `worktime|tier:${fact.tier}`;
        update.lists.set(key, [...(update.lists.get(key) ?? []), fact.seconds ?? 0]);
        continue;
      }
      for (const key of counterKeys(fact, child)) update.adds.set(key, (update.adds.get(key) ?? 0) + fact.delta);
    }
  }
  return updates;
}

/** Several events' updates of one item as one (their sums, their lists in seq order). */
function mergeUpdates(updates: readonly ItemUpdate[]): ItemUpdate {
  const [head] = updates as [ItemUpdate];
  const merged: ItemUpdate = { node: head.node, day: head.day, adds: new Map(), lists: new Map() };
  for (const update of updates) {
    for (const [key, delta] of update.adds) merged.adds.set(key, (merged.adds.get(key) ?? 0) + delta);
    for (const [key, list] of update.lists) merged.lists.set(key, [...(merged.lists.get(key) ?? []), ...list]);
  }
  return merged;
}

/**
 * The working seconds an attribute of a counter item holds, by tier: a list as `apply` appends to
 * it (`l_worktime|tier:<t>`), or the same values as comma-separated text once compacted
 * (`s_worktime|tier:<t>`), which reads far cheaper than a list of number attributes.
 */
function workingTimesOf(name: string, value: unknown): { tier: string; seconds: number[] } | null {
  const tierOf = (prefix: string) => (name.startsWith(prefix) ? name.slice(prefix.length) : null);
  const listed = tierOf('l_worktime|tier:');
  if (listed !== null && Array.isArray(value)) return { tier: listed, seconds: value.map(Number) };
  const text = tierOf('s_worktime|tier:');
  if (text !== null && typeof value === 'string') return { tier: text, seconds: value === '' ? [] : value.split(',').map(Number) };
  return null;
}

export class DynamoOutcomeStore implements OutcomeStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async apply(subject: FactSubject, events: readonly EventFacts[]): Promise<void> {
    // Drill facts first: a crash after them and before the counters replays the events, which
    // rewrites the drill facts to the same state and then applies the counters.
    for (const { seq, facts } of events)
      for (const fact of facts) if (DRILLABLE.has(fact.counter)) await this.drillFact(subject, seq, fact);
    const shard = shardOf(subject.id);
    const byItem = new Map<string, Map<number, ItemUpdate>>();
    for (const { seq, facts } of events) {
      for (const [id, update] of itemUpdates(facts)) {
        const updates = byItem.get(id) ?? new Map<number, ItemUpdate>();
        byItem.set(id, updates);
        updates.set(seq, update);
      }
    }
    for (const updates of byItem.values()) {
      const seqs = [...updates.keys()].sort((a, b) => a - b);
      const first = seqs[0] as number;
      const last = seqs.at(-1) as number;
      if (await this.applyToItem(subject.id, { first, last }, shard, mergeUpdates(seqs.map((s) => updates.get(s) as ItemUpdate)))) continue;
      if (seqs.length === 1) continue;
      for (const seq of seqs) await this.applyToItem(subject.id, { first: seq, last: seq }, shard, updates.get(seq) as ItemUpdate);
    }
  }

  /** Adds an update to one counter item unless the item has seen an event in first..last; false when it has. */
  private async applyToItem(reportId: string, seqs: { first: number; last: number }, shard: number, update: ItemUpdate): Promise<boolean> {
    const names: Record<string, string> = { '#w': `w_${reportId}` };
    const values: Record<string, unknown> = { ':last': seqs.last, ':first': seqs.first };
    const adds: string[] = [];
    const sets = ['#w = :last'];
    let i = 0;
    for (const [key, delta] of update.adds) {
      if (delta === 0) continue;
      names[`#a${i}`] = `c_${key}`;
      values[`:a${i}`] = delta;
      adds.push(`#a${i} :a${i}`);
      i++;
    }
    let j = 0;
    for (const [key, list] of update.lists) {
      names[`#l${j}`] = `l_${key}`;
      values[`:l${j}`] = list;
      sets.push(`#l${j} = list_append(if_not_exists(#l${j}, :empty), :l${j})`);
      j++;
    }
    if (j > 0) values[':empty'] = [];
    return applied(
      this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { PK: `STATS#${update.node}`, SK: counterSk(update.day, shard) },
          UpdateExpression: `SET ${sets.join(', ')}${adds.length > 0 ? ` ADD ${adds.join(', ')}` : ''}`,
          ConditionExpression: 'attribute_not_exists(#w) OR #w < :first',
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        }),
      ),
    );
  }

  private async drillFact(subject: FactSubject, seq: number, fact: OutcomeFact): Promise<void> {
    const county = fact.path[0] ?? '';
    await applied(
      this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { PK: `DRILL#${county}#${fact.counter}`, SK: `${fact.day}#${subject.id}#${fact.unit}` },
          UpdateExpression:
            'SET #seq = :seq, #live = :live, #path = :path, title = :title, reportId = :id, #day = :day, #unit = :unit, category = :cat, tier = :tier',
          ConditionExpression: 'attribute_not_exists(#seq) OR #seq < :seq',
          ExpressionAttributeNames: { '#seq': 'seq', '#live': 'live', '#path': 'path', '#day': 'day', '#unit': 'unit' },
          ExpressionAttributeValues: {
            ':seq': seq,
            ':live': fact.delta > 0,
            ':path': pathKey(fact.path),
            ':title': subject.title,
            ':id': subject.id,
            ':day': fact.day,
            ':unit': fact.unit,
            ':cat': fact.category,
            ':tier': fact.tier ?? null,
          },
        }),
      ),
    );
  }

  async markProjected(reportId: string, seq: number): Promise<boolean> {
    const key = { PK: `REPORT#${reportId}`, SK: '#REPORT' };
    const caughtUp = await applied(
      this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: key,
          UpdateExpression: 'SET outcomesSeq = :s REMOVE outcomesPendingKey',
          // eventSeq on compact report items (report-document.ts), lastEvent.seq on items stored before them.
          ConditionExpression: '#eventSeq = :s OR lastEvent.#seq = :s',
          ExpressionAttributeNames: { '#eventSeq': EVENT_SEQ_ATTRIBUTE, '#seq': 'seq' },
          ExpressionAttributeValues: { ':s': seq },
        }),
      ),
    );
    if (caughtUp) return true;
    // A newer event was stored meanwhile: its own projection (or the catch-up) finishes the job.
    await applied(
      this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: key,
          UpdateExpression: 'SET outcomesSeq = :s',
          ConditionExpression: 'attribute_exists(PK) AND (attribute_not_exists(outcomesSeq) OR outcomesSeq < :s)',
          ExpressionAttributeValues: { ':s': seq },
        }),
      ),
    );
    return false;
  }

  async *pending(): AsyncIterable<string> {
    for await (const county of countyCodes(this.db, this.tableName, INDEXES.directory.name)) {
      const behind = queryItems(this.db, {
        TableName: this.tableName,
        IndexName: INDEXES.outcomesPending.name,
        KeyConditionExpression: 'outcomesPendingKey = :p',
        ExpressionAttributeValues: { ':p': outcomesPendingPartition(county) },
      });
      for await (const item of behind) yield String(item.PK).slice('REPORT#'.length);
    }
  }

  async read(node: string, from: string, to: string): Promise<OutcomeCounts> {
    const counts: OutcomeCounts = { byDay: {}, worktime: {}, now: {}, itemsRead: 0 };
    const collect = (item: Item, into: Record<string, number>) => {
      for (const [name, value] of Object.entries(item)) {
        if (name.startsWith('c_') && typeof value === 'number') into[name.slice(2)] = (into[name.slice(2)] ?? 0) + value;
        const worktimes = workingTimesOf(name, value);
        if (worktimes) {
          const into = counts.worktime[worktimes.tier] ?? [];
          counts.worktime[worktimes.tier] = into;
          for (const seconds of worktimes.seconds) into.push(seconds);
        }
      }
    };
    const query = async (condition: string, values: Item, each: (item: Item) => void) => {
      let ExclusiveStartKey: Item | undefined;
      do {
        const page = await this.db.send(
          new QueryCommand({
            TableName: this.tableName,
            KeyConditionExpression: `PK = :pk AND ${condition}`,
            ExpressionAttributeValues: { ':pk': `STATS#${node}`, ...values },
            ExclusiveStartKey,
          }),
        );
        for (const item of page.Items ?? []) {
          counts.itemsRead++;
          each(item);
        }
        ExclusiveStartKey = page.LastEvaluatedKey;
      } while (ExclusiveStartKey);
    };
    await query('SK BETWEEN :from AND :to', { ':from': `DAY#${from}`, ':to': `DAY#${to}#~` }, (item) => {
      const day = String(item.SK).slice(4, 14);
      counts.byDay[day] ??= {};
      collect(item, counts.byDay[day]);
    });
    await query('begins_with(SK, :now)', { ':now': 'NOW#' }, (item) => collect(item, counts.now));
    return counts;
  }

  async compact(nodes: readonly string[], from: string, to: string): Promise<number> {
    // Each report's marked seq is read once for all the nodes (a report touches every level of its path).
    const marked = new Map<string, number>();
    let dropped = 0;
    for (const node of nodes) {
      const days = queryItems(this.db, {
        TableName: this.tableName,
        KeyConditionExpression: 'PK = :pk AND SK BETWEEN :from AND :to',
        ExpressionAttributeValues: { ':pk': `STATS#${node}`, ':from': `DAY#${from}`, ':to': `DAY#${to}#~` },
      });
      for await (const item of days) {
        const watermarks = Object.entries(item).filter((e): e is [string, number] => e[0].startsWith('w_') && typeof e[1] === 'number');
        const unread = watermarks.map(([name]) => name.slice(2)).filter((id) => !marked.has(id));
        if (unread.length > 0) {
          const reports = await batchGetByKey(
            this.db,
            this.tableName,
            unread.map((id) => ({ PK: `REPORT#${id}`, SK: '#REPORT' })),
            DEFAULT_RETRY,
            { attributes: ['outcomesSeq'] },
          );
          for (const id of unread) marked.set(id, 0);
          for (const report of reports) marked.set(String(report.PK).slice('REPORT#'.length), Number(report.outcomesSeq ?? 0));
        }
        const guardless = watermarks.filter(([name, seq]) => (marked.get(name.slice(2)) ?? 0) >= seq);
        const [first = [], ...more] = chunked(guardless, WATERMARKS_PER_UPDATE);
        if (first.length === 0) continue;
        dropped += await this.compactItem(item, first, true);
        for (const some of more) dropped += await this.compactItem(item, some, false);
      }
    }
    return dropped;
  }

  /**
   * Removes some watermarks from a counter item if each still holds the seq read, and with the
   * first of an item's updates folds its working-time lists into their text form (if no append
   * came meanwhile); 0 when anything moved, which leaves the item for the next run.
   */
  private async compactItem(item: Item, watermarks: readonly [string, number][], foldLists: boolean): Promise<number> {
    const names: Record<string, string> = Object.fromEntries(watermarks.map(([name], i) => [`#w${i}`, name]));
    const values: Record<string, unknown> = Object.fromEntries(watermarks.map(([, seq], i) => [`:w${i}`, seq]));
    const conditions = watermarks.map((_, i) => `#w${i} = :w${i}`);
    const removes = watermarks.map((_, i) => `#w${i}`);
    const sets: string[] = [];
    const lists = foldLists
      ? Object.entries(item).filter((e): e is [string, unknown[]] => e[0].startsWith('l_worktime|') && Array.isArray(e[1]))
      : [];
    lists.forEach(([name, list], i) => {
      const text = `s_${name.slice(2)}`;
      const earlier = typeof item[text] === 'string' ? (item[text] as string) : '';
      names[`#l${i}`] = name;
      names[`#s${i}`] = text;
      values[`:n${i}`] = list.length;
      values[`:s${i}`] = [earlier, ...list.map((seconds) => String(Number(seconds)))].filter((part) => part !== '').join(',');
      conditions.push(`size(#l${i}) = :n${i}`, earlier === '' ? `attribute_not_exists(#s${i})` : `#s${i} = :e${i}`);
      if (earlier !== '') values[`:e${i}`] = earlier;
      sets.push(`#s${i} = :s${i}`);
      removes.push(`#l${i}`);
    });
    const removed = await applied(
      this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { PK: item.PK, SK: item.SK },
          UpdateExpression: `${sets.length > 0 ? `SET ${sets.join(', ')} ` : ''}REMOVE ${removes.join(', ')}`,
          ConditionExpression: conditions.join(' AND '),
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        }),
      ),
    );
    return removed ? watermarks.length : 0;
  }

  async compaction(county: string): Promise<CompactionMark> {
    const { Item: item } = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: { PK: `STATS#${county}`, SK: 'COMPACTED' }, ConsistentRead: true }),
    );
    return {
      ...(typeof item?.through === 'string' ? { through: item.through } : {}),
      ...(item?.running ? { running: item.running as CompactionMark['running'] } : {}),
    };
  }

  async markCompaction(county: string, mark: CompactionMark): Promise<void> {
    // UpdateItem, not PutItem: the reconciler may only update items (infra/constructs/bindings.ts).
    const sets = Object.entries(mark).filter(([, value]) => value !== undefined);
    const unset = ['through', 'running'].filter((name) => !sets.some(([key]) => key === name));
    await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: { PK: `STATS#${county}`, SK: 'COMPACTED' },
        UpdateExpression: [
          sets.length > 0 ? `SET ${sets.map(([name]) => `#${name} = :${name}`).join(', ')}` : '',
          unset.length > 0 ? `REMOVE ${unset.map((name) => `#${name}`).join(', ')}` : '',
        ].join(' '),
        ExpressionAttributeNames: Object.fromEntries(['through', 'running'].map((name) => [`#${name}`, name])),
        ...(sets.length > 0 ? { ExpressionAttributeValues: Object.fromEntries(sets.map(([name, value]) => [`:${name}`, value])) } : {}),
      }),
    );
  }

  drill(query: DrillQuery): Promise<Page<DrillItem>> {
    const partition = `DRILL#${query.county}#${query.counter}`;
    const names: Record<string, string> = { '#live': 'live' };
    const values: Record<string, unknown> = { ':pk': partition, ':from': query.from, ':to': `${query.to}#~`, ':yes': true };
    const filters = ['#live = :yes'];
    if (query.path.length > 1) {
      names['#path'] = 'path';
      values[':prefix'] = pathKey(query.path);
      filters.push('begins_with(#path, :prefix)');
    }
    if (query.category) {
      values[':cat'] = query.category;
      filters.push('category = :cat');
    }
    return queryPage(
      this.db,
      {
        TableName: this.tableName,
        KeyConditionExpression: 'PK = :pk AND SK BETWEEN :from AND :to',
        FilterExpression: filters.join(' AND '),
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      },
      {
        limit: query.limit,
        cursor: query.cursor,
        shape: { attributes: ['PK', 'SK'], partition: { attribute: 'PK', value: partition } },
        map: (item) => ({
          reportId: String(item.reportId),
          title: String(item.title ?? ''),
          day: String(item.day),
          unit: String(item.unit),
          ...(typeof item.tier === 'string' ? { tier: item.tier } : {}),
          category: String(item.category ?? ''),
        }),
      },
    );
  }
}
