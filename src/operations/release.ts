/**
 * One release operation end to end, shared by the actions and the CLI: plan against
 * the branch, then commit directly, open a pull request, or (dry run) only show the
 * diff. Everything it touches goes through a CommitTarget or the GitHub facade.
 */
import { createHash } from 'node:crypto';
import { messageText } from '../core/commit-message.js';
import { ConfigurationError } from '../core/errors.js';
import type { Layout } from '../core/layout.js';
import type { ChangeSet, FileSnapshot, PlanStep } from '../core/plan.js';
import {
  CommitEngine,
  type BranchSnapshot,
  type CommitResult,
  type CommitTarget,
  type EngineOptions,
} from './commit-engine.js';

export type DeliveryMode = 'direct' | 'pull-request';

export interface PullRequestInfo {
  number: number;
  url: string;
  nodeId: string;
}

/** Where pull requests are opened: the GitHub facade (a local checkout has none). */
export interface PullRequestHost {
  /** Creates `refs/heads/<name>` at `sha`; false when it already exists. */
  createBranch(name: string, sha: string): Promise<boolean>;
  findOpenPullRequest(head: string, base: string): Promise<PullRequestInfo | undefined>;
  createPullRequest(head: string, base: string, title: string, body: string): Promise<PullRequestInfo>;
  /** Turns on auto-merge; returns why not when the repository does not allow it. */
  enableAutoMerge(pullRequestNodeId: string): Promise<string | undefined>;
}

export interface ReleaseOperation {
  /** What the planner needs to read first. */
  paths: readonly string[];
  plan: (files: FileSnapshot) => PlanStep;
  /** More for the pull request body (Markdown), e.g. the promotion gate's verdicts. */
  pullRequestNotes?: () => string;
}

export interface ReleaseOptions {
  branch?: string;
  mode: DeliveryMode;
  dryRun: boolean;
  engine?: EngineOptions;
  /** A snapshot of the branch the caller already read (saves the first read). */
  initial?: BranchSnapshot;
}

export interface ReleaseOutcome {
  changeSet: ChangeSet;
  /** The layout the branch declares (deploy/tagrelay.yaml or the default). */
  layout: Layout;
  /** Branch the change is for (the base branch in pull-request mode). */
  branch: string;
  /** Head the plan was read at. */
  baseOid: string;
  commit?: CommitResult;
  pullRequest?: PullRequestInfo & { branch: string; autoMerge: string };
  /** Unified diff of the change in a dry run, what it prints; '' when the run committed. */
  diff: string;
  attempts: number;
  dryRun: boolean;
}

/** `tagrelay/<env>/<app>/<tag>`; several apps share one branch named by a hash of their names. */
export function pullRequestBranch(changeSet: ChangeSet): string {
  const apps = changeSet.apps.filter((entry) => entry.changed).map((entry) => entry.app);
  const label =
    apps.length === 1
      ? apps[0]
      : `${apps.length}-apps-${createHash('sha256').update(apps.join(',')).digest('hex').slice(0, 8)}`;
  return `tagrelay/${changeSet.env}/${label}/${changeSet.tag}`;
}

function pullRequestBody(changeSet: ChangeSet, notes = ''): string {
  const rows = changeSet.apps
    .filter((entry) => entry.changed)
    .map(
      (entry) => `| ${entry.app} | ${entry.env} | \`${entry.previous.tag ?? '(none)'}\` → \`${entry.tag}\` |`,
    );
  return [
    `Opened by tagrelay: release \`${changeSet.tag}\` to **${changeSet.env}**.`,
    '',
    '| app | env | tag |',
    '| --- | --- | --- |',
    ...rows,
    '',
    ...(notes ? [notes, ''] : []),
    '```',
    messageText(changeSet.message).trimEnd(),
    '```',
  ].join('\n');
}

export async function runRelease(
  target: CommitTarget,
  operation: ReleaseOperation,
  options: ReleaseOptions,
  pullRequests?: PullRequestHost,
): Promise<ReleaseOutcome> {
  const engine = new CommitEngine(target, options.engine);

  if (options.dryRun || options.mode === 'pull-request') {
    const { snapshot, step } = await engine.plan(
      operation.plan,
      options.branch,
      operation.paths,
      options.initial,
    );
    const base = {
      changeSet: step.changeSet,
      layout: step.layout,
      branch: snapshot.branch,
      baseOid: snapshot.headOid,
      // `diff` is loaded only here: a dry run is the only reader of the diff.
      diff: options.dryRun ? (await import('./unified-diff.js')).unifiedDiff(step.changeSet) : '',
      attempts: 1,
      dryRun: options.dryRun,
    };
    if (options.dryRun || step.changeSet.files.length === 0) return base;
    if (!pullRequests)
      throw new ConfigurationError(
        'mode',
        options.mode,
        'direct for a local checkout: pull requests need a GitHub repository',
      );

    const head = pullRequestBranch(step.changeSet);
    const created = await pullRequests.createBranch(head, snapshot.headOid);
    // A fresh branch holds exactly what we just read, so the plan commits without a re-read.
    const initial = created ? { ...snapshot, branch: head } : undefined;
    const outcome = await engine.apply(operation.plan, head, operation.paths, initial);
    const title = step.changeSet.message.headline;
    const pullRequest =
      (created ? undefined : await pullRequests.findOpenPullRequest(head, snapshot.branch)) ??
      (await pullRequests.createPullRequest(
        head,
        snapshot.branch,
        title,
        pullRequestBody(step.changeSet, operation.pullRequestNotes?.()),
      ));
    const autoMergeRefusal = await pullRequests.enableAutoMerge(pullRequest.nodeId);
    return {
      ...base,
      commit: outcome.commit,
      attempts: outcome.attempts,
      pullRequest: { ...pullRequest, branch: head, autoMerge: autoMergeRefusal ?? 'enabled' },
    };
  }

  const outcome = await engine.apply(operation.plan, options.branch, operation.paths, options.initial);
  return {
    changeSet: outcome.changeSet,
    layout: outcome.layout,
    branch: outcome.branch,
    baseOid: outcome.baseOid,
    commit: outcome.commit,
    diff: '',
    attempts: outcome.attempts,
    dryRun: false,
  };
}
