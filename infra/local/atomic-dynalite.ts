/**
 * dynalite with every item write atomic, as a DynamoDB write is.
 *
 * dynalite keeps a table's items and each index's entries under key prefixes of one LevelDB, and
 * writes an item in separate steps: the old index entries deleted, the new ones put, then the item
 * itself. A process that stops between those steps (kill -9, or its database closed on shutdown
 * while an action is between two steps: the close waits only for LevelDB operations in flight)
 * leaves an index that disagrees with the table: a report stored `submitted` whose entry on the
 * due index was deleted and never replaced is one no listing of open reports finds again, so no
 * restart resumes it. Here the index changes of a PutItem, UpdateItem or DeleteItem (BatchWriteItem
 * runs those) are held back and written in one LevelDB batch with the item: the write lands whole
 * or not at all.
 *
 * It patches dynalite's own modules (`db.updateIndexes`, and each store's item databases), so it
 * holds for every dynalite this process starts after importing it.
 */
import { createRequire } from 'node:module';
import dynalite from 'dynalite';

type Callback = (error?: Error | null) => void;
type Item = Record<string, unknown>;
type BatchOperation = { type: 'put'; key: string; value: unknown } | { type: 'del'; key: string };

interface Table {
  TableName: string;
  LocalSecondaryIndexes?: unknown[];
  GlobalSecondaryIndexes?: unknown[];
}

interface ItemDb {
  put(key: string, value: unknown, callback: Callback): void;
  del(key: string, callback: Callback): void;
}

interface Store {
  db: { batch(operations: BatchOperation[], callback: Callback): void };
  getItemDb(name: string): ItemDb;
}

interface DynaliteDb {
  create(options: unknown): Store;
  createKey(item: Item, table: Table): string;
  updateIndexes(store: Store, table: Table, existingItem: Item | null, item: Item | null, callback: Callback): void;
  getIndexActions(
    indexes: unknown[],
    existingItem: Item | null,
    item: Item | null,
    table: Table,
  ): { puts: { index: string; key: string; item: Item }[]; deletes: { index: string; key: string }[] };
  atomicWrites?: true;
}

// The very module dynalite's actions require ('../db'): patching its exports reaches them.
const db = createRequire(import.meta.url)('dynalite/db/index.js') as DynaliteDb;

/** The key prefixes dynalite's sub-databases use in the one LevelDB (dynalite/db/index.js getSubDb). */
const itemPrefix = (tableName: string) => `item-${tableName}~`;
const indexPrefix = (type: 'Local' | 'Global', tableName: string, indexName: string) =>
  `index-${type.toLowerCase()}~${tableName}~${indexName}~`;

/**
 * Index changes computed for an item write and not yet written, by table and item key. dynalite
 * holds the item's lock from before updateIndexes until its item put or delete has answered, so
 * one key has at most one write between the two.
 */
const heldIndexChanges = new Map<string, BatchOperation[]>();
const heldKey = (tableName: string, key: string) => `${tableName}\u0000${key}`;

function holdIndexChanges(_store: Store, table: Table, existingItem: Item | null, item: Item | null, callback: Callback): void {
  const written = item ?? existingItem;
  if (!written) {
    callback();
    return;
  }
  const deletes: BatchOperation[] = [];
  const puts: BatchOperation[] = [];
  for (const type of ['Local', 'Global'] as const) {
    const indexes = table[`${type}SecondaryIndexes`] ?? [];
    const actions = db.getIndexActions(indexes, existingItem, item, table);
    for (const d of actions.deletes) deletes.push({ type: 'del', key: indexPrefix(type, table.TableName, d.index) + d.key });
    for (const p of actions.puts) puts.push({ type: 'put', key: indexPrefix(type, table.TableName, p.index) + p.key, value: p.item });
  }
  // Deletes before puts, as dynalite orders them: an entry is deleted only when its key moved.
  heldIndexChanges.set(heldKey(table.TableName, db.createKey(written, table)), [...deletes, ...puts]);
  callback();
}

function withAtomicItemWrites(store: Store): Store {
  const itemDbs = new Map<string, ItemDb>();
  const getItemDb = store.getItemDb.bind(store);
  store.getItemDb = (name: string) => {
    let wrapped = itemDbs.get(name);
    if (!wrapped) {
      const raw = getItemDb(name);
      const writeWith = (key: string, operation: BatchOperation, plain: () => void, callback: Callback) => {
        const held = heldIndexChanges.get(heldKey(name, key));
        if (!held) {
          plain();
          return;
        }
        heldIndexChanges.delete(heldKey(name, key));
        store.db.batch([...held, operation], callback);
      };
      // The raw item database stays the prototype: its lock, get and streams are dynalite's own.
      wrapped = Object.create(raw, {
        put: {
          value: (key: string, value: unknown, callback: Callback) =>
            writeWith(key, { type: 'put', key: itemPrefix(name) + key, value }, () => raw.put(key, value, callback), callback),
        },
        del: {
          value: (key: string, callback: Callback) =>
            writeWith(key, { type: 'del', key: itemPrefix(name) + key }, () => raw.del(key, callback), callback),
        },
      }) as ItemDb;
      itemDbs.set(name, wrapped);
    }
    return wrapped;
  };
  return store;
}

if (!db.atomicWrites) {
  db.atomicWrites = true;
  const create = db.create;
  db.create = (options: unknown) => withAtomicItemWrites(create(options));
  db.updateIndexes = holdIndexChanges;
}

export default dynalite;
