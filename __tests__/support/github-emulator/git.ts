/** Real git plumbing on the emulator's bare repositories (git CLI via execFile). */
import { execFile, spawn } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export const COMMITTER = { name: 'GitHub', email: 'noreply@github.com' };
export const AUTHOR = {
  name: 'github-actions[bot]',
  email: '41898282+github-actions[bot]@users.noreply.github.com',
};

export interface GitResult {
  code: number;
  stdout: Buffer;
  stderr: string;
}

/** The caller's environment without variables that would redirect git (e.g. when run from a git hook). */
function baseEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_TERMINAL_PROMPT: '0' };
  for (const key of [
    'GIT_DIR',
    'GIT_WORK_TREE',
    'GIT_INDEX_FILE',
    'GIT_OBJECT_DIRECTORY',
    'GIT_COMMON_DIR',
    'GIT_NAMESPACE',
  ]) {
    delete env[key];
  }
  return env;
}

/** Runs git; never throws for a non-zero exit (callers look at `code`). */
export function runGit(
  gitDir: string,
  args: string[],
  opts: { input?: string | Buffer; env?: Record<string, string> } = {},
): Promise<GitResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn('git', ['--git-dir', gitDir, ...args], {
      env: { ...baseEnv(), ...opts.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', reject);
    child.on('close', (code) =>
      resolvePromise({
        code: code ?? 1,
        stdout: Buffer.concat(out),
        stderr: Buffer.concat(err).toString('utf8'),
      }),
    );
    child.stdin.on('error', () => {});
    child.stdin.end(opts.input ?? '');
  });
}

export async function git(
  gitDir: string,
  args: string[],
  opts: Parameters<typeof runGit>[2] = {},
): Promise<string> {
  const result = await runGit(gitDir, args, opts);
  if (result.code !== 0)
    throw new Error(`git ${args.join(' ')} failed (${result.code}): ${result.stderr.trim()}`);
  return result.stdout.toString('utf8');
}

function identityEnv(): Record<string, string> {
  return {
    GIT_AUTHOR_NAME: AUTHOR.name,
    GIT_AUTHOR_EMAIL: AUTHOR.email,
    GIT_COMMITTER_NAME: COMMITTER.name,
    GIT_COMMITTER_EMAIL: COMMITTER.email,
  };
}

export interface SeedOptions {
  defaultBranch: string;
  files?: Record<string, string>;
  fromDir?: string;
}

