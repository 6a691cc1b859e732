/**
 * promote, reset and rollback as operations: read the branch with the history of the
 * release files involved (and the verification records on those commits) in one round
 * trip, judge, then commit through the engine. A promotion of any number of apps is
 * two requests on GitHub: the read and the commit.
 */
import {
  LAYOUT_CONFIG_PATH,
  DEFAULT_LAYOUT,
  releaseFilePath,
  sourceEnvironment,
  type Layout,
} from '../core/layout.js';
import { layoutFrom, type FileSnapshot } from '../core/plan.js';
import {
  planPromotion,
  promotionEnvironments,
  promotionPaths,
  type AppEvidence,
  type AppVerdict,
  type PromotionRequest,
} from '../core/promotion.js';
import { readReleaseImage } from '../core/release-file/edit.js';
import type { FileRevision } from '../core/release-history.js';
import { planRollback, type RollbackRequest } from '../core/rollback.js';
import type { BranchSnapshot, CommitTarget } from './commit-engine.js';
import { runRelease, type PullRequestHost, type ReleaseOptions, type ReleaseOutcome } from './release.js';

/** How many commits of a release file's history are read (the gate and rollback look no further). */
export const HISTORY_DEPTH = 20;

export interface HistorySnapshot extends BranchSnapshot {
  /** Per path: the commits that changed it, newest first, with the file and the records on each. */
  history: ReadonlyMap<string, readonly FileRevision[]>;
}

/** A store that can read files and the history of some of them at one commit, in one round trip. */
export interface ReleaseHistorySource extends CommitTarget {
  readWithHistory(
    branch: string | undefined,
    paths: readonly string[],
    historyPaths: readonly string[],
    depth: number,
  ): Promise<HistorySnapshot>;
}

/** The registry's digest of repository:tag; null when the tag does not exist there. */
export type DigestLookup = (repository: string, tag: string) => Promise<string | null>;

/**
 * Reads the paths a plan needs under the branch's layout: first under the default
 * layout, again when deploy/tagrelay.yaml says otherwise (or the chain differs).
 */
async function readForLayout(
  source: ReleaseHistorySource,
  branch: string | undefined,
  pathsFor: (layout: Layout) => { paths: string[]; history: string[] },
): Promise<{ snapshot: HistorySnapshot; layout: Layout }> {
  // Under the default layout the request may not even make sense (a stage it lacks):
  // then read the layout alone first.
  let wanted: { paths: string[]; history: string[] };
  try {
    wanted = pathsFor(DEFAULT_LAYOUT);
  } catch {
    wanted = { paths: [], history: [] };
  }
  for (let attempt = 0; attempt < 3; attempt++) {
    const snapshot = await source.readWithHistory(
      branch,
      [LAYOUT_CONFIG_PATH, ...wanted.paths],
      wanted.history,
      HISTORY_DEPTH,
    );
    const layout = layoutFrom(snapshot.files);
    if ('need' in layout) throw new Error(`${LAYOUT_CONFIG_PATH} was not read`);
    const needed = pathsFor(layout);
    const read = new Set(snapshot.files.keys());
    if (
      needed.paths.every((path) => read.has(path)) &&
      needed.history.every((path) => snapshot.history.has(path))
    )
      return { snapshot, layout };
    wanted = needed;
    branch = snapshot.branch;
  }
  throw new Error('the layout kept changing while reading');
}

export interface PromotionOutcome extends ReleaseOutcome {
  verdicts: AppVerdict[];
}

