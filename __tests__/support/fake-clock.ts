/**
 * A fake clock for the pure wait loops: `sleep` registers a timer, and `run(promise)`
 * advances time to the next timer whenever everything else is idle, until the promise
 * settles. Bounded in steps, so a loop that never ends fails the test instead of hanging.
 */
interface Timer {
  at: number;
  seq: number;
  fire: () => void;
}

export class FakeClock {
  private current: number;
  private timers: Timer[] = [];
  private seq = 0;
  /** Every sleep asked for, in order (ms). */
  readonly sleeps: number[] = [];

  constructor(start = 1_000_000) {
    this.current = start;
  }

  now = (): number => this.current;

  sleep = (ms: number, signal?: AbortSignal): Promise<void> => {
    this.sleeps.push(ms);
    return new Promise<void>((resolve) => {
      const timer: Timer = { at: this.current + Math.max(0, ms), seq: this.seq++, fire: resolve };
      this.timers.push(timer);
      signal?.addEventListener('abort', () => {
        this.timers = this.timers.filter((t) => t !== timer);
        resolve();
      });
    });
  };

  /** A promise that resolves with `value` after `ms` of fake time. */
  after<T>(ms: number, value: T): Promise<T> {
    return new Promise<T>((resolve) => {
      this.timers.push({ at: this.current + ms, seq: this.seq++, fire: () => resolve(value) });
    });
  }

  get pendingTimers(): number {
    return this.timers.length;
  }

  async run<T>(promise: Promise<T>, maxSteps = 100_000): Promise<T> {
    let settled = false;
    let value: T | undefined;
    let error: unknown;
    let failed = false;
    promise.then(
      (v) => {
        settled = true;
        value = v;
      },
      (e: unknown) => {
        settled = true;
        failed = true;
        error = e;
      },
    );
    for (let step = 0; step < maxSteps; step++) {
      await new Promise((resolve) => setImmediate(resolve));
      if (settled) {
        if (failed) throw error;
        return value as T;
      }
      this.timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
      const next = this.timers.shift();
      if (!next) throw new Error('fake clock: the promise waits on nothing (deadlock)');
      this.current = Math.max(this.current, next.at);
      next.fire();
    }
    throw new Error(`fake clock: not settled after ${maxSteps} steps`);
  }
}
