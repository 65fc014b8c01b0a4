/**
 * Personal data in free text that leaves for the public (the Open311 feed): phone numbers, ID-card
 * numbers and licence plates are masked, every letter and digit of them becoming `*` while the
 * separators and the province character stay, so a reader still sees that a number was there.
 *
 * People type numbers the way they read them aloud or copy them from a phone: grouped by spaces,
 * hyphens or dots, in full-width characters from a Chinese input method, even in Chinese numerals.
 * Matching runs on a folded copy of the text in which each of those characters has been replaced,
 * one UTF-16 unit for one, by its ASCII equivalent, so positions in the copy are positions in the
 * original and the original's own characters are what gets masked.
 */

/** Full-width ASCII (U+FF01–U+FF5E) is ASCII shifted by 0xFEE0. */
const FULL_WIDTH_OFFSET = 0xfee0;
const DASHES = /[\u2010-\u2015\u2212\ufe58\ufe63]/;
const DOTS = /[\u00b7\u2022\u2027\u30fb\uff65]/;
const SPACES = /[\u00a0\u2000-\u200a\u202f\u205f\u3000]/;
const CHINESE_DIGITS: Record<string, string> = {
  〇: '0',
  零: '0',
  一: '1',
  二: '2',
  三: '3',
  四: '4',
  五: '5',
  六: '6',
  七: '7',
  八: '8',
  九: '9',
};

function foldChar(ch: string, chineseNumerals: boolean): string {
  const code = ch.charCodeAt(0);
  if (code >= 0xff01 && code <= 0xff5e) return String.fromCharCode(code - FULL_WIDTH_OFFSET);
  if (DASHES.test(ch)) return '-';
  if (DOTS.test(ch)) return '.';
  if (SPACES.test(ch)) return ' ';
  return (chineseNumerals && CHINESE_DIGITS[ch]) || ch;
}

/** The text with look-alike characters replaced by ASCII, unit for unit (same length, same positions). */
export function foldForMatching(text: string, chineseNumerals = false): string {
  let out = '';
  for (let i = 0; i < text.length; i++) out += foldChar(text.charAt(i), chineseNumerals);
  return out;
}

// One optional separator between the groups of a number, as people write them.
const SEP = '[ .-]?';
// +86, 0086, 86 or (+86) in front of a mainland number.
const COUNTRY = `(?:\\(\\+?86\\)|(?:\\+|00)?86)${SEP}`;
// Digits must not run on into the match from either side: 139… inside a longer number is not a phone.
const BEFORE = '(?<![\\d+])';
const AFTER = '(?!\\d)';

/** Mainland mobiles: 1[3-9]x and eight more digits, grouped as the writer liked, with or without the country code. */
const MOBILE = `(?:${COUNTRY})?1[3-9]\\d(?:${SEP}\\d){8}`;
/**
 * Landlines with their area code: 0 + 2–3 digits (010, 0772, also in parentheses), or the area
 * code without its 0 after the country code; then 7–8 digits, grouped or not.
 */
const LANDLINE = `(?:${COUNTRY}\\(?[1-9]\\d{1,2}\\)?|\\(0[1-9]\\d{1,2}\\)|0[1-9]\\d{1,2})(?:${SEP}\\d){7,8}`;
/** Resident ID cards: 18 characters (the last a check digit or X), grouped 6-8-4 or not; the old 15 digits. */
const ID_CARD = `\\d{6}${SEP}\\d{8}${SEP}\\d{3}[\\dXx](?![\\dA-Za-z])|\\d{15}`;

const PROVINCES = '京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼';
const PLATE_LETTER = 'A-HJ-NP-Za-hj-np-z';
/**
 * Plates: province, the city's letter (no I or O), an optional middle dot, then five letters and
 * digits with at least one digit, six on new-energy plates (桂GD12345), or four and 学, 警, 挂, 港 or 澳.
 */
const PLATE = `[${PROVINCES}][${PLATE_LETTER}]${SEP}(?=[A-Za-z0-9]{0,5}\\d)(?:[${PLATE_LETTER}0-9]{5,6}(?![A-Za-z0-9])|[${PLATE_LETTER}0-9]{4}[学警挂港澳])`;

// ID numbers come first, so an 18-digit ID is masked whole and never read as a phone number inside it.
const PERSONAL_DATA = new RegExp(`${BEFORE}(?:${ID_CARD}|${MOBILE}|${LANDLINE})${AFTER}|${PLATE}`, 'g');

const MASKABLE = /[0-9A-Za-z]/;

function markMatches(folded: string, masked: boolean[]): void {
  for (const match of folded.matchAll(PERSONAL_DATA)) {
    for (let i = match.index; i < match.index + match[0].length; i++) if (MASKABLE.test(folded.charAt(i))) masked[i] = true;
  }
}

/**
 * The text with every phone number, ID-card number and licence plate masked. Numbers in Chinese
 * numerals (一三八…) are found in a second pass, so that a numeral next to an ordinary number
 * (第一13877200777) cannot hide it by running on into it.
 */
export function maskPersonalData(text: string): string {
  const masked: boolean[] = new Array(text.length).fill(false);
  markMatches(foldForMatching(text), masked);
  markMatches(foldForMatching(text, true), masked);
  let out = '';
  for (let i = 0; i < text.length; i++) out += masked[i] ? '*' : text.charAt(i);
  return out;
}
