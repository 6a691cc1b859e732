/**
 * Plans: from a request and the current files of the GitOps branch to the exact
 * file contents to commit. Pure, so the commit engine can re-plan on a fresh read
 * every time the branch moves under it.
 */
import { formatReleaseMessage, type CommitMessage, type ReleaseTrailers } from './commit-message.js';
import { ConfigurationError, ReleaseFileError } from './errors.js';
import {
  firstEnvironment,
  LAYOUT_CONFIG_PATH,
  parseLayoutConfig,
  releaseFilePath,
  requireEnvironment,
  type Layout,
} from './layout.js';
import { validateTag } from './names.js';
import { editReleaseFile, type ImageValues } from './release-file/edit.js';

/** Files read at one commit of the branch; `null` marks a path that does not exist there. */
export type FileSnapshot = ReadonlyMap<string, string | null>;

export interface FileChange {
  path: string;
  before: string;
  after: string;
}

export interface AppChange {
  app: string;
  env: string;
  path: string;
  previous: ImageValues;
  /** The values after the change (equal to `previous` where nothing was asked to change). */
  next: ImageValues;
  tag: string;
  changed: boolean;
}

/**
 * One line a person reads for an app: the tag it moved from and to, or what else
 * moved when the tag stayed (a new digest or repository), or that nothing did.
 */
export function describeAppChange(entry: AppChange): string {
  const { app, previous, next, tag } = entry;
  if (!entry.changed) return `${app}: already at ${tag}`;
  if (previous.tag !== tag) return `${app}: ${previous.tag ?? '(none)'} → ${tag}`;
  const moved = (['repository', 'digest'] as const)
    .filter((field) => previous[field] !== next[field])
    .map((field) => `${field} ${previous[field] ?? '(none)'} → ${next[field]}`);
  return `${app}: ${tag} unchanged; ${moved.join(', ') || 'the file was normalised'}`;
}

/** What one operation commits: one commit, whatever the number of files, or none. */
export interface ChangeSet {
  env: string;
  tag: string;
  apps: AppChange[];
  /** Only the files whose bytes change. Empty: nothing to commit. */
  files: FileChange[];
  message: CommitMessage;
}

/** The planner either has every file it needs or names the ones to read first. */
export type PlanStep =
  { kind: 'need-files'; paths: string[] } | { kind: 'ready'; changeSet: ChangeSet; layout: Layout };

/** A bump: set `tag` (and optionally repository, digest) in env's release layer of every app. */
export interface BumpRequest {
  env: string;
  apps: readonly string[];
  tag: string;
  /** image.repository for every app. */
  repository?: string;
  /** image.digest for every app (one image for all). */
  digest?: string;
  /** Each app's own image.repository and image.digest, over the ones above. */
  perApp?: Readonly<Record<string, { repository?: string; digest?: string }>>;
  trailers?: ReleaseTrailers;
}

/** Paths to read up front: the layout config and the release files under the default layout. */
export function initialPaths(env: string, apps: readonly string[], layout: Layout): string[] {
  return [LAYOUT_CONFIG_PATH, ...apps.map((app) => releaseFilePath(layout, env, app))];
}

/** The layout the branch declares, or the paths to read to learn it. */
export function layoutFrom(files: FileSnapshot): Layout | { need: string } {
  const config = files.get(LAYOUT_CONFIG_PATH);
  if (config === undefined) return { need: LAYOUT_CONFIG_PATH };
  return parseLayoutConfig(config);
}

export function planBump(request: BumpRequest, files: FileSnapshot): PlanStep {
  const layout = layoutFrom(files);
  if ('need' in layout) return { kind: 'need-files', paths: [layout.need] };
  const env = requireEnvironment(layout, request.env);
  const first = firstEnvironment(layout);
  // ARCHITECTURE.md, "Who writes which environment": later environments only through their checks.
  if (env !== first) {
    throw new ConfigurationError(
      'environment',
      env,
      `${first}: bump writes only the first environment of the chain (${layout.environments.join(' → ')}); ${env} is written by promote (tagrelay promote, promote-prod), which checks that the tag was verified in the environment before it`,
    );
  }
  const tag = validateTag(request.tag, { denied: layout.deniedTags });

  const edits = request.apps.map((app) => ({
    app,
    tag,
    repository: request.perApp?.[app]?.repository ?? request.repository,
    digest: request.perApp?.[app]?.digest ?? request.digest,
  }));
  const applied = applyTagEdits(layout, env, edits, files);
  if ('need' in applied) return { kind: 'need-files', paths: applied.need };
  const message = formatReleaseMessage({
    env,
    tag,
    apps: applied.apps
      .filter((entry) => entry.changed)
      .map((entry) => ({
        app: entry.app,
        previousTag: entry.previous.tag,
        digest: request.perApp?.[entry.app]?.digest,
      })),
    trailers: { ...request.trailers, digest: request.digest ?? request.trailers?.digest },
  });
  return {
    kind: 'ready',
    layout,
    changeSet: { env, tag, apps: applied.apps, files: applied.files, message },
  };
}

/** What one app's release file should hold after an operation. */
export interface TagEdit {
  app: string;
  tag: string;
  repository?: string;
  digest?: string;
}

/**
 * Applies tag edits to env's release files: the per-app changes and the changed files,
 * or the paths still to read. A missing release file is a ReleaseFileError.
 */
export function applyTagEdits(
  layout: Layout,
  env: string,
  edits: readonly TagEdit[],
  files: FileSnapshot,
): { apps: AppChange[]; files: FileChange[] } | { need: string[] } {
  const paths = edits.map((edit) => releaseFilePath(layout, env, edit.app));
  const missing = paths.filter((path) => !files.has(path));
  if (missing.length > 0) return { need: missing };

  const apps: AppChange[] = [];
  const changes: FileChange[] = [];
  edits.forEach((wanted, index) => {
    const { app, tag } = wanted;
    const path = paths[index] as string;
    const before = files.get(path);
    if (before === null || before === undefined) {
      throw new ReleaseFileError(
        path,
        `does not exist: app "${app}" has no release file for ${env} yet (bootstrap it first: tagrelay init)`,
      );
    }
    const edit = editReleaseFile(
      path,
      before,
      { tag, repository: wanted.repository, digest: wanted.digest },
      layout.keys,
    );
    const next = {
      repository: wanted.repository ?? edit.previous.repository,
      tag,
      digest: wanted.digest ?? edit.previous.digest,
    };
    apps.push({ app, env, path, previous: edit.previous, next, tag, changed: edit.changed });
    if (edit.changed) changes.push({ path, before, after: edit.text });
  });
  return { apps, files: changes };
}
