/**
 * bump-release-dev: set image.tag in deploy/env/release-<environment>/<app>.yaml to
 * a new immutable tag, as one commit (or one pull request) for all the apps given.
 */
import * as core from '@actions/core';
import { parseBumpRequest } from '../core/bump-request.js';
import { parseRepository, validateBranchName } from '../core/names.js';
import { DEFAULT_LAYOUT } from '../core/layout.js';
import { initialPaths, planBump, type BumpRequest } from '../core/plan.js';
import { createGitHubClient } from '../github/client.js';
import { GitHubRepository } from '../github/repository.js';
import { runRelease, type DeliveryMode } from '../operations/release.js';
import { booleanInput, choiceInput, listInput, optionalInput, tokenInput } from './lib/inputs.js';
import { isMainModule, runAction } from './lib/run.js';
import { readRunnerContext, sourceCommit } from './lib/runner-context.js';
import { setReleaseOutputs, writeReleaseSummary } from './lib/summary.js';
import { USER_AGENT } from '../version.js';

interface BumpInputs {
  request: BumpRequest;
  repository: ReturnType<typeof parseRepository>;
  branch?: string;
  token: string;
  mode: DeliveryMode;
  dryRun: boolean;
}

function readInputs(context: ReturnType<typeof readRunnerContext>): BumpInputs {
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
  const branch = optionalInput('branch');
  return {
    token,
    request,
    repository: parseRepository(optionalInput('gitops-repository') || context.repository || ''),
    branch: branch ? validateBranchName(branch) : undefined,
    mode: choiceInput('mode', ['direct', 'pull-request'] as const, 'direct'),
    dryRun: booleanInput('dry-run', false),
  };
}

export async function run(): Promise<void> {
  await runAction(async () => {
    const context = readRunnerContext();
    const inputs = readInputs(context);
    const client = createGitHubClient({
      token: inputs.token,
      apiUrl: context.apiUrl,
      graphqlUrl: context.graphqlUrl,
      userAgent: USER_AGENT,
      log: { debug: core.debug, info: core.info, warning: core.warning },
    });
    const repo = new GitHubRepository(client, inputs.repository);
    const { request } = inputs;
    const outcome = await core.group(
      `Release ${request.tag} to ${request.env}: ${request.apps.join(', ')}`,
      () =>
        runRelease(
          repo,
          {
            paths: initialPaths(request.env, request.apps, DEFAULT_LAYOUT),
            plan: (files) => planBump(request, files),
          },
          { branch: inputs.branch, mode: inputs.mode, dryRun: inputs.dryRun, engine: { log: core.info } },
          repo,
        ),
    );
    for (const entry of outcome.changeSet.apps) {
      core.info(
        entry.changed
          ? `${entry.app}: ${entry.previous.tag ?? '(none)'} → ${entry.tag} in ${entry.path}`
          : `${entry.app}: already at ${entry.tag} in ${entry.env}`,
      );
    }
    if (outcome.dryRun && outcome.diff) core.info(`Dry run, nothing committed. The change:\n${outcome.diff}`);
    if (outcome.commit)
      core.info(`Committed ${outcome.commit.oid} on ${outcome.pullRequest?.branch ?? outcome.branch}`);
    if (outcome.pullRequest) core.info(`Pull request: ${outcome.pullRequest.url}`);
    setReleaseOutputs(outcome);
    await writeReleaseSummary(`tagrelay: release to ${request.env}`, outcome);
  });
}

if (isMainModule(import.meta.url)) void run();
