#!/usr/bin/env node
/**
 * The `tagrelay` command: the release operations from a terminal, against GitHub
 * (`--repo owner/name`, token from GITHUB_TOKEN or GH_TOKEN) or a local checkout
 * (`--local DIR`), through the same plan → commit path the actions use.
 *
 * Exit codes: 0 done (also "already at tag"), 1 the operation failed or was refused,
 * 2 bad usage or input.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { parseBumpRequest } from './core/bump-request.js';
import { ConfigurationError, quoteValue } from './core/errors.js';
import { DEFAULT_LAYOUT, type Layout } from './core/layout.js';
import { parseAppList, parseRepository, validateBranchName } from './core/names.js';
import { initialPaths, planBump } from './core/plan.js';
import { readRunnerContext, sourceCommit } from './actions/lib/runner-context.js';
import type { CommitTarget } from './github/commit-engine.js';
import { openGitHubRepository, type GitHubRepository } from './github/repository.js';
import { LocalCheckout } from './local/git-checkout.js';
import { runRelease, type DeliveryMode, type ReleaseOutcome } from './operations/release.js';
import { collectStatus, discoverApps, formatStatusTable, statusJson } from './operations/status.js';
import { VERSION } from './version.js';
import { isMainModule } from './main-module.js';

// ---------------------------------------------------------------------------
// Usage

export const USAGE = `Usage: tagrelay <command> [flags]

Carry one immutable image tag dev → prod by committing small YAML edits
into a GitOps repository.

Commands:
  bump      Set the image tag of apps in one environment's release layer
  status    Show the tag of every app in every environment

Every command works on one of:
  --repo OWNER/NAME   a GitHub repository (token from GITHUB_TOKEN or GH_TOKEN;
                      GITHUB_API_URL and GITHUB_GRAPHQL_URL are honoured)
  --local DIR         a local git checkout (its checked-out branch)

Flags:
  -h, --help          Show help (tagrelay <command> --help for a command's flags)
  -v, --version       Print the version

Exit codes: 0 done (also when already at the tag), 1 failed or refused,
2 bad usage or input.
`;

export const BUMP_USAGE = `Usage: tagrelay bump --app APP[,APP...] --tag TAG
                    (--repo OWNER/NAME [--branch BRANCH] [--mode MODE] | --local DIR)
                    [--image REPOSITORY] [--digest DIGEST] [--env ENV] [--dry-run]

Set image.tag in the release layer of each app (deploy/env/release-<env>/<app>.yaml)
to TAG: one commit for all the apps, or none when they already have it.

Flags:
  --app APP[,APP...]   App names (DNS labels), comma-separated or repeated (required)
  --tag TAG            Immutable image tag, e.g. sha-0123456789ab (required; latest
                       and the layout's deny-list are refused)
  --image REPOSITORY   Also set image.repository, e.g. ghcr.io/synestra/corporate
  --digest DIGEST      Also set image.digest (sha256:<64 hex>) and the Release-Digest trailer
  --env ENV            Environment whose release layer changes (default: dev)
  --repo OWNER/NAME    GitOps repository on GitHub; token from GITHUB_TOKEN or GH_TOKEN
  --branch BRANCH      Branch to commit to (default: the repository's default branch;
                       with --local only the checked-out branch)
  --mode MODE          direct (default): commit to the branch; pull-request: commit to
                       tagrelay/<env>/<app>/<tag> and open a pull request (--repo only)
  --local DIR          Commit in a local git checkout instead of on GitHub
  --dry-run            Print the unified diff that would be committed; change nothing
  -h, --help           Show this help

Prints one line per app (corporate: sha-old → sha-new, or corporate: already at
sha-new), then "committed <sha> [<url>]" or "nothing to commit".
`;

export const STATUS_USAGE = `Usage: tagrelay status (--repo OWNER/NAME [--branch BRANCH] --app APP[,APP...]
                        | --local DIR [--app APP[,APP...]]) [--json]

Show the image tag of each app in every environment of the layout's chain
(dev, prod unless deploy/tagrelay.yaml says otherwise), read at one commit.
Apps whose tag differs from the next environment's are marked "dev ahead of prod".

Flags:
  --app APP[,APP...]   Apps to show; with --local, default: every app that has a
                       release file; required with --repo
  --repo OWNER/NAME    GitOps repository on GitHub; token from GITHUB_TOKEN or GH_TOKEN
  --branch BRANCH      Branch to read (default: the repository's default branch;
                       with --local only the checked-out branch)
  --local DIR          Read a local git checkout (its checked-out branch's head commit)
  --json               Print JSON instead of a table
  -h, --help           Show this help
`;

// ---------------------------------------------------------------------------
// Errors and output

/** A mistake in how the command was called: exit code 2 with a usage hint. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

const EXIT_OK = 0;
const EXIT_FAILED = 1;
const EXIT_USAGE = 2;

export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  env: NodeJS.ProcessEnv;
}

/** Input names of the shared validators and planner → the CLI's flags. */
const FLAG_FOR_INPUT: Record<string, string> = {
  app: '--app',
  tag: '--tag',
  image: '--image',
  digest: '--digest',
  environment: '--env',
  'gitops-repository': '--repo',
  branch: '--branch',
  mode: '--mode',
};

