/**
 * Spaces the requests to one URL: two requests to the same URL start at least `minGapMs`
 * apart, whoever sends them (the rollout wait, a check, a retry, a redirect hop). With a
 * gap above 500 ms no URL ever sees more than 2 requests in a second.
 */
export interface GateClock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

const realClock: GateClock = {
  now: () => performance.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

export class RateGate {
  /** Reserved start time of the latest request per URL. */
  private readonly slots = new Map<string, number>();

  constructor(
    readonly minGapMs: number,
    private readonly clock: GateClock = realClock,
  ) {}

  /** Key of a URL: scheme, host, path and query (the fragment never reaches the server). */
  static key(url: string): string {
    const parsed = new URL(url);
    return `${parsed.origin}${parsed.pathname}${parsed.search}`;
  }

  /** Waits until a request to `url` may start, and reserves that start. */
  async acquire(url: string): Promise<void> {
    const key = RateGate.key(url);
    const now = this.clock.now();
    const previous = this.slots.get(key);
    const start = previous === undefined ? now : Math.max(now, previous + this.minGapMs);
    this.slots.set(key, start);
    if (start > now) await this.clock.sleep(start - now);
  }
}
