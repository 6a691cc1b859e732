/** The GitHub repository facade for an action step, from the runner's endpoints and a token. */
import * as core from '@actions/core';
import type { RepositoryRef } from '../../core/names.js';
import { createGitHubClient } from '../../github/client.js';
import { GitHubRepository } from '../../github/repository.js';
import { USER_AGENT } from '../../version.js';
import type { RunnerContext } from './runner-context.js';

export function openGitHubRepository(
  context: RunnerContext,
  token: string,
  repository: RepositoryRef,
): GitHubRepository {
  const client = createGitHubClient({
    token,
    apiUrl: context.apiUrl,
    graphqlUrl: context.graphqlUrl,
    userAgent: USER_AGENT,
    log: { debug: core.debug, info: core.info, warning: core.warning },
  });
  return new GitHubRepository(client, repository);
}
