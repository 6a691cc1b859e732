/**
 * The root action (`uses: <owner>/tagrelay@v1` with `command:`), as the runner runs
 * it, against the GitHub emulator.
 */
import { WRITE_TOKEN, startGitHubEmulator, type GitHubEmulator } from './support/github-emulator/index.js';
import { commitCount, fileAt } from './support/git.js';
import { runAction } from './support/run-action.js';

const release = (tag: string) => `image:\n  repository: ghcr.io/synestra/shop\n  tag: ${tag}\n`;
let emulator: GitHubEmulator;
let gitDir: string;

beforeEach(async () => {
  emulator = await startGitHubEmulator({
    repos: [
      {
        owner: 'synestra',
        name: 'gitops',
        files: {
          'deploy/env/release-dev/shop.yaml': release('sha-222222222222'),
          'deploy/env/release-prod/shop.yaml': release('sha-111111111111'),
        },
      },
    ],
  });
  gitDir = emulator.repoDir('synestra', 'gitops');
});

afterEach(async () => {
  expect(emulator.violations).toEqual([]);
  await emulator.close();
});

const main = (inputs: Record<string, string>) =>
  runAction('main', {
    inputs: { 'gitops-repository': 'synestra/gitops', token: WRITE_TOKEN, ...inputs },
    env: { GITHUB_API_URL: emulator.url, GITHUB_GRAPHQL_URL: emulator.graphqlUrl },
  });

describe('root action', () => {
  it('command bump commits like bump-release-dev', async () => {
    const run = await main({ command: 'bump', app: 'shop', tag: 'sha-333333333333' });
    expect(run.code).toBe(0);
    expect(commitCount(gitDir)).toBe(2);
    expect(fileAt(gitDir, 'deploy/env/release-dev/shop.yaml')).toBe(release('sha-333333333333'));
    expect(run.outputs).toMatchObject({ changed: 'true', 'previous-tags': '{"shop":"sha-222222222222"}' });
  });

  it('command status reports every environment in one read, as JSON and a summary table', async () => {
    emulator.resetCounts();
    const run = await main({ command: 'status', app: 'shop' });
    expect(run.code).toBe(0);
    expect(emulator.requests.total).toBe(1);
    const status = JSON.parse(run.outputs.status ?? '');
    expect(status.environments).toEqual(['dev', 'prod']);
    expect(status.apps).toEqual([
      expect.objectContaining({
        app: 'shop',
        tags: { dev: 'sha-222222222222', prod: 'sha-111111111111' },
        ahead: [{ env: 'dev', of: 'prod' }],
      }),
    ]);
    expect(run.summary).toContain('<code>sha-222222222222</code>');
    expect(run.stdout).toContain('dev ahead of prod');
    expect(commitCount(gitDir)).toBe(1);
  });

  it.each([
    [{ command: 'deploy', app: 'shop' }, 'command', 'one of bump, promote, reset, rollback, status, init'],
    [{ command: '', app: 'shop' }, 'command', 'one of bump, promote, reset, rollback, status, init'],
    [{ command: 'status', app: '../x' }, 'app', 'DNS label'],
  ])('refuses %j naming the input', async (inputs, input, expected) => {
    const run = await main(inputs);
    expect(run.code).not.toBe(0);
    expect(run.stdout).toContain(`::error::Input "${input}"`);
    expect(run.stdout).toContain(expected);
    expect(commitCount(gitDir)).toBe(1);
  });
});
