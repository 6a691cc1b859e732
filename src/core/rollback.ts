/**
 * Reset and rollback: the two ways an environment's tag goes back (ARCHITECTURE.md,
 * "Who writes which environment"). Reset makes an environment take the release of the
 * next one (dev takes prod's: undoes a dev that ran ahead). Rollback takes an
 * environment back to the tag it had before (or to a named tag it had, or one verified
 * in the environment before it), and says so in a `Rollback-Of` trailer that keeps a
 * later promotion from silently bringing the rolled-back tag back. Pure.
 */
import { formatReleaseMessage } from './commit-message.js';
import { ConfigurationError } from './errors.js';
import { nextEnvironment, releaseFilePath, requireEnvironment, sourceEnvironment } from './layout.js';
import { applyTagEdits, layoutFrom, type FileSnapshot, type PlanStep, type TagEdit } from './plan.js';
import { PromotionRefusedError } from './promotion.js';
import { commitThatSet, type FileRevision } from './release-history.js';
import { newestRecord } from './verification.js';
import { readReleaseImage, type ImageValues } from './release-file/edit.js';
import { validateTag } from './names.js';

export interface ResetRequest {
  env: string;
  apps: readonly string[];
  sourceCommit?: string;
}

/** Paths a reset reads: each app's release file in env and in the next environment. */
export function resetPaths(
  env: string,
  next: string,
  apps: readonly string[],
  layout: Parameters<typeof releaseFilePath>[0],
) {
  return apps.flatMap((app) => [releaseFilePath(layout, env, app), releaseFilePath(layout, next, app)]);
}

export function planReset(request: ResetRequest, files: FileSnapshot): PlanStep {
  const layout = layoutFrom(files);
  if ('need' in layout) return { kind: 'need-files', paths: [layout.need] };
  const env = requireEnvironment(layout, request.env);
  const next = nextEnvironment(layout, env);
  if (next === undefined) {
    throw new ConfigurationError(
      'environment',
      env,
      `an environment with one after it in the chain (${layout.environments.join(' → ')}): reset takes the next environment's release`,
    );
  }
  const paths = resetPaths(env, next, request.apps, layout);
  const unread = paths.filter((path) => !files.has(path));
  if (unread.length > 0) return { kind: 'need-files', paths: unread };

  const edits: TagEdit[] = request.apps.map((app) => {
    const path = releaseFilePath(layout, next, app);
    const text = files.get(path);
    if (text === null || text === undefined) {
      throw new ConfigurationError(
        'app',
        app,
        `an app with a release file in ${next} (${path} does not exist)`,
      );
    }
    const image = readReleaseImage(path, text, layout.keys);
    return { app, tag: image.tag as string, repository: image.repository, digest: image.digest };
  });
  const applied = applyTagEdits(layout, env, edits, files);
  if ('need' in applied) return { kind: 'need-files', paths: applied.need };
  const changed = applied.apps.filter((entry) => entry.changed);
  const tag = edits[0]?.tag ?? '';
  const message = formatReleaseMessage({
    env,
    tag,
    kind: 'reset',
    apps: changed.map((entry) => ({ app: entry.app, previousTag: entry.previous.tag, tag: entry.tag })),
    trailers: { resetFrom: next, sourceCommit: request.sourceCommit },
  });
  return {
    kind: 'ready',
    layout,
    changeSet: { env, tag, apps: applied.apps, files: applied.files, message },
  };
}

export interface RollbackRequest {
  app: string;
  /** Default: the last environment of the chain. */
  env?: string;
  /** Default: the tag env had before its current one. */
  tag?: string;
  force: boolean;
  forcedBy?: string;
  sourceCommit?: string;
}

export interface RollbackEvidence {
  /** The env's release file history, newest first. */
  targetHistory: readonly FileRevision[];
  /** The environment before it (records of a tag verified there), newest first. */
  sourceHistory: readonly FileRevision[];
}