/** A ConfigurationError worded for the terminal: flags, not action inputs. */
export function describeConfigurationError(error: ConfigurationError): string {
  const flag = FLAG_FOR_INPUT[error.input] ?? error.input;
  if (!flag.startsWith('--') && !/^[A-Z_]+$/.test(flag)) return error.message;
  return error.value === undefined
    ? `${flag} is required: expected ${error.expected}.`
    : `${flag} has an invalid value ${quoteValue(error.value)}: expected ${error.expected}.`;
}

function describeError(error: unknown): string {
  if (error instanceof ConfigurationError) return describeConfigurationError(error);
  if (error instanceof UsageError) return error.message;
  if (error instanceof Error) {
    // The project's own error kinds explain themselves; anything else is named (TypeError: …).
    const own = [
      'Error',
      'ReleaseFileError',
      'ConflictError',
      'PermissionError',
      'NotFoundError',
      'StaleHeadError',
      'DirtyWorkTreeError',
      'GitError',
    ];
    const kind = own.includes(error.name) ? '' : `${error.name}: `;
    return `${kind}${error.message}`;
  }
  return String(error);
}

/** Node's parseArgs errors, reworded: they are usage errors. */
function parseArgsError(error: unknown): UsageError | undefined {
  if (!(error instanceof Error)) return undefined;
  const code = (error as { code?: string }).code ?? '';
  if (!code.startsWith('ERR_PARSE_ARGS_')) return undefined;
  const unknown = /Unknown option '([^']+)'/.exec(error.message);
  if (unknown) return new UsageError(`unknown flag ${unknown[1]}`);
  const positional = /Unexpected argument '([^']*)'/.exec(error.message);
  if (positional) return new UsageError(`unexpected argument ${quoteValue(positional[1] ?? '')}`);
  const missing = /Option '(-\w, )?(--[\w-]+)[^']*' argument missing/.exec(error.message);
  if (missing) return new UsageError(`${missing[2]} needs a value`);
  return new UsageError(error.message.split('. ')[0] ?? error.message);
}

// ---------------------------------------------------------------------------
// Flags

const TARGET_OPTIONS = {
  repo: { type: 'string' },
  branch: { type: 'string' },
  local: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies ParseArgsConfig['options'];

const BUMP_OPTIONS = {
  ...TARGET_OPTIONS,
  app: { type: 'string', multiple: true },
  tag: { type: 'string' },
  image: { type: 'string' },
  digest: { type: 'string' },
  env: { type: 'string' },
  mode: { type: 'string' },
  'dry-run': { type: 'boolean' },
} as const satisfies ParseArgsConfig['options'];

const STATUS_OPTIONS = {
  ...TARGET_OPTIONS,
  app: { type: 'string', multiple: true },
  json: { type: 'boolean' },
} as const satisfies ParseArgsConfig['options'];

function parseFlags<T extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: T) {
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: false }).values;
  } catch (error) {
    throw parseArgsError(error) ?? error;
  }
}

type TargetSpec =
  | { kind: 'github'; repository: ReturnType<typeof parseRepository>; branch?: string }
  | { kind: 'local'; dir: string; branch?: string };

