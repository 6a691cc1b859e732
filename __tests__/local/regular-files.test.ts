/**
 * `--local`: only regular files are read or written, nothing is written through a link
 * (committed or in the working tree), and a file's bytes are kept exactly or the file
 * is refused with its path and byte offset. Runs the CLI's main() in-process.
 */
import { execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  renameSync,
  statSync,
  symlinkSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { cli } from '../support/cli-in-process.js';
import { LocalCheckout } from '../../src/local/git-checkout.js';
import { SUBMODULE_COMMIT, commitEntries, type SpecialEntry } from '../support/tree-entries.js';
import { useGitSandbox } from '../support/git-sandbox.js';

const DEV = (app: string) => `deploy/env/release-dev/${app}.yaml`;
const releaseText = (tag: string) => `image:\n  repository: ghcr.io/x/web\n  tag: ${tag} # current\n`;

const sandbox = useGitSandbox('tagrelay-regular-');

const git = (dir: string, ...args: string[]) =>
  execFileSync('git', ['-C', dir, ...args], { encoding: 'utf8' });

/** A checkout with `files` committed, then `special` entries committed on top and checked out. */
function makeRepo(files: Record<string, string | Buffer>, special: SpecialEntry[] = []): string {
  const dir = mkdtempSync(join(sandbox(), 'repo-'));
  git(dir, 'init', '-q', '-b', 'main');
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '--allow-empty', '-m', 'seed');
  if (special.length > 0) {
    commitEntries(join(dir, '.git'), special);
    git(dir, 'reset', '-q', '--hard');
  }
  return dir;
}

/** HEAD, and whether index and working tree match it. */
const state = (dir: string) => ({
  head: git(dir, 'rev-parse', 'HEAD').trim(),
  status: git(dir, 'status', '--porcelain'),
});

const scratchFiles = (dir: string) =>
  existsSync(join(dir, '.git', 'tagrelay')) ? readdirSync(join(dir, '.git', 'tagrelay')) : [];

describe('--local refuses anything but a regular file, and never writes through a link', () => {
  it('the committed symlink attack: refused, nothing written outside the checkout', async () => {
    const outside = mkdtempSync(join(sandbox(), 'outside-'));
    const decoy = 'image: {tag: old}  #';
    // The link's target text is valid YAML; through the committed directory of that name it leads outside.
    const target = `${decoy}/${'../'.repeat(5)}${outside.split('/').pop()}/pwned`;
    const dir = makeRepo({ [`deploy/env/release-dev/${decoy}/keep`]: 'x\n' }, [
      { path: DEV('web'), mode: '120000', content: target },
    ]);
    // The link, followed, leads out of the checkout into `outside`.
    expect(resolve(dirname(join(dir, DEV('web'))), readlinkSync(join(dir, DEV('web'))))).toBe(
      join(outside, 'pwned'),
    );
    const before = state(dir);
    const run = await cli('bump', '--local', dir, '--app', 'web', '--tag', 'v2');
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`${DEV('web')} is a symbolic link (mode 120000) in ${dir} at`);
    expect(readdirSync(outside)).toEqual([]);
    expect(state(dir)).toEqual(before);
    expect(scratchFiles(dir)).toEqual([]);
  });

  it.each([
    [
      'a symbolic link inside the repository',
      { path: DEV('web'), mode: '120000', content: '../other.yaml' },
      'a symbolic link (mode 120000)',
    ],
    [
      'a submodule',
      { path: DEV('web'), mode: '160000', oid: SUBMODULE_COMMIT },
      'a submodule (gitlink) (mode 160000)',
    ],
    [
      'a directory',
      { path: `${DEV('web')}/inner.yaml`, mode: '100644', content: releaseText('v1') },
      'a directory (mode 040000)',
    ],
  ] as const)('refuses %s at the release path', async (_label, entry, what) => {
    const dir = makeRepo({ 'deploy/env/other.yaml': releaseText('v1') }, [entry as SpecialEntry]);
    const before = state(dir);
    const run = await cli('bump', '--local', dir, '--app', 'web', '--tag', 'v2');
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`${DEV('web')} is ${what}`);
    expect(state(dir)).toEqual(before);
  });

  it('refuses to create a file under a committed symbolic link to a directory', async () => {
    const outside = mkdtempSync(join(sandbox(), 'outside-'));
    const dir = makeRepo({ [DEV('web')]: releaseText('v1') }, [
      { path: 'deploy/env/release-prod', mode: '120000', content: outside },
    ]);
    const checkout = await LocalCheckout.open(dir);
    const { headOid } = await checkout.read(undefined, []);
    const commit = checkout.commit({
      branch: 'main',
      expectedHeadOid: headOid,
      message: { headline: 'x', body: 'y\n' },
      files: [{ path: DEV('web').replace('release-dev', 'release-prod'), content: releaseText('v2') }],
    });
    await expect(commit).rejects.toThrow(
      'its parent deploy/env/release-prod is a symbolic link (mode 120000)',
    );
    expect(readdirSync(outside)).toEqual([]);
    expect(git(dir, 'rev-parse', 'HEAD').trim()).toBe(headOid);
  });

  it.each([
    [
      'the release file',
      (dir: string, outside: string) => {
        unlinkSync(join(dir, DEV('web')));
        symlinkSync(join(outside, 'pwned'), join(dir, DEV('web')));
      },
    ],
    [
      'its directory',
      (dir: string, outside: string) => {
        renameSync(join(dir, 'deploy/env/release-dev'), join(dir, 'deploy/env/moved'));
        writeFileSync(join(outside, 'web.yaml'), releaseText('v1'));
        symlinkSync(outside, join(dir, 'deploy/env/release-dev'));
      },
    ],
  ])('refuses when %s is a symbolic link in the working tree only', async (_label, replace) => {
    const outside = mkdtempSync(join(sandbox(), 'outside-'));
    const dir = makeRepo({ [DEV('web')]: releaseText('v1') });
    replace(dir, outside);
    const listing = readdirSync(outside);
    const head = git(dir, 'rev-parse', 'HEAD').trim();
    const checkout = await LocalCheckout.open(dir);
    const commit = checkout.commit({
      branch: 'main',
      expectedHeadOid: head,
      message: { headline: 'x', body: 'y\n' },
      files: [{ path: DEV('web'), content: releaseText('v2') }],
    });
    await expect(commit).rejects.toThrow(/symbolic link in the working tree/);
    expect(readdirSync(outside)).toEqual(listing);
    if (listing.includes('web.yaml'))
      expect(readFileSync(join(outside, 'web.yaml'), 'utf8')).toBe(releaseText('v1'));
    expect(git(dir, 'rev-parse', 'HEAD').trim()).toBe(head);
  });
});

