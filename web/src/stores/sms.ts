/** The SMS log of the reader's subtree: one page of it, with the cursors of the pages before. */
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { SmsLogEntry, SmsQuery } from '../api/sms';
import * as smsApi from '../api/sms';

export type SmsFilters = Omit<SmsQuery, 'cursor' | 'limit'>;

export const PAGE_SIZE = 20;

export const useSmsStore = defineStore('sms', () => {
  const items = ref<SmsLogEntry[]>([]);
  const filters = ref<SmsFilters>({});
  const cursors = ref<(string | undefined)[]>([undefined]);
  const nextCursor = ref<string | null>(null);
  const loading = ref(false);

  const page = computed(() => cursors.value.length);
  const hasPrevious = computed(() => cursors.value.length > 1);
  const hasNext = computed(() => nextCursor.value !== null);

  async function read() {
    loading.value = true;
    try {
      const answer = await smsApi.listSms({ ...filters.value, cursor: cursors.value.at(-1), limit: String(PAGE_SIZE) });
      items.value = answer.items;
      nextCursor.value = answer.nextCursor;
    } finally {
      loading.value = false;
    }
  }

  async function search(next: SmsFilters) {
    filters.value = { ...next };
    cursors.value = [undefined];
    await read();
  }

  async function nextPage() {
    if (nextCursor.value === null) return;
    cursors.value = [...cursors.value, nextCursor.value];
    await read();
  }

  async function previousPage() {
    if (cursors.value.length <= 1) return;
    cursors.value = cursors.value.slice(0, -1);
    await read();
  }

  return { items, filters, cursors, nextCursor, loading, page, hasPrevious, hasNext, search, nextPage, previousPage };
});
