/**
 * Phone numbers as the API reads them (functions/core/people.ts normalizePhone and phoneProblem;
 * functions/core/catalog.ts for published duty lines), so the console can say what is wrong as the
 * admin types and show the number as it will be stored. The API checks again; a test holds the two
 * to the same answers.
 */
const MAINLAND_MOBILE = /^\+861[3-9]\d{9}$/;
const E164 = /^\+[1-9]\d{7,14}$/;
/** A mainland landline with its area code (0772-1234567), or a short public line (12345). */
const LANDLINE = /^(?:0\d{2,3}-?\d{7,8}|1\d{4})$/;

/** In E.164 (+8613977201234), or null when it cannot be read as a number: 11-digit mobiles and 86/0086 forms are accepted. */
export function normalizePhone(input: string): string | null {
  const compact = input.trim().replace(/[\s\-().]/g, '');
  if (/^1[3-9]\d{9}$/.test(compact)) return `+86${compact}`;
  if (/^(?:0086|86)1[3-9]\d{9}$/.test(compact)) return `+86${compact.replace(/^(?:0086|86)/, '')}`;
  return E164.test(compact) ? compact : null;
}

export type PhoneProblem = 'required' | 'notE164' | 'notMainlandMobile';

/** Why a person's number cannot take SMS, or null when it can. */
export function phoneProblem(input: string): PhoneProblem | null {
  if (input.trim() === '') return 'required';
  const phone = normalizePhone(input) ?? input.trim();
  if (!E164.test(phone)) return 'notE164';
  if (phone.startsWith('+86') && !MAINLAND_MOBILE.test(phone)) return 'notMainlandMobile';
  return null;
}

/** A department's published line may also be a landline with its area code. */
export function contactPhoneOk(input: string): boolean {
  return normalizePhone(input) !== null || LANDLINE.test(input.trim().replace(/[\s()]/g, ''));
}
