/**
 * How local sign-in resists password guessing. Failed password checks are counted under three
 * keys, in the table so every process sees the same counts:
 *
 *   key                   locks at the … failure    then again every …   a success
 *   username at address   5th                       1 more failure       forgets it
 *   username              10th                      10 more failures     forgets it
 *   address               30th (any usernames)      10 more failures     does not forget it
 *
 * The first lock of a key lasts 1 minute and each next one twice as long, up to 15 minutes. While
 * any of the three keys is locked, an attempt is refused (429, Retry-After) before its password is
 * looked at: it is not checked, not counted and does not extend the lock, so a locked-out user who
 * stops trying gets in as soon as the lock ends. A key forgets its failures after an hour without
 * one. Unknown usernames are counted exactly like real ones, so the throttle tells nobody which exist.
 *
 * Why three keys. Someone who knows an officer's username and sprays wrong passwords at it forever
 * from one address locks only *that* address out of that username: the officer signing in from
 * anywhere else is not affected at all, and a success clears the username's count. The username
 * key, shared by every address, is what bounds guessing from many addresses; one address alone can
 * never keep it locked, because whenever that address's failure locks the username, the address is
 * itself locked at least as long (5 + 5 failures → 15 minutes at the address, 1 at the username),
 * so the officer's next attempt after the lock comes before the attacker's. The address key (higher,
 * because one township office may share an address) stops one address trying a few passwords each
 * against many usernames, and a success does not clear it: otherwise one working account would
 * wash an attacker's record clean.
 *
 * What it cannot do: an attacker with ten or more addresses can keep re-locking one username, at
 * most 15 minutes at a time; the officer's existing sessions keep refreshing (refresh is not
 * throttled), so only a fresh sign-in waits. An attacker behind the same address as the officer
 * (one NAT) can keep that address locked for that username.
 */
import { ThrottledError } from './errors.ts';

export interface LockoutRule {
  /** The failure that first locks the key (5 = the fifth since the last success or quiet hour). */
  lockAt: number;
  /** After that, every `thenEvery` further failures lock it again, each lock twice as long. */
  thenEvery: number;
  /** Whether a successful sign-in under this key forgets its failures. */
  clearedBySuccess: boolean;
}

export const SIGN_IN_THROTTLE = {
  firstLockMs: 60_000,
  maxLockMs: 15 * 60_000,
  forgetAfterMs: 60 * 60_000,
  rules: {
    usernameAtAddress: { lockAt: 5, thenEvery: 1, clearedBySuccess: true },
    username: { lockAt: 10, thenEvery: 10, clearedBySuccess: true },
    address: { lockAt: 30, thenEvery: 10, clearedBySuccess: false },
  } satisfies Record<string, LockoutRule>,
} as const;

export interface ThrottleKey {
  /** The store's key: `username#…`, `address#…` or `at#<address>#<username>`. */
  key: string;
  rule: LockoutRule;
}

/** How long the `failures`-th failure locks a key for, or null if it does not. */
export function lockoutAfter(rule: LockoutRule, failures: number): number | null {
  const beyond = failures - rule.lockAt;
  if (beyond < 0 || beyond % rule.thenEvery !== 0) return null;
  const doublings = beyond / rule.thenEvery;
  return Math.min(SIGN_IN_THROTTLE.maxLockMs, SIGN_IN_THROTTLE.firstLockMs * 2 ** Math.min(doublings, 30));
}

/**
 * The address a sign-in is counted under: an IPv4 address as it is, an IPv6 address by its /64
 * (one subscriber usually holds a whole /64, and would otherwise get a fresh count per address).
 */
export function clientAddress(sourceIp: string | undefined): string {
  const ip = (sourceIp ?? '').trim().toLowerCase().replace(/%.*$/, '');
  if (ip === '') return 'unknown';
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/.exec(ip);
  if (mapped?.[1]) return mapped[1];
  if (!ip.includes(':')) return ip;
  const [head = '', tail] = ip.split('::');
  const groupsOf = (part: string) => (part === '' ? [] : part.split(':').flatMap((g) => (g.includes('.') ? ['0', '0'] : [g])));
  const left = groupsOf(head);
  const right = tail === undefined ? [] : groupsOf(tail);
  const groups = [...left, ...Array<string>(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right];
  const prefix = groups.slice(0, 4).map((g) => (/^[0-9a-f]{1,4}$/.test(g) ? g.replace(/^0+(?=.)/, '') : '?'));
  return `${prefix.join(':')}::/64`;
}

export function throttleKeys(username: string, sourceIp: string | undefined): ThrottleKey[] {
  const address = clientAddress(sourceIp);
  const { rules } = SIGN_IN_THROTTLE;
  // An address never contains '#', so `at#<address>#<username>` cannot be spelled two ways.
  return [
    { key: `at#${address}#${username}`, rule: rules.usernameAtAddress },
    { key: `username#${username}`, rule: rules.username },
    { key: `address#${address}`, rule: rules.address },
  ];
}

/** The refusal while a key is locked; the latest lock decides when to come back. */
export function refusalWhileLocked(lockedUntil: (string | undefined)[], now: Date): ThrottledError | null {
  const until = Math.max(0, ...lockedUntil.map((at) => (at ? Date.parse(at) : 0)));
  if (until <= now.getTime()) return null;
  const seconds = Math.max(1, Math.ceil((until - now.getTime()) / 1000));
  return new ThrottledError('AUTH.THROTTLED', `too many failed sign-ins; try again in ${seconds} seconds`, seconds);
}
