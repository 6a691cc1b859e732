/**
 * The rollout wait as a function over an injected clock, sleep and probe: poll until a
 * reading says the expected version is live, or the deadline passes. No timers or I/O of
 * its own, so it is tested with a fake clock; the edges pass the real ones.
 */
import { formatDuration } from './duration.js';
import { delayBeforeNextPoll, DEFAULT_POLL_POLICY, type PollPolicy } from './poll-schedule.js';
import type { VersionReading } from './version-source.js';

export interface RolloutClock {
  /** Monotonic milliseconds. */
  now(): number;
  /** Resolves after `ms`; resolves early (or never) once `signal` aborts, as long as it clears its timer. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export interface RolloutProgress {
  elapsedMs: number;
  remainingMs: number;
  polls: number;
  last?: VersionReading;
}

export interface RolloutWaitOptions {
  /** What the source must report, e.g. the tag. */
  expected: string;
  /** Where the version is read, for messages: `https://shop.dev/ (header x-app-version)`. */
  where: string;
  timeoutMs: number;
  /** Cap of one probe; the probe also never runs past the deadline. */
  requestTimeoutMs: number;
  policy?: PollPolicy;
  /** A progress line at least this often (default 8 s, so lines are < 10 s apart, slow probes included). */
  progressEveryMs?: number;
}

export interface RolloutWaitDeps extends RolloutClock {
  /** One look at the version source; resolves to a reading (failures included), throws only for fatal errors. */
  probe(timeoutMs: number): Promise<VersionReading>;
  onProgress?(progress: RolloutProgress): void;
}

export type RolloutResult =
  | { outcome: 'live'; version: string; elapsedMs: number; polls: number; reading: VersionReading }
  | {
      outcome: 'timeout';
      elapsedMs: number;
      polls: number;
      /** The last reading. */
      last?: VersionReading;
      /** The last reading that showed a version (a later poll may have failed). */
      lastVersion?: VersionReading;
    };

/** A poll with less time than this left before the deadline is not started: it could only time out. */
export const MIN_POLL_MS = 50;

export async function waitForRollout(
  options: RolloutWaitOptions,
  deps: RolloutWaitDeps,
): Promise<RolloutResult> {
  const policy = options.policy ?? DEFAULT_POLL_POLICY;
  const progressEvery = options.progressEveryMs ?? 8000;
  const started = deps.now();
  const deadline = started + options.timeoutMs;
  let polls = 0;
  let last: VersionReading | undefined;
  let lastVersion: VersionReading | undefined;
  let lastProgress = started;

  const report = () => {
    const now = deps.now();
    lastProgress = now;
    const progress: RolloutProgress = {
      elapsedMs: now - started,
      remainingMs: Math.max(0, deadline - now),
      polls,
    };
    if (last !== undefined) progress.last = last;
    deps.onProgress?.(progress);
  };

  /** Awaits `work`, printing a progress line whenever one falls due meanwhile. */
  const whileReporting = async <T>(work: Promise<T>): Promise<T> => {
    if (!deps.onProgress) return work;
    const settled = work.then((value) => ({ value }));
    // Bounded: each round either returns or reports, and reports are progressEvery apart.
    for (;;) {
      const wait = lastProgress + progressEvery - deps.now();
      if (wait <= 0) {
        report();
        continue;
      }
      const timer = new AbortController();
      try {
        const winner = await Promise.race([settled, deps.sleep(wait, timer.signal).then(() => undefined)]);
        if (winner !== undefined) return winner.value;
      } finally {
        timer.abort();
      }
      report();
    }
  };

  // Bounded: every iteration polls (at least minGapMs after the previous poll) or ends.
  const maxPolls = Math.ceil(options.timeoutMs / policy.minGapMs) + 2;
  while (polls < maxPolls) {
    const pollStart = deps.now();
    if (pollStart >= deadline) break;
    if (deadline - pollStart < Math.min(MIN_POLL_MS, options.requestTimeoutMs)) {
      await whileReporting(deps.sleep(deadline - pollStart));
      break;
    }
    const timeout = Math.max(1, Math.ceil(Math.min(options.requestTimeoutMs, deadline - pollStart)));
    const reading = await whileReporting(deps.probe(timeout));
    polls++;
    last = reading;
    if (reading.version !== undefined) lastVersion = reading;
    const now = deps.now();
    if (reading.live) {
      return {
        outcome: 'live',
        version: reading.version ?? options.expected,
        elapsedMs: now - started,
        polls,
        reading,
      };
    }
    if (now >= deadline) break;
    await whileReporting(deps.sleep(delayBeforeNextPoll(policy, polls - 1, pollStart, now, deadline)));
  }
  const result: RolloutResult = { outcome: 'timeout', elapsedMs: deps.now() - started, polls };
  if (last !== undefined) result.last = last;
  if (lastVersion !== undefined) result.lastVersion = lastVersion;
  return result;
}

/** `waiting for sha-new at https://…: saw "sha-old" (header x-version), 12s elapsed, 9m48s left` */
export function progressLine(
  options: Pick<RolloutWaitOptions, 'expected' | 'where'>,
  progress: RolloutProgress,
): string {
  const seen = progress.last ? progress.last.detail : 'nothing yet';
  return (
    `waiting for ${options.expected} at ${options.where}: saw ${seen}, ` +
    `${formatDuration(progress.elapsedMs)} elapsed, ${formatDuration(progress.remainingMs)} left`
  );
}

export function timeoutMessage(
  options: Pick<RolloutWaitOptions, 'expected' | 'where' | 'timeoutMs'>,
  result: Extract<RolloutResult, { outcome: 'timeout' }>,
): string {
  const shown = result.lastVersion ?? result.last;
  let seen = shown ? `the last version seen was ${shown.detail}` : 'no answer was seen';
  if (result.last && shown !== result.last) seen += `; the last poll saw ${result.last.detail}`;
  return (
    `Rollout timed out after ${formatDuration(result.elapsedMs)} (rollout-timeout ${formatDuration(options.timeoutMs)}): ` +
    `expected ${options.expected} at ${options.where}, but ${seen} (${result.polls} polls)`
  );
}
