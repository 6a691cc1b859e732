/**
 * What the runner tells an action through its environment: API endpoints, the
 * repository and commit that triggered the workflow, the run's URL. Every value is
 * validated where it is read: they end up in commit trailers and links, and the CLI
 * reads the same variables from whatever environment it runs in.
 */
import { ConfigurationError } from '../core/errors.js';
import { parseHttpUrl } from '../core/http-url.js';
import { COMMIT_SHA } from '../core/names.js';
import { readProxySettings, type ProxySettings } from '../core/proxy.js';

export interface RunnerContext {
  apiUrl: string;
  graphqlUrl?: string;
  serverUrl: string;
  /** owner/name of the repository running the workflow. */
  repository?: string;
  sha?: string;
  runUrl?: string;
  actor?: string;
  /** GITHUB_RUN_NUMBER: the run's number in its workflow (1, 2, …). */
  runNumber?: string;
  /** The branch the run is for: GITHUB_HEAD_REF on pull requests, else GITHUB_REF_NAME when it names a branch. */
  branch?: string;
  /** HTTP_PROXY, HTTPS_PROXY and NO_PROXY: every client of the run goes through them. */
  proxy: ProxySettings;
}

/** GitHub's owner and repository name grammar: what GITHUB_REPOSITORY may hold. */
const REPOSITORY = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})\/[A-Za-z0-9._-]{1,100}$/;
const RUN_ID = /^[1-9][0-9]{0,19}$/;
const RUN_NUMBER = /^[1-9][0-9]{0,18}$/;
/** A login: letters, digits, hyphens; `[bot]` for apps. */
const ACTOR = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})(?:\[bot\])?$/;

function httpUrl(name: string, value: string, example: string): string {
  const parsed = parseHttpUrl(value);
  if (parsed === undefined || parsed.username !== '' || parsed.password !== '') {
    throw new ConfigurationError(name, value, `an http(s) URL such as ${example}`);
  }
  return value.replace(/\/+$/, '');
}

function matching(name: string, value: string | undefined, pattern: RegExp, expected: string) {
  if (value === undefined || value === '') return undefined;
  if (!pattern.test(value)) throw new ConfigurationError(name, value, expected);
  return value;
}

/** Reads and validates the GITHUB_* and proxy variables of `env` (the process environment, passed by the entry). */
export function readRunnerContext(env: Readonly<Record<string, string | undefined>>): RunnerContext {
  const serverUrl = httpUrl(
    'GITHUB_SERVER_URL',
    env.GITHUB_SERVER_URL || 'https://github.com',
    'https://github.com',
  );
  const repository = matching(
    'GITHUB_REPOSITORY',
    env.GITHUB_REPOSITORY,
    REPOSITORY,
    'owner/name of a GitHub repository',
  );
  const sha = matching('GITHUB_SHA', env.GITHUB_SHA, COMMIT_SHA, 'a full lowercase hex commit SHA');
  const runId = matching('GITHUB_RUN_ID', env.GITHUB_RUN_ID, RUN_ID, 'a numeric workflow run id');
  const actor = matching('GITHUB_ACTOR', env.GITHUB_ACTOR, ACTOR, 'a GitHub login');
  const runNumber = matching('GITHUB_RUN_NUMBER', env.GITHUB_RUN_NUMBER, RUN_NUMBER, 'a run number');
  // Only a tag template reads the branch, and slugs it: taken as it is, unless it is no branch name at all.
  const refBranch = env.GITHUB_REF_TYPE === 'branch' ? env.GITHUB_REF_NAME : undefined;
  const rawBranch = env.GITHUB_HEAD_REF || refBranch;
  const branch = rawBranch && rawBranch.length <= 255 && !/[\p{Cc}]/u.test(rawBranch) ? rawBranch : undefined;
  const apiUrl = httpUrl(
    'GITHUB_API_URL',
    env.GITHUB_API_URL || 'https://api.github.com',
    'https://api.github.com',
  );
  const graphqlUrl = env.GITHUB_GRAPHQL_URL
    ? httpUrl('GITHUB_GRAPHQL_URL', env.GITHUB_GRAPHQL_URL, 'https://api.github.com/graphql')
    : undefined;
  return {
    apiUrl,
    graphqlUrl,
    serverUrl,
    repository,
    sha,
    runUrl: repository && runId ? `${serverUrl}/${repository}/actions/runs/${runId}` : undefined,
    actor,
    runNumber,
    branch,
    proxy: readProxySettings(env),
  };
}

/** `owner/name@sha` of the commit the workflow runs for, when the runner says. */
export function sourceCommit(context: RunnerContext): string | undefined {
  return context.repository && context.sha ? `${context.repository}@${context.sha}` : undefined;
}
