/**
 * A CommitTarget over a local git work tree, for `tagrelay … --local DIR`. Reads come
 * from the branch's head commit (not the working tree), so a plan sees exactly what
 * GitHub would. A commit is built with git's plumbing on a private index and lands
 * with a compare-and-swap `git update-ref`, so a head that moved since the read is a
 * StaleHeadError (the engine re-reads and re-plans) and no concurrent commit is lost;
 * then the working tree and the index catch up for the files written. Only the
 * checked-out branch is committed to, and a file with uncommitted changes is never
 * overwritten.
 */
import { mkdtemp, mkdir, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve, sep } from 'node:path';
import { messageText } from '../core/commit-message.js';
import { ConfigurationError, ReleaseFileError, StaleHeadError, TagrelayError } from '../core/errors.js';
import { GitError, parseCatFileBatch, runGit, text, type GitOptions } from './git.js';
import { listLocalFolders, readLocalHistory } from './history.js';
import type { HistorySnapshot, ReleaseHistorySource } from '../operations/promote.js';
import type { FolderLister } from '../operations/status.js';
import type {
  BranchSnapshot,
  CommitRequest,
  CommitResult,
  CommitTarget,
} from '../operations/commit-engine.js';

/** Identity used when git has none configured (a fresh CI box, a container). */
export const FALLBACK_IDENTITY = { name: 'tagrelay', email: 'tagrelay@users.noreply.github.com' } as const;

/** The files to write have uncommitted changes: committing would overwrite someone's work. */
export class DirtyWorkTreeError extends TagrelayError {
  override readonly name = 'DirtyWorkTreeError';
  constructor(
    readonly directory: string,
    readonly paths: readonly string[],
  ) {
    super(
      `${paths.join(', ')} ${paths.length === 1 ? 'has' : 'have'} uncommitted changes in ${directory}: ` +
        'commit or stash them first (tagrelay only commits files that match the branch head)',
    );
  }
}

export class LocalCheckout implements CommitTarget, ReleaseHistorySource, FolderLister {
  readonly description: string;

  private constructor(
    /** Top of the work tree, as given (resolved). */
    readonly directory: string,
  ) {
    this.description = directory;
  }

  /** Opens DIR, which must be the top of a git work tree. */
  static async open(directory: string): Promise<LocalCheckout> {
    const absolute = resolve(directory);
    let real: string;
    try {
      real = await realpath(absolute);
    } catch {
      throw new ConfigurationError(
        '--local',
        directory,
        'an existing directory: the top of a git work tree (a checkout of the GitOps repository)',
      );
    }
    let top: string;
    try {
      const inside = text(await runGit(real, ['rev-parse', '--is-inside-work-tree']));
      if (inside !== 'true') throw new Error('not a work tree');
      top = text(await runGit(real, ['rev-parse', '--show-toplevel']));
    } catch (error) {
      if (error instanceof GitError && error.exitCode === null) throw error;
      const detail =
        error instanceof GitError && error.stderr ? ` (git says: ${error.stderr.split('\n')[0]})` : '';
      throw new ConfigurationError(
        '--local',
        directory,
        `the top of a git work tree (a checkout of the GitOps repository); ${absolute} is not a git work tree${detail}`,
      );
    }
    const realTop = await realpath(top);
    if (realTop !== real) {
      throw new ConfigurationError(
        '--local',
        directory,
        `the top of a git work tree; ${absolute} is inside the work tree ${realTop}, whose paths would not match the GitOps layout`,
      );
    }
    return new LocalCheckout(real);
  }

  private git(args: readonly string[], options?: GitOptions) {
    return runGit(this.directory, args, options);
  }

  /** The checked-out branch; a detached HEAD cannot be committed to. */
  async currentBranch(): Promise<string> {
    const result = await this.git(['symbolic-ref', '--quiet', '--short', 'HEAD'], { allow: [1] });
    const name = text(result);
    if (result.code !== 0 || name === '') {
      throw new ConfigurationError(
        '--local',
        this.directory,
        'a work tree with a branch checked out (HEAD is detached): git switch <branch> first',
      );
    }
    return name;
  }

  private async checkBranch(branch: string | undefined): Promise<string> {
    const current = await this.currentBranch();
    if (branch !== undefined && branch !== current) {
      throw new ConfigurationError(
        '--branch',
        branch,
        `the branch checked out in ${this.directory} ("${current}"): with --local only the checked-out branch is read and committed to; git switch ${branch} first, or leave --branch out`,
      );
    }
    return current;
  }

