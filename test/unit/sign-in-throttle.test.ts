/** The sign-in throttle's policy: when keys lock, for how long, and which address a request counts under. */
import { describe, expect, it } from 'vitest';
import { clientAddress, lockoutAfter, refusalWhileLocked, SIGN_IN_THROTTLE, throttleKeys } from '#core/sign-in-throttle.ts';
import { NOW } from './fixtures.ts';

const { rules } = SIGN_IN_THROTTLE;
const minutesAfter = (failures: number[], rule: (typeof rules)[keyof typeof rules]) =>
  failures.map((n) => {
    const ms = lockoutAfter(rule, n);
    return ms === null ? null : ms / 60_000;
  });

describe('lockoutAfter', () => {
  it('locks a username at one address at the 5th failure, then at every further one, doubling up to 15 minutes', () => {
    expect(minutesAfter([1, 4, 5, 6, 7, 8, 9, 10, 50], rules.usernameAtAddress)).toEqual([null, null, 1, 2, 4, 8, 15, 15, 15]);
  });

  it('locks a username everywhere at the 10th failure and every 10 after', () => {
    expect(minutesAfter([9, 10, 11, 19, 20, 30, 40, 50, 60], rules.username)).toEqual([null, 1, null, null, 2, 4, 8, 15, 15]);
  });

  it('locks an address at its 30th failure and every 10 after', () => {
    expect(minutesAfter([29, 30, 31, 40, 50], rules.address)).toEqual([null, 1, null, 2, 4]);
  });

  it('never lets one address keep a username locked: whenever its failure locks the username, the address is locked at least as long', () => {
    for (let failures = 1; failures <= 500; failures++) {
      const username = lockoutAfter(rules.username, failures);
      if (username === null) continue;
      expect(lockoutAfter(rules.usernameAtAddress, failures)).toBeGreaterThanOrEqual(username);
    }
  });
});

describe('clientAddress', () => {
  it.each([
    ['203.0.113.7', '203.0.113.7'],
    ['::ffff:203.0.113.7', '203.0.113.7'],
    ['2001:db8:aa:bb:1:2:3:4', '2001:db8:aa:bb::/64'],
    ['2001:DB8:00aa:bb:ffff::1', '2001:db8:aa:bb::/64'],
    ['2001:db8::1', '2001:db8:0:0::/64'],
    ['fe80::1%eth0', 'fe80:0:0:0::/64'],
    ['::1', '0:0:0:0::/64'],
    ['', 'unknown'],
    [undefined, 'unknown'],
  ])('counts %s as %s', (sourceIp, expected) => {
    expect(clientAddress(sourceIp)).toBe(expected);
  });

  it('gives every address in one /64 the same count', () => {
    expect(clientAddress('2001:db8:1:2:aaaa::1')).toBe(clientAddress('2001:db8:1:2:bbbb:cccc:dddd:eeee'));
    expect(clientAddress('2001:db8:1:3::1')).not.toBe(clientAddress('2001:db8:1:2::1'));
  });
});

describe('throttleKeys', () => {
  it('names the username at the address, the username and the address, unambiguously', () => {
    // Act
    const keys = throttleKeys('a#b', '203.0.113.7').map((k) => k.key);

    // Assess
    expect(keys).toEqual(['at#203.0.113.7#a#b', 'username#a#b', 'address#203.0.113.7']);
  });
});

describe('refusalWhileLocked', () => {
  it('answers with the latest lock, rounded up to whole seconds, and nothing once every lock has passed', () => {
    // Prepare
    const inAMinute = new Date(NOW.getTime() + 60_000).toISOString();
    const inHalfASecond = new Date(NOW.getTime() + 500).toISOString();

    // Act
    const locked = refusalWhileLocked([inHalfASecond, undefined, inAMinute], NOW);
    const soon = refusalWhileLocked([inHalfASecond], NOW);
    const passed = refusalWhileLocked([NOW.toISOString(), undefined], NOW);

    // Assess
    expect(locked).toMatchObject({ kind: 'throttled', code: 'AUTH.THROTTLED', retryAfterSeconds: 60 });
    expect(soon?.retryAfterSeconds).toBe(1);
    expect(passed).toBeNull();
  });
});
