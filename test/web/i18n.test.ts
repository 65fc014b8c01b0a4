import { describe, expect, it } from 'vitest';
import { MESSAGES, mergeMessages } from '#web/i18n/index.ts';

function leaves(tree: Record<string, unknown>, at = ''): string[] {
  return Object.entries(tree).flatMap(([key, value]) =>
    typeof value === 'object' && value !== null ? leaves(value as Record<string, unknown>, `${at}${key}.`) : [`${at}${key}`],
  );
}

describe('the console’s messages', () => {
  it('say everything in both languages: the same keys in zh-CN and en, none empty', () => {
    // Act
    const zh = leaves(MESSAGES['zh-CN']).sort();
    const en = leaves(MESSAGES.en).sort();

    // Assess
    expect(zh.length).toBeGreaterThan(50);
    expect(en).toEqual(zh);
    const lookup = (tree: Record<string, unknown>, key: string) =>
      key.split('.').reduce<unknown>((t, k) => (t as Record<string, unknown>)[k], tree);
    expect(zh.filter((k) => !String(lookup(MESSAGES['zh-CN'], k)).trim())).toEqual([]);
    expect(en.filter((k) => !String(lookup(MESSAGES.en, k)).trim())).toEqual([]);
  });

  it('merge areas deeply and refuse a key two areas both define', () => {
    // Act
    const merged = mergeMessages({
      'a.ts': { 'zh-CN': { errors: { codes: { A: '甲' } } }, en: { errors: { codes: { A: 'A' } } } },
      'b.ts': { 'zh-CN': { errors: { codes: { B: '乙' } } }, en: { errors: { codes: { B: 'B' } } } },
    });

    // Assess
    expect(merged['zh-CN']).toEqual({ errors: { codes: { A: '甲', B: '乙' } } });
    expect(() =>
      mergeMessages({
        'a.ts': { 'zh-CN': { x: '1' }, en: { x: '1' } },
        'b.ts': { 'zh-CN': { x: '2' }, en: { x: '2' } },
      }),
    ).toThrow(/"x" is defined twice/);
  });
});
