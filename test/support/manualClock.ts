/**
 * Time moved by hand, for tests of what a poller schedules: timers run only when the test moves the clock past them,
 * so a test asserts which delays were chosen and in what order checks ran, never how long anything took.
 */
import type { Clock } from '../../src/status/core/monitor';

interface Timer {
  at: number;
  run: () => void;
}

export class ManualClock implements Clock {
  private time = 0;
  private nextId = 1;
  private readonly timers = new Map<number, Timer>();

  now(): number {
    return this.time;
  }

  setTimeout(run: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.timers.set(id, { at: this.time + Math.max(0, ms), run });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.timers.delete(handle as number);
  }

  /** How long from now each waiting timer is due, soonest first. */
  get pending(): number[] {
    return [...this.timers.values()].map((t) => t.at - this.time).sort((a, b) => a - b);
  }

  /** Moves the clock on by `ms` without running anything that comes due (as if it ran late). */
  skip(ms: number): void {
    this.time += ms;
  }

  /** Moves the clock to the soonest timer and runs it; returns how far the clock moved. Throws when none waits. */
  fireNext(): number {
    const soonest = [...this.timers.entries()].sort((a, b) => a[1].at - b[1].at)[0];
    if (!soonest) {
      throw new Error('no timer is waiting');
    }
    const [id, timer] = soonest;
    const moved = Math.max(0, timer.at - this.time);
    this.time = Math.max(this.time, timer.at);
    this.timers.delete(id);
    timer.run();
    return moved;
  }
}
