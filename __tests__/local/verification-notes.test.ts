/** Verification records as git notes under refs/notes/tagrelay, on real repositories. */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ConfigurationError, NotFoundError } from '../../src/core/errors.js';
import type { VerificationRecord } from '../../src/core/verification.js';
import { LocalVerificationNotes } from '../../src/local/verification-notes.js';
import { findNewestRecord, findTagCommit } from '../../src/operations/verification.js';
import { useGitSandbox } from '../support/git-sandbox.js';

const PATH = 'deploy/env/release-dev/shop.yaml';
const release = (tag: string, comment = '') =>
  `image:\n  repository: ghcr.io/acme/shop\n  tag: ${tag}${comment}\n`;

const sandbox = useGitSandbox('tagrelay-notes-test-');

const git = (dir: string, ...args: string[]) =>
  execFileSync('git', ['-C', dir, ...args], { encoding: 'utf8' }).trim();

function commitFile(dir: string, path: string, text: string, message: string): string {
  mkdirSync(dirname(join(dir, path)), { recursive: true });
  writeFileSync(join(dir, path), text);
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', message);
  return git(dir, 'rev-parse', 'HEAD');
}

function makeRepo(): { dir: string; commits: string[] } {
  const dir = mkdtempSync(join(sandbox(), 'repo-'));
  git(dir, 'init', '-q', '-b', 'main');
  const commits = [
    commitFile(dir, PATH, release('sha-1'), 'release(dev): shop sha-1'),
    commitFile(dir, 'README.md', '# gitops\n', 'docs'),
    commitFile(dir, PATH, release('sha-2'), 'release(dev): shop sha-2'),
    commitFile(dir, PATH, release('sha-2', ' # pinned'), 'comment'),
  ];
  return { dir, commits };
}

const record = (over: Partial<VerificationRecord> = {}): VerificationRecord => ({
  app: 'shop',
  env: 'dev',
  tag: 'sha-2',
  result: 'success',
  checkedAt: '2026-01-01T10:00:00.000Z',
  url: 'https://shop.dev.synestra.tech',
  checks: [{ url: 'https://shop.dev.synestra.tech/', status: 200, result: 'pass' }],
  ...over,
});

