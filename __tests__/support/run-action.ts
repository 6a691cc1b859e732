/**
 * Runs a bundled action the way GitHub's runner does: `node dist/<entry>.cjs` with
 * INPUT_* variables, GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files, and the GITHUB_*
 * context, then reads back the exit code, the log, the outputs and the summary.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '../..');

/**
 * The node that runs the bundles: this one, or TAGRELAY_TEST_NODE (`npm run test:node24`
 * runs the action tests on Node 24, as GitHub's runners run `using: node24`).
 */
export const ACTION_NODE = process.env.TAGRELAY_TEST_NODE || process.execPath;

export interface ActionRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
  /**
   * Everything a user could see or store: log, outputs file, summary. `::add-mask::`
   * commands are left out: the runner consumes them and shows nothing.
   */
  visible: string;
}

export interface ActionRunOptions {
  inputs: Record<string, string>;
  env?: Record<string, string>;
  /** Kill after this long (ms). */
  timeoutMs?: number;
}

/** Parses the runner's `name<<DELIMITER` output file format. */
export function parseOutputsFile(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = text.split('\n');
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index] as string;
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const [, name, delimiter] = heredoc as unknown as [string, string, string];
      const value: string[] = [];
      while (++index < lines.length && lines[index] !== delimiter) value.push(lines[index] as string);
      outputs[name] = value.join('\n');
    } else if (line.includes('=')) {
      outputs[line.slice(0, line.indexOf('='))] = line.slice(line.indexOf('=') + 1);
    }
  }
  return outputs;
}

export interface SpawnedAction {
  child: ChildProcessWithoutNullStreams;
  /** Settles when the process has exited and its streams are drained. */
  done: Promise<ActionRun>;
}

/** Starts the entry and hands back the child process too, so a test can kill it mid-run. */
export function spawnAction(entry: string, options: ActionRunOptions): SpawnedAction {
  const dir = mkdtempSync(join(tmpdir(), 'tagrelay-run-'));
  const outputFile = join(dir, 'output');
  const summaryFile = join(dir, 'summary');
  writeFileSync(outputFile, '');
  writeFileSync(summaryFile, '');
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: dir,
    GITHUB_ACTIONS: 'true',
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_REPOSITORY: 'synestra/web',
    GITHUB_SHA: '0123456789abcdef0123456789abcdef01234567',
    GITHUB_RUN_ID: '4242',
    GITHUB_ACTOR: 'release-bot',
    RUNNER_TEMP: dir,
    ...options.env,
  };
  for (const [name, value] of Object.entries(options.inputs)) {
    env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value;
  }
  const child = spawn(ACTION_NODE, [join(ROOT, 'dist', `${entry}.cjs`)], { env, cwd: dir });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const guard = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
  const done = new Promise<ActionRun>((resolvePromise, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(guard);
      const outputsText = readFileSync(outputFile, 'utf8');
      const summary = readFileSync(summaryFile, 'utf8');
      rmSync(dir, { recursive: true, force: true });
      resolvePromise({
        code,
        signal,
        stdout,
        stderr,
        outputs: parseOutputsFile(outputsText),
        summary,
        visible: [stdout.replace(/^::add-mask::.*$/gm, ''), stderr, outputsText, summary].join('\n'),
      });
    });
  });
  return { child, done };
}

export function runAction(entry: string, options: ActionRunOptions): Promise<ActionRun> {
  return spawnAction(entry, options).done;
}