/** Creates a bare repository with one initial commit on the default branch. */
export async function initRepository(gitDir: string, seed: SeedOptions): Promise<string> {
  mkdirSync(gitDir, { recursive: true });
  await new Promise<void>((ok, fail) =>
    execFile(
      'git',
      ['init', '--quiet', '--bare', '--initial-branch', seed.defaultBranch, gitDir],
      { env: baseEnv() },
      (error) => (error ? fail(error) : ok()),
    ),
  );
  const work = mkdtempSync(join(tmpdir(), 'gh-emu-seed-'));
  try {
    if (seed.fromDir) cpSync(seed.fromDir, work, { recursive: true });
    for (const [path, content] of Object.entries(seed.files ?? {})) {
      mkdirSync(dirname(join(work, path)), { recursive: true });
      writeFileSync(join(work, path), content);
    }
    const env = {
      ...identityEnv(),
      GIT_INDEX_FILE: join(work, '..', `${work.split('/').pop()}.index`),
    };
    try {
      await git(gitDir, ['--work-tree', work, 'add', '--all', '--force', '.'], {
        env,
      });
      const tree = (await git(gitDir, ['write-tree'], { env })).trim();
      const commit = (
        await git(gitDir, ['commit-tree', tree, '-m', 'Initial commit'], {
          env,
        })
      ).trim();
      await git(gitDir, ['update-ref', `refs/heads/${seed.defaultBranch}`, commit, '']);
      return commit;
    } finally {
      rmSync(env.GIT_INDEX_FILE, { force: true });
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** The object id a ref (or any rev) resolves to, or null. */
export async function revParse(gitDir: string, rev: string): Promise<string | null> {
  if (rev.startsWith('-')) return null;
  const result = await runGit(gitDir, ['rev-parse', '--verify', '--quiet', '--end-of-options', rev]);
  return result.code === 0 ? result.stdout.toString('utf8').trim() : null;
}

export interface GitObject {
  oid: string;
  type: 'blob' | 'tree' | 'commit' | 'tag';
  content: Buffer;
}

/** `git cat-file --batch` for several object expressions at once (one process). */
export async function catFile(gitDir: string, specs: string[]): Promise<Array<GitObject | null>> {
  if (specs.length === 0) return [];
  const clean = specs.map((spec) => (/[\n\r]/.test(spec) ? '\0invalid' : spec));
  const result = await runGit(gitDir, ['cat-file', '--batch'], {
    input: clean.map((s) => `${s}\n`).join(''),
  });
  const out = result.stdout;
  const objects: Array<GitObject | null> = [];
  let pos = 0;
  for (let i = 0; i < clean.length; i++) {
    const eol = out.indexOf(10, pos);
    if (eol < 0) {
      objects.push(null);
      continue;
    }
    const header = out.subarray(pos, eol).toString('utf8');
    pos = eol + 1;
    const match = /^([0-9a-f]{40}) (blob|tree|commit|tag) (\d+)$/.exec(header);
    if (!match) {
      objects.push(null); // "<spec> missing" / "ambiguous"
      continue;
    }
    const size = Number(match[3]);
    objects.push({
      oid: match[1]!,
      type: match[2] as GitObject['type'],
      content: out.subarray(pos, pos + size),
    });
    pos += size + 1;
  }
  return objects;
}

export interface TreeEntry {
  mode: string;
  type: 'blob' | 'tree' | 'commit';
  oid: string;
  name: string;
}

/** Parses a raw (binary) tree object. */
export function parseTree(content: Buffer): TreeEntry[] {
  const entries: TreeEntry[] = [];
  let pos = 0;
  while (pos < content.length) {
    const space = content.indexOf(32, pos);
    const nul = content.indexOf(0, space);
    const mode = content.subarray(pos, space).toString('utf8');
    const name = content.subarray(space + 1, nul).toString('utf8');
    const oid = content.subarray(nul + 1, nul + 21).toString('hex');
    const type = mode === '40000' ? 'tree' : mode === '160000' ? 'commit' : 'blob';
    entries.push({ mode: mode.padStart(6, '0'), type, oid, name });
    pos = nul + 21;
  }
  return entries;
}

export interface ParsedCommit {
  tree: string;
  parents: string[];
  author: { name: string; email: string; date: Date };
  committer: { name: string; email: string; date: Date };
  message: string;
}

export function parseCommit(content: Buffer): ParsedCommit {
  const text = content.toString('utf8');
  const split = text.indexOf('\n\n');
  const headers = (split < 0 ? text : text.slice(0, split)).split('\n');
  const message = split < 0 ? '' : text.slice(split + 2);
  const parsed: ParsedCommit = {
    tree: '',
    parents: [],
    author: { name: '', email: '', date: new Date(0) },
    committer: { name: '', email: '', date: new Date(0) },
    message,
  };
  for (const line of headers) {
    const [key, ...rest] = line.split(' ');
    const value = rest.join(' ');
    if (key === 'tree') parsed.tree = value;
    else if (key === 'parent') parsed.parents.push(value);
    else if (key === 'author' || key === 'committer') {
      const m = /^(.*) <(.*)> (\d+) [+-]\d{4}$/.exec(value);
      if (m)
        parsed[key] = {
          name: m[1]!,
          email: m[2]!,
          date: new Date(Number(m[3]) * 1000),
        };
    }
  }
  return parsed;
}

export type CommitOnBranchResult =
  | { ok: true; oid: string }
  | {
      ok: false;
      reason: 'no-branch' | 'stale' | 'bad-expected' | 'missing-deletion';
      detail?: string;
    };

/** Per-repository mutex for the compare-and-swap step (git's own ref lock fails fast instead of waiting). */
const locks = new Map<string, Promise<unknown>>();
function serialize<T>(key: string, task: () => Promise<T>): Promise<T> {
  const previous = locks.get(key) ?? Promise.resolve();
  const next = previous.then(task, task);
  locks.set(
    key,
    next.catch(() => {}),
  );
  return next;
}

/**
 * createCommitOnBranch: builds a tree on top of `expectedHead` and moves the branch with
 * `git update-ref <ref> <new> <expected>` (an atomic compare-and-swap).
 */
export async function commitOnBranch(
  gitDir: string,
  branch: string,
  expectedHead: string,
  changes: {
    additions: Array<{ path: string; contents: Buffer }>;
    deletions: string[];
  },
  message: string,
): Promise<CommitOnBranchResult> {
  const ref = `refs/heads/${branch}`;
  // One cat-file resolves the branch head and checks the expected parent is a commit.
  const [head, parent] = await catFile(gitDir, [ref, expectedHead]);
  if (!head) return { ok: false, reason: 'no-branch' };
  if (head.oid !== expectedHead) return { ok: false, reason: 'stale' };
  if (!parent || parent.type !== 'commit') return { ok: false, reason: 'bad-expected' };

  const indexDir = mkdtempSync(join(tmpdir(), 'gh-emu-index-'));
  const env = { ...identityEnv(), GIT_INDEX_FILE: join(indexDir, 'index') };
  try {
    await git(gitDir, ['read-tree', `${expectedHead}^{tree}`], { env });
    if (changes.deletions.length > 0) {
      const present = await catFile(
        gitDir,
        changes.deletions.map((path) => `${expectedHead}:${path}`),
      );
      const missing = changes.deletions.find((_, i) => !present[i]);
      if (missing !== undefined) return { ok: false, reason: 'missing-deletion', detail: missing };
    }
    const lines: string[] = [];
    for (const path of changes.deletions) lines.push(`0 ${'0'.repeat(40)}\t${path}`);
    // All blobs in one hash-object: a 50-file commit costs one process, not fifty.
    const blobFiles = changes.additions.map(({ contents }, index) => {
      const file = join(indexDir, `blob-${index}`);
      writeFileSync(file, contents);
      return file;
    });
    const oids =
      blobFiles.length > 0
        ? (await git(gitDir, ['hash-object', '-w', '--no-filters', '--', ...blobFiles])).trim().split('\n')
        : [];
    changes.additions.forEach(({ path }, index) => lines.push(`100644 ${oids[index]}\t${path}`));
    if (lines.length > 0)
      await git(gitDir, ['update-index', '--index-info'], {
        env,
        input: lines.join('\n') + '\n',
      });
    const tree = (await git(gitDir, ['write-tree'], { env })).trim();
    const oid = (
      await git(gitDir, ['commit-tree', tree, '-p', expectedHead, '-F', '-'], {
        env,
        input: message,
      })
    ).trim();
    return await serialize(gitDir, async () => {
      const cas = await runGit(gitDir, ['update-ref', ref, oid, expectedHead]);
      if (cas.code === 0) return { ok: true as const, oid };
      const now = await revParse(gitDir, ref);
      return {
        ok: false as const,
        reason: now ? ('stale' as const) : ('no-branch' as const),
      };
    });
  } finally {
    rmSync(indexDir, { recursive: true, force: true });
  }
}

/** Creates a ref only if it does not exist yet (compare-and-swap against "absent"). */
export async function createRef(gitDir: string, ref: string, oid: string): Promise<boolean> {
  return serialize(gitDir, async () => (await runGit(gitDir, ['update-ref', ref, oid, ''])).code === 0);
}

export async function isValidRefName(ref: string): Promise<boolean> {
  return new Promise((ok) => execFile('git', ['check-ref-format', ref], (error) => ok(!error)));
}

export async function isAncestor(gitDir: string, ancestor: string, descendant: string): Promise<boolean> {
  return (await runGit(gitDir, ['merge-base', '--is-ancestor', ancestor, descendant])).code === 0;
}

export interface LogOptions {
  skip?: number;
  max?: number;
  path?: string;
  since?: string;
  until?: string;
}

function logArgs(oid: string, options: LogOptions): string[] {
  const args = [oid];
  if (options.since) args.push(`--since=${options.since}`);
  if (options.until) args.push(`--until=${options.until}`);
  if (options.path) args.push('--', options.path);
  return args;
}

/** `git log` from `oid` (newest first), optionally only commits touching `path`. */
export async function logCommits(gitDir: string, oid: string, options: LogOptions = {}): Promise<string[]> {
  const flags = ['log', '--format=%H', `--skip=${options.skip ?? 0}`];
  if (options.max !== undefined) flags.push(`--max-count=${options.max}`);
  const result = await runGit(gitDir, [...flags, ...logArgs(oid, options)]);
  if (result.code !== 0) return [];
  return result.stdout.toString('utf8').split('\n').filter(Boolean);
}

export async function countCommits(gitDir: string, oid: string, options: LogOptions = {}): Promise<number> {
  const result = await runGit(gitDir, ['rev-list', '--count', ...logArgs(oid, options)]);
  return result.code === 0 ? Number(result.stdout.toString('utf8').trim()) : 0;
}
