/** Optimistic concurrency without transactions: every versioned write is conditional on the version read. */
export class VersionConflictError extends Error {
  constructor(what: string) {
    super(`${what} was changed by someone else`);
    // Spelled out: minified bundles rename classes, and Step Functions matches errors by this name.
    this.name = 'VersionConflictError';
  }
}

/** One page of a listing; `nextCursor` is opaque, null on the last page. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface PageRequest {
  cursor?: string;
  limit: number;
}
