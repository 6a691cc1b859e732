/**
 * Applies a plan as one commit on a branch, with optimistic concurrency: read the
 * branch, plan against what is there, commit with the head we read as the expected
 * parent; when the branch moved, read again, re-plan, and retry after a jittered
 * back-off that adapts to the contention it observes, bounded in attempts and time. Never forces. Nothing changed → no commit.
 *
 * The engine knows nothing of GitHub: a CommitTarget (the GitHub facade, or a local
 * git checkout for the CLI) does the reading and the compare-and-swap commit, and
 * throws StaleHeadError when the head moved.
 */
import { messageText, type CommitMessage } from '../core/commit-message.js';
import { ConflictError, StaleHeadError, TransientError } from '../core/errors.js';
import type { ChangeSet, FileSnapshot, PlanStep } from '../core/plan.js';
import type { Layout } from '../core/layout.js';
import { validateRepositoryPath } from '../core/repository-file.js';

export interface BranchSnapshot {
  branch: string;
  headOid: string;
  files: FileSnapshot;
  /** The head commit itself, when the target can tell cheaply (in the same read). */
  head?: { message: string; parentOid?: string; url?: string };
}

export interface CommitRequest {
  branch: string;
  expectedHeadOid: string;
  message: CommitMessage;
  files: readonly { path: string; content: string }[];
}

export interface CommitResult {
  oid: string;
  url?: string;
}

export interface CommitTarget {
  /** Human name for messages, e.g. `owner/name` or a directory. */
  readonly description: string;
  /** Reads `paths` at the head of `branch` (default branch when undefined) in one round trip. */
  read(branch: string | undefined, paths: readonly string[]): Promise<BranchSnapshot>;
  /** Commits atomically iff the branch head is still `expectedHeadOid`; else throws StaleHeadError. */
  commit(request: CommitRequest): Promise<CommitResult>;
}

export interface RetryPolicy {
  maxAttempts: number;
  /**
   * Whole-operation attempts that may end in a TransientError (a 5xx that outlasted the
   * client's own retries): a service failing that often is down, and waiting on is no use.
   */
  maxTransientAttempts: number;
  maxElapsedMs: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 25,
  maxTransientAttempts: 3,
  maxElapsedMs: 120_000,
  baseDelayMs: 50,
  maxDelayMs: 3_000,
};

export interface EngineOptions {
  retry?: Partial<RetryPolicy>;
  log?: (message: string) => void;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  now?: () => number;
}

export interface EngineOutcome {
  changeSet: ChangeSet;
  layout: Layout;
  branch: string;
  /** Head the plan was made against (the parent of the new commit, if any). */
  baseOid: string;
  /** Absent when nothing changed. */
  commit?: CommitResult;
  attempts: number;
}

export type Planner = (files: FileSnapshot) => PlanStep;

/** The head is the commit we sent: same parent, same message (GitHub may trim the end). */
function isOwnCommit(snapshot: BranchSnapshot, expectedHeadOid: string, message: string): boolean {
  const head = snapshot.head;
  return (
    head !== undefined && head.parentOid === expectedHeadOid && head.message.trimEnd() === message.trimEnd()
  );
}

/**
 * Every file a plan writes has a plain path and was read at the head it commits on:
 * reading is where a target refuses a symbolic link, a submodule, a directory or a file
 * that is not UTF-8, so nothing is written that was not checked.
 */
function checkWrites(snapshot: BranchSnapshot, changeSet: ChangeSet): void {
  for (const { path } of changeSet.files) {
    validateRepositoryPath(path);
    if (!snapshot.files.has(path)) throw new Error(`the plan writes ${path}, which it did not read first`);
  }
}

/**
 * The lowest wait, as a share of the ceiling. A quarter rather than a half lets some writers
 * come back while the branch is free instead of all sleeping through it: 50 writers at 30 ms
 * latency landed in 13.5 s against 14.5 s (means of 11 and 7 runs) for 2.3 retries per writer
 * against 2.0; lower shares cost more retries (bench/README.md, "Concurrent writers").
 */
const LOWEST_DRAW = 0.25;

/**
 * The back-off between attempts of one operation (decorrelated jitter seeded by the
 * measured round trip): ceiling = clamp(max(2 × round trip, 2 × previous wait), base, max);
 * wait drawn between LOWEST_DRAW × ceiling and the ceiling. Pure: the engine feeds it the
 * clock and the randomness.
 */
export class RetrySchedule {
  /** When the current attempt's first request started (set by the engine). */
  attemptStarted = 0;
  private previous = 0;

  constructor(private readonly policy: Pick<RetryPolicy, 'baseDelayMs' | 'maxDelayMs'>) {}

