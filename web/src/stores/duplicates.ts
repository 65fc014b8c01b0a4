/**
 * The open report's duplicates: the suggestions (可能重复), the report it was merged into and the
 * reports merged into it, and the merge (合并) of the open report into a parent, after which the
 * report and its duplicates are read again.
 */
import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { ReportDuplicates } from '../api/duplicates';
import * as duplicatesApi from '../api/duplicates';
import { useReportsStore } from './reports';

export const useDuplicatesStore = defineStore('duplicates', () => {
  const current = ref<ReportDuplicates | null>(null);
  const loading = ref(false);
  const error = ref<string | null>(null);
  let request = 0;

  /** Reads a report's duplicates; a slower answer for a report no longer shown is dropped. */
  async function load(id: string): Promise<void> {
    const mine = ++request;
    loading.value = true;
    error.value = null;
    if (current.value?.reportId !== id) current.value = null;
    try {
      const answer = await duplicatesApi.getDuplicates(id);
      if (mine === request) current.value = answer;
    } catch (failure) {
      if (mine === request) error.value = failure instanceof Error ? failure.message : String(failure);
    } finally {
      if (mine === request) loading.value = false;
    }
  }

  /** Merges `childId` into `parentId`; throws the API's error (already in the reader's language). */
  async function merge(childId: string, parentId: string, note?: string): Promise<void> {
    await duplicatesApi.mergeReport(childId, parentId, note?.trim() || undefined);
    await Promise.all([useReportsStore().loadReport(childId, { quietly: true }), load(childId)]);
  }

  function clear(): void {
    request++;
    current.value = null;
    error.value = null;
    loading.value = false;
  }

  return { current, loading, error, load, merge, clear };
});
