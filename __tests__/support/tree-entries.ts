/**
 * Commits entries no ordinary seed can make (symbolic links, submodules, exact bytes,
 * executable files) onto a branch with git's plumbing, in a bare repository (the
 * emulator's) or a checkout's git directory.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface SpecialEntry {
  path: string;
  /** 100644, 100755, 120000 (content = link target), 160000 (oid = a commit). */
  mode: '100644' | '100755' | '120000' | '160000';
  content?: string | Buffer;
  oid?: string;
}

const IDENTITY = {
  GIT_AUTHOR_NAME: 'Seed',
  GIT_AUTHOR_EMAIL: 'seed@example.com',
  GIT_COMMITTER_NAME: 'Seed',
  GIT_COMMITTER_EMAIL: 'seed@example.com',
};

/** Adds `entries` in one commit on `branch` of `gitDir`; returns the new commit. */
export function commitEntries(gitDir: string, entries: SpecialEntry[], branch = 'main'): string {
  const scratch = mkdtempSync(join(tmpdir(), 'tagrelay-entries-'));
  const env = { ...process.env, ...IDENTITY, GIT_INDEX_FILE: join(scratch, 'index') };
  const git = (args: string[], input?: string | Buffer) =>
    execFileSync('git', ['--git-dir', gitDir, ...args], { env, input })
      .toString('utf8')
      .trim();
  try {
    const head = git(['rev-parse', `refs/heads/${branch}`]);
    git(['read-tree', head]);
    const info = entries.map((entry) => {
      const oid =
        entry.oid ?? git(['hash-object', '-w', '--no-filters', '--stdin'], entry.content ?? Buffer.alloc(0));
      return `${entry.mode} ${oid}\t${entry.path}\0`;
    });
    git(['update-index', '-z', '--index-info'], info.join(''));
    const tree = git(['write-tree']);
    const commit = git(['commit-tree', tree, '-p', head, '-m', 'special entries']);
    git(['update-ref', `refs/heads/${branch}`, commit, head]);
    return commit;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** A commit object that exists nowhere else: what a submodule entry points at. */
export const SUBMODULE_COMMIT = '5ab0000000000000000000000000000000c0ffee';
