/**
 * On GitHub, release files are regular files read as exact bytes: the read query's
 * `TreeEntry.mode` refuses a symbolic link, a submodule or a directory; `Blob.oid` and
 * `byteSize` tell whether GitHub's `text` is the blob (GitHub decodes a blob that is not
 * UTF-8 lossily), and only then does a second request fetch the bytes, to refuse the
 * file with its byte offset. A UTF-8 file keeps every byte but the tag, in 2 requests.
 */
import { GitHubRepository } from '../src/github/repository.js';
import { createGitHubClient } from '../src/github/client.js';
import { initialPaths, planBump } from '../src/core/plan.js';
import { DEFAULT_LAYOUT } from '../src/core/layout.js';
import { runRelease } from '../src/operations/release.js';
import { WRITE_TOKEN, startGitHubEmulator, type GitHubEmulator } from './support/github-emulator/index.js';
import { commitCount } from './support/git.js';
import { SUBMODULE_COMMIT, commitEntries } from './support/tree-entries.js';
import { execFileSync } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MAX_FILE_BYTES } from '../src/core/repository-file.js';

const OWNER = 'synestra';
const REPO = 'gitops';
const DEV = (app: string) => `deploy/env/release-dev/${app}.yaml`;
const releaseText = (tag: string) => `image:\n  repository: ghcr.io/x/web\n  tag: ${tag} # current\n`;
const UNICODE = Buffer.concat([
  Buffer.from([0xef, 0xbb, 0xbf]),
  Buffer.from('# Café ☕ release\r\nimage:\r\n  repository: r # a\rb\r\n  tag: "v1" # 😀\r\n'),
]);
const LATIN1 = Buffer.concat([
  Buffer.from('# caf'),
  Buffer.from([0xe9]),
  Buffer.from(`\n${releaseText('v1')}`),
]);
// A truncated 4-byte sequence: its U+FFFD is as long as the bytes it replaces.
const SAME_SIZE = Buffer.concat([
  Buffer.from('# '),
  Buffer.from([0xf0, 0x9f, 0x98]),
  Buffer.from(`x\n${releaseText('v1')}`),
]);

let emulator: GitHubEmulator;
let gitDir: string;

beforeAll(async () => {
  emulator = await startGitHubEmulator({
    repos: [{ owner: OWNER, name: REPO, files: { [DEV('plain')]: releaseText('v1'), 'keep/x': 'x\n' } }],
  });
  gitDir = emulator.repoDir(OWNER, REPO);
  commitEntries(gitDir, [
    { path: DEV('link'), mode: '120000', content: 'image: {tag: old}  #/../../../../../outside/pwned' },
    { path: DEV('inner-link'), mode: '120000', content: 'plain.yaml' },
    { path: DEV('sub'), mode: '160000', oid: SUBMODULE_COMMIT },
    { path: `${DEV('dir')}/x.yaml`, mode: '100644', content: releaseText('v1') },
    { path: DEV('unicode'), mode: '100644', content: UNICODE },
    { path: DEV('latin1'), mode: '100644', content: LATIN1 },
    { path: DEV('same-size'), mode: '100644', content: SAME_SIZE },
    {
      path: DEV('nul'),
      mode: '100644',
      content: Buffer.concat([Buffer.from(releaseText('v1')), Buffer.from([0])]),
    },
    { path: DEV('exec'), mode: '100755', content: releaseText('v1') },
    { path: DEV('huge'), mode: '100644', content: `${'#'.repeat(MAX_FILE_BYTES)}\n${releaseText('v1')}` },
  ]);
});

afterAll(async () => {
  expect(emulator.violations).toEqual([]);
  await emulator.close();
});

function facade(apiUrl = emulator.url) {
  const log = { debug: () => {}, info: () => {}, warning: () => {} };
  const client = createGitHubClient({ token: WRITE_TOKEN, apiUrl, userAgent: 't', log });
  return new GitHubRepository(client, { owner: OWNER, name: REPO });
}

async function bump(app: string, tag = 'v2', apiUrl?: string) {
  const request = { env: 'dev', apps: [app], tag };
  emulator.resetCounts();
  const before = commitCount(gitDir);
  const repo = facade(apiUrl);
  const outcome = runRelease(
    repo,
    { paths: initialPaths('dev', [app], DEFAULT_LAYOUT), plan: (files) => planBump(request, files) },
    { mode: 'direct', dryRun: false },
    repo,
  );
  return { outcome, before };
}

const blob = (path: string) =>
  execFileSync('git', ['--git-dir', gitDir, 'cat-file', 'blob', `refs/heads/main:${path}`]);

