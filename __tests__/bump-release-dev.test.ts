/**
 * bump-release-dev end to end, as the runner runs it: the bundled entry against
 * the GitHub emulator, the result checked with real git on the emulator's repository.
 */
import { parseDocument } from 'yaml';
import {
  READ_TOKEN,
  WRITE_TOKEN,
  startGitHubEmulator,
  type GitHubEmulator,
} from './support/github-emulator/index.js';
import { commitCount, fileAt, git, isLinear } from './support/git.js';
import { runAction, type ActionRun } from './support/run-action.js';

const OWNER = 'synestra';
const REPO = 'gitops';
const releaseFile = (app: string, env = 'dev') => `deploy/env/release-${env}/${app}.yaml`;
const releaseText = (app: string, tag: string) =>
  `# Release layer for ${app}: written by tagrelay.\nimage:\n  repository: ghcr.io/synestra/${app} # registry\n  tag: "${tag}" # immutable\n`;

const APPS = Array.from({ length: 20 }, (_, index) => `app-${index}`);

function seedFiles(): Record<string, string> {
  const files: Record<string, string> = {
    [releaseFile('corporate')]: releaseText('corporate', 'sha-aaaaaaaaaaaa'),
    [releaseFile('corporate', 'prod')]: releaseText('corporate', 'sha-aaaaaaaaaaaa'),
    [releaseFile('shop')]: releaseText('shop', 'sha-bbbbbbbbbbbb'),
    [releaseFile('aliased')]: 'base: &img\n  repository: r\n  tag: t\nimage: *img\n',
  };
  for (const app of APPS) files[releaseFile(app)] = releaseText(app, 'sha-000000000000');
  return files;
}

let emulator: GitHubEmulator;
let gitDir: string;

beforeEach(async () => {
  emulator = await startGitHubEmulator({ repos: [{ owner: OWNER, name: REPO, files: seedFiles() }] });
  gitDir = emulator.repoDir(OWNER, REPO);
});

afterEach(async () => {
  expect(emulator.violations).toEqual([]);
  await emulator.close();
});

function bump(inputs: Record<string, string>, token = WRITE_TOKEN): Promise<ActionRun> {
  return runAction('bump-release-dev', {
    inputs: { 'gitops-repository': `${OWNER}/${REPO}`, token, ...inputs },
    env: { GITHUB_API_URL: emulator.url, GITHUB_GRAPHQL_URL: emulator.graphqlUrl },
  });
}

