/**
 * The one Octokit factory. Retries transient faults (5xx) and honours rate limits
 * (primary, secondary, 429, GraphQL RATE_LIMITED) through one request hook
 * (resilience.ts); a connection that cannot be made is retried briefly by the transport
 * and then reported as such, never as an HTTP status (network.ts). Every API call in the
 * project goes through a client made here.
 */
import { Octokit } from '@octokit/core';
import type { ProxySettings } from '../core/proxy.js';
import { connectionFailures, createFetch } from './network.js';
import { resilientRequest } from './resilience.js';

export interface ClientLog {
  debug(message: string): void;
  info(message: string): void;
  warning(message: string): void;
}

export interface GitHubClientOptions {
  token: string;
  /** REST base URL: GITHUB_API_URL on runners (https://api.github.com, or https://HOST/api/v3 on GHES). */
  apiUrl?: string;
  /** GraphQL endpoint: GITHUB_GRAPHQL_URL on runners. Derived from apiUrl when absent. */
  graphqlUrl?: string;
  userAgent: string;
  log: ClientLog;
  /** Retries of one request after a 5xx or a rate limit. */
  maxRetries?: number;
  /** Base of the quadratic back-off after a transient fault (retry n waits n² × base). */
  retryBaseMs?: number;
  /** Longest single wait for a rate limit or a retry. */
  maxWaitMs?: number;
  /** Longest time one request may take, its waits included. */
  requestBudgetMs?: number;
  /** Abort one HTTP request after this long. */
  requestTimeoutMs?: number;
  /** The runner's HTTP(S)_PROXY and NO_PROXY (RunnerContext.proxy); none by default. */
  proxy?: ProxySettings;
}

// Its error hook runs inside the resilience hook, which is wrapped around it afterwards.
const ClientOctokit = Octokit.plugin(connectionFailures);
export type GitHubOctokit = InstanceType<typeof ClientOctokit>;

export interface GitHubClient {
  octokit: GitHubOctokit;
  /** Runs a GraphQL document against the configured endpoint. */
  graphql<T>(query: string, variables: Record<string, unknown>): Promise<T>;
}

export const DEFAULT_API_URL = 'https://api.github.com';

/** GraphQL lives at /graphql on github.com and at /api/graphql beside GHES's /api/v3. */
export function graphqlUrlFor(apiUrl: string): string {
  const base = apiUrl.replace(/\/+$/, '');
  return /\/api\/v3$/.test(base) ? base.replace(/\/api\/v3$/, '/api/graphql') : `${base}/graphql`;
}

export function createGitHubClient(options: GitHubClientOptions): GitHubClient {
  const apiUrl = (options.apiUrl || DEFAULT_API_URL).replace(/\/+$/, '');
  const graphqlUrl = options.graphqlUrl || graphqlUrlFor(apiUrl);
  const maxRetries = options.maxRetries ?? 3;
  const timeoutMs = options.requestTimeoutMs ?? 30_000;
  const { log } = options;

  const octokit = new ClientOctokit({
    auth: options.token,
    baseUrl: apiUrl,
    userAgent: options.userAgent,
    log: {
      debug: () => {},
      info: () => {},
      warn: (message: string) => log.warning(message),
      error: () => {},
    },
    request: { fetch: createFetch(timeoutMs, (message) => log.warning(message), options.proxy) },
  });
  octokit.hook.wrap(
    'request',
    resilientRequest({
      maxRetries,
      retryBaseMs: options.retryBaseMs ?? 1000,
      maxWaitMs: options.maxWaitMs ?? 15 * 60_000,
      budgetMs: options.requestBudgetMs ?? 20 * 60_000,
      warn: (message) => log.warning(message),
      debug: (message) => log.debug(message),
    }) as never,
  );

  // An absolute default URL wins over baseUrl + /graphql, so GITHUB_GRAPHQL_URL is honoured.
  const graphql = octokit.graphql.defaults({ url: graphqlUrl });
  return {
    octokit,
    graphql: <T>(query: string, variables: Record<string, unknown>) => graphql<T>(query, variables),
  };
}
