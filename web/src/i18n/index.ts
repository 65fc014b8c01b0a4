/**
 * Every user-facing string goes through vue-i18n: zh-CN first, English second. Each area keeps its
 * own messages (messages/<area>.ts, exporting `{ 'zh-CN': {...}, en: {...} }`); they are merged here,
 * deeply (an area may add `errors.codes.<ITS_CODE>` beside common.ts's), and a key two files both
 * define is an error, so an area adds a file and nothing else changes. Element Plus's own texts
 * follow the same locale (App.vue's ElConfigProvider), and so do dates (utils/format.ts).
 */
import { createI18n } from 'vue-i18n';

export const LOCALES = ['zh-CN', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

type Messages = Record<string, unknown>;
type AreaMessages = Record<Locale, Messages>;

const areas = import.meta.glob<AreaMessages>('./messages/*.ts', { eager: true, import: 'default' });

const isTree = (v: unknown): v is Messages => typeof v === 'object' && v !== null && !Array.isArray(v);

function mergeInto(target: Messages, source: Messages, file: string, at: string): void {
  for (const [key, value] of Object.entries(source)) {
    const path = at ? `${at}.${key}` : key;
    const existing = target[key];
    if (isTree(existing) && isTree(value)) mergeInto(existing, value, file, path);
    else if (existing !== undefined) throw new Error(`${file}: the message "${path}" is defined twice`);
    else target[key] = isTree(value) ? structuredClone(value) : value;
  }
}

export function mergeMessages(files: Record<string, AreaMessages>): Record<Locale, Messages> {
  const out: Record<Locale, Messages> = { 'zh-CN': {}, en: {} };
  for (const [file, area] of Object.entries(files)) {
    for (const locale of LOCALES) {
      const messages = area[locale];
      if (!messages) throw new Error(`${file} has no ${locale} messages`);
      mergeInto(out[locale], messages, file, '');
    }
  }
  return out;
}

function merge(): Record<Locale, Messages> {
  return mergeMessages(areas);
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
