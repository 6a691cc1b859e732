/**
 * The bump operation as an action step: inputs read once, the release run, the log
 * lines, outputs and job summary. Used by bump-release-dev and by the root action's
 * `command: bump`.
 */
import * as core from '@actions/core';
import { parseBumpRequest } from '../../core/bump-request.js';
import { DEFAULT_LAYOUT } from '../../core/layout.js';
import { parseRepository, validateBranchName, type RepositoryRef } from '../../core/names.js';
import { initialPaths, planBump, type BumpRequest } from '../../core/plan.js';
import { runRelease, type DeliveryMode } from '../../operations/release.js';
import { openGitHubRepository } from '../../github/repository.js';
import { booleanInput, choiceInput, listInput, optionalInput, tokenInput } from './inputs.js';
import { githubEndpoints } from './github.js';
import { sourceCommit, type RunnerContext } from './runner-context.js';
import { setReleaseOutputs, writeReleaseSummary } from './summary.js';

export interface BumpInputs {
  request: BumpRequest;
  repository: RepositoryRef;
  branch?: string;
  token: string;
  mode: DeliveryMode;
  dryRun: boolean;
}

/** The GitOps repository and branch inputs every command shares. */
export function readTargetInputs(context: RunnerContext): { repository: RepositoryRef; branch?: string } {
  const branch = optionalInput('branch');
  return {
    repository: parseRepository(optionalInput('gitops-repository') || context.repository || ''),
    branch: branch ? validateBranchName(branch) : undefined,
  };
}

export function readBumpInputs(context: RunnerContext): BumpInputs {
  const token = tokenInput();
  const request = parseBumpRequest(
    {
      app: listInput('app'),
      tag: optionalInput('tag'),
      image: optionalInput('image'),
      digest: optionalInput('digest'),
      environment: optionalInput('environment'),
    },
    { sourceCommit: sourceCommit(context) },
  );
  return {
    token,
    request,
    ...readTargetInputs(context),
    mode: choiceInput('mode', ['direct', 'pull-request'] as const, 'direct'),
    dryRun: booleanInput('dry-run', false),
  };
}

export async function bumpStep(context: RunnerContext, inputs: BumpInputs): Promise<void> {
  const repo = openGitHubRepository(inputs.repository, githubEndpoints(context, inputs.token));
  const { request } = inputs;
  const outcome = await core.group(
    `Release ${request.tag} to ${request.env}: ${request.apps.join(', ')}`,
    async () => {
      const result = await runRelease(
        repo,
        {
          paths: initialPaths(request.env, request.apps, DEFAULT_LAYOUT),
          plan: (files) => planBump(request, files),
        },
        { branch: inputs.branch, mode: inputs.mode, dryRun: inputs.dryRun, engine: { log: core.info } },
        repo,
      );
      for (const entry of result.changeSet.apps) {
        core.info(
          entry.changed
            ? `${entry.app}: ${entry.previous.tag ?? '(none)'} → ${entry.tag} in ${entry.path}`
            : `${entry.app}: already at ${entry.tag} in ${entry.env}`,
        );
      }
      if (result.dryRun && result.diff) core.info(`Dry run, nothing committed. The change:\n${result.diff}`);
      return result;
    },
  );
  // Outside the group, so they stay visible when it is folded.
  if (outcome.commit)
    core.notice(`Committed ${outcome.commit.oid} on ${outcome.pullRequest?.branch ?? outcome.branch}`);
  if (outcome.pullRequest) core.notice(`Pull request: ${outcome.pullRequest.url}`);
  setReleaseOutputs(outcome);
  await writeReleaseSummary(`tagrelay: release to ${request.env}`, outcome);
}
