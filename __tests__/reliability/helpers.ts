/**
 * Shared pieces of the reliability suite: the seeded release files, a spawn of a
 * bundled entry that hands back the child process (so a test can kill it), the CLI
 * in a subprocess, and readers of what landed in a bare repository.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { git } from '../support/git.js';
import { ROOT, spawnAction as spawnRunnerAction, type SpawnedAction } from '../support/run-action.js';

export const OWNER = 'synestra';
export const REPO = 'gitops';
export const OLD_TAG = 'sha-000000000000';

export const releaseFile = (app: string, env = 'dev') => `deploy/env/release-${env}/${app}.yaml`;
export const releaseText = (app: string, tag: string) =>
  `# Release layer for ${app}: written by tagrelay.\nimage:\n  repository: ghcr.io/synestra/${app} # registry\n  tag: "${tag}" # immutable\n`;

/** The image tag of a release file, after checking that the file is one valid YAML document. */
export function parsedTag(text: string): unknown {
  const doc = parseDocument(text);
  if (doc.errors.length > 0) throw new Error(`not valid YAML: ${doc.errors[0]?.message}\n${text}`);
  return doc.getIn(['image', 'tag']);
}

export type Spawned = SpawnedAction;

/** `node dist/<entry>.cjs` as the runner starts it, with the child exposed (see run-action.ts). */
export function spawnAction(
  entry: string,
  inputs: Record<string, string>,
  extraEnv: Record<string, string> = {},
): Spawned {
  return spawnRunnerAction(entry, { inputs, env: extraEnv });
}

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `node dist/cli.js ARGS` with only the given environment (plus PATH and HOME). */
export function runCli(args: string[], env: Record<string, string>, cwd: string): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(ROOT, 'dist', 'cli.js'), ...args], {
      env: { PATH: process.env.PATH ?? '', HOME: cwd, GIT_CONFIG_NOSYSTEM: '1', ...env },
      cwd,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const guard = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(guard);
      resolve({ code, stdout, stderr });
    });
  });
}

export interface LandedCommit {
  oid: string;
  parents: string[];
  subject: string;
  app: string | undefined;
  tag: string | undefined;
  files: string[];
}

/** Every commit on `ref` after `since` (exclusive; all when undefined), oldest first, with trailers and changed files. */
export function landedCommits(gitDir: string, since?: string, ref = 'refs/heads/main'): LandedCommit[] {
  const range = since === undefined ? ref : `${since}..${ref}`;
  const log = git(
    gitDir,
    'log',
    '--reverse',
    '--name-only',
    '--format=%x1e%H%x1f%P%x1f%s%x1f%(trailers:key=Release-App,valueonly,separator=%x2C)%x1f%(trailers:key=Release-Tag,valueonly,separator=%x2C)%x1f',
    range,
  );
  return log
    .split('\x1e')
    .filter((chunk) => chunk.trim() !== '')
    .map((chunk) => {
      const [oid = '', parents = '', subject = '', app = '', tag = '', rest = ''] = chunk.split('\x1f');
      return {
        oid,
        parents: parents.split(' ').filter(Boolean),
        subject,
        app: app.trim() || undefined,
        tag: tag.trim() || undefined,
        files: rest.split('\n').filter((line) => line.trim() !== ''),
      };
    });
}

/** Lines a user sees as errors: `::error…::` commands of the runner's log. */
export function errorLines(stdout: string): string[] {
  return stdout.split('\n').filter((line) => line.startsWith('::error'));
}

/** A stack frame anywhere in visible output (debug lines excluded: the runner hides them). */
export const STACK_FRAME = /^\s+at .+\(.*:\d+:\d+\)$|^\s+at [^\s]+:\d+:\d+$/m;

export function withoutDebug(text: string): string {
  return text
    .split('\n')
    .filter((line) => !line.startsWith('::debug::'))
    .join('\n');
}