export async function runPromotion(
  source: ReleaseHistorySource,
  request: PromotionRequest,
  options: ReleaseOptions & { digestOf?: DigestLookup },
  pullRequests?: PullRequestHost,
): Promise<PromotionOutcome> {
  const { snapshot, layout } = await readForLayout(source, options.branch, (candidate) => {
    const envs = promotionEnvironments(candidate, request.to, request.from);
    const paths = promotionPaths(candidate, request.apps, envs.from, envs.to);
    return { paths, history: paths };
  });
  const envs = promotionEnvironments(layout, request.to, request.from);
  const evidence = await gatherEvidence(layout, request, envs, snapshot, options.digestOf);

  // The first plan (on this snapshot) judges and pins each app's tag: a retry after the
  // branch moved promotes what was judged, never a tag that arrived in the meantime.
  let pinned: Map<string, string> | undefined;
  let verdicts: AppVerdict[] = [];
  const paths = [LAYOUT_CONFIG_PATH, ...promotionPaths(layout, request.apps, envs.from, envs.to)];
  const outcome = await runRelease(
    source,
    {
      paths,
      plan: (files) => {
        const step = planPromotion({ ...request, tags: pinned }, files, evidence);
        verdicts = step.verdicts ?? verdicts;
        pinned ??= new Map(verdicts.map((verdict) => [verdict.app, verdict.tag]));
        return step;
      },
      pullRequestNotes: () => promotionNotes(verdicts),
    },
    { ...options, initial: snapshot },
    pullRequests,
  );
  return { ...outcome, verdicts };
}

/** The gate's verdicts as Markdown, for the pull request body. */
function promotionNotes(verdicts: readonly AppVerdict[]): string {
  const rows = verdicts.map((verdict) => {
    const checks = verdict.findings.map(
      (finding) => `${finding.passed ? '✅' : '❌'} ${finding.check}: ${finding.detail}`,
    );
    const commits = [
      verdict.previousSourceCommit ? `from \`${verdict.previousSourceCommit}\`` : '',
      verdict.sourceCommit ? `to \`${verdict.sourceCommit}\`` : '',
    ].filter(Boolean);
    return `| ${verdict.app} | \`${verdict.tag}\` | ${checks.join('<br>')} | ${commits.join(' ') || '—'} | ${verdict.verifiedBy ?? '—'} |`;
  });
  return [
    '**Promotion gate**',
    '',
    '| app | tag | checks | source commits | verified by |',
    '| --- | --- | --- | --- | --- |',
    ...rows,
  ].join('\n');
}

async function gatherEvidence(
  layout: Layout,
  request: PromotionRequest,
  envs: { from: string; to: string },
  snapshot: HistorySnapshot,
  digestOf: DigestLookup | undefined,
): Promise<Map<string, AppEvidence>> {
  const evidence = new Map<string, AppEvidence>();
  await Promise.all(
    request.apps.map(async (app) => {
      const sourcePath = releaseFilePath(layout, envs.from, app);
      const entry: AppEvidence = {
        sourceHistory: snapshot.history.get(sourcePath) ?? [],
        targetHistory: snapshot.history.get(releaseFilePath(layout, envs.to, app)) ?? [],
      };
      const text = snapshot.files.get(sourcePath);
      if (digestOf && text) {
        const image = readReleaseImage(sourcePath, text, layout.keys);
        const tag = request.tags?.get(app) ?? request.tag ?? image.tag;
        if (image.repository && tag) entry.registryDigest = await digestOf(image.repository, tag);
      }
      evidence.set(app, entry);
    }),
  );
  return evidence;
}

export async function runRollback(
  source: ReleaseHistorySource,
  request: RollbackRequest,
  options: ReleaseOptions,
  pullRequests?: PullRequestHost,
): Promise<ReleaseOutcome> {
  const pathsFor = (layout: Layout) => {
    const env = request.env ?? (layout.environments[layout.environments.length - 1] as string);
    const before = sourceEnvironment(layout, env);
    const target = releaseFilePath(layout, env, request.app);
    const history = before === undefined ? [target] : [target, releaseFilePath(layout, before, request.app)];
    return { paths: [target], history };
  };
  const { snapshot, layout } = await readForLayout(source, options.branch, pathsFor);
  const { history } = pathsFor(layout);
  const evidence = {
    targetHistory: snapshot.history.get(history[0] as string) ?? [],
    sourceHistory: history[1] === undefined ? [] : (snapshot.history.get(history[1]) ?? []),
  };
  return runRelease(
    source,
    {
      paths: [LAYOUT_CONFIG_PATH, ...pathsFor(layout).paths],
      plan: (files: FileSnapshot) => planRollback(request, files, evidence),
    },
    { ...options, initial: snapshot },
    pullRequests,
  );
}