  private async headOf(branch: string): Promise<string> {
    const result = await this.git(['rev-parse', '--quiet', '--verify', `refs/heads/${branch}^{commit}`], {
      allow: [1],
    });
    const oid = text(result);
    if (result.code !== 0 || oid === '') {
      throw new ConfigurationError(
        '--local',
        this.directory,
        `a work tree whose branch "${branch}" has at least one commit`,
      );
    }
    return oid;
  }

  async read(branch: string | undefined, paths: readonly string[]): Promise<BranchSnapshot> {
    const name = await this.checkBranch(branch);
    const headOid = await this.headOf(name);
    return { branch: name, headOid, files: await this.readAt(headOid, paths) };
  }

  /** Files at a commit in one `git cat-file --batch`; absent → null. */
  async readAt(oid: string, paths: readonly string[]): Promise<Map<string, string | null>> {
    const files = new Map<string, string | null>();
    if (paths.length === 0) return files;
    const requests = paths.map((path) => `${oid}:${path}`);
    const result = await this.git(['cat-file', '--batch'], {
      input: requests.map((line) => `${line}\n`).join(''),
    });
    parseCatFileBatch(result.stdout, requests).forEach((entry, index) => {
      const path = paths[index] as string;
      if (entry !== null && !Buffer.isBuffer(entry)) {
        throw new ReleaseFileError(path, `is a ${entry.type} in ${this.directory}, not a file`);
      }
      files.set(path, entry === null ? null : entry.toString('utf8'));
    });
    return files;
  }

  /** Files at the branch head and the recent history of `historyPaths` (see history.ts). */
  async readWithHistory(
    branch: string | undefined,
    paths: readonly string[],
    historyPaths: readonly string[],
    depth: number,
  ): Promise<HistorySnapshot> {
    const snapshot = await this.read(branch, paths);
    return {
      ...snapshot,
      history: await readLocalHistory(this.directory, snapshot.headOid, historyPaths, depth),
    };
  }

  /** Entry names of folders at a commit (app discovery for status). */
  listFolders(commit: string, folders: readonly string[]): Promise<Map<string, string[]>> {
    return listLocalFolders(this.directory, commit, folders);
  }

  /** The configured git user (who forced a promotion), or undefined. */
  async userName(): Promise<string | undefined> {
    const result = await this.git(['config', '--get', 'user.name'], { allow: [1] });
    return result.code === 0 && text(result) !== '' ? text(result) : undefined;
  }

  /** The URL of a remote (for Argo CD's repoURL), or undefined when it is not set. */
  async remoteUrl(name = 'origin'): Promise<string | undefined> {
    const result = await this.git(['remote', 'get-url', name], { allow: [2, 128] });
    const url = text(result);
    return result.code === 0 && url !== '' ? url : undefined;
  }

  /** Paths among `paths` whose working tree or index differs from HEAD (untracked included). */
  async dirtyPaths(paths: readonly string[]): Promise<string[]> {
    const result = await this.git([
      'status',
      '--porcelain=v1',
      '-z',
      '--untracked-files=all',
      '--',
      ...paths.map((path) => `:(literal)${path}`),
    ]);
    const entries = result.stdout.toString('utf8').split('\0');
    const dirty: string[] = [];
    for (let index = 0; index < entries.length; index++) {
      const entry = entries[index] as string;
      if (entry.length < 4) continue;
      dirty.push(entry.slice(3));
      // A rename or copy is followed by its source path.
      if (entry[0] === 'R' || entry[0] === 'C') index++;
    }
    return dirty;
  }

  /** `-c user.name=… -c user.email=…` for whatever identity git lacks. */
  private async identityArgs(): Promise<string[]> {
    const args: string[] = [];
    for (const [key, value] of [
      ['user.name', FALLBACK_IDENTITY.name],
      ['user.email', FALLBACK_IDENTITY.email],
    ] as const) {
      const result = await this.git(['config', '--get', key], { allow: [1] });
      if (result.code !== 0 || text(result) === '') args.push('-c', `${key}=${value}`);
    }
    return args;
  }

