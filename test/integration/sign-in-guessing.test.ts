/**
 * Password guessing against the real local server and table (core/sign-in-throttle.ts has the
 * policy). Attempts come from distinct loopback addresses (127.0.0.x), which the server sees as
 * each request's source address; lockouts end when the test clock says so, never by sleeping.
 */
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoSignInThrottleStore } from '#adapters/dynamodb/sign-in-throttle-store.ts';
import { loadConfig } from '#wiring/config.ts';
import { startTestRuntime, type TestRuntime } from '../support/local-runtime.ts';

let rt: TestRuntime;

beforeAll(async () => {
  rt = await startTestRuntime();
});
afterAll(async () => rt?.stop());

interface LoginAnswer {
  status: number;
  retryAfter: number | undefined;
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON
  body: any;
}

/** POST /api/auth/login from a chosen source address. */
function loginFrom(address: string, username: string, password: string): Promise<LoginAnswer> {
  const url = new URL('/api/auth/login', rt.url);
  const body = JSON.stringify({ username, password });
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: 'POST', localAddress: address, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => {
          text += chunk;
        });
        res.on('end', () => {
          const retryAfter = res.headers['retry-after'];
          resolve({
            status: res.statusCode ?? 0,
            retryAfter: retryAfter === undefined ? undefined : Number(retryAfter),
            body: JSON.parse(text),
          });
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const seconds = (s: number) => s * 1000;

describe('guessing one officer’s password', () => {
  it('30 wrong passwords in a row → 429s, and the right password signs in once the short lockout ends', async () => {
    // Prepare
    const address = '127.0.0.11';

    // Act
    const wrong: LoginAnswer[] = [];
    for (let i = 0; i < 30; i++) wrong.push(await loginFrom(address, 'village2', `guess-${i}`));
    const duringLockout = await loginFrom(address, 'village2', 'demo');
    rt.clock.advance(seconds(wrong.at(-1)?.retryAfter ?? 0));
    const afterLockout = await loginFrom(address, 'village2', 'demo');

    // Assess
    expect(wrong.slice(0, 5).map((a) => a.status)).toEqual([401, 401, 401, 401, 401]);
    for (const refused of wrong.slice(5)) {
      expect(refused.status).toBe(429);
      expect(refused.body.error.code).toBe('AUTH.THROTTLED');
      expect(refused.body).not.toHaveProperty('token');
    }
    // Refused attempts did not make it longer: it is still the first, one-minute lockout.
    expect(wrong.at(-1)?.retryAfter).toBeGreaterThan(0);
    expect(wrong.at(-1)?.retryAfter).toBeLessThanOrEqual(60);
    expect(duringLockout.status).toBe(429);
    expect(afterLockout.status).toBe(200);
    expect(afterLockout.body.user.id).toBeDefined();
  });

  it('a wrong password after a lockout locks again for longer, up to 15 minutes, and a success starts over', async () => {
    // Prepare
    const address = '127.0.0.12';
    for (let i = 0; i < 5; i++) await loginFrom(address, 'village3', 'wrong');
    const locks: number[] = [];

    // Act: wait out every lockout and guess once more.
    for (let i = 0; i < 6; i++) {
      const refused = await loginFrom(address, 'village3', 'wrong');
      locks.push(refused.retryAfter ?? 0);
      rt.clock.advance(seconds(refused.retryAfter ?? 0));
      await loginFrom(address, 'village3', 'wrong');
    }
    const refusedAgain = await loginFrom(address, 'village3', 'demo');
    rt.clock.advance(seconds(refusedAgain.retryAfter ?? 0));
    const success = await loginFrom(address, 'village3', 'demo');
    const afterSuccess = await loginFrom(address, 'village3', 'wrong');

    // Assess
    expect(locks).toEqual([60, 120, 240, 480, 900, 900]);
    expect(success.status).toBe(200);
    expect(afterSuccess.status).toBe(401);
  });

  it('wrong passwords sprayed at a known username from one address never keep the officer out', async () => {
    // Prepare: the attacker waits out every lockout and guesses again, round after round.
    const attacker = '127.0.0.13';
    const officer = '127.0.0.14';
    const officerAnswers: number[] = [];
    let attackerGuesses = 0;

    // Act
    for (let round = 0; round < 12; round++) {
      let answer = await loginFrom(attacker, 'township1', `guess-${round}`);
      if (answer.status === 429) {
        rt.clock.advance(seconds(answer.retryAfter ?? 0));
        answer = await loginFrom(attacker, 'township1', `guess-${round}`);
      }
      if (answer.status === 401) attackerGuesses++;
      officerAnswers.push((await loginFrom(officer, 'township1', 'demo')).status);
    }

    // Assess: the attacker's address locked itself out; the officer signed in every time.
    expect(attackerGuesses).toBe(12);
    expect(officerAnswers).toEqual(Array(12).fill(200));
  });

  it('when one address’s guesses lock the username, the officer gets in after one Retry-After, before that address may guess again', async () => {
    // Prepare: the attacker waits out every lockout and guesses again until the username itself locks.
    const attacker = '127.0.0.19';
    let failures = 0;
    while (failures < 10) {
      const answer = await loginFrom(attacker, 'village4', 'wrong');
      if (answer.status === 401) failures++;
      else rt.clock.advance(seconds(answer.retryAfter ?? 0));
    }

    // Act: the officer arrives, waits as told, and the attacker tries again at that very moment.
    const officerFirst = await loginFrom('127.0.0.10', 'village4', 'demo');
    rt.clock.advance(seconds(officerFirst.retryAfter ?? 0));
    const attackerAgain = await loginFrom(attacker, 'village4', 'wrong');
    const officerAgain = await loginFrom('127.0.0.10', 'village4', 'demo');

    // Assess
    expect(officerFirst.status).toBe(429);
    expect(officerFirst.retryAfter).toBe(60);
    expect(attackerAgain.status).toBe(429);
    expect(officerAgain.status).toBe(200);
  });

  it('guesses from many addresses lock the username for everyone, briefly, and refused attempts do not extend it', async () => {
    // Prepare: ten addresses, one wrong password each.
    for (let i = 0; i < 10; i++) await loginFrom(`127.0.0.${20 + i}`, 'dept1', 'wrong');

    // Act
    const locked = await loginFrom('127.0.0.15', 'dept1', 'demo');
    for (let i = 0; i < 20; i++) await loginFrom(`127.0.0.${20 + (i % 10)}`, 'dept1', 'wrong');
    rt.clock.advance(seconds(locked.retryAfter ?? 0));
    const after = await loginFrom('127.0.0.15', 'dept1', 'demo');

    // Assess
    expect(locked.status).toBe(429);
    expect(locked.retryAfter).toBe(60);
    expect(after.status).toBe(200);
  });

  it('an unknown username is counted and answered exactly like a real one', async () => {
    // Prepare
    const address = '127.0.0.16';

    // Act
    const unknown: number[] = [];
    const known: number[] = [];
    for (let i = 0; i < 6; i++) unknown.push((await loginFrom(address, 'no-such-officer', 'wrong')).status);
    for (let i = 0; i < 6; i++) known.push((await loginFrom(address, 'dept2', 'wrong')).status);

    // Assess
    expect(unknown).toEqual([401, 401, 401, 401, 401, 429]);
    expect(known).toEqual(unknown);
  });
});

describe('guessing from one address across many usernames', () => {
  it('locks that address for every username after 30 failures, and no other address', async () => {
    // Prepare: a few guesses each at many usernames, never enough to lock any one of them.
    const sprayer = '127.0.0.17';
    const usernames = ['worker1', 'worker2', 'worker3', 'worker4', 'village1', 'township2', 'admin', 'ghost-a', 'ghost-b', 'ghost-c'];
    const answers: number[] = [];
    for (let round = 0; round < 3; round++) {
      for (const username of usernames) answers.push((await loginFrom(sprayer, username, `guess-${round}`)).status);
    }

    // Act
    const sprayerWithRightPassword = await loginFrom(sprayer, 'worker5', 'demo');
    const elsewhere = await loginFrom('127.0.0.18', 'worker5', 'demo');
    rt.clock.advance(seconds(sprayerWithRightPassword.retryAfter ?? 0));
    const sprayerLater = await loginFrom(sprayer, 'worker5', 'demo');

    // Assess
    expect(answers).toEqual(Array(30).fill(401));
    expect(sprayerWithRightPassword.status).toBe(429);
    expect(sprayerWithRightPassword.body.error.code).toBe('AUTH.THROTTLED');
    expect(elsewhere.status).toBe(200);
    expect(sprayerLater.status).toBe(200);
  });
});

describe('a burst of sign-ins', () => {
  it('does not hold up a report read: it answers before the burst has finished', async () => {
    // Prepare
    const token = await rt.login('admin');
    const finished: string[] = [];
    const burst = Array.from({ length: 40 }, (_, i) =>
      loginFrom(`127.0.0.${40 + (i % 10)}`, `worker${(i % 6) + 1}`, 'demo').then((answer) => {
        finished.push(`login ${answer.status}`);
        return answer;
      }),
    );
    // The read goes out once the first sign-in has answered: by then every other one is hashing or queued.
    await Promise.race(burst);

    // Act
    const read = await rt.http('GET', '/api/v1/reports', { token });
    finished.push('read');
    const answers = await Promise.all(burst);

    // Assess
    expect(read.status).toBe(200);
    const signedIn = answers.filter((a) => a.status === 200).length;
    expect(signedIn).toBeGreaterThan(2);
    const lastSignIn = finished.lastIndexOf('login 200');
    expect(finished.indexOf('read')).toBeLessThan(lastSignIn);
    // Whatever did not fit the queue was told to come back, not left hanging.
    for (const busy of answers.filter((a) => a.status !== 200)) {
      expect(busy.status).toBe(429);
      expect(busy.body.error.code).toBe('AUTH.BUSY');
      expect(busy.retryAfter).toBe(1);
    }
  });
});

describe('the throttle records in the table', () => {
  it('lose no failure when several processes count at once, and a lock only ever grows', async () => {
    // Prepare: the runtime's store and a second one standing for another process or Lambda instance.
    const here = rt.runtime.container.deps.signInThrottle;
    const there = new DynamoSignInThrottleStore(rt.runtime.container.db, loadConfig({}).TABLE_NAME);
    const key = 'username#counted-from-two-processes';
    const now = rt.clock.now();
    const forgetBefore = new Date(now.getTime() - 3_600_000);

    // Act
    const counts = await Promise.all(Array.from({ length: 30 }, (_, i) => (i % 2 ? here : there).addFailure(key, now, forgetBefore)));
    await there.lock(key, new Date(now.getTime() + 15 * 60_000), 30);
    await here.lock(key, new Date(now.getTime() + 60_000), 30);
    const [record] = await there.read([key]);
    const later = new Date(now.getTime() + 2 * 3_600_000);
    const afterQuiet = await here.addFailure(key, later, new Date(later.getTime() - 3_600_000));
    await here.clear(key);
    await there.lock(key, new Date(later.getTime() + 60_000), 1);
    const [cleared] = await here.read([key]);

    // Assess
    expect(counts.sort((a, b) => a - b)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    expect(record).toEqual({
      failures: 30,
      lastFailureAt: now.toISOString(),
      lockedUntil: new Date(now.getTime() + 15 * 60_000).toISOString(),
    });
    expect(afterQuiet).toBe(1);
    expect(cleared).toBeNull();
  });
});
