/**
 * The GitOps repository every command works on: the `gitops-repository`, `branch`
 * and `token` inputs, and the facade opened on them with the runner's endpoints.
 */
import * as core from '@actions/core';
import { parseRepository, validateBranchName, type RepositoryRef } from '../../core/names.js';
import { openGitHubRepository, type GitHubRepository } from '../../github/repository.js';
import type { RunnerContext } from '../../github/runner-context.js';
import { optionalInput, tokenInput } from './inputs.js';

export interface TargetInputs {
  repository: RepositoryRef;
  branch?: string;
  token: string;
}

/** Reads the target inputs; the token is masked before anything else can print it. */
export function readTargetInputs(context: RunnerContext): TargetInputs {
  const token = tokenInput();
  const branch = optionalInput('branch');
  return {
    token,
    repository: parseRepository(optionalInput('gitops-repository') || context.repository || ''),
    branch: branch ? validateBranchName(branch) : undefined,
  };
}

/** The GitHub facade for the target, logging into the job log. */
export function openTargetRepository(context: RunnerContext, target: TargetInputs): GitHubRepository {
  return openGitHubRepository(target.repository, {
    token: target.token,
    apiUrl: context.apiUrl,
    graphqlUrl: context.graphqlUrl,
    proxy: context.proxy,
    log: { debug: core.debug, info: core.info, warning: core.warning },
  });
}
