/**
 * The bump operation as an action step: inputs read once, the release run, the log
 * lines, outputs and job summary. Used by bump-release-dev and by the root action's
 * `command: bump`.
 */
import * as core from '@actions/core';
import { parseBumpRequest } from '../../core/bump-request.js';
import { DEFAULT_LAYOUT } from '../../core/layout.js';
import { describeAppChange, initialPaths, planBump, type BumpRequest } from '../../core/plan.js';
import { sourceCommit, type RunnerContext } from '../../github/runner-context.js';
import { runRelease, type DeliveryMode } from '../../operations/release.js';
import { booleanInput, choiceInput, listInput, optionalInput } from '../support/inputs.js';
import { setReleaseOutputs, writeReleaseSummary } from '../support/summary.js';
import { openTargetRepository, readTargetInputs, type TargetInputs } from '../support/target.js';

export interface BumpInputs {
  target: TargetInputs;
  request: BumpRequest;
  mode: DeliveryMode;
  dryRun: boolean;
}

export function readBumpInputs(context: RunnerContext): BumpInputs {
  const target = readTargetInputs(context);
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
    target,
    request,
    mode: choiceInput('mode', ['direct', 'pull-request'] as const, 'direct'),
    dryRun: booleanInput('dry-run', false),
  };
}

export async function bumpStep(context: RunnerContext, inputs: BumpInputs): Promise<void> {
  const { request, target } = inputs;
  const repo = openTargetRepository(context, target);
  const outcome = await core.group(
    `Release ${request.tag} to ${request.env}: ${request.apps.join(', ')}`,
    async () => {
      core.info(`Reading ${repo.description} at ${target.branch ?? 'its default branch'}`);
      const result = await runRelease(
        repo,
        {
          paths: initialPaths(request.env, request.apps, DEFAULT_LAYOUT),
          plan: (files) => planBump(request, files),
        },
        { branch: target.branch, mode: inputs.mode, dryRun: inputs.dryRun, engine: { log: core.info } },
        repo,
      );
      for (const entry of result.changeSet.apps) core.info(describeAppChange(entry));
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
