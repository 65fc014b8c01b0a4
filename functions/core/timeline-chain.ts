/**
 * A tamper-evident timeline: each event carries the SHA-256 of its own content and the previous
 * event's hash, so changing, removing or re-ordering any stored event breaks every hash after it,
 * and the report item (which keeps the last event) pins the chain's end. Verification recomputes
 * the chain from the stored events alone. It shows that the timeline was changed, not by whom:
 * someone who can rewrite the whole table can rewrite the whole chain (DynamoDB point-in-time
 * recovery and the audit trail are what answer that).
 */
import { createHash } from 'node:crypto';

/** The fields an event's hash covers: all of it but the hash itself. */
interface Hashable {
  seq: number;
  hash?: string;
}

/** Before the first event. */
export const GENESIS_HASH = '0'.repeat(64);

/** JSON with keys in a fixed order at every depth, so the same event always hashes the same. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export function eventHash(event: Hashable, previousHash: string): string {
  const { hash: _hash, ...content } = event as Hashable & Record<string, unknown>;
  return createHash('sha256').update(previousHash).update('\n').update(canonical(content)).digest('hex');
}

/** The event with its hash, chained to the one before it (GENESIS_HASH for the first). */
export function chained<T extends Hashable>(event: T, previous: { hash?: string } | null): T & { hash: string } {
  return { ...event, hash: eventHash(event, previous?.hash ?? GENESIS_HASH) };
}

export interface ChainVerdict {
  /** Every event from the first chained one on matches its hash, in order, up to the report's last event. */
  intact: boolean;
  /** Events checked. */
  checked: number;
  /** The first event whose hash does not match (changed, or one before it changed, went missing or moved). */
  brokenAtSeq: number | null;
  /** Events stored before the chain existed carry no hash: they are listed, not vouched for. */
  unchained: number;
}

/**
 * Checks the stored timeline against itself and against the report's copy of its last event.
 * Events written before hashing existed (no `hash`) must all come first; they are counted, not
 * checked, and the chain starts at the first hashed event.
 */
export function verifyChain(events: Hashable[], last: Hashable | null): ChainVerdict {
  const sorted = [...events].sort((a, b) => a.seq - b.seq);
  const firstHashed = sorted.findIndex((e) => typeof e.hash === 'string');
  const unchained = firstHashed === -1 ? sorted.length : firstHashed;
  let previous: string | null = null;
  let checked = 0;
  for (const [index, event] of sorted.entries()) {
    if (index < unchained) continue;
    const expectedSeq = (sorted[index - 1]?.seq ?? 0) + 1;
    // The first hashed event after unhashed ones was chained to the unhashed one's (absent) hash.
    const before = previous ?? GENESIS_HASH;
    checked++;
    if (event.seq !== expectedSeq || typeof event.hash !== 'string' || eventHash(event, before) !== event.hash) {
      return { intact: false, checked, brokenAtSeq: event.seq, unchained };
    }
    previous = event.hash;
  }
  // The report item pins the end: a deleted tail, or a re-written last event, shows here.
  const end = sorted.at(-1);
  if (last && typeof last.hash === 'string' && (end?.seq !== last.seq || end?.hash !== last.hash)) {
    return { intact: false, checked, brokenAtSeq: end && end.seq < last.seq ? end.seq + 1 : last.seq, unchained };
  }
  return { intact: true, checked, brokenAtSeq: null, unchained };
}
