/**
 * A CommitTarget over a local git work tree, for `tagrelay … --local DIR`. Reads come
 * from the branch's head commit (not the working tree), so a plan sees exactly what
 * GitHub would. Only regular files are read or written (a symbolic link, a submodule
 * or a directory at a path is refused), and their bytes exactly (see core/repository-file).
 *
 * A commit is crash-consistent; the commit point is the compare-and-swap `update-ref`:
 *   1. build the commit on a private index under `.git/tagrelay/` (the user's index and
 *      files are untouched);
 *   2. write a journal there (old and new commit, each path's old and new blob);
 *   3. bring the user's index and then the work tree to the new blobs;
 *   4. move the branch from the head we read to the new commit (or, when it moved,
 *      settle the files back to whatever the branch holds and report it stale);
 *   5. remove the journal.
 * A kill anywhere leaves the old commit with a clean tree (before 2), the new commit
 * with a clean tree (after 5), or a journal whose owner is gone: the next run of any
 * `--local` command settles the journaled paths to what the branch holds (so back
 * before 4, forward after it), says so, and removes every scratch file.
 *
 * Why the index moves before the branch: git commits what the index holds. Were the
 * branch moved first, a `git commit` by the user between the two steps would record
 * the old file under the new head and silently revert the release. In this order a
 * user's commit in the window holds the new file (the release, under their message)
 * and our compare-and-swap then fails as stale, so the engine re-reads and finds the
 * tag already there. At no instant does the branch hold the release while the index
 * holds the file from before it.
 */
import { realpath } from 'node:fs/promises';
import { resolve } from 'node:path';
import { messageText, type CommitMessage } from '../core/commit-message.js';
import { ConfigurationError, StaleHeadError, TagrelayError } from '../core/errors.js';
import {
  encodeFileText,
  parentsOf,
  requireDirectory,
  requireRegularFile,
  validateRepositoryPath,
} from '../core/repository-file.js';
import { commitOnPrivateIndex, GitError, gitValue, runGit, text, type GitOptions } from './git.js';
import { Scratch, type Journal, type JournalFile } from './scratch.js';
import { checkWorkTreePath, recoverInterrupted, WorkTree } from './work-tree.js';
import { dirtyPaths, entriesAt, listLocalFolders, readFilesAt, type Entry } from './tree.js';
import { readLocalHistory } from './history.js';
import type { HistorySnapshot, ReleaseHistorySource } from '../operations/promote.js';
import type { FolderLister } from '../operations/status.js';
import type {
  BranchSnapshot,
  CommitRequest,
  CommitResult,
  CommitTarget,
} from '../operations/commit-engine.js';

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

export interface OpenOptions {
  /** Where the checkout reports what it repaired (the CLI's stderr). */
  log?: (message: string) => void;
}

export class LocalCheckout implements CommitTarget, ReleaseHistorySource, FolderLister {
  readonly description: string;
  private readonly workTree: WorkTree;

  private constructor(
    /** Top of the work tree, as given (resolved). */
    readonly directory: string,
    private readonly scratch: Scratch,
  ) {
    this.description = directory;
    this.workTree = new WorkTree(directory);
  }