  async commit(request: CommitRequest): Promise<CommitResult> {
    const branch = await this.checkBranch(request.branch);
    const head = await this.headOf(branch);
    if (head !== request.expectedHeadOid) {
      throw new StaleHeadError(
        `${branch} of ${this.directory} moved from ${request.expectedHeadOid} to ${head}`,
      );
    }
    const paths = request.files.map((file) => file.path);
    for (const path of paths) {
      if (
        path === '' ||
        path.startsWith('/') ||
        path.split('/').some((part) => part === '..' || part === '.' || part === '' || part === '.git')
      ) {
        throw new TagrelayError(
          `refusing to write ${JSON.stringify(path)}: not a plain path inside the repository`,
        );
      }
    }
    const dirty = await this.dirtyPaths(paths);
    if (dirty.length > 0) throw new DirtyWorkTreeError(this.directory, dirty);

    // Build the commit on a private index: the user's index and working tree are not
    // touched until the branch has moved to it.
    const scratch = await mkdtemp(join(tmpdir(), 'tagrelay-index-'));
    let oid: string;
    try {
      const env = { GIT_INDEX_FILE: join(scratch, 'index') };
      await this.git(['read-tree', head], { env });
      const modes = await this.modes(head, paths);
      for (const file of request.files) {
        const blob = text(
          await this.git(['hash-object', '-w', '--stdin', `--path=${file.path}`], {
            input: Buffer.from(file.content, 'utf8'),
          }),
        );
        await this.git(
          [
            'update-index',
            '--add',
            '--cacheinfo',
            `${modes.get(file.path) ?? '100644'},${blob},${file.path}`,
          ],
          { env },
        );
      }
      const tree = text(await this.git(['write-tree'], { env }));
      const identity = await this.identityArgs();
      oid = text(
        await this.git([...identity, 'commit-tree', tree, '-p', head, '-F', '-'], {
          input: messageText(request.message),
        }),
      );
    } finally {
      await rm(scratch, { recursive: true, force: true });
    }

    // Compare-and-swap: lands only when the branch is still at the head we planned on.
    const swap = await this.git(
      ['update-ref', '-m', `commit: ${request.message.headline}`, `refs/heads/${branch}`, oid, head],
      { allow: [1, 128] },
    );
    if (swap.code !== 0) {
      const now = await this.headOf(branch).catch(() => undefined);
      if (now !== head) throw new StaleHeadError(`${branch} of ${this.directory} moved while committing`);
      throw new GitError(`git update-ref failed: ${swap.stderr}`, swap.code, swap.stderr);
    }

    // Bring the working tree and the index up to the new head for the written files.
    for (const file of request.files) {
      const target = join(this.directory, ...file.path.split('/'));
      if (!target.startsWith(this.directory + sep))
        throw new TagrelayError(`refusing to write outside ${this.directory}: ${file.path}`);
      await mkdir(dirname(target), { recursive: true });
      await writeFile(target, file.content, 'utf8');
    }
    await this.stage(paths, oid);
    return { oid };
  }

  /** `git add` the written files, waiting out another git process holding the index lock. */
  private async stage(paths: readonly string[], oid: string): Promise<void> {
    const args = ['add', '--', ...paths.map((path) => `:(literal)${path}`)];
    for (let attempt = 1; ; attempt++) {
      try {
        await this.git(args);
        return;
      } catch (error) {
        const locked = error instanceof GitError && /index\.lock/.test(error.stderr);
        if (!locked || attempt >= 100) {
          const reason = error instanceof Error ? error.message : String(error);
          throw new TagrelayError(
            `committed ${oid}, but could not update the index of ${this.directory} for ${paths.join(', ')} (${reason}); ` +
              `run: git -C ${this.directory} add -- ${paths.join(' ')}`,
          );
        }
        await new Promise((resolveSleep) => setTimeout(resolveSleep, 10 + Math.random() * 40));
      }
    }
  }

  /** File modes at `oid` of the paths that exist there (keeps an executable bit). */
  private async modes(oid: string, paths: readonly string[]): Promise<Map<string, string>> {
    const result = await this.git(['ls-tree', '-z', oid, '--', ...paths.map((path) => `:(literal)${path}`)]);
    const modes = new Map<string, string>();
    for (const entry of result.stdout.toString('utf8').split('\0')) {
      const match = /^(\d+) blob [0-9a-f]+\t(.*)$/s.exec(entry);
      if (match) modes.set(match[2] as string, match[1] as string);
    }
    return modes;
  }
}
