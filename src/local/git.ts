/**
 * Running git for the local checkout: never prompting, buffers for large outputs,
 * git's own message in every failure, and the `cat-file --batch` reader.
 */
import { execFile, type ExecFileOptions } from 'node:child_process';
import { TagrelayError } from '../core/errors.js';

/** Something git refused or failed at; carries git's own message. */
export class GitError extends TagrelayError {
  override readonly name = 'GitError';
  constructor(
    message: string,
    readonly exitCode: number | null,
    readonly stderr: string,
  ) {
    super(message);
  }
}

export interface GitResult {
  stdout: Buffer;
  stderr: string;
}

export interface GitOptions {
  input?: string | Buffer;
  env?: NodeJS.ProcessEnv;
  /** Exit codes that are answers, not failures (e.g. 1 of `git config --get`). */
  allow?: readonly number[];
}

const MAX_BUFFER = 256 * 1024 * 1024;

export function runGit(
  cwd: string,
  args: readonly string[],
  options: GitOptions = {},
): Promise<GitResult & { code: number }> {
  return new Promise((resolvePromise, reject) => {
    const execOptions: ExecFileOptions & { encoding: 'buffer' } = {
      cwd,
      encoding: 'buffer',
      maxBuffer: MAX_BUFFER,
      // Never wait for a prompt (credentials, editors, pagers): the CLI runs unattended.
      // git inherits the environment (HOME, its config); nothing here reads settings from it.
      // eslint-disable-next-line no-restricted-properties
      env: { ...process.env, ...options.env, GIT_TERMINAL_PROMPT: '0', GIT_PAGER: 'cat', GIT_EDITOR: 'true' },
    };
    const child = execFile('git', [...args], execOptions, (error, stdout, stderr) => {
      const stderrText = stderr.toString('utf8').trim();
      if (error && typeof error.code === 'string') {
        reject(
          new GitError(
            error.code === 'ENOENT'
              ? 'git was not found on PATH: --local needs the git command'
              : `git: ${error.message}`,
            null,
            stderrText,
          ),
        );
        return;
      }
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      if (code !== 0 && !(options.allow ?? []).includes(code)) {
        reject(
          new GitError(`git ${args[0] ?? ''} failed: ${stderrText || `exit code ${code}`}`, code, stderrText),
        );
        return;
      }
      resolvePromise({ stdout, stderr: stderrText, code });
    });
    // git may exit without reading its input (an error, or a command that reads none):
    // the broken pipe is not the failure to report, git's exit status is.
    child.stdin?.on('error', () => {});
    child.stdin?.end(options.input ?? '');
  });
}

export const text = (result: GitResult) => result.stdout.toString('utf8').trim();

/** Parses `git cat-file --batch` output for the requested objects, in order. */
export function parseCatFileBatch(
  output: Buffer,
  requests: readonly string[],
): (Buffer | null | { type: string })[] {
  const results: (Buffer | null | { type: string })[] = [];
  let offset = 0;
  for (const request of requests) {
    const newline = output.indexOf(0x0a, offset);
    if (newline < 0) throw new Error(`git cat-file --batch ended early, before ${request}`);
    const header = output.subarray(offset, newline).toString('utf8');
    offset = newline + 1;
    if (header.endsWith(' missing') || header.endsWith(' ambiguous')) {
      results.push(null);
      continue;
    }
    const match = /^[0-9a-f]+ (\S+) (\d+)$/.exec(header);
    if (!match) throw new Error(`unexpected git cat-file --batch header for ${request}: ${header}`);
    const [, type, size] = match as unknown as [string, string, string];
    const body = output.subarray(offset, offset + Number(size));
    offset += Number(size) + 1; // content, then a newline
    results.push(type === 'blob' ? Buffer.from(body) : { type });
  }
  return results;
}

/** The trimmed output of a git command that answers a value, or undefined when it has none. */
export async function gitValue(directory: string, args: readonly string[]): Promise<string | undefined> {
  const result = await runGit(directory, args, { allow: [1, 2, 128] });
  const value = text(result);
  return result.code === 0 && value !== '' ? value : undefined;
}

/** Identity used when git has none configured (a fresh CI box, a container). */
const FALLBACK_IDENTITY = { name: 'tagrelay', email: 'tagrelay@users.noreply.github.com' } as const;

/** `-c user.name=… -c user.email=…` for whatever identity git lacks in `directory`. */
export async function identityArgs(directory: string): Promise<string[]> {
  const args: string[] = [];
  for (const [key, value] of [
    ['user.name', FALLBACK_IDENTITY.name],
    ['user.email', FALLBACK_IDENTITY.email],
  ] as const) {
    if ((await gitValue(directory, ['config', '--get', key])) === undefined)
      args.push('-c', `${key}=${value}`);
  }
  return args;
}

/** One entry to put in a tree: `100644`, a blob id, a repository path. */
export interface TreeEntry {
  mode: string;
  oid: string;
  path: string;
}

/**
 * A commit of `parent`'s tree (the empty tree without one) with `entries` put in, built on
 * the private index file `index` (the caller's to remove): the user's index is never
 * touched, and nothing moves a ref. Commits as the configured identity, or as tagrelay.
 */
export async function commitOnPrivateIndex(
  directory: string,
  commit: { index: string; parent?: string; entries: readonly TreeEntry[]; message: string },
): Promise<string> {
  const env = { GIT_INDEX_FILE: commit.index };
  await runGit(directory, commit.parent ? ['read-tree', commit.parent] : ['read-tree', '--empty'], { env });
  const info = commit.entries.map((entry) => `${entry.mode} ${entry.oid}\t${entry.path}\0`).join('');
  await runGit(directory, ['update-index', '-z', '--index-info'], { env, input: info });
  const tree = text(await runGit(directory, ['write-tree'], { env }));
  const parents = commit.parent ? ['-p', commit.parent] : [];
  const identity = await identityArgs(directory);
  return text(
    await runGit(directory, [...identity, 'commit-tree', tree, ...parents, '-F', '-'], {
      input: commit.message,
    }),
  );
}