  /** The next wait in whole ms, given the round trip of the attempt that just failed and a draw in [0, 1]. */
  next(roundTripMs: number, random: number): number {
    const { baseDelayMs, maxDelayMs } = this.policy;
    const wanted = Math.max(baseDelayMs, 2 * Math.max(0, roundTripMs), 2 * this.previous);
    const ceiling = Math.min(maxDelayMs, wanted);
    const draw = Math.min(1, Math.max(0, random));
    this.previous = Math.round(ceiling * (LOWEST_DRAW + (1 - LOWEST_DRAW) * draw));
    return this.previous;
  }
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class CommitEngine {
  private readonly policy: RetryPolicy;
  private readonly log: (message: string) => void;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;
  private readonly now: () => number;

  constructor(
    private readonly target: CommitTarget,
    options: EngineOptions = {},
  ) {
    this.policy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
    this.log = options.log ?? (() => {});
    this.sleep = options.sleep ?? defaultSleep;
    this.random = options.random ?? Math.random;
    this.now = options.now ?? Date.now;
  }

  /** Reads and plans without committing: what a dry run shows. */
  async plan(
    planner: Planner,
    branch: string | undefined,
    paths: readonly string[],
    initial?: BranchSnapshot,
  ) {
    const reused = initial ? this.planOn(planner, initial) : undefined;
    return reused ?? this.readAndPlan(planner, branch, new Set(paths));
  }

  /**
   * Plans and commits, retrying on a moved branch. `initial`, when given, is a
   * snapshot the caller already holds for `branch` (it saves the first read).
   */
  async apply(
    planner: Planner,
    branch: string | undefined,
    paths: readonly string[],
    initial?: BranchSnapshot,
  ): Promise<EngineOutcome> {
    const started = this.now();
    const wanted = new Set(paths);
    // The last commit we sent that was answered "stale": an answer lost after the commit
    // landed (a 502, then a retry refused as stale) looks exactly like that.
    let unsure: { expectedHeadOid: string; message: string; outcome: EngineOutcome } | undefined;
    let transient = 0;
    const giveUpOn = (error: unknown) => {
      if (!(error instanceof TransientError)) return false;
      transient += 1;
      return transient >= this.policy.maxTransientAttempts;
    };
    const schedule = new RetrySchedule(this.policy);
    for (let attempt = 1; ; attempt++) {
      schedule.attemptStarted = this.now();
      let planned: Awaited<ReturnType<CommitEngine['readAndPlan']>>;
      try {
        const reused = attempt === 1 && initial ? this.planOn(planner, initial) : undefined;
        planned = reused ?? (await this.readAndPlan(planner, branch, wanted));
      } catch (error) {
        if (!(error instanceof TransientError) || giveUpOn(error)) throw error;
        await this.backOff(
          attempt,
          started,
          error,
          `reading ${branch ?? 'the default branch'} failed`,
          schedule,
        );
        continue;
      }
      const { snapshot, step } = planned;
      const { changeSet, layout } = step;
      const outcome = {
        changeSet,
        layout,
        branch: snapshot.branch,
        baseOid: snapshot.headOid,
        attempts: attempt,
      };
      if (changeSet.files.length === 0) {
        if (unsure && isOwnCommit(snapshot, unsure.expectedHeadOid, unsure.message)) {
          return {
            ...unsure.outcome,
            attempts: attempt,
            commit: { oid: snapshot.headOid, url: snapshot.head?.url },
          };
        }
        return outcome;
      }
      checkWrites(snapshot, changeSet);
      try {
        const commit = await this.target.commit({
          branch: snapshot.branch,
          expectedHeadOid: snapshot.headOid,
          message: changeSet.message,
          files: changeSet.files.map(({ path, after }) => ({ path, content: after })),
        });
        return { ...outcome, commit };
      } catch (error) {
        if (!(error instanceof StaleHeadError || error instanceof TransientError) || giveUpOn(error))
          throw error;
        // Either way the commit may have landed: the next read tells.
        unsure = { expectedHeadOid: snapshot.headOid, message: messageText(changeSet.message), outcome };
        // Pin the branch: the default branch could in theory be renamed between attempts.
        branch = snapshot.branch;
        const why =
          error instanceof StaleHeadError
            ? `${snapshot.branch} moved since ${snapshot.headOid.slice(0, 12)}`
            : `committing failed (${error.message.split(' (')[0]})`;
        await this.backOff(attempt, started, error, why, schedule, snapshot.branch);
      }
    }
  }

  /**
   * Waits before the next attempt, or throws when the attempts or the time are spent.
   *
   * The wait adapts to the contention the engine observes (decorrelated jitter): its
   * ceiling is the larger of twice the round trip just measured (read + commit, so a slow
   * or busy service spaces writers further apart) and twice the previous wait (each further
   * stale answer says more writers are queued), never below `baseDelayMs` nor above
   * `maxDelayMs`; the wait is drawn between a quarter of the ceiling and the ceiling, so it
   * grows with consecutive failures while concurrent writers spread out instead of retrying
   * in lock-step. See `RetrySchedule` for the pure rule.
   */
  private async backOff(
    attempt: number,
    started: number,
    error: Error,
    why: string,
    schedule: RetrySchedule,
    branch?: string,
  ) {
    const now = this.now();
    const elapsed = now - started;
    if (attempt >= this.policy.maxAttempts || elapsed >= this.policy.maxElapsedMs) {
      if (!(error instanceof StaleHeadError)) throw error;
      throw new ConflictError(
        `${branch} of ${this.target.description} kept moving: gave up after ${attempt} attempts in ` +
          `${(elapsed / 1000).toFixed(1)}s. Another pipeline is committing at the same time; re-run this job.`,
      );
    }
    const delay = schedule.next(now - schedule.attemptStarted, this.random());
    this.log(`${why}; re-reading in ${delay} ms (attempt ${attempt + 1})`);
    await this.sleep(delay);
  }

  private planOn(planner: Planner, snapshot: BranchSnapshot) {
    const step = planner(snapshot.files);
    return step.kind === 'ready' ? { snapshot, step } : undefined;
  }

  private async readAndPlan(planner: Planner, branch: string | undefined, wanted: Set<string>) {
    for (;;) {
      const snapshot = await this.target.read(branch, [...wanted]);
      const step = planner(snapshot.files);
      if (step.kind === 'ready') return { snapshot, step };
      const fresh = step.paths.filter((path) => !wanted.has(path));
      if (fresh.length === 0)
        throw new Error(`planner asked again for files already read: ${step.paths.join(', ')}`);
      fresh.forEach((path) => wanted.add(path));
      branch = snapshot.branch;
    }
  }
}