describe('GitHub: only regular files', () => {
  it.each([
    ['link', 'a symbolic link (mode 120000)'],
    ['inner-link', 'a symbolic link (mode 120000)'],
    ['sub', 'a submodule (gitlink) (mode 160000)'],
    ['dir', 'a directory (mode 040000)'],
  ])('refuses %s as %s, in the one read, committing nothing', async (app, what) => {
    const { outcome, before } = await bump(app);
    await expect(outcome).rejects.toThrow(`${DEV(app)} is ${what} in ${OWNER}/${REPO} at`);
    expect(commitCount(gitDir)).toBe(before);
    expect(emulator.requests.total).toBe(1);
  });

  it('commits an executable release file (mode 100755)', async () => {
    const { outcome } = await bump('exec');
    expect((await outcome).commit).toBeDefined();
    expect(blob(DEV('exec')).toString()).toBe(releaseText('v2'));
  });
});

describe('GitHub: bytes', () => {
  it('changes only the tag of a file with a BOM, CRLF, a lone CR and non-ASCII text, in 2 requests', async () => {
    const { outcome, before } = await bump('unicode');
    expect((await outcome).commit).toBeDefined();
    expect(emulator.requests.total).toBe(2);
    expect(commitCount(gitDir)).toBe(before + 1);
    const expected = Buffer.from(UNICODE.toString('latin1').replace('"v1"', '"v2"'), 'latin1');
    expect(blob(DEV('unicode')).equals(expected)).toBe(true);
  });

  it.each([
    ['latin1', 'is not valid UTF-8 at byte offset 5 (line 1, bytes e9 0a 69 6d)'],
    ['same-size', 'is not valid UTF-8 at byte offset 2 (line 1, bytes f0 9f 98 78)'],
    ['nul', `holds a NUL byte at byte offset ${releaseText('v1').length} (line 4)`],
  ])('refuses %s with its byte offset, fetching the bytes once, committing nothing', async (app, reason) => {
    const { outcome, before } = await bump(app);
    await expect(outcome).rejects.toThrow(`${DEV(app)} ${reason}`);
    expect(commitCount(gitDir)).toBe(before);
    expect(emulator.requests.byRoute).toEqual({
      'graphql query tagrelayRead': 1,
      'GET /repos/{owner}/{repo}/contents/{path}': 1,
    });
  });

  it('refuses a file over the size limit from its byteSize, in the one read, committing nothing', async () => {
    const { outcome, before } = await bump('huge');
    await expect(outcome).rejects.toThrow(
      new RegExp(
        `${DEV('huge')} is ${MAX_FILE_BYTES + 1 + releaseText('v1').length} bytes in ${OWNER}/${REPO} at [0-9a-f]{12}: too large`,
      ),
    );
    expect(commitCount(gitDir)).toBe(before);
    expect(emulator.requests.total).toBe(1);
  });

  /**
   * The emulator behind a proxy that alters the contents endpoint's answer (a cache or a
   * middlebox serving other bytes): the bytes must hash to the blob the read named.
   */
  it.each<[string, (answer: { sha: string; content: string }) => void]>([
    [
      'other bytes under the right sha',
      (answer) => (answer.content = Buffer.from('image: {tag: evil}\n').toString('base64')),
    ],
    ['the right bytes under another sha', (answer) => (answer.sha = '0'.repeat(40))],
  ])('refuses the contents endpoint answering %s, committing nothing', async (_name, alter) => {
    const proxy: Server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', async () => {
        const answer = await fetch(`${emulator.url}${request.url}`, {
          method: request.method,
          headers: {
            authorization: String(request.headers.authorization),
            'content-type': 'application/json',
          },
          body: request.method === 'GET' ? undefined : Buffer.concat(chunks),
        });
        let body = await answer.text();
        if (request.url?.includes('/contents/')) {
          const json = JSON.parse(body) as { sha: string; content: string };
          alter(json);
          body = JSON.stringify(json);
        }
        response.writeHead(answer.status, { 'content-type': 'application/json' }).end(body);
      });
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    try {
      const { outcome, before } = await bump(
        'latin1',
        'v2',
        `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`,
      );
      await expect(outcome).rejects.toThrow(
        new RegExp(
          `GitHub answered the contents of ${DEV('latin1')} in .* with other bytes than blob [0-9a-f]{40}`,
        ),
      );
      expect(commitCount(gitDir)).toBe(before);
    } finally {
      proxy.closeAllConnections();
      await new Promise((resolve) => proxy.close(resolve));
    }
  });
});
