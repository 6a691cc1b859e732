/** The dev site test double: wired to the emulator's push hook, it goes live a set delay after release-dev changes. */
import { GitHubRepository } from '../../src/github/repository.js';
import { createGitHubClient } from '../../src/github/client.js';
import { startDevSite, type DevSite } from '../support/dev-site.js';
import { startGitHubEmulator, WRITE_TOKEN, type GitHubEmulator } from '../support/github-emulator/index.js';

const FILE = 'deploy/env/release-dev/shop.yaml';
const release = (tag: string) => `image:\n  repository: ghcr.io/acme/shop\n  tag: ${tag}\n`;
let emulator: GitHubEmulator;
let site: DevSite;

beforeAll(async () => {
  emulator = await startGitHubEmulator({
    repos: [{ owner: 'acme', name: 'gitops', files: { [FILE]: release('sha-1'), 'a.md': 'a\n' } }],
  });
  site = await startDevSite({ version: 'sha-1' });
});
afterAll(async () => {
  await site.close();
  await emulator.close();
});

const versionNow = async () => (await fetch(`${site.url}/`)).headers.get('x-app-version');

it('switches to the new version a set delay after the release-dev file changes in the emulator', async () => {
  emulator.onPush((event) => {
    if (event.files.some((file) => file.path === FILE)) site.trigger();
  });
  site.armSwitch('sha-2', 300);
  const repository = new GitHubRepository(
    createGitHubClient({
      token: WRITE_TOKEN,
      apiUrl: emulator.url,
      userAgent: 't',
      log: { debug() {}, info() {}, warning() {} },
    }),
    { owner: 'acme', name: 'gitops' },
  );
  const commit = async (path: string, content: string) => {
    const { headOid } = await repository.read('main', []);
    await repository.commit({
      branch: 'main',
      expectedHeadOid: headOid,
      message: { headline: 'x', body: '' },
      files: [{ path, content }],
    });
  };
  await commit('a.md', 'b\n');
  await new Promise((resolve) => setTimeout(resolve, 400));
  expect(await versionNow()).toBe('sha-1');
  const pushed = performance.now();
  await commit(FILE, release('sha-2'));
  expect(await versionNow()).toBe('sha-1');
  await new Promise((resolve) => setTimeout(resolve, 400));
  expect(await versionNow()).toBe('sha-2');
  expect(site.liveAt! - pushed).toBeGreaterThanOrEqual(290);
  const health = await fetch(`${site.url}/api/health`);
  expect(await health.json()).toEqual({ status: 'ok', version: 'sha-2' });
  expect(site.detectionLagMs('sha-2')).toBeGreaterThanOrEqual(0);
});

it('answers health 500 only once the new version is live, when asked to', async () => {
  const fresh = await startDevSite({ version: 'v1' });
  try {
    fresh.setHealth({ afterSwitch: 500 });
    expect((await fetch(`${fresh.url}/api/health`)).status).toBe(200);
    fresh.switchTo('v2');
    expect((await fetch(`${fresh.url}/api/health`)).status).toBe(500);
  } finally {
    await fresh.close();
  }
});
