/**
 * Every user-facing string goes through vue-i18n: zh-CN first, English second. Each area keeps its
 * own messages (messages/<area>.ts, exporting `{ 'zh-CN': {...}, en: {...} }` under its own top-level
 * keys); they are gathered here, so an area adds a file and nothing else changes. Element Plus's own
 * texts follow the same locale (App.vue's ElConfigProvider), and so do dates (utils/format.ts).
 */
import { createI18n } from 'vue-i18n';

export const LOCALES = ['zh-CN', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

type Messages = Record<string, unknown>;
type AreaMessages = Record<Locale, Messages>;

const areas = import.meta.glob<AreaMessages>('./messages/*.ts', { eager: true, import: 'default' });

function merge(): Record<Locale, Messages> {
  const out: Record<Locale, Messages> = { 'zh-CN': {}, en: {} };
  for (const [file, area] of Object.entries(areas)) {
    for (const locale of LOCALES) {
      const messages = area[locale];
      if (!messages) throw new Error(`${file} has no ${locale} messages`);
      for (const key of Object.keys(messages)) {
        if (key in out[locale]) throw new Error(`${file}: the message key "${key}" is another area's`);
      }
      Object.assign(out[locale], messages);
    }
  }
  return out;
}

export const MESSAGES = merge();

/** The reader's choice if they made one; otherwise Chinese, whatever the browser says (the console's readers are county officials). */
export function initialLocale(saved: string | null): Locale {
  return saved && (LOCALES as readonly string[]).includes(saved) ? (saved as Locale) : 'zh-CN';
}

export function createConsoleI18n(locale: Locale = 'zh-CN') {
  return createI18n({
    legacy: false,
    locale,
    fallbackLocale: 'zh-CN',
    messages: MESSAGES as never,
    missingWarn: false,
    fallbackWarn: false,
  });
}
