/**
 * LocalCheckout: the CommitTarget of `--local DIR`, on real git repositories.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ConfigurationError, StaleHeadError } from '../../src/core/errors.js';
import { initialPaths, planBump } from '../../src/core/plan.js';
import { DEFAULT_LAYOUT } from '../../src/core/layout.js';
import { DirtyWorkTreeError, LocalCheckout } from '../../src/local/git-checkout.js';
import { parseCatFileBatch } from '../../src/local/git.js';
import { runRelease } from '../../src/operations/release.js';
import { useGitSandbox } from '../support/git-sandbox.js';

const DEV = (app: string) => `deploy/env/release-dev/${app}.yaml`;
const releaseText = (app: string, tag: string) =>
  `image:\n  repository: ghcr.io/x/${app}\n  tag: ${tag} # current\n`;
const MESSAGE = {
  headline: 'release(dev): corporate sha-0123456789ab',
  body: '- corporate\n\nRelease-App: corporate\n',
};

const sandbox = useGitSandbox('tagrelay-local-');

function git(dir: string, ...args: string[]): string {
  return execFileSync('git', ['-C', dir, ...args], { encoding: 'utf8' });
}

function makeRepo(files: Record<string, string>): string {
  const dir = mkdtempSync(join(sandbox(), 'repo-'));
  git(dir, 'init', '-q', '-b', 'main');
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'seed');
  return dir;
}

describe('LocalCheckout', () => {
  it('reads files at the branch head commit, not the working tree; absent files are null', async () => {
    const dir = makeRepo({ [DEV('corporate')]: releaseText('corporate', 'sha-aaaaaaaaaaaa') });
    writeFileSync(join(dir, DEV('corporate')), 'edited in the working tree\n');
    const checkout = await LocalCheckout.open(dir);
    const snapshot = await checkout.read(undefined, [DEV('corporate'), DEV('nope'), 'deploy/tagrelay.yaml']);
    expect(snapshot.branch).toBe('main');
    expect(snapshot.headOid).toBe(git(dir, 'rev-parse', 'HEAD').trim());
    expect(Object.fromEntries(snapshot.files)).toEqual({
      [DEV('corporate')]: releaseText('corporate', 'sha-aaaaaaaaaaaa'),
      [DEV('nope')]: null,
      'deploy/tagrelay.yaml': null,
    });
    await expect(checkout.read(undefined, ['deploy'])).rejects.toThrow('deploy is a directory (mode 040000)');
    await expect(checkout.read('other', [])).rejects.toThrow(ConfigurationError);
  });

  it('refuses a directory that is not the top of a work tree', async () => {
    const plain = mkdtempSync(join(sandbox(), 'plain-'));
    await expect(LocalCheckout.open(plain)).rejects.toThrow(/--local.*is not a git work tree/);
    await expect(LocalCheckout.open(join(plain, 'missing'))).rejects.toThrow(ConfigurationError);
    const dir = makeRepo({ 'deploy/a.yaml': 'a: 1\n' });
    await expect(LocalCheckout.open(join(dir, 'deploy'))).rejects.toThrow(/inside the work tree/);
  });

  it('commits only the given files, creating new ones, and keeps the working tree and index in step', async () => {
    const dir = makeRepo({
      [DEV('corporate')]: releaseText('corporate', 'sha-aaaaaaaaaaaa'),
      'README.md': 'hi\n',
    });
    writeFileSync(join(dir, 'README.md'), 'local edit, not committed\n');
    const checkout = await LocalCheckout.open(dir);
    const { headOid } = await checkout.read(undefined, []);
    const files = [
      { path: DEV('corporate'), content: releaseText('corporate', 'sha-0123456789ab') },
      { path: 'deploy/env/release-dev/new/shop.yaml', content: releaseText('shop', 'sha-0123456789ab') },
    ];
    const result = await checkout.commit({
      branch: 'main',
      expectedHeadOid: headOid,
      message: MESSAGE,
      files,
    });
    expect(result.oid).toBe(git(dir, 'rev-parse', 'HEAD').trim());
    expect(git(dir, 'rev-parse', 'HEAD~1').trim()).toBe(headOid);
    expect(git(dir, 'diff', '--name-status', 'HEAD~1', 'HEAD')).toBe(
      `M\t${DEV('corporate')}\nA\tdeploy/env/release-dev/new/shop.yaml\n`,
    );
    expect(git(dir, 'log', '-1', '--format=%B')).toBe(`${MESSAGE.headline}\n\n${MESSAGE.body}\n`);
    for (const file of files) expect(readFileSync(join(dir, file.path), 'utf8')).toBe(file.content);
    expect(git(dir, 'status', '--porcelain')).toBe(' M README.md\n');
  });

  it('throws StaleHeadError when the branch moved, and refuses dirty files', async () => {
    const dir = makeRepo({ [DEV('corporate')]: releaseText('corporate', 'sha-aaaaaaaaaaaa') });
    const checkout = await LocalCheckout.open(dir);
    const { headOid } = await checkout.read(undefined, []);
    git(dir, 'commit', '-q', '--allow-empty', '-m', 'someone else');
    const moved = git(dir, 'rev-parse', 'HEAD').trim();
    const files = [{ path: DEV('corporate'), content: releaseText('corporate', 'sha-0123456789ab') }];
    await expect(
      checkout.commit({ branch: 'main', expectedHeadOid: headOid, message: MESSAGE, files }),
    ).rejects.toThrow(StaleHeadError);
    expect(git(dir, 'rev-parse', 'HEAD').trim()).toBe(moved);

    writeFileSync(join(dir, DEV('corporate')), 'mine\n');
    const dirty = checkout.commit({ branch: 'main', expectedHeadOid: moved, message: MESSAGE, files });
    await expect(dirty).rejects.toThrow(DirtyWorkTreeError);
    await expect(dirty).rejects.toThrow(`${DEV('corporate')} has uncommitted changes`);
    expect(git(dir, 'rev-parse', 'HEAD').trim()).toBe(moved);
    expect(readFileSync(join(dir, DEV('corporate')), 'utf8')).toBe('mine\n');
  });

  it('refuses, as stale, files another live tagrelay run is committing in the same checkout', async () => {
    const dir = makeRepo({ [DEV('corporate')]: releaseText('corporate', 'sha-aaaaaaaaaaaa') });
    const checkout = await LocalCheckout.open(dir);
    const { headOid } = await checkout.read(undefined, []);
    // Another run, alive (a sleeping process stands for it), with a journal naming the file.
    const other = spawn('sleep', ['30']);
    try {
      const stat = readFileSync(`/proc/${other.pid}/stat`, 'utf8');
      const ticks = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
      const journal = {
        version: 1,
        branch: 'main',
        oldOid: headOid,
        newOid: headOid,
        files: [{ path: DEV('corporate'), mode: '100644', oldBlob: null, newBlob: headOid }],
      };
      writeFileSync(
        join(dir, '.git/tagrelay', `journal-${other.pid}.${ticks}.0abc-1.json`),
        JSON.stringify(journal),
      );
      const files = [{ path: DEV('corporate'), content: releaseText('corporate', 'sha-0123456789ab') }];
      const commit = checkout.commit({ branch: 'main', expectedHeadOid: headOid, message: MESSAGE, files });
      await expect(commit).rejects.toThrow(StaleHeadError);
      await expect(commit).rejects.toThrow(`another tagrelay run is committing ${DEV('corporate')}`);
      expect(git(dir, 'rev-parse', 'HEAD').trim()).toBe(headOid);
    } finally {
      other.kill();
    }
  });

  it('puts the work tree and index back when writing them fails, and leaves no journal', async () => {
    const dir = makeRepo({ [DEV('corporate')]: releaseText('corporate', 'sha-aaaaaaaaaaaa') });
    const checkout = await LocalCheckout.open(dir);
    const { headOid } = await checkout.read(undefined, []);
    // The release's write lands, then fails (a full disk on the next file, say); putting
    // things back writes again, and that works.
    const workTree = (checkout as unknown as { workTree: { write: (files: never) => Promise<void> } })
      .workTree;
    const write = workTree.write.bind(workTree);
    let writes = 0;
    workTree.write = async (files) => {
      await write(files);
      if (++writes === 1) throw new Error('ENOSPC: no space left on device');
    };
    const files = [{ path: DEV('corporate'), content: releaseText('corporate', 'sha-0123456789ab') }];
    await expect(
      checkout.commit({ branch: 'main', expectedHeadOid: headOid, message: MESSAGE, files }),
    ).rejects.toThrow('ENOSPC');
    expect(git(dir, 'rev-parse', 'HEAD').trim()).toBe(headOid);
    expect(readFileSync(join(dir, DEV('corporate')), 'utf8')).toBe(
      releaseText('corporate', 'sha-aaaaaaaaaaaa'),
    );
    expect(git(dir, 'status', '--porcelain')).toBe('');
    const scratch = join(dir, '.git/tagrelay');
    expect(
      existsSync(scratch) ? readdirSync(scratch).filter((name) => name.startsWith('journal-')) : [],
    ).toEqual([]);
  });

  it('lands every one of many concurrent releases on one checkout, none lost', async () => {
    const apps = Array.from({ length: 8 }, (_, index) => `app-${index}`);
    const dir = makeRepo(
      Object.fromEntries(apps.map((app) => [DEV(app), releaseText(app, 'sha-aaaaaaaaaaaa')])),
    );
    const before = git(dir, 'rev-parse', 'HEAD').trim();
    const outcomes = await Promise.all(
      apps.map(async (app) => {
        const request = { env: 'dev', apps: [app], tag: 'sha-0123456789ab' };
        return runRelease(
          await LocalCheckout.open(dir),
          { paths: initialPaths('dev', [app], DEFAULT_LAYOUT), plan: (files) => planBump(request, files) },
          { mode: 'direct', dryRun: false, engine: { retry: { baseDelayMs: 5, maxDelayMs: 50 } } },
        );
      }),
    );
    expect(outcomes.every((outcome) => outcome.commit !== undefined)).toBe(true);
    expect(git(dir, 'rev-list', '--count', `${before}..HEAD`).trim()).toBe(String(apps.length));
    expect(git(dir, 'rev-list', '--min-parents=2', 'HEAD').trim()).toBe('');
    for (const app of apps)
      expect(git(dir, 'show', `HEAD:${DEV(app)}`)).toBe(releaseText(app, 'sha-0123456789ab'));
    expect(git(dir, 'status', '--porcelain')).toBe('');
  });

  it('parses git cat-file --batch output with any bytes in the content', () => {
    const body = Buffer.from('a\nmissing\n\0b');
    const output = Buffer.concat([
      Buffer.from(`${'1'.repeat(40)} blob ${body.length}\n`),
      body,
      Buffer.from('\nHEAD:x missing\n'),
      Buffer.from(`${'2'.repeat(40)} tree 0\n\n`),
    ]);
    const [blob, missing, tree] = parseCatFileBatch(output, ['HEAD:a', 'HEAD:x', 'HEAD:d']);
    expect(Buffer.isBuffer(blob) && blob.equals(body)).toBe(true);
    expect(missing).toBeNull();
    expect(tree).toEqual({ type: 'tree' });
  });
});
