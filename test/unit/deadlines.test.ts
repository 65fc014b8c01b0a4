import { describe, expect, it } from 'vitest';
import { addPolicySeconds, MAX_WAIT_SECONDS, tierDeadlines, waitUntil } from '#core/deadlines.ts';
import { HOUR, NOW, secondsAfter } from './fixtures.ts';

/** Node and AWS timers overflow at 2^31 ms; DESIGN §4 caps every timeout at 2,147,483 s. */
const TIMER_CEILING_MS = 2 ** 31 - 1;

describe('addPolicySeconds', () => {
  it('adds wall-clock seconds at time scale 1', () => {
    // Act
    const due = addPolicySeconds(NOW, 2 * HOUR, 1);

    // Assess
    expect(due.toISOString()).toBe('2026-03-23T03:00:00.000Z');
  });

  it('makes a 2 h window pass in 2 s at time scale 3600', () => {
    // Act
    const due = addPolicySeconds(NOW, 2 * HOUR, 3600);

    // Assess
    expect(due.getTime() - NOW.getTime()).toBe(2000);
  });

  it('does not change the instant it starts from', () => {
    // Prepare
    const start = new Date(NOW);

    // Act
    addPolicySeconds(start, 60, 1);

    // Assess
    expect(start.getTime()).toBe(NOW.getTime());
  });
});

describe('tierDeadlines', () => {
  it('sets both deadlines from the same start, as ISO strings', () => {
    // Act
    const deadlines = tierDeadlines(NOW, { acceptSeconds: 2 * HOUR, completeSeconds: 24 * HOUR }, 1);

    // Assess
    expect(deadlines).toEqual({ acceptBy: '2026-03-23T03:00:00.000Z', completeBy: '2026-03-24T01:00:00.000Z' });
  });

  it('scales both deadlines by the time scale', () => {
    // Act
    const deadlines = tierDeadlines(NOW, { acceptSeconds: 2 * HOUR, completeSeconds: 24 * HOUR }, 1000);

    // Assess
    expect(Date.parse(deadlines.acceptBy) - NOW.getTime()).toBe(7200);
    expect(Date.parse(deadlines.completeBy) - NOW.getTime()).toBe(86_400);
  });
});

describe('waitUntil', () => {
  it('waits exactly until a deadline an hour away', () => {
    // Act
    const wait = waitUntil(secondsAfter(NOW, HOUR).toISOString(), NOW);

    // Assess
    expect(wait).toEqual({ waitMs: HOUR * 1000, waitSeconds: HOUR });
  });

  it('does not wait for a deadline that has passed, yet never asks for a 0 s timeout', () => {
    // Act
    const wait = waitUntil(secondsAfter(NOW, -90).toISOString(), NOW);

    // Assess
    expect(wait.waitMs).toBe(0);
    expect(wait.waitSeconds).toBe(1);
  });

  it('treats a deadline equal to now as passed', () => {
    // Act
    const wait = waitUntil(NOW.toISOString(), NOW);

    // Assess
    expect(wait.waitMs).toBe(0);
  });

  it('rounds a sub-second wait up to one whole second and keeps the exact milliseconds', () => {
    // Act
    const wait = waitUntil(new Date(NOW.getTime() + 250).toISOString(), NOW);

    // Assess
    expect(wait).toEqual({ waitMs: 250, waitSeconds: 1 });
  });

  it('rounds a fractional wait up, never down, so the timer does not fire before the deadline', () => {
    // Act
    const wait = waitUntil(new Date(NOW.getTime() + 1500).toISOString(), NOW);

    // Assess
    expect(wait).toEqual({ waitMs: 1500, waitSeconds: 2 });
  });

  it('caps a wait of 60 days at MAX_WAIT_SECONDS, below the timer ceiling', () => {
    // Act
    const wait = waitUntil(secondsAfter(NOW, 60 * 24 * HOUR).toISOString(), NOW);

    // Assess
    expect(wait.waitSeconds).toBe(MAX_WAIT_SECONDS);
    expect(wait.waitMs).toBe(MAX_WAIT_SECONDS * 1000);
    expect(wait.waitMs).toBeLessThanOrEqual(TIMER_CEILING_MS);
    expect(wait.waitSeconds).toBeLessThanOrEqual(2_147_483);
  });

  it('does not cap a wait just under the ceiling', () => {
    // Act
    const wait = waitUntil(secondsAfter(NOW, MAX_WAIT_SECONDS - 1).toISOString(), NOW);

    // Assess
    expect(wait.waitSeconds).toBe(MAX_WAIT_SECONDS - 1);
  });
});