describe('LocalVerificationNotes', () => {
  it('writes a JSON note git itself can show, and reads it back', async () => {
    const { dir, commits } = makeRepo();
    const notes = await LocalVerificationNotes.open(dir);
    const written = await notes.write(record(), commits[2]!);
    expect(written).toEqual({
      commit: commits[2],
      written: [`note refs/notes/tagrelay on ${commits[2]!.slice(0, 12)}`],
    });
    const shown = JSON.parse(git(dir, 'notes', '--ref=tagrelay', 'show', commits[2]!));
    expect(shown).toEqual({ tagrelay: 1, records: [record()] });
    expect(await notes.read(commits[2]!, 'shop', 'dev')).toEqual([
      { ...record(), commit: commits[2], source: 'note' },
    ]);
    expect(await notes.read(commits, 'shop', 'prod')).toEqual([]);
    expect(await notes.read([commits[0]!, commits[1]!], 'shop', 'dev')).toEqual([]);
    // Nothing else moved: the branch, the index, the work tree.
    expect(git(dir, 'rev-parse', 'HEAD')).toBe(commits[3]);
    expect(git(dir, 'status', '--porcelain')).toBe('');
  });

  it('merges records of several apps on one commit, the newest per app, env and tag winning', async () => {
    const { dir, commits } = makeRepo();
    const notes = await LocalVerificationNotes.open(dir);
    await notes.write(
      record({ result: 'failure', reason: 'rollout timed out', checkedAt: '2026-01-01T10:00:00Z' }),
      commits[2]!,
    );
    await notes.write(record({ app: 'blog', tag: 'sha-9' }), commits[2]!);
    await notes.write(record({ checkedAt: '2026-01-01T11:00:00Z' }), commits[2]!);
    const newest = await findNewestRecord(notes, commits, 'shop', 'dev', 'sha-2');
    expect(newest).toMatchObject({
      result: 'success',
      checkedAt: '2026-01-01T11:00:00Z',
      commit: commits[2],
    });
    expect((await notes.read(commits[2]!, 'blog', 'dev')).map((r) => r.tag)).toEqual(['sha-9']);
    expect(git(dir, 'rev-list', '--count', 'refs/notes/tagrelay')).toBe('3');
  });

  it('loses no record when many writers race on the same note', async () => {
    const { dir, commits } = makeRepo();
    const writers = await Promise.all(Array.from({ length: 8 }, () => LocalVerificationNotes.open(dir)));
    await Promise.all(writers.map((notes, i) => notes.write(record({ app: `app-${i}` }), commits[2]!)));
    const note = JSON.parse(git(dir, 'notes', '--ref=tagrelay', 'show', commits[2]!)) as {
      records: VerificationRecord[];
    };
    expect(note.records.map((r) => r.app).sort()).toEqual(
      Array.from({ length: 8 }, (_, i) => `app-${i}`).sort(),
    );
  });

  it('keeps notes that git notes wrote, at the top level or fanned out (ab/cdef…)', async () => {
    const { dir, commits } = makeRepo();
    const earlier = JSON.stringify({ tagrelay: 1, records: [record({ app: 'blog', tag: 'sha-8' })] });
    git(dir, 'notes', '--ref=tagrelay', 'add', '-m', earlier, commits[0]!);
    // A fanned-out note for commits[2], as git writes once a notes tree grows large.
    const blob = execFileSync('git', ['-C', dir, 'hash-object', '-w', '--stdin'], {
      input: earlier,
      encoding: 'utf8',
    }).trim();
    const index = join(sandbox(), `index-${Date.now()}`);
    const env = { ...process.env, GIT_INDEX_FILE: index };
    execFileSync('git', ['-C', dir, 'read-tree', 'refs/notes/tagrelay'], { env });
    const fanned = `${commits[2]!.slice(0, 2)}/${commits[2]!.slice(2)}`;
    execFileSync('git', ['-C', dir, 'update-index', '--add', '--cacheinfo', `100644,${blob},${fanned}`], {
      env,
    });
    const tree = execFileSync('git', ['-C', dir, 'write-tree'], { env, encoding: 'utf8' }).trim();
    const parent = git(dir, 'rev-parse', 'refs/notes/tagrelay');
    const next = git(dir, 'commit-tree', tree, '-p', parent, '-m', 'fan out');
    git(dir, 'update-ref', 'refs/notes/tagrelay', next);

    const notes = await LocalVerificationNotes.open(dir);
    await notes.write(record({ tag: 'sha-1' }), commits[0]!);
    await notes.write(record(), commits[2]!);
    for (const commit of [commits[0]!, commits[2]!]) {
      const shown = JSON.parse(git(dir, 'notes', '--ref=tagrelay', 'show', commit)) as {
        records: VerificationRecord[];
      };
      expect(shown.records.map((r) => r.app).sort()).toEqual(['blog', 'shop']);
    }
    expect(git(dir, 'ls-tree', '-r', '--name-only', 'refs/notes/tagrelay').split('\n').sort()).toEqual(
      [commits[0], fanned].sort(),
    );
    expect((await notes.read(commits[2]!, 'blog', 'dev')).map((r) => r.tag)).toEqual(['sha-8']);
  });

  it('refuses a commit that is not in the repository, naming commit-sha', async () => {
    const { dir } = makeRepo();
    const notes = await LocalVerificationNotes.open(dir);
    await expect(notes.write(record(), 'f'.repeat(40))).rejects.toThrow(NotFoundError);
    await expect(notes.write(record(), 'f'.repeat(40))).rejects.toThrow('check commit-sha');
  });

  it('refuses a directory that is not a repository', async () => {
    await expect(LocalVerificationNotes.open(mkdtempSync(join(sandbox(), 'plain-')))).rejects.toThrow(
      ConfigurationError,
    );
    await expect(LocalVerificationNotes.open(join(sandbox(), 'missing'))).rejects.toThrow(ConfigurationError);
  });

  it('finds the commit that set a tag from the release file history', async () => {
    const { dir, commits } = makeRepo();
    const notes = await LocalVerificationNotes.open(dir);
    const history = await notes.fileHistory(undefined, PATH, 10);
    expect(history.map((h) => h.oid)).toEqual([commits[3], commits[2], commits[0]]);
    expect(history[0]!.text).toBe(release('sha-2', ' # pinned'));
    expect(await findTagCommit(notes, undefined, PATH, 'sha-2')).toBe(commits[2]);
    expect(await findTagCommit(notes, 'main', PATH, 'sha-1')).toBe(commits[0]);
    expect(await findTagCommit(notes, 'main', PATH, 'sha-3')).toBeUndefined();
    await expect(notes.fileHistory('nope', PATH, 10)).rejects.toThrow('Branch "nope" does not exist');
  });

  it('tells whether a revision contains a commit', async () => {
    const { dir, commits } = makeRepo();
    const notes = await LocalVerificationNotes.open(dir);
    expect(await notes.containsCommit(commits[3]!, commits[2]!)).toBe(true);
    expect(await notes.containsCommit(commits[2]!, commits[2]!)).toBe(true);
    expect(await notes.containsCommit(commits[0]!, commits[2]!)).toBe(false);
    expect(await notes.containsCommit('e'.repeat(40), commits[2]!)).toBeUndefined();
  });
});