describe('bump-release-dev', () => {
  it('sets the tag with one commit changing one line, in at most 2 requests', async () => {
    const before = git(gitDir, 'rev-parse', 'refs/heads/main').trim();
    emulator.resetCounts();
    const run = await bump({ app: 'corporate', tag: 'sha-0123456789ab' });
    expect({ code: run.code, stderr: run.stderr, stdout: run.code === 0 ? '' : run.stdout }).toEqual({
      code: 0,
      stderr: '',
      stdout: '',
    });
    expect(emulator.requests.total).toBeLessThanOrEqual(2);

    expect(commitCount(gitDir)).toBe(2);
    expect(git(gitDir, 'rev-parse', 'refs/heads/main~1').trim()).toBe(before);
    expect(git(gitDir, 'diff', '--numstat', 'main~1', 'main').trim()).toBe(
      `1\t1\t${releaseFile('corporate')}`,
    );
    expect(fileAt(gitDir, releaseFile('corporate'))).toBe(releaseText('corporate', 'sha-0123456789ab'));

    const message = git(gitDir, 'log', '-1', '--format=%B', 'main');
    expect(message.split('\n')[0]).toBe('release(dev): corporate sha-0123456789ab');
    const trailers = git(gitDir, 'log', '-1', '--format=%(trailers:only,unfold)', 'main');
    expect(trailers).toContain('Release-App: corporate\n');
    expect(trailers).toContain('Release-Env: dev\n');
    expect(trailers).toContain('Release-Tag: sha-0123456789ab\n');
    expect(trailers).toContain('Source-Commit: synestra/web@0123456789abcdef0123456789abcdef01234567\n');
    // No custom author: GitHub attributes (and signs) the commit itself.
    expect(git(gitDir, 'log', '-1', '--format=%cn', 'main').trim()).toBe('GitHub');

    const sha = git(gitDir, 'rev-parse', 'main').trim();
    expect(run.outputs).toEqual({
      changed: 'true',
      'commit-sha': sha,
      'commit-url': expect.stringContaining(sha),
      'previous-tags': JSON.stringify({ corporate: 'sha-aaaaaaaaaaaa' }),
      'pull-request-url': '',
    });
    expect(run.summary).toContain('<code>sha-aaaaaaaaaaaa</code> → <code>sha-0123456789ab</code>');
    expect(run.summary).toContain(sha.slice(0, 12));
  });

  it('is idempotent: a second run makes no commit and says the app is already at the tag', async () => {
    expect((await bump({ app: 'corporate', tag: 'sha-0123456789ab' })).code).toBe(0);
    const head = git(gitDir, 'rev-parse', 'main').trim();
    emulator.resetCounts();
    const again = await bump({ app: 'corporate', tag: 'sha-0123456789ab' });
    expect(again.code).toBe(0);
    expect(emulator.requests.total).toBe(1);
    expect(git(gitDir, 'rev-parse', 'main').trim()).toBe(head);
    expect(again.stdout).toContain('corporate: already at sha-0123456789ab');
    expect(again.outputs.changed).toBe('false');
    expect(again.outputs['commit-sha']).toBe('');
    expect(again.outputs['previous-tags']).toBe(JSON.stringify({ corporate: 'sha-0123456789ab' }));
  });

  it('changes several apps in one commit and keeps other environments untouched', async () => {
    const run = await bump({ app: 'corporate\nshop', tag: 'v2.0.1', image: 'ghcr.io/synestra/web' });
    expect(run.code).toBe(0);
    expect(commitCount(gitDir)).toBe(2);
    expect(git(gitDir, 'diff', '--name-only', 'main~1', 'main').trim().split('\n')).toEqual([
      releaseFile('corporate'),
      releaseFile('shop'),
    ]);
    expect(fileAt(gitDir, releaseFile('shop'))).toContain(
      'repository: ghcr.io/synestra/web # registry\n  tag: "v2.0.1"',
    );
    expect(fileAt(gitDir, releaseFile('corporate', 'prod'))).toBe(
      releaseText('corporate', 'sha-aaaaaaaaaaaa'),
    );
    expect(JSON.parse(run.outputs['previous-tags'] ?? '')).toEqual({
      corporate: 'sha-aaaaaaaaaaaa',
      shop: 'sha-bbbbbbbbbbbb',
    });
  });

  it('pins each app to its own image and digest, each paired with its app in the trailers', async () => {
    const corporate = `sha256:${'c'.repeat(64)}`;
    const shop = `sha256:${'5'.repeat(64)}`;
    const run = await bump({
      app: 'corporate,shop',
      tag: 'v2.0.2',
      image: 'ghcr.io/synestra/{app}-web',
      digest: JSON.stringify({ corporate, shop }),
    });
    expect(run.code).toBe(0);
    for (const [app, digest] of [
      ['corporate', corporate],
      ['shop', shop],
    ] as const) {
      expect(fileAt(gitDir, releaseFile(app))).toBe(
        `# Release layer for ${app}: written by tagrelay.\nimage:\n  repository: ghcr.io/synestra/${app}-web # registry\n` +
          `  tag: "v2.0.2" # immutable\n  digest: ${digest}\n`,
      );
    }
    const trailers = git(gitDir, 'log', '-1', '--format=%(trailers:only,unfold)', 'main');
    expect(trailers).toContain(
      `Release-App: corporate\nRelease-Tag: v2.0.2\nRelease-Digest: ${corporate}\n` +
        `Release-App: shop\nRelease-Tag: v2.0.2\nRelease-Digest: ${shop}\n`,
    );
  });

  it('shows the diff and commits nothing in a dry run', async () => {
    emulator.resetCounts();
    const run = await bump({ app: 'shop', tag: 'sha-cccccccccccc', 'dry-run': 'true' });
    expect(run.code).toBe(0);
    expect(commitCount(gitDir)).toBe(1);
    expect(emulator.requests.total).toBe(1);
    expect(run.stdout).toContain(
      '-  tag: "sha-bbbbbbbbbbbb" # immutable\n+  tag: "sha-cccccccccccc" # immutable',
    );
    expect(run.outputs.changed).toBe('true');
    expect(run.outputs['commit-sha']).toBe('');
    expect(run.summary).toContain('Dry run');
  });

  it('opens a pull request from tagrelay/<env>/<app>/<tag> in pull-request mode', async () => {
    const run = await bump({ app: 'shop', tag: 'sha-cccccccccccc', mode: 'pull-request' });
    expect(run.code).toBe(0);
    expect(commitCount(gitDir)).toBe(1);
    const branch = 'refs/heads/tagrelay/dev/shop/sha-cccccccccccc';
    expect(fileAt(gitDir, releaseFile('shop'), branch)).toBe(releaseText('shop', 'sha-cccccccccccc'));
    const pulls = emulator.pullRequests(OWNER, REPO);
    expect(pulls).toHaveLength(1);
    expect(pulls[0]).toMatchObject({
      head: 'tagrelay/dev/shop/sha-cccccccccccc',
      base: 'main',
      autoMerge: true,
    });
    expect(run.outputs['pull-request-url']).toMatch(/\/pull\/1$/);

    const again = await bump({ app: 'shop', tag: 'sha-cccccccccccc', mode: 'pull-request' });
    expect(again.code).toBe(0);
    expect(emulator.pullRequests(OWNER, REPO)).toHaveLength(1);
    expect(again.outputs['pull-request-url']).toBe(run.outputs['pull-request-url']);
  });

  it('lands 20 concurrent bumps of 20 apps on a linear history', async () => {
    emulator.setFaults({ latencyMs: 30 });
    const runs = await Promise.all(APPS.map((app, index) => bump({ app, tag: `v1.0.${index}` })));
    for (const run of runs) expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
    expect(commitCount(gitDir)).toBe(1 + APPS.length);
    expect(isLinear(gitDir)).toBe(true);
    APPS.forEach((app, index) =>
      expect(fileAt(gitDir, releaseFile(app))).toBe(releaseText(app, `v1.0.${index}`)),
    );
  }, 120_000);

  it('survives 10 concurrent bumps of one app: each lands or fails clearly, the file ends at one tag', async () => {
    emulator.setFaults({ latencyMs: 30 });
    const tags = Array.from({ length: 10 }, (_, index) => `sha-${String(index).repeat(12)}`);
    const runs = await Promise.all(tags.map((tag) => bump({ app: 'shop', tag })));
    for (const run of runs) {
      if (run.code !== 0) expect(run.stdout).toMatch(/kept moving: gave up after \d+ attempts/);
    }
    const landed = runs.filter((run) => run.code === 0).length;
    expect(isLinear(gitDir)).toBe(true);
    expect(commitCount(gitDir)).toBeLessThanOrEqual(1 + landed);
    const doc = parseDocument(fileAt(gitDir, releaseFile('shop')));
    expect(doc.errors).toEqual([]);
    expect(tags).toContain(doc.getIn(['image', 'tag']));
  }, 120_000);

  describe('refuses bad input without touching the repository or printing the token', () => {
    it.each([
      [{ app: 'shop', tag: 'latest' }, 'tag', 'is mutable'],
      [{ app: 'shop', tag: 'a:b' }, 'tag', 'immutable image tag'],
      [{ app: 'shop', tag: 'a'.repeat(129) }, 'tag', 'immutable image tag'],
      [{ app: 'shop', tag: 'sha-1\nlatest' }, 'tag', 'immutable image tag'],
      [{ app: '../x', tag: 'v1' }, 'app', 'DNS label'],
      [{ app: 'A/B', tag: 'v1' }, 'app', 'DNS label'],
      [{ app: '', tag: 'v1' }, 'app', 'one or more app names'],
      [{ app: 'shop', tag: 'v1', mode: 'yolo' }, 'mode', 'direct, pull-request'],
      [{ app: 'shop', tag: 'v1', 'gitops-repository': 'nope' }, 'gitops-repository', 'owner/name'],
      [{ app: 'shop', tag: 'v1', branch: 'a..b' }, 'branch', 'git branch name'],
      [{ app: 'shop', tag: 'v1', digest: 'sha256:123' }, 'digest', '64 lowercase hex'],
    ])('%j', async (inputs, input, expected) => {
      const run = await bump(inputs);
      expect(run.code).not.toBe(0);
      expect(run.stdout).toContain(`::error::Input "${input}"`);
      expect(run.stdout).toContain(expected);
      expect(commitCount(gitDir)).toBe(1);
      expect(run.visible).not.toContain(WRITE_TOKEN);
    });

    it('a missing release file', async () => {
      const run = await bump({ app: 'blog', tag: 'v1' });
      expect(run.code).not.toBe(0);
      expect(run.stdout).toContain('Release file deploy/env/release-dev/blog.yaml does not exist');
      expect(commitCount(gitDir)).toBe(1);
    });

    it('an alias on the key path, annotated on the file', async () => {
      const run = await bump({ app: 'aliased', tag: 'v1' });
      expect(run.code).not.toBe(0);
      expect(run.stdout).toMatch(
        /::error title=tagrelay%3A release file,file=deploy\/env\/release-dev\/aliased.yaml,line=4::.*alias/,
      );
      expect(commitCount(gitDir)).toBe(1);
    });

    it('a token without write access (403)', async () => {
      const run = await bump({ app: 'shop', tag: 'v1' }, READ_TOKEN);
      expect(run.code).not.toBe(0);
      expect(run.stdout).toContain(`The token cannot write to ${OWNER}/${REPO}`);
      expect(run.stdout).toContain('contents: write');
      expect(commitCount(gitDir)).toBe(1);
      expect(run.visible).not.toContain(READ_TOKEN);
    });

    it('an unknown token (401)', async () => {
      const run = await bump({ app: 'shop', tag: 'v1' }, 'ghp_notARealToken0000000000000000000000');
      expect(run.code).not.toBe(0);
      expect(run.stdout).toContain('GitHub rejected the token');
      expect(run.visible).not.toContain('ghp_notARealToken');
    });

    it('a branch that does not exist', async () => {
      const run = await bump({ app: 'shop', tag: 'v1', branch: 'nope' });
      expect(run.code).not.toBe(0);
      expect(run.stdout).toContain('Branch "nope" does not exist in synestra/gitops');
    });
  });
});
