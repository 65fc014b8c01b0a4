/**
 * Clocks and the timers that follow them. Every deadline, link expiry and lockout is computed from
 * one injected Clock; the local workflow's waits fire on a Scheduler driven by the same clock, so a
 * test (or a demo) that moves the clock moves everything with it and nothing depends on how fast the
 * machine happens to be.
 */
import type { Clock } from '#core/deadlines.ts';

/** Runs `fn` once the clock reaches `when`; the returned function cancels it. */
export interface Scheduler {
  at(when: Date, fn: () => void): () => void;
}

/** Node's setTimeout overflows above 2^31 - 1 ms (it fires after 1 ms): longer waits are chained. */
const MAX_TIMER_MS = 2_147_483_647;

/** Timers on a clock that follows real time (the system clock, or it shifted by an offset). */
export function wallScheduler(clock: Clock): Scheduler {
  return {
    at(when, fn) {
      let timer: NodeJS.Timeout | undefined;
      let cancelled = false;
      const arm = () => {
        if (cancelled) return;
        const remaining = when.getTime() - clock.now().getTime();
        if (remaining <= 0) {
          fn();
          return;
        }
        timer = setTimeout(arm, Math.min(remaining, MAX_TIMER_MS));
      };
      // Never synchronously: a caller registering a timer expects it to fire after it returns.
      timer = setTimeout(arm, 0);
      return () => {
        cancelled = true;
        clearTimeout(timer);
      };
    },
  };
}

/** The system clock moved by a fixed offset: "the machine was down for three hours" in a test or demo. */
export function offsetClock(offsetMs: number): Clock {
  return offsetMs === 0 ? { now: () => new Date() } : { now: () => new Date(Date.now() + offsetMs) };
}

/**
 * A clock that moves only when told to, with its own timers: tests advance it past a deadline and
 * then wait for the state the deadline leads to. Timers due at the new time fire in time order.
 */
export class ManualClock implements Clock, Scheduler {
  private current: number;
  private readonly timers = new Map<number, { due: number; fn: () => void }>();
  private nextId = 1;

  constructor(start: Date | string | number = Date.now()) {
    this.current = new Date(start).getTime();
  }

  now(): Date {
    return new Date(this.current);
  }

  at(when: Date, fn: () => void): () => void {
    const id = this.nextId++;
    this.timers.set(id, { due: when.getTime(), fn });
    // A timer already due fires on the next turn, as a real one would, never inside the caller.
    if (when.getTime() <= this.current) queueMicrotask(() => this.fireDue());
    return () => this.timers.delete(id);
  }

  /** Moves the clock forward and fires every timer that is due by then. */
  advance(ms: number): Date {
    if (!(ms >= 0)) throw new Error(`a clock only moves forward (asked for ${ms} ms)`);
    this.current += ms;
    this.fireDue();
    return this.now();
  }

  /** Moves the clock to an instant (not before now) and fires what is due. */
  advanceTo(when: Date | string): Date {
    return this.advance(Math.max(0, new Date(when).getTime() - this.current));
  }

  /** How many timers wait (tests use it to see that a workflow has parked). */
  get pendingTimers(): number {
    return this.timers.size;
  }

  private fireDue(): void {
    const due = [...this.timers.entries()].filter(([, t]) => t.due <= this.current).sort((a, b) => a[1].due - b[1].due || a[0] - b[0]);
    for (const [id, timer] of due) {
      if (!this.timers.delete(id)) continue;
      timer.fn();
    }
  }
}