function imageAt(
  path: string,
  revision: FileRevision,
  keys: Parameters<typeof readReleaseImage>[2],
): ImageValues | undefined {
  if (revision.text === null) return undefined;
  try {
    return readReleaseImage(path, revision.text, keys);
  } catch {
    return undefined;
  }
}

export function planRollback(
  request: RollbackRequest,
  files: FileSnapshot,
  evidence: RollbackEvidence,
): PlanStep {
  const layout = layoutFrom(files);
  if ('need' in layout) return { kind: 'need-files', paths: [layout.need] };
  const env = requireEnvironment(
    layout,
    request.env ?? (layout.environments[layout.environments.length - 1] as string),
  );
  const path = releaseFilePath(layout, env, request.app);
  if (!files.has(path)) return { kind: 'need-files', paths: [path] };
  const text = files.get(path);
  if (text === null || text === undefined) {
    throw new ConfigurationError(
      'app',
      request.app,
      `an app with a release file in ${env} (${path} does not exist)`,
    );
  }
  const current = readReleaseImage(path, text, layout.keys);
  const history = evidence.targetHistory;

  let target: { tag: string; image?: ImageValues; revision?: FileRevision };
  let forcedPast = false;
  if (request.tag === undefined) {
    const earlier = history
      .map((revision) => ({ revision, image: imageAt(path, revision, layout.keys) }))
      .find((entry) => entry.image?.tag !== undefined && entry.image.tag !== current.tag);
    if (earlier === undefined) {
      throw new ConfigurationError(
        'tag',
        undefined,
        `a tag to roll back to: the history of ${path} shows no tag before ${current.tag ?? '(none)'}`,
      );
    }
    target = { tag: earlier.image?.tag as string, image: earlier.image, revision: earlier.revision };
  } else {
    const tag = validateTag(request.tag, { denied: layout.deniedTags });
    const revision = commitThatSet(path, history, tag, layout);
    target = { tag, image: revision ? imageAt(path, revision, layout.keys) : undefined, revision };
    if (revision === undefined) {
      const source = sourceEnvironment(layout, env);
      const record =
        source === undefined
          ? undefined
          : newestRecord(
              evidence.sourceHistory.flatMap((revision) => revision.records),
              request.app,
              source,
              tag,
            );
      if (record === undefined) {
        throw new ConfigurationError(
          'tag',
          tag,
          `a tag ${request.app} had in ${env} before, or one verified in the environment before it`,
        );
      }
      forcedPast = record.result !== 'success';
      if (forcedPast && !request.force) {
        throw new PromotionRefusedError(
          [
            {
              app: request.app,
              tag,
              currentTag: current.tag,
              findings: [
                {
                  check: 'verified',
                  passed: false,
                  detail: `${record.result} in ${source} at ${record.checkedAt}`,
                },
              ],
              passed: false,
            },
          ],
          env,
        );
      }
    }
  }
  if (target.tag === current.tag) {
    throw new ConfigurationError('tag', target.tag, `a tag other than ${env}'s current one (${current.tag})`);
  }

  const applied = applyTagEdits(
    layout,
    env,
    [
      {
        app: request.app,
        tag: target.tag,
        repository: target.image?.repository,
        digest: target.image?.digest,
      },
    ],
    files,
  );
  if ('need' in applied) return { kind: 'need-files', paths: applied.need };
  const message = formatReleaseMessage({
    env,
    tag: target.tag,
    kind: 'rollback',
    apps: [{ app: request.app, previousTag: current.tag, promotedFrom: target.revision?.oid }],
    trailers: {
      rollbackOf: current.tag,
      sourceCommit: request.sourceCommit,
      forcedBy: forcedPast ? (request.forcedBy ?? 'unknown') : undefined,
    },
  });
  return {
    kind: 'ready',
    layout,
    changeSet: { env, tag: target.tag, apps: applied.apps, files: applied.files, message },
  };
}
