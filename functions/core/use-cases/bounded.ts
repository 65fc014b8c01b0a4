/**
 * Work over many records with a bounded number in flight: a township's move touches about a
 * thousand nodes and their people, which one at a time takes minutes and all at once floods the
 * table (and the local engine) with a thousand requests.
 */
export async function mapBounded<T, R>(items: readonly T[], parallel: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  let failed = false;
  // After a failure the other workers take nothing new: the caller has its answer, and work
  // started after it would run on unobserved.
  const worker = async () => {
    for (let i = next++; i < items.length && !failed; i = next++) {
      try {
        results[i] = await fn(items[i] as T, i);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  // Settled, not all: the caller hears of a failure only once nothing it started is still running.
  const outcomes = await Promise.allSettled(Array.from({ length: Math.min(parallel, items.length) }, worker));
  const failure = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
  if (failure) throw failure.reason;
  return results;
}
