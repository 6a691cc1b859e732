/**
 * The adaptive poll schedule of the rollout wait. Two targets pin it down:
 *
 * - a version that goes live is noticed within 1 s: a poll starts at most `capMs`
 *   after the previous one started, so the lag is at most `capMs` plus one response;
 * - each URL sees at most 2 requests per second: two polls of a URL start at least
 *   `minGapMs` (> 500 ms) apart, so no 1-second window holds three.
 *
 * Inside that window the schedule starts fast (a rollout that is already done is seen
 * at once) and backs off geometrically to the cap. Every wait is clipped to the
 * deadline, so a timeout is reported on time.
 */

export interface PollPolicy {
  /** Smallest gap between the starts of two requests to one URL; > 500 keeps ≤ 2 per second. */
  minGapMs: number;
  /** Interval after the first poll. */
  initialMs: number;
  /** Each interval is the previous one times this factor... */
  factor: number;
  /** ...up to this cap; < 1000 keeps the detection lag under a second. */
  capMs: number;
}

export const DEFAULT_POLL_POLICY: PollPolicy = Object.freeze({
  minGapMs: 550,
  initialMs: 550,
  factor: 1.15,
  capMs: 850,
});

/** Interval between the start of poll `index` (0-based) and the next one. */
export function pollInterval(policy: PollPolicy, index: number): number {
  const grown = policy.initialMs * policy.factor ** Math.max(0, index);
  return Math.round(Math.max(policy.minGapMs, Math.min(policy.capMs, grown)));
}

/**
 * How long to wait before poll `index + 1`, given when poll `index` started, the time now
 * and the deadline: the interval counts from the previous start (a slow answer does not
 * push the next poll later), never less than the minimum gap, never past the deadline.
 */
export function delayBeforeNextPoll(
  policy: PollPolicy,
  index: number,
  lastStartMs: number,
  nowMs: number,
  deadlineMs: number,
): number {
  const due = lastStartMs + pollInterval(policy, index);
  const clipped = Math.min(due, deadlineMs);
  return Math.max(0, clipped - nowMs);
}

/** Largest number of request starts in any window of `windowMs` for a list of start times. */
export function peakInWindow(starts: readonly number[], windowMs = 1000): number {
  const sorted = [...starts].sort((a, b) => a - b);
  let peak = 0;
  let from = 0;
  for (let to = 0; to < sorted.length; to++) {
    while ((sorted[to] as number) - (sorted[from] as number) >= windowMs) from++;
    peak = Math.max(peak, to - from + 1);
  }
  return peak;
}
