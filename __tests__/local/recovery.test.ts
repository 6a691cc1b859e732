/**
 * `--local` after a run died mid-commit: each state a kill can leave (a journal under
 * .git/tagrelay, the index, the files and the branch at either side) is recognised by
 * the next run of any command, settled to what the branch holds, said on stderr, and
 * every scratch file is removed. The kill test (reliability/kill-local) hits these at
 * random; here each is built on purpose.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { cli } from '../support/cli-in-process.js';
import type { Journal } from '../../src/local/scratch.js';
import { useGitSandbox } from '../support/git-sandbox.js';

const DEV = 'deploy/env/release-dev/web.yaml';
const releaseText = (tag: string) => `image:\n  repository: ghcr.io/x/web\n  tag: ${tag} # current\n`;

const sandbox = useGitSandbox('tagrelay-recovery-');
/** A pid no process has now: a child that has exited. */
let deadPid: number;
beforeAll(() => {
  deadPid = spawnSync('true').pid as number;
});

const git = (dir: string, ...args: string[]) =>
  execFileSync('git', ['-C', dir, ...args], { encoding: 'utf8' });
const rev = (dir: string, name: string) => git(dir, 'rev-parse', name).trim();

/**
 * A checkout where a bump from v1 to v2 ran to the end, leaving `old` and `new`
 * commits; the scenario then puts the branch, index and file where a kill would.
 */
async function bumped() {
  const dir = mkdtempSync(join(sandbox(), 'repo-'));
  git(dir, 'init', '-q', '-b', 'main');
  mkdirSync(dirname(join(dir, DEV)), { recursive: true });
  writeFileSync(join(dir, DEV), releaseText('v1'));
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'seed');
  const old = rev(dir, 'HEAD');
  expect((await cli('bump', '--local', dir, '--app', 'web', '--tag', 'v2')).code).toBe(0);
  const fresh = rev(dir, 'HEAD');
  const journal: Journal = {
    version: 1,
    branch: 'main',
    oldOid: old,
    newOid: fresh,
    files: [
      { path: DEV, mode: '100644', oldBlob: rev(dir, `${old}:${DEV}`), newBlob: rev(dir, `${fresh}:${DEV}`) },
    ],
  };
  return { dir, old, fresh, journal };
}

/** Leaves what a dead run leaves: its journal and scratch files under .git/tagrelay. */
function leaveJournal(dir: string, journal: Journal): void {
  const tagrelay = join(dir, '.git', 'tagrelay');
  mkdirSync(tagrelay, { recursive: true });
  const owner = `${deadPid}.0.deadbeef`;
  writeFileSync(join(tagrelay, `journal-${owner}-1.json`), JSON.stringify(journal));
  writeFileSync(join(tagrelay, `index-${owner}-2`), 'DIRC');
  writeFileSync(join(tagrelay, `tmp-${owner}-3`), '{"version":1');
}

const scratchFiles = (dir: string) => readdirSync(join(dir, '.git', 'tagrelay'));

describe('the next run settles what a killed run left', () => {
  it('killed after the index and file moved, before the branch: rolled back, and the bump then lands', async () => {
    const { dir, old, journal } = await bumped();
    git(dir, 'update-ref', 'refs/heads/main', old);
    expect(git(dir, 'status', '--porcelain')).toBe(`M  ${DEV}\n`);
    leaveJournal(dir, journal);

    const run = await cli('status', '--local', dir, '--app', 'web');
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('an earlier run was interrupted while committing');
    expect(run.stderr).toContain(`the commit had not landed, and ${DEV} is back at the branch head`);
    expect(git(dir, 'status', '--porcelain')).toBe('');
    expect(rev(dir, 'HEAD')).toBe(old);
    expect(readFileSync(join(dir, DEV), 'utf8')).toBe(releaseText('v1'));
    expect(scratchFiles(dir)).toEqual([]);

    const again = await cli('bump', '--local', dir, '--app', 'web', '--tag', 'v2');
    expect(again).toMatchObject({ code: 0, stderr: '' });
    expect(git(dir, 'status', '--porcelain')).toBe('');
  });

  it('killed after the branch moved, before the journal went: recognised as landed, nothing to fix', async () => {
    const { dir, fresh, journal } = await bumped();
    leaveJournal(dir, journal);
    const run = await cli('status', '--local', dir, '--app', 'web');
    expect(run.stderr).toContain('the commit had landed, and the files it wrote already matched it');
    expect(rev(dir, 'HEAD')).toBe(fresh);
    expect(git(dir, 'status', '--porcelain')).toBe('');
    expect(scratchFiles(dir)).toEqual([]);
  });

  it('the branch at the release but the index and file from before (the old order’s window): completed', async () => {
    const { dir, fresh, journal } = await bumped();
    const oldBlob = journal.files[0]?.oldBlob as string;
    git(dir, 'update-index', '--cacheinfo', `100644,${oldBlob},${DEV}`);
    writeFileSync(join(dir, DEV), releaseText('v1'));
    leaveJournal(dir, journal);
    const run = await cli('bump', '--local', dir, '--app', 'web', '--tag', 'v2');
    expect(run.code).toBe(0);
    expect(run.stderr).toContain(`the commit had landed, and ${DEV} now matches it`);
    expect(run.stdout).toContain('web: already at v2');
    expect(rev(dir, 'HEAD')).toBe(fresh);
    expect(readFileSync(join(dir, DEV), 'utf8')).toBe(releaseText('v2'));
    expect(git(dir, 'status', '--porcelain')).toBe('');
  });

  it('keeps a change someone made since, and says so', async () => {
    const { dir, old, journal } = await bumped();
    git(dir, 'update-ref', 'refs/heads/main', old);
    writeFileSync(join(dir, DEV), `${releaseText('v2')}# my edit\n`);
    leaveJournal(dir, journal);
    const run = await cli('status', '--local', dir, '--app', 'web');
    expect(run.stderr).toContain(`left ${DEV} as it is (changed since by someone else)`);
    expect(readFileSync(join(dir, DEV), 'utf8')).toBe(`${releaseText('v2')}# my edit\n`);
    expect(scratchFiles(dir)).toEqual([]);
  });

  it('a user’s git commit in the window records the release, never reverts it', async () => {
    const { dir, old, journal } = await bumped();
    // Killed with the index and file at the release, the branch not yet moved; the user commits.
    git(dir, 'update-ref', 'refs/heads/main', old);
    git(dir, 'commit', '-q', '-m', 'my own commit');
    leaveJournal(dir, journal);
    expect(git(dir, 'show', `HEAD:${DEV}`)).toBe(releaseText('v2'));
    const run = await cli('bump', '--local', dir, '--app', 'web', '--tag', 'v2');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('web: already at v2');
    expect(git(dir, 'show', `HEAD:${DEV}`)).toBe(releaseText('v2'));
    expect(git(dir, 'status', '--porcelain')).toBe('');
  });

  it('leaves the scratch files of a run that is still alive', async () => {
    const { dir, journal } = await bumped();
    const tagrelay = join(dir, '.git', 'tagrelay');
    // The parent of this test process (jest's runner) is alive for the whole test.
    const live = `journal-${process.ppid}.0.cafe0001-1.json`;
    writeFileSync(join(tagrelay, live), JSON.stringify(journal));
    const run = await cli('status', '--local', dir, '--app', 'web');
    expect(run.stderr).not.toContain('interrupted');
    expect(scratchFiles(dir)).toEqual([live]);
  });
});
