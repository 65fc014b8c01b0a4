/**
 * Accounts: usernames, one-time initial passwords and the passwords people choose. The same rules
 * serve both account providers (a local credential, a Cognito user).
 */
import { randomInt } from 'node:crypto';

/** 3–32 of a–z, 0–9, `_`, `.`, `-`: readable over the phone, the same in every case-insensitive login. */
export const USERNAME = /^[a-z0-9_.-]{3,32}$/;

export function usernameProblem(username: string): string | null {
  return USERNAME.test(username) ? null : '用户名为3–32位小写字母、数字、_ . - (3–32 of a–z 0–9 _ . -)';
}

/** A chosen password: long enough to resist guessing at the throttle's pace. */
export const MIN_PASSWORD_LENGTH = 10;

/** Why a new password cannot replace the current one; null when it can. */
export function newPasswordProblem(current: string, next: string): string | null {
  if ([...next].length < MIN_PASSWORD_LENGTH) return `新密码至少${MIN_PASSWORD_LENGTH}位 (at least ${MIN_PASSWORD_LENGTH} characters)`;
  if (next === current) return '新密码不能与当前密码相同 (the new password must differ from the current one)';
  return null;
}

// No 0/O, 1/l/I: an admin reads the password out over the phone to a grid worker.
const UPPER = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
const LOWER = 'abcdefghijkmnopqrstuvwxyz';
const DIGITS = '23456789';

/**
 * A one-time initial password: three groups of four joined by `-` (14 characters), with an upper-
 * and a lower-case letter and a digit in every group, so it satisfies Cognito's pool policy
 * (12+, upper, lower, digit, symbol) and is easy to read out. `pick(n)` returns a random integer
 * in [0, n): crypto's by default, a fixed sequence in tests.
 */
export function initialPassword(pick: (n: number) => number = randomInt): string {
  const all = UPPER + LOWER + DIGITS;
  const group = () => {
    const chars = [UPPER, LOWER, DIGITS, all].map((set) => set[pick(set.length)] as string);
    // Shuffle so the classes do not sit at fixed places (Fisher–Yates with the same source).
    for (let i = chars.length - 1; i > 0; i--) {
      const j = pick(i + 1);
      [chars[i], chars[j]] = [chars[j] as string, chars[i] as string];
    }
    return chars.join('');
  };
  return [group(), group(), group()].join('-');
}
