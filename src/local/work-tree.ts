/**
 * The user's index and work tree in a local checkout: checking a path before anything
 * is written to it, bringing the index and the files of a commit's paths to given
 * blobs, and settling them after an interrupted run.
 *
 * Files are written by git (`checkout-index`), never by following a path ourselves:
 * git applies the checkout's filters and line-end rules, records the stat data (so
 * `git status` and `git diff --quiet` see a clean file), replaces rather than follows
 * a symbolic link, and never writes beyond one. Before that, every component of the
 * path is checked with lstat, so a link is refused with a message rather than replaced.
 */
import { lstat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { RepositoryFileError } from '../core/errors.js';
import { GitError, runGit, type GitOptions } from './git.js';
import type { JournalFile, Scratch } from './scratch.js';
import { entriesAt, type Entry } from './tree.js';

function kindOf(stats: import('node:fs').Stats): string {
  if (stats.isSymbolicLink()) return 'a symbolic link';
  if (stats.isDirectory()) return 'a directory';
  if (stats.isFile()) return 'a regular file';
  return 'a special file (socket, FIFO or device)';
}

/**
 * Refuses `path` unless, in the work tree at `top`, each parent is a real directory (or
 * absent) and the file itself is a regular file (or absent). lstat never follows a link.
 */
export async function checkWorkTreePath(top: string, path: string): Promise<void> {
  const parts = path.split('/');
  for (let depth = 1; depth <= parts.length; depth++) {
    const relative = parts.slice(0, depth).join('/');
    let stats: import('node:fs').Stats;
    try {
      stats = await lstat(join(top, ...parts.slice(0, depth)));
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return;
      if (code === 'ENOTDIR') {
        throw new RepositoryFileError(path, `cannot be written: a parent is not a directory in ${top}`);
      }
      throw error;
    }
    const leaf = depth === parts.length;
    if (leaf ? stats.isFile() : stats.isDirectory()) continue;
    throw new RepositoryFileError(
      path,
      leaf
        ? `is ${kindOf(stats)} in the working tree of ${top}, not a regular file: tagrelay never writes through a link`
        : `cannot be written: ${relative} is ${kindOf(stats)} in the working tree of ${top}, not a directory`,
    );
  }
}

/** Runs a git command that writes the index, waiting out another git's index.lock (about 5 s at most). */
async function withIndexLock<T>(run: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (error) {
      const locked = error instanceof GitError && /index\.lock/.test(error.stderr);
      if (!locked || attempt >= 100) throw error;
      await new Promise((resolveSleep) => setTimeout(resolveSleep, 10 + Math.random() * 80));
    }
  }
}

/** A path's blob in the index, the work tree or a commit; null when absent. */
type Blobs = Map<string, string | null>;

export class WorkTree {
  constructor(readonly top: string) {}

  private git(args: readonly string[], options?: GitOptions) {
    return runGit(this.top, args, options);
  }

  /** Sets the index entries of `files` and writes them into the work tree (with fresh stat data). */
  async write(files: readonly { path: string; mode: string; blob: string | null }[]): Promise<void> {
    if (files.length === 0) return;
    for (const file of files) await checkWorkTreePath(this.top, file.path);
    const info = files
      .map((file) =>
        file.blob === null
          ? `0 ${'0'.repeat(40)}\t${file.path}\0`
          : `${file.mode} ${file.blob}\t${file.path}\0`,
      )
      .join('');
    // Only update-index writes the index here: it takes the lock before reading, so a
    // concurrent writer's entries are never lost. (checkout-index -u reads first and
    // writes back what it read, undoing another process's update in between.)
    await withIndexLock(() => this.git(['update-index', '-z', '--index-info'], { input: info }));
    const present = files.filter((file) => file.blob !== null).map((file) => `${file.path}\0`);
    if (present.length > 0) {
      await this.git(['checkout-index', '-f', '-z', '--stdin'], { input: present.join('') });
    }
    for (const file of files) {
      if (file.blob === null) await unlink(join(this.top, ...file.path.split('/'))).catch(() => {});
    }
    // Fresh stat data for the files just written, so `git diff --quiet` sees them clean
    // (exit 1 lists the user's own modified files: not ours to report).
    await withIndexLock(() => this.git(['update-index', '--refresh'], { allow: [1] }));
  }

  /** Blobs of `paths` in the index (stage 0). */
  async indexBlobs(paths: readonly string[]): Promise<Blobs> {
    const result = await this.git([
      'ls-files',
      '-s',
      '-z',
      '--',
      ...paths.map((path) => `:(literal)${path}`),
    ]);
    const blobs: Blobs = new Map(paths.map((path) => [path, null]));
    for (const entry of result.stdout.toString('utf8').split('\0')) {
      const match = /^\d+ ([0-9a-f]+) 0\t(.*)$/s.exec(entry);
      if (match) blobs.set(match[2] as string, match[1] as string);
    }
    return blobs;
  }

