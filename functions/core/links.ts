/**
 * SMS action links (一键办理): a short token in every officer SMS opens a page to accept, resolve or
 * return the report without signing in. The token is bound to one report, one officer and one tier
 * (tierSeq), expires at that tier's deadline, and is signed: `<id><mac>`, where the id finds the
 * stored link and the MAC, keyed by a server secret, proves the link was issued here unchanged.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Report } from './report.ts';

export interface ActionLink {
  id: string;
  reportId: string;
  personId: string;
  tierSeq: number;
  /** A summoned department's lane (core/assignments.ts) the link acts on; absent: the tier's own. */
  laneSeq?: number;
  expiresAt: string;
  createdAt: string;
}

const ID_BYTES = 6; // 8 base64url characters
const MAC_BYTES = 6; // 8 more: 96 bits of token in 16 characters, short enough for one SMS
export const LINK_TOKEN_LENGTH = 16;

function hmac(secret: Uint8Array, text: string, bytes: number): Buffer {
  return createHmac('sha256', secret).update(text).digest().subarray(0, bytes);
}

/** Deterministic per SMS, so a retried notify step hands out the same link, not a second one. */
export function linkIdFor(secret: Uint8Array, smsKey: string, reportId: string): string {
  return hmac(secret, `link-id|${reportId}|${smsKey}`, ID_BYTES).toString('base64url');
}

function macFor(secret: Uint8Array, link: Omit<ActionLink, 'createdAt'>): Buffer {
  const lane = link.laneSeq === undefined ? '' : `|lane${link.laneSeq}`;
  return hmac(secret, `link|${link.id}|${link.reportId}|${link.personId}|${link.tierSeq}|${link.expiresAt}${lane}`, MAC_BYTES);
}

export function linkToken(secret: Uint8Array, link: ActionLink): string {
  return `${link.id}${macFor(secret, link).toString('base64url')}`;
}

/** Splits a token into its id; null when it cannot be one of ours. */
export function linkIdOf(token: string): string | null {
  return /^[A-Za-z0-9_-]{16}$/.test(token) ? token.slice(0, 8) : null;
}

/**
 * The address an SMS carries: the token rides in the URL fragment, which a browser never sends, so
 * no proxy, CloudFront or server log ever records it; the page hands it to the API in a header.
 */
export function linkUrl(baseUrl: string, token: string): string {
  return `${baseUrl}/l#${token}`;
}

/** The header the link page sends the token in (never the path or query: those are logged). */
export const LINK_TOKEN_HEADER = 'link-token';

/** How an SMS shows its link anywhere but on the recipient's phone (API.md: "…/l/••••"). */
export const MASKED_LINK = '…/l/••••';

// Also the older `/l/<token>` form, so a record stored before links moved to the fragment is masked too.
const LINK_IN_TEXT = /\S*\/l[#/][A-Za-z0-9_-]{16}(?![A-Za-z0-9_-])/g;

/**
 * Replaces every SMS action link in a text with MASKED_LINK. The link is the recipient's
 * credential: stored texts never carry one, and anything read back is masked again in case an
 * older record did.
 */
export function maskLinks(text: string): string {
  return text.replace(LINK_IN_TEXT, MASKED_LINK);
}

export function isAuthentic(secret: Uint8Array, token: string, link: ActionLink): boolean {
  const given = Buffer.from(token.slice(8), 'base64url');
  const expected = macFor(secret, link);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export type LinkAction = 'accept' | 'resolve' | 'return' | 'visit_satisfied' | 'visit_unsatisfied';

/** What the link's officer may do now: the buttons on the page (a visitor's: the two answers of the 回访). */
export function linkActions(report: Report, personId: string): LinkAction[] {
  const visit = report.status === 'resolved' && report.visit?.tierSeq === report.tierSeq ? report.visit : null;
  if (visit && visit.outcome === undefined && visit.visitors.some((v) => v.id === personId))
    return ['visit_satisfied', 'visit_unsatisfied'];
  if (!report.assignees.some((a) => a.id === personId)) return [];
  const canReturn = report.tier !== 'grid';
  if (report.status === 'assigned') return canReturn ? ['accept', 'return'] : ['accept'];
  if (report.status === 'accepted') return canReturn ? ['resolve', 'return'] : ['resolve'];
  return [];
}