function targetSpec(values: { repo?: string; local?: string; branch?: string }): TargetSpec {
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

function appList(values: string[] | undefined): string[] | undefined {
  return values === undefined ? undefined : parseAppList(values.join(','), '--app');
}

// ---------------------------------------------------------------------------
// Targets

interface OpenTarget {
  target: CommitTarget;
  github?: GitHubRepository;
  local?: LocalCheckout;
  /** Secrets that must never reach the output. */
  secrets: string[];
}

function githubToken(env: NodeJS.ProcessEnv): string {
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

async function openTarget(spec: TargetSpec, io: CliIo, secrets: string[]): Promise<OpenTarget> {
  if (spec.kind === 'local') {
    const local = await LocalCheckout.open(spec.dir);
    return { target: local, local, secrets };
  }
  const token = githubToken(io.env);
  secrets.push(token);
  const context = readRunnerContext(io.env);
  const github = openGitHubRepository(spec.repository, {
    token,
    apiUrl: context.apiUrl,
    graphqlUrl: context.graphqlUrl,
    log: {
      debug: () => {},
      info: (message) => io.stderr(`${message}\n`),
      warning: (message) => io.stderr(`warning: ${message}\n`),
    },
  });
  return { target: github, github, secrets };
}

// ---------------------------------------------------------------------------
// bump

export function formatBumpOutcome(outcome: ReleaseOutcome): string {
  const lines = outcome.changeSet.apps.map((entry) =>
    entry.changed
      ? `${entry.app}: ${entry.previous.tag ?? '(none)'} → ${entry.tag}`
      : `${entry.app}: already at ${entry.tag}`,
  );
  if (outcome.changeSet.files.length === 0) {
    lines.push('nothing to commit');
  } else if (outcome.dryRun) {
    lines.push(outcome.diff.trimEnd(), 'dry run: nothing committed');
  } else if (outcome.commit) {
    lines.push(`committed ${outcome.commit.oid}${outcome.commit.url ? ` ${outcome.commit.url}` : ''}`);
  }
  if (outcome.pullRequest) {
    lines.push(
      `pull request #${outcome.pullRequest.number} ${outcome.pullRequest.url} (branch ${outcome.pullRequest.branch})`,
    );
    if (outcome.pullRequest.autoMerge !== 'enabled')
      lines.push(`auto-merge not enabled: ${outcome.pullRequest.autoMerge}`);
  }
  if (outcome.attempts > 1)
    lines.push(`(the branch moved meanwhile: committed on attempt ${outcome.attempts})`);
  return `${lines.join('\n')}\n`;
}

async function bump(args: string[], io: CliIo, secrets: string[]): Promise<number> {
  const values = parseFlags(args, BUMP_OPTIONS);
  if (values.help) {
    io.stdout(BUMP_USAGE);
    return EXIT_OK;
  }
  const request = parseBumpRequest(
    {
      app: (values.app ?? []).join(','),
      tag: values.tag ?? '',
      image: values.image,
      digest: values.digest,
      environment: values.env,
    },
    { sourceCommit: sourceCommit(readRunnerContext(io.env)) },
  );
  const mode = (values.mode ?? 'direct') as DeliveryMode;
  if (mode !== 'direct' && mode !== 'pull-request') {
    throw new ConfigurationError('--mode', values.mode, 'direct or pull-request');
  }
  const spec = targetSpec(values);
  if (spec.kind === 'local' && mode === 'pull-request') {
    throw new ConfigurationError(
      '--mode',
      mode,
      'direct: pull requests need --repo (a local checkout gets a commit)',
    );
  }

  // With --local, the first read refuses a --branch other than the checked-out one.
  const { target, github } = await openTarget(spec, io, secrets);
  const outcome = await runRelease(
    target,
    {
      paths: initialPaths(request.env, request.apps, DEFAULT_LAYOUT),
      plan: (files) => planBump(request, files),
    },
    {
      branch: spec.branch,
      mode,
      dryRun: values['dry-run'] ?? false,
      engine: { log: (message) => io.stderr(`${message}\n`) },
    },
    github,
  );
  io.stdout(formatBumpOutcome(outcome));
  return EXIT_OK;
}

// ---------------------------------------------------------------------------
// status

async function status(args: string[], io: CliIo, secrets: string[]): Promise<number> {
  const values = parseFlags(args, STATUS_OPTIONS);
  if (values.help) {
    io.stdout(STATUS_USAGE);
    return EXIT_OK;
  }
  const apps = appList(values.app);
  const spec = targetSpec(values);
  if (spec.kind === 'github' && apps === undefined) {
    throw new ConfigurationError(
      '--app',
      undefined,
      'the apps to show (with --repo the apps are not discovered; --local DIR lists them all)',
    );
  }
  const { target, local } = await openTarget(spec, io, secrets);
  const discover = local
    ? async (commit: string, layout: Layout) => discoverApps(layout, await local.listFiles(commit))
    : undefined;
  const report = await collectStatus(target, spec.branch, apps, discover);
  io.stdout(values.json ? statusJson(report) : formatStatusTable(report));
  const broken = report.apps.flatMap((row) =>
    Object.values(row.environments).filter((cell) => cell.error !== undefined),
  );
  for (const cell of broken) io.stderr(`tagrelay: ${cell.error}\n`);
  return broken.length > 0 ? EXIT_FAILED : EXIT_OK;
}

// ---------------------------------------------------------------------------
// main

const COMMANDS: Record<
  string,
  { usage: string; run: (args: string[], io: CliIo, secrets: string[]) => Promise<number> }
> = {
  bump: { usage: BUMP_USAGE, run: bump },
  status: { usage: STATUS_USAGE, run: status },
};

function redact(text: string, secrets: readonly string[]): string {
  return secrets
    .filter((secret) => secret.length >= 4)
    .reduce((out, secret) => out.split(secret).join('***'), text);
}

/** Runs the CLI; returns the exit code. Output goes through `io` only. */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  // Every secret known now or later is redacted from everything written.
  const secrets: string[] = [];
  for (const name of ['GITHUB_TOKEN', 'GH_TOKEN']) {
    const value = io.env[name]?.trim();
    if (value) secrets.push(value);
  }
  const safe: CliIo = {
    env: io.env,
    stdout: (text) => io.stdout(redact(text, secrets)),
    stderr: (text) => io.stderr(redact(text, secrets)),
  };

  const [first, ...rest] = argv;
  const command = first !== undefined && !first.startsWith('-') ? COMMANDS[first] : undefined;
  try {
    if (first === undefined) {
      safe.stderr(USAGE);
      return EXIT_USAGE;
    }
    if (command === undefined) {
      if (!first.startsWith('-'))
        throw new UsageError(
          `unknown command ${quoteValue(first)}: expected ${Object.keys(COMMANDS).join(' or ')}`,
        );
      const { values, positionals } = (() => {
        try {
          return parseArgs({
            args: [...argv],
            options: { help: { type: 'boolean', short: 'h' }, version: { type: 'boolean', short: 'v' } },
            strict: true,
            allowPositionals: true,
          });
        } catch (error) {
          throw parseArgsError(error) ?? error;
        }
      })();
      if (values.version) {
        safe.stdout(`tagrelay ${VERSION}\n`);
        return EXIT_OK;
      }
      const named = positionals[0] === undefined ? undefined : COMMANDS[positionals[0]];
      if (values.help) {
        safe.stdout(named?.usage ?? USAGE);
        return EXIT_OK;
      }
      throw new UsageError(`expected a command first (${Object.keys(COMMANDS).join(', ')})`);
    }
    return await command.run(rest, safe, secrets);
  } catch (error) {
    const usage = error instanceof UsageError || error instanceof ConfigurationError;
    safe.stderr(`tagrelay: ${describeError(error)}\n`);
    if (usage) {
      safe.stderr(`Run 'tagrelay ${command ? `${first} ` : ''}--help' for usage.\n`);
      return EXIT_USAGE;
    }
    if (error instanceof Error && error.stack && io.env.TAGRELAY_DEBUG) safe.stderr(`${error.stack}\n`);
    return EXIT_FAILED;
  }
}

if (isMainModule(import.meta.url)) {
  // `tagrelay status | head -1`: a reader that went away is not an error worth a stack trace.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') throw error;
    });
  }
  void main(process.argv.slice(2), {
    env: process.env,
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
  }).then((code) => {
    process.exitCode = code;
  });
}
