/**
 * What the runner tells an action through its environment: API endpoints, the
 * repository and commit that triggered the workflow, the run's URL.
 */
import { ConfigurationError } from '../../core/errors.js';

export interface RunnerContext {
  apiUrl: string;
  graphqlUrl?: string;
  serverUrl: string;
  /** owner/name of the repository running the workflow. */
  repository?: string;
  sha?: string;
  runUrl?: string;
  actor?: string;
}

export function readRunnerContext(env: NodeJS.ProcessEnv = process.env): RunnerContext {
  const serverUrl = (env.GITHUB_SERVER_URL || 'https://github.com').replace(/\/+$/, '');
  const repository = env.GITHUB_REPOSITORY || undefined;
  const runUrl =
    repository && env.GITHUB_RUN_ID
      ? `${serverUrl}/${repository}/actions/runs/${env.GITHUB_RUN_ID}`
      : undefined;
  const apiUrl = env.GITHUB_API_URL || 'https://api.github.com';
  if (!/^https?:\/\/[^\s]+$/.test(apiUrl)) {
    throw new ConfigurationError('GITHUB_API_URL', apiUrl, 'an http(s) URL such as https://api.github.com');
  }
  return {
    apiUrl,
    graphqlUrl: env.GITHUB_GRAPHQL_URL || undefined,
    serverUrl,
    repository,
    sha: env.GITHUB_SHA || undefined,
    runUrl,
    actor: env.GITHUB_ACTOR || undefined,
  };
}

/** `owner/name@sha` of the commit the workflow runs for, when the runner says. */
export function sourceCommit(context: RunnerContext): string | undefined {
  return context.repository && context.sha ? `${context.repository}@${context.sha}` : undefined;
}
