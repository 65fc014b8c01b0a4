/** The console's language: vue-i18n, Element Plus and dates all follow it; the choice is remembered. */
import { defineStore } from 'pinia';
import { ref } from 'vue';
import { initialLocale, type Locale } from '../i18n';

const STORAGE_KEY = 'gw.locale';

export const useLocaleStore = defineStore('locale', () => {
  const locale = ref<Locale>('zh-CN');
  /** Set by main.ts to the i18n instance's locale ref, so switching here switches every message. */
  let apply: (next: Locale) => void = () => undefined;

  function bind(setter: (next: Locale) => void) {
    apply = setter;
  }

  function restore() {
    set(initialLocale(localStorage.getItem(STORAGE_KEY)));
  }

  function set(next: Locale) {
    locale.value = next;
    apply(next);
    localStorage.setItem(STORAGE_KEY, next);
    document.documentElement.lang = next;
  }

  return { locale, bind, restore, set };
});