describe('--local keeps bytes exactly or refuses the file', () => {
  it.each([
    [
      'Latin-1 é in a comment',
      Buffer.concat([Buffer.from('# caf'), Buffer.from([0xe9]), Buffer.from(`\n${releaseText('v1')}`)]),
      'is not valid UTF-8 at byte offset 5 (line 1, bytes e9 0a 69 6d)',
    ],
    [
      '0xff after the tag',
      Buffer.concat([Buffer.from(releaseText('v1')), Buffer.from([0xff])]),
      `is not valid UTF-8 at byte offset ${releaseText('v1').length} (line 4, bytes ff)`,
    ],
    [
      'a NUL byte',
      Buffer.concat([Buffer.from(releaseText('v1')), Buffer.from([0])]),
      `holds a NUL byte at byte offset ${releaseText('v1').length}`,
    ],
  ])('refuses %s with the path and byte offset, writing nothing', async (_label, content, reason) => {
    const dir = makeRepo({ [DEV('web')]: content });
    const before = state(dir);
    const run = await cli('bump', '--local', dir, '--app', 'web', '--tag', 'v2');
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`${DEV('web')} ${reason}`);
    expect(state(dir)).toEqual(before);
    expect(readFileSync(join(dir, DEV('web'))).equals(content)).toBe(true);
  });

  it('changes only the tag of a file with a BOM, CRLF, a lone CR and non-ASCII text', async () => {
    const before = Buffer.concat([
      Buffer.from([0xef, 0xbb, 0xbf]),
      Buffer.from('# Café ☕ release\r\nimage:\r\n  repository: r # a\rb\r\n  tag: "v1" # 😀\r\n'),
    ]);
    const dir = makeRepo({ [DEV('web')]: before });
    const run = await cli('bump', '--local', dir, '--app', 'web', '--tag', 'v2');
    expect(run).toMatchObject({ code: 0, stderr: '' });
    const expected = Buffer.from(before.toString('latin1').replace('"v1"', '"v2"'), 'latin1');
    const committed = execFileSync('git', ['-C', dir, 'cat-file', 'blob', `HEAD:${DEV('web')}`]);
    expect(committed.equals(expected)).toBe(true);
    expect(readFileSync(join(dir, DEV('web'))).equals(expected)).toBe(true);
    expect(git(dir, 'status', '--porcelain')).toBe('');
  });

  it('keeps the executable bit of a 100755 release file', async () => {
    const dir = makeRepo({}, [{ path: DEV('web'), mode: '100755', content: releaseText('v1') }]);
    expect((await cli('bump', '--local', dir, '--app', 'web', '--tag', 'v2')).code).toBe(0);
    expect(git(dir, 'ls-tree', 'HEAD', DEV('web'))).toMatch(/^100755 blob /);
    expect(statSync(join(dir, DEV('web'))).mode & 0o111).not.toBe(0);
    expect(git(dir, 'status', '--porcelain')).toBe('');
  });
});
