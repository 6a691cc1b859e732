/**
 * The one Octokit factory. Retries transient faults (5xx) and honours rate limits
 * (403/429 with retry-after) through Octokit's own plugins; a connection that cannot
 * be made is retried briefly by the transport and then reported as such, never as an
 * HTTP status (network.ts). Every API call in the project goes through a client made here.
 */
import { Octokit } from '@octokit/core';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import Bottleneck from 'bottleneck/light.js';
import { connectionFailures, createFetch } from './network.js';

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
  /** Base of the retry plugin's quadratic back-off (retry n waits n² × base). */
  retryBaseMs?: number;
  /** Abort one HTTP request after this long. */
  requestTimeoutMs?: number;
}

// connectionFailures first: its error hook then runs inside the retry plugin's.
const RetryingOctokit = Octokit.plugin(connectionFailures, retry, throttling);
export type GitHubOctokit = InstanceType<typeof RetryingOctokit>;

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

  /** Logs a rate limit and retries up to maxRetries times after GitHub's retry-after. */
  const onLimit =
    (what: string) =>
    (retryAfter: number, request: { method: string; url: string }, _octokit: unknown, retryCount: number) => {
      log.warning(
        `GitHub ${what} on ${request.method} ${request.url}; retry ${retryCount + 1} in ${retryAfter}s`,
      );
      return retryCount < maxRetries;
    };

  const octokit = new RetryingOctokit({
    auth: options.token,
    baseUrl: apiUrl,
    userAgent: options.userAgent,
    log: {
      debug: () => {},
      info: () => {},
      warn: (message: string) => log.warning(message),
      error: () => {},
    },
    request: { fetch: createFetch(timeoutMs, (message) => log.warning(message)) },
    retry: { retries: maxRetries, retryAfterBaseValue: options.retryBaseMs ?? 1000 },
    throttle: {
      // The plugin spaces GraphQL calls and writes 1 s apart by default; one operation
      // is a read and a write, so keep them serial but do not wait between them.
      write: new Bottleneck.Group({ maxConcurrent: 1, minTime: 0 }),
      retryAfterBaseValue: options.retryBaseMs ?? 1000,
      onRateLimit: onLimit('rate limit reached'),
      onSecondaryRateLimit: onLimit('secondary rate limit'),
    },
  });

  // Octokit hands every request the same `options.request` object and plugin-retry keeps its
  // retry count there, so a request's back-off would start where the previous request's ended
  // (16 s instead of 1 s). Give each request its own copy, counting from zero.
  octokit.hook.before('request', (options) => {
    const own: Record<string, unknown> = { ...options.request };
    delete own.retryCount;
    options.request = own;
  });

  // An absolute default URL wins over baseUrl + /graphql, so GITHUB_GRAPHQL_URL is honoured.
  const graphql = octokit.graphql.defaults({ url: graphqlUrl });
  return {
    octokit,
    graphql: <T>(query: string, variables: Record<string, unknown>) => graphql<T>(query, variables),
  };
}
