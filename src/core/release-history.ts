/**
 * The history of a release file as promote, rollback and status read it: the commits
 * that changed it, newest first, with the file and the verification records on each.
 * Pure.
 */
import { trailerValues } from './commit-message.js';
import type { Layout } from './layout.js';
import { commitThatSetTag, type ReleaseFileRevision, type VerificationRecord } from './verification.js';

/** One commit that changed a release file, newest first, with the file at that commit. */
export interface FileRevision extends ReleaseFileRevision {
  message: string;
  url?: string;
  /** When the commit was made (ISO 8601). */
  date?: string;
  /** Verification records attached to this commit. */
  records: readonly VerificationRecord[];
}

/** The commit that set `tag`: the oldest commit of the newest run of revisions holding it. */
export function commitThatSet(
  path: string,
  history: readonly FileRevision[],
  tag: string,
  layout: Layout,
): FileRevision | undefined {
  const oid = commitThatSetTag(path, history, tag, layout.keys);
  return history.find((revision) => revision.oid === oid);
}

/** Tags rolled back from in an environment for an app (Rollback-Of trailers of its commits). */
export function rolledBackTags(history: readonly FileRevision[], app: string): Set<string> {
  return new Set(
    history
      .filter((revision) => trailerValues(revision.message, 'Release-App').includes(app))
      .flatMap((revision) => trailerValues(revision.message, 'Rollback-Of')),
  );
}
