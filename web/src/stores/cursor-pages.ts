/**
 * One page of a filtered listing read with cursors, keeping the cursors of the pages before it so
 * the reader can go back (the API's cursors only go forward). Used inside a setup store: the
 * store says how to read a page, this holds the page, the filters and the way back.
 */
import { computed, type Ref, ref } from 'vue';

export interface CursorPage<Item> {
  items: Item[];
  nextCursor: string | null;
}

export function useCursorPages<Item, Filters extends object>(
  readPage: (filters: Filters, cursor: string | undefined) => Promise<CursorPage<Item>>,
) {
  const items = ref([]) as Ref<Item[]>;
  const filters = ref({}) as Ref<Filters>;
  /** The cursor each visited page was read with (undefined: the first), the current one last. */
  const cursors = ref<(string | undefined)[]>([undefined]);
  const nextCursor = ref<string | null>(null);
  const loading = ref(false);

  const page = computed(() => cursors.value.length);
  const hasPrevious = computed(() => cursors.value.length > 1);
  const hasNext = computed(() => nextCursor.value !== null);

  async function read() {
    loading.value = true;
    try {
      const answer = await readPage(filters.value, cursors.value.at(-1));
      items.value = answer.items;
      nextCursor.value = answer.nextCursor;
    } finally {
      loading.value = false;
    }
  }

  /** The first page of a new filter. */
  async function search(next: Filters) {
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
}
