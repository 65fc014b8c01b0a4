/**
 * A CSV import as the console runs it: a dry run first (every bad row, nothing written), then the
 * commit of the same file, whose job is read every POLL_MS until it is done, so the page can show
 * its progress. One import at a time; `reset` forgets it.
 */
import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type { ImportJob } from '../api/imports';
import * as importsApi from '../api/imports';
import { withoutRows } from '../utils/csv-rows';

/** How often a running job is read. */
export const POLL_MS = 400;

export type ImportPhase = 'idle' | 'checking' | 'checked' | 'committing' | 'done' | 'failed';

const finished = (job: ImportJob) => job.status === 'done' || job.status === 'failed';

export const useImportsStore = defineStore('imports', () => {
  const phase = ref<ImportPhase>('idle');
  const file = shallowRef<File | null>(null);
  /** The dry run's job: its errors are what the table shows (or the commit's, if the file changed in between). */
  const check = shallowRef<ImportJob | null>(null);
  /** The commit's job while it runs and once it is done. */
  const commit = shallowRef<ImportJob | null>(null);
  const error = ref<string | null>(null);
  let generation = 0;

  const errors = computed(() => (commit.value?.errors.length ? commit.value.errors : (check.value?.errors ?? [])));
  /** Whether the checked file may be committed: its dry run found nothing wrong. */
  const canCommit = computed(() => phase.value === 'checked' && check.value?.status === 'done' && check.value.errorCount === 0);
  /**
   * Whether the bad rows of the checked file may be left out instead (the API commits a file whole,
   * so this makes a smaller file and checks it again): not when the header is wrong, or no row is left.
   */
  const canSkip = computed(() => {
    const job = check.value;
    if (phase.value !== 'checked' || !job || job.errorCount === 0) return false;
    const bad = new Set(job.errors.map((e) => e.row));
    return !bad.has(1) && job.total > bad.size;
  });
  /** How many rows the user has left out of the file they chose, over all skips. */
  const skipped = ref(0);
  /** 0–100, for the progress bar. */
  const progress = computed(() => {
    const job = commit.value;
    if (!job) return 0;
    if (job.status === 'done') return 100;
    return job.total > 0 ? Math.min(100, Math.floor((job.processed / job.total) * 100)) : 0;
  });

  async function follow(id: string, own: number, onProgress: (job: ImportJob) => void): Promise<ImportJob | null> {
    for (;;) {
      const job = await importsApi.getImport(id);
      if (own !== generation) return null;
      onProgress(job);
      if (finished(job)) return job;
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      if (own !== generation) return null;
    }
  }

  function fail(own: number, thrown: unknown): void {
    if (own !== generation) return;
    error.value = thrown instanceof Error ? thrown.message : String(thrown);
    phase.value = 'failed';
  }

  /** Checks a file: every row, nothing written. */
  function dryRun(next: File): Promise<void> {
    return checkFile(next, 0);
  }

  async function checkFile(next: File, skippedRows: number): Promise<void> {
    const own = ++generation;
    file.value = next;
    skipped.value = skippedRows;
    check.value = null;
    commit.value = null;
    error.value = null;
    phase.value = 'checking';
    try {
      const { id } = await importsApi.startImport(next, true);
      const job = await follow(id, own, (j) => {
        check.value = j;
      });
      if (!job) return;
      phase.value = job.status === 'done' ? 'checked' : 'failed';
      if (job.status === 'failed') error.value = job.message ?? null;
    } catch (thrown) {
      fail(own, thrown);
    }
  }

  /** Leaves the rows the dry run found bad out of the file and checks what is left. */
  async function skipBadRows(): Promise<void> {
    const chosen = file.value;
    const job = check.value;
    if (!chosen || !job || !canSkip.value) return;
    const bad = new Set(job.errors.map((e) => e.row));
    const kept = withoutRows(new Uint8Array(await chosen.arrayBuffer()), bad);
    await checkFile(new File([kept as BlobPart], chosen.name, { type: chosen.type }), skipped.value + bad.size);
  }

  /** Commits the file the dry run passed, following its progress until it is done. */
  async function run(): Promise<ImportJob | null> {
    const chosen = file.value;
    if (!chosen || !canCommit.value) return null;
    const own = ++generation;
    phase.value = 'committing';
    error.value = null;
    try {
      const { id } = await importsApi.startImport(chosen, false);
      const job = await follow(id, own, (j) => {
        commit.value = j;
      });
      if (!job) return null;
      phase.value = job.status === 'done' ? 'done' : 'failed';
      if (job.status === 'failed') error.value = job.message ?? null;
      return job;
    } catch (thrown) {
      fail(own, thrown);
      return null;
    }
  }

  function reset(): void {
    generation++;
    phase.value = 'idle';
    file.value = null;
    skipped.value = 0;
    check.value = null;
    commit.value = null;
    error.value = null;
  }

  return { phase, file, check, commit, error, errors, canCommit, canSkip, skipped, progress, dryRun, skipBadRows, run, reset };
});
