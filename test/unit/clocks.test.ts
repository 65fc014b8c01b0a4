import { afterEach, describe, expect, it, vi } from 'vitest';
import { ManualClock, offsetClock, wallScheduler } from '#adapters/clock/clocks.ts';

describe('ManualClock', () => {
  it('stands still until advanced, then fires what is due in time order', async () => {
    // Prepare
    const clock = new ManualClock('2026-11-02T01:00:00.000Z');
    const fired: string[] = [];
    clock.at(new Date('2026-11-02T03:00:00.000Z'), () => fired.push('3h'));
    clock.at(new Date('2026-11-02T02:00:00.000Z'), () => fired.push('2h'));
    const cancel = clock.at(new Date('2026-11-02T02:30:00.000Z'), () => fired.push('cancelled'));
    cancel();

    // Act
    const before = [...fired];
    clock.advance(90 * 60_000);
    const afterOne = [...fired];
    clock.advanceTo('2026-11-02T05:00:00.000Z');

    // Assess
    expect(before).toEqual([]);
    expect(afterOne).toEqual(['2h']);
    expect(fired).toEqual(['2h', '3h']);
    expect(clock.now().toISOString()).toBe('2026-11-02T05:00:00.000Z');
    expect(clock.pendingTimers).toBe(0);
  });

  it('fires a timer set in the past on the next turn, never inside the caller', async () => {
    // Prepare
    const clock = new ManualClock(0);
    let fired = false;

    // Act
    clock.at(new Date(-1), () => {
      fired = true;
    });
    const synchronously = fired;
    await Promise.resolve();

    // Assess
    expect(synchronously).toBe(false);
    expect(fired).toBe(true);
  });

  it('refuses to move backwards', () => {
    expect(() => new ManualClock(0).advance(-1)).toThrow(/forward/);
  });
});

describe('wallScheduler', () => {
  afterEach(() => vi.useRealTimers());

  it('fires at the clock’s instant even when the clock runs ahead of the system clock', async () => {
    // Prepare
    vi.useFakeTimers({ now: 0 });
    const clock = offsetClock(3_600_000);
    const fired: number[] = [];

    // Act
    wallScheduler(clock).at(new Date(3_600_000 + 5_000), () => fired.push(Date.now()));
    await vi.advanceTimersByTimeAsync(4_999);
    const early = [...fired];
    await vi.advanceTimersByTimeAsync(1);

    // Assess
    expect(early).toEqual([]);
    expect(fired).toEqual([5_000]);
  });

  it('chains timers past Node’s 2^31 ms ceiling instead of firing at once', async () => {
    // Prepare
    vi.useFakeTimers({ now: 0 });
    const clock = offsetClock(0);
    let fired = false;
    const thirtyDays = 30 * 86_400_000;

    // Act
    wallScheduler(clock).at(new Date(thirtyDays), () => {
      fired = true;
    });
    await vi.advanceTimersByTimeAsync(thirtyDays - 1);
    const early = fired;
    await vi.advanceTimersByTimeAsync(1);

    // Assess
    expect(early).toBe(false);
    expect(fired).toBe(true);
  });
});
