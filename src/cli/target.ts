/**
 * Where a command works: `--repo OWNER/NAME` on GitHub (token from GITHUB_TOKEN or
 * GH_TOKEN, endpoints from GITHUB_API_URL and GITHUB_GRAPHQL_URL) or `--local DIR`,
 * a git checkout. Flags are parsed strictly; mistakes are usage errors.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { ConfigurationError } from '../core/errors.js';
import { parseAppList, parseRepository, validateBranchName, type RepositoryRef } from '../core/names.js';
import type { ProxySettings } from '../core/proxy.js';
import type { GitHubClientOptions } from '../github/client.js';
import { openGitHubRepository, type GitHubRepository } from '../github/repository.js';
import { readRunnerContext } from '../github/runner-context.js';
import { LocalCheckout } from '../local/git-checkout.js';
import type { ReleaseHistorySource } from '../operations/promote.js';
import type { FolderLister } from '../operations/status.js';
import { parseArgsError, UsageError } from './errors.js';

export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  env: NodeJS.ProcessEnv;
  /** Secrets learnt while running (tokens): redacted from everything written from then on. */
  secrets: string[];
  /** Reads all of standard input (`--password-stdin`); absent where there is none. */
  stdin?: () => Promise<string>;
}

export const TARGET_OPTIONS = {
  repo: { type: 'string' },
  branch: { type: 'string' },
  local: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies ParseArgsConfig['options'];

export function parseFlags<T extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: T) {
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: false }).values;
  } catch (error) {
    throw parseArgsError(error) ?? error;
  }
}

export type TargetSpec =
  | { kind: 'github'; repository: RepositoryRef; branch?: string }
  | { kind: 'local'; dir: string; branch?: string };

export function targetSpec(values: { repo?: string; local?: string; branch?: string }): TargetSpec {
  if (values.repo !== undefined && values.local !== undefined) {
    throw new UsageError('give either --repo OWNER/NAME or --local DIR, not both');
  }
  const branch = values.branch === undefined ? undefined : validateBranchName(values.branch, '--branch');
  if (values.local !== undefined) {
    if (values.local === '')
      throw new ConfigurationError('--local', undefined, 'the directory of a git checkout');
    return { kind: 'local', dir: values.local, branch };
  }
  if (values.repo === undefined) {
    throw new UsageError(
      'say where the GitOps repository is: --repo OWNER/NAME (GitHub) or --local DIR (a git checkout)',
    );
  }
  return { kind: 'github', repository: parseRepository(values.repo, '--repo'), branch };
}

export function appList(values: string[] | undefined): string[] | undefined {
  return values === undefined ? undefined : parseAppList(values.join(','), '--app');
}

export interface OpenTarget {
  target: ReleaseHistorySource & FolderLister;
  github?: GitHubRepository;
  local?: LocalCheckout;
}

export function githubToken(env: NodeJS.ProcessEnv): string {
  const token = (env.GITHUB_TOKEN || env.GH_TOKEN || '').trim();
  if (token === '') {
    throw new ConfigurationError(
      'GITHUB_TOKEN',
      undefined,
      'a GitHub token in GITHUB_TOKEN (or GH_TOKEN) with contents: write on the repository (for example GITHUB_TOKEN=$(gh auth token))',
    );
  }
  return token;
}

/** HTTP_PROXY, HTTPS_PROXY and NO_PROXY of the CLI's environment. */
export function proxySettings(io: CliIo): ProxySettings {
  return readRunnerContext(io.env).proxy;
}

/** What a GitHub client of the CLI is made with: the token and endpoints of the environment, logging to stderr. */
export function githubClientOptions(io: CliIo): Omit<GitHubClientOptions, 'userAgent'> {
  const token = githubToken(io.env);
  io.secrets.push(token);
  const context = readRunnerContext(io.env);
  return {
    token,
    apiUrl: context.apiUrl,
    graphqlUrl: context.graphqlUrl,
    proxy: context.proxy,
    log: {
      debug: () => {},
      info: (message) => io.stderr(`${message}\n`),
      warning: (message) => io.stderr(`warning: ${message}\n`),
    },
  };
}

export async function openTarget(spec: TargetSpec, io: CliIo): Promise<OpenTarget> {
  if (spec.kind === 'local') {
    const local = await LocalCheckout.open(spec.dir, { log: (message) => io.stderr(`${message}\n`) });
    return { target: local, local };
  }
  const github = openGitHubRepository(spec.repository, githubClientOptions(io));
  return { target: github, github };
}
