/** The workbench (工作台): the reader's waiting reports and their counts, read again while the page is open. */
import { defineStore } from 'pinia';
import { ref } from 'vue';
import { getWorkbench, type Workbench } from '../api/reports';

export const useWorkbenchStore = defineStore('workbench', () => {
  const bench = ref<Workbench | null>(null);
  const loading = ref(false);
  const error = ref<string | null>(null);
  /** How far the server's clock is ahead of this browser's: time left is counted on the server's. */
  const clockOffsetMs = ref(0);
  let request = 0;

  /** Reads the workbench; `quietly` (a refresh) keeps what is shown if the read fails. */
  async function load(options: { node?: string; quietly?: boolean } = {}): Promise<void> {
    const mine = ++request;
    if (!options.quietly) {
      loading.value = true;
      error.value = null;
    }
    try {
      const answer = await getWorkbench(options.node);
      if (mine !== request) return;
      bench.value = answer;
      error.value = null;
      clockOffsetMs.value = Date.parse(answer.now) - Date.now();
    } catch (failure) {
      if (mine !== request || options.quietly) return;
      error.value = failure instanceof Error ? failure.message : String(failure);
    } finally {
      if (mine === request) loading.value = false;
    }
  }

  return { bench, loading, error, clockOffsetMs, load };
});