  /** Blobs the work tree's files would be added as (the checkout's filters applied); null when absent. */
  async workTreeBlobs(paths: readonly string[]): Promise<Blobs> {
    const blobs: Blobs = new Map(paths.map((path) => [path, null]));
    const present: string[] = [];
    for (const path of paths) {
      const stats = await lstat(join(this.top, ...path.split('/'))).catch(() => undefined);
      if (stats?.isFile()) present.push(path);
    }
    if (present.length === 0) return blobs;
    const result = await this.git(['hash-object', '--stdin-paths'], { input: present.join('\n') + '\n' });
    result.stdout
      .toString('utf8')
      .trim()
      .split('\n')
      .forEach((oid, index) => blobs.set(present[index] as string, oid));
    return blobs;
  }

  /**
   * Brings each journaled path's index entry and file to what `HEAD` holds, where they
   * still hold what the interrupted run found or wrote (its old or new blob). Anything
   * else is someone's change since: it is left as it is and named in the returned notes.
   */
  async settle(files: readonly JournalFile[]): Promise<{ fixed: string[]; left: string[] }> {
    const paths = files.map((file) => file.path);
    const head = await this.git(['rev-parse', '--verify', '--quiet', 'HEAD^{commit}'], { allow: [1] });
    const headOid = head.stdout.toString('utf8').trim();
    // What HEAD holds at each path: a blob (a file or a link), or nothing.
    const entries = headOid === '' ? new Map<string, Entry>() : await entriesAt(this.top, headOid, paths);
    const target = new Map(
      paths.map((path) => {
        const entry = entries.get(path);
        const blob = entry && entry.mode !== '040000' && entry.mode !== '160000';
        return [path, blob ? { mode: entry.mode, blob: entry.oid } : null] as const;
      }),
    );
    const index = await this.indexBlobs(paths);
    const work = await this.workTreeBlobs(paths);
    const fixes: { path: string; mode: string; blob: string | null }[] = [];
    const fixed: string[] = [];
    const left: string[] = [];
    for (const file of files) {
      const wanted = target.get(file.path) ?? null;
      const want = wanted?.blob ?? null;
      const ours = (blob: string | null | undefined) => blob === file.newBlob || blob === file.oldBlob;
      const inIndex = index.get(file.path) ?? null;
      const inTree = work.get(file.path) ?? null;
      const indexOk = inIndex === want;
      const treeOk = inTree === want;
      if (indexOk && treeOk) continue;
      // A missing file with a blob wanted is a checkout cut short: ours too.
      if ((indexOk || ours(inIndex)) && (treeOk || ours(inTree) || inTree === null)) {
        fixes.push({ path: file.path, mode: wanted?.mode ?? file.mode, blob: want });
        fixed.push(file.path);
      } else {
        left.push(file.path);
      }
    }
    await this.write(fixes);
    return { fixed, left };
  }
}

/** Settles the journals of runs that died, then removes every scratch file they left. */
export async function recoverInterrupted(
  scratch: Scratch,
  workTree: WorkTree,
  log: (message: string) => void,
): Promise<void> {
  for (const { path, journal } of await scratch.staleJournals()) {
    if (journal === undefined) {
      log(`tagrelay: removed an unreadable journal of an interrupted run (${path})`);
      await scratch.remove(path);
      continue;
    }
    const { fixed, left } = await workTree.settle(journal.files);
    const landed = await runGit(
      workTree.top,
      ['merge-base', '--is-ancestor', journal.newOid, `refs/heads/${journal.branch}`],
      { allow: [1, 128] },
    );
    const commit = journal.newOid.slice(0, 12);
    const paths = fixed.length > 0 ? fixed.join(', ') : 'the files it wrote';
    const one = fixed.length === 1;
    log(
      `tagrelay: an earlier run was interrupted while committing ${commit} on ${journal.branch}; ` +
        (landed.code === 0
          ? `the commit had landed, and ${paths} ${fixed.length > 0 ? `now ${one ? 'matches' : 'match'} it` : 'already matched it'}`
          : `the commit had not landed, and ${paths} ${fixed.length > 0 ? `${one ? 'is' : 'are'} back at` : 'were still at'} the branch head`) +
        (left.length > 0
          ? `; left ${left.join(', ')} as ${left.length === 1 ? 'it is' : 'they are'} (changed since by someone else)`
          : '') +
        '.',
    );
    await scratch.remove(path);
  }
  await scratch.removeStale();
}
