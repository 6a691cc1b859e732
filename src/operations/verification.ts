/**
 * Where verification records live, as the operations see it: smoke-dev writes through a
 * VerificationStore, promote-prod's gate reads through the same interface, whether the
 * store is GitHub (commit statuses + deployments) or a local checkout (git notes).
 */
import {
  commitThatSetTag,
  newestRecord,
  type ReleaseFileRevision,
  type VerificationRecord,
} from '../core/verification.js';
import type { ReleaseKeys } from '../core/release-file/edit.js';

export interface WrittenRecord {
  commit: string;
  /** Human-readable places: `commit status tagrelay/smoke/dev/shop`, `deployment 1234`, `note refs/notes/tagrelay`. */
  written: string[];
  /** A link to the record when the store has one (the commit on GitHub). */
  url?: string;
}

export interface VerificationStore {
  /** `owner/name` or the checkout's directory, for messages. */
  readonly description: string;
  /** Writes the record on `commit` (the GitOps commit that set the tag). */
  write(record: VerificationRecord, commit: string): Promise<WrittenRecord>;
  /** Every record of `app` in `env` on these commits, each with `commit` set; any order. */
  read(commits: string | readonly string[], app: string, env: string): Promise<VerificationRecord[]>;
}

export interface ReleaseFileHistory {
  /** The commits that changed `path` on `branch` (default branch when undefined), newest first, with the file at each. */
  fileHistory(branch: string | undefined, path: string, limit: number): Promise<ReleaseFileRevision[]>;
  /**
   * Whether `revision` contains `commit`, looking only at the commits that changed `path`
   * (which `commit` does). Undefined when it cannot be told (an unknown revision).
   */
  containsCommit(revision: string, commit: string, path: string): Promise<boolean | undefined>;
}

/** How far back the history of a release file is searched for the commit that set a tag. */
export const HISTORY_LIMIT = 50;

/** The GitOps commit that set `tag` in the release file at `path`, or undefined. */
export async function findTagCommit(
  history: ReleaseFileHistory,
  branch: string | undefined,
  path: string,
  tag: string,
  keys?: ReleaseKeys,
): Promise<string | undefined> {
  const revisions = await history.fileHistory(branch, path, HISTORY_LIMIT);
  return commitThatSetTag(path, revisions, tag, keys);
}

/** The newest record for app, env and tag on the given commits: what promote-prod's gate checks. */
export async function findNewestRecord(
  store: VerificationStore,
  commits: string | readonly string[],
  app: string,
  env: string,
  tag: string,
): Promise<VerificationRecord | undefined> {
  return newestRecord(await store.read(commits, app, env), app, env, tag);
}