  /**
   * Opens DIR, which must be the top of a git work tree, and first of all completes or
   * undoes what an interrupted run left (see the file comment), saying so through `log`.
   */
  static async open(directory: string, options: OpenOptions = {}): Promise<LocalCheckout> {
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
    let gitDir: string;
    try {
      const lines = text(
        await runGit(real, ['rev-parse', '--is-inside-work-tree', '--show-toplevel', '--absolute-git-dir']),
      ).split('\n');
      if (lines[0] !== 'true') throw new Error('not a work tree');
      top = lines[1] as string;
      gitDir = lines[2] as string;
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
    const checkout = new LocalCheckout(real, await Scratch.open(gitDir));
    await recoverInterrupted(checkout.scratch, checkout.workTree, options.log ?? (() => {}));
    return checkout;
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

  /** Files at a commit, refused unless regular UTF-8 files; absent → null. */
  readAt(oid: string, paths: readonly string[]): Promise<Map<string, string | null>> {
    return readFilesAt(this.directory, oid, paths);
  }

  /** Files at the head and the recent history of `historyPaths` (promote, rollback, status). */
  async readWithHistory(
    branch: string | undefined,
    paths: readonly string[],
    historyPaths: readonly string[],
    depth: number,
  ): Promise<HistorySnapshot> {
    const snapshot = await this.read(branch, paths);
    const history = await readLocalHistory(this.directory, snapshot.headOid, historyPaths, depth);
    return { ...snapshot, history };
  }

  /** Entry names of folders at a commit (app discovery for status). */
  listFolders(commit: string, folders: readonly string[]): Promise<Map<string, string[]>> {
    return listLocalFolders(this.directory, commit, folders);
  }

  /** A value git answers (`config --get user.name`, `remote get-url origin`), or undefined. */
  gitValue(...args: string[]): Promise<string | undefined> {
    return gitValue(this.directory, args);
  }

  /** Paths among `paths` whose working tree or index differs from HEAD (untracked included). */
  dirtyPaths(paths: readonly string[]): Promise<string[]> {
    return dirtyPaths(this.directory, paths);
  }

  /** Refuses anything but a regular file (or nothing) at each path, and anything but directories above it. */
  private async checkTargets(head: string, paths: readonly string[]): Promise<Map<string, Entry>> {
    const entries = await entriesAt(this.directory, head, paths);
    const where = `${this.directory} at ${head.slice(0, 12)}`;
    for (const path of paths) {
      for (const parent of parentsOf(path)) {
        const entry = entries.get(parent);
        if (entry !== undefined) requireDirectory(path, parent, entry.mode, where);
      }
      const entry = entries.get(path);
      if (entry !== undefined) requireRegularFile(path, entry.mode, where);
      await checkWorkTreePath(this.directory, path);
    }
    return entries;
  }

  async commit(request: CommitRequest): Promise<CommitResult> {
    const branch = await this.checkBranch(request.branch);
    const head = await this.headOf(branch);
    if (head !== request.expectedHeadOid) {
      throw new StaleHeadError(
        `${branch} of ${this.directory} moved from ${request.expectedHeadOid} to ${head}`,
      );
    }
    const paths = request.files.map((file) => validateRepositoryPath(file.path));
    const entries = await this.checkTargets(head, paths);
    const busy = await this.scratch.pathsInFlight();
    const overlap = paths.filter((path) => busy.has(path));
    if (overlap.length > 0) {
      throw new StaleHeadError(
        `another tagrelay run is committing ${overlap.join(', ')} in ${this.directory}`,
      );
    }
    const dirty = await this.dirtyPaths(paths);
    if (dirty.length > 0) throw new DirtyWorkTreeError(this.directory, dirty);

    const files: JournalFile[] = [];
    for (const file of request.files) {
      const before = entries.get(file.path);
      const blob = text(
        await this.git(['hash-object', '-w', '--no-filters', '--stdin'], {
          input: Buffer.from(encodeFileText(file.content)),
        }),
      );
      files.push({
        path: file.path,
        mode: before?.mode ?? '100644',
        oldBlob: before?.oid ?? null,
        newBlob: blob,
      });
    }
    const oid = await this.buildCommit(head, files, request.message);
    const journal: Journal = { version: 1, branch, oldOid: head, newOid: oid, files };
    const journalPath = await this.scratch.writeJournal(journal);

    let swap: Awaited<ReturnType<LocalCheckout['git']>>;
    try {
      await this.workTree.write(
        files.map((file) => ({ path: file.path, mode: file.mode, blob: file.newBlob })),
      );
      // Compare-and-swap: lands only when the branch is still at the head we planned on.
      swap = await this.git(
        ['update-ref', '-m', `commit: ${request.message.headline}`, `refs/heads/${branch}`, oid, head],
        { allow: [1, 128] },
      );
    } catch (error) {
      await this.undo(journal, journalPath, error);
      throw error;
    }
    if (swap.code !== 0) {
      await this.undo(journal, journalPath, undefined);
      const now = await this.headOf(branch).catch(() => undefined);
      if (now !== head) throw new StaleHeadError(`${branch} of ${this.directory} moved while committing`);
      throw new GitError(`git update-ref failed: ${swap.stderr}`, swap.code, swap.stderr);
    }
    await this.scratch.remove(journalPath);
    return { oid };
  }

  /** The commit did not land: the journaled paths go back to what the branch holds. */
  private async undo(journal: Journal, journalPath: string, cause: unknown): Promise<void> {
    try {
      await this.workTree.settle(journal.files);
      await this.scratch.remove(journalPath);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      const why = cause instanceof Error ? ` after ${cause.message}` : '';
      throw new TagrelayError(
        `could not put ${journal.files.map((file) => file.path).join(', ')} back in step in ${this.directory}${why} ` +
          `(${reason}); the next tagrelay --local run on it will try again`,
      );
    }
  }

  /** Writes the commit's tree from the head's tree and the new blobs, on a private index under .git/tagrelay. */
  private async buildCommit(
    head: string,
    files: readonly JournalFile[],
    message: CommitMessage,
  ): Promise<string> {
    const index = this.scratch.path('index');
    try {
      return await commitOnPrivateIndex(this.directory, {
        index,
        parent: head,
        entries: files.map((file) => ({ mode: file.mode, oid: file.newBlob, path: file.path })),
        message: messageText(message),
      });
    } finally {
      await this.scratch.remove(index);
    }
  }
}
