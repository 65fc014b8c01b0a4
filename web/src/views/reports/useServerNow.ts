/**
 * The server's "now", ticking: deadlines are on the server's clock, which may run ahead of the
 * reader's (TIME_SCALE demos, a test clock, a wrong PC clock), so time left is counted from the
 * offset the last answer carried, moved on every `everyMs` while the page is open.
 */
import { computed, onBeforeUnmount, onMounted, type Ref, ref } from 'vue';

export function useServerNow(offsetMs: Ref<number>, everyMs = 15_000) {
  const local = ref(Date.now());
  let timer: ReturnType<typeof setInterval> | undefined;
  onMounted(() => {
    timer = setInterval(() => {
      local.value = Date.now();
    }, everyMs);
  });
  onBeforeUnmount(() => clearInterval(timer));
  return computed(() => local.value + offsetMs.value);
}
