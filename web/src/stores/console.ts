/** The console's own settings from /config.json: map tiles (none by default: works offline). */
import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { ConsoleConfig } from '../config';

export const useConsoleStore = defineStore('console', () => {
  const tileUrl = ref<string | null>(null);
  const tileAttribution = ref<string | null>(null);

  function configure(config: ConsoleConfig) {
    tileUrl.value = config.tileUrl ?? null;
    tileAttribution.value = config.tileAttribution ?? null;
  }

  return { tileUrl, tileAttribution, configure };
});
