/**
 * promote-prod and the root action's promote, rollback and reset, as the runner runs them:
 * the bundled entries against the GitHub emulator, records written as smoke-dev writes
 * them (commit statuses), the result read back with real git.
 */
import { WRITE_TOKEN, startGitHubEmulator, type GitHubEmulator } from './support/github-emulator/index.js';
import { commitCount, fileAt, git } from './support/git.js';
import { registryAvailable, startRegistry, type TestRegistry } from './support/registry.js';
import { runAction, type ActionRun } from './support/run-action.js';

const OWNER = 'synestra';
const REPO = 'gitops';
const release = (app: string, env: string) => `deploy/env/release-${env}/${app}.yaml`;
const text = (app: string, tag: string) =>
  `# Release layer for ${app}.\nimage:\n  repository: ghcr.io/synestra/${app}\n  tag: ${tag} # immutable\n`;
const OLD = 'sha-000000000000';

let emulator: GitHubEmulator;
let gitDir: string;

async function start(apps: readonly string[]): Promise<void> {
  const files: Record<string, string> = {};
  for (const app of apps) {
    files[release(app, 'dev')] = text(app, OLD);
    files[release(app, 'prod')] = text(app, OLD);
  }
  emulator = await startGitHubEmulator({ repos: [{ owner: OWNER, name: REPO, files }] });
  gitDir = emulator.repoDir(OWNER, REPO);
}

afterEach(async () => {
  expect(emulator.violations).toEqual([]);
  await emulator.close();
});

const head = () => git(gitDir, 'rev-parse', 'refs/heads/main').trim();
const env = () => ({ GITHUB_API_URL: emulator.url, GITHUB_GRAPHQL_URL: emulator.graphqlUrl });
const target = { 'gitops-repository': `${OWNER}/${REPO}`, token: WRITE_TOKEN };

function action(entry: string, inputs: Record<string, string>): Promise<ActionRun> {
  return runAction(entry, { inputs: { ...target, ...inputs }, env: env() });
}

async function bumpDev(apps: readonly string[], tag: string): Promise<string> {
  const run = await action('bump-release-dev', { app: apps.join(','), tag });
  expect([run.code, run.stdout.includes('::error')]).toEqual([0, false]);
  return run.outputs['commit-sha'] as string;
}

/** A record as smoke-dev writes it: a commit status on the GitOps commit that set the tag. */
async function record(commit: string, app: string, tag: string, state: 'success' | 'failure'): Promise<void> {
  const response = await fetch(`${emulator.url}/repos/${OWNER}/${REPO}/statuses/${commit}`, {
    method: 'POST',
    headers: {
      authorization: `token ${WRITE_TOKEN}`,
      'content-type': 'application/json',
      accept: 'application/vnd.github+json',
    },
    body: JSON.stringify({
      state,
      context: `tagrelay/smoke/dev/${app}`,
      description: `${state === 'success' ? 'passed' : 'failed'}: ${tag} (3 of 3 checks)`,
      target_url: `https://github.com/synestra/web/actions/runs/77`,
    }),
  });
  expect(response.status).toBe(201);
}

const trailers = (rev = 'main') => git(gitDir, 'log', '-1', '--format=%(trailers:only,unfold)', rev);

describe('promote-prod', () => {
  it('refuses an unverified tag with the reason and no commit; promotes it once verified, in 2 requests', async () => {
    await start(['corporate']);
    const devCommit = await bumpDev(['corporate'], 'sha-111111111111');
    const before = head();

    const refused = await action('promote-prod', { app: 'corporate' });
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain(
      '::error::Promotion refused, nothing committed: corporate sha-111111111111 failed verified (no verification record for sha-111111111111 in dev)',
    );
    expect(refused.summary).toContain('❌ verified');
    // The refusal's table names the environment and what prod runs now.
    expect(refused.summary).toContain('tagrelay: promotion gate for prod');
    expect(refused.summary).toContain(`<code>${OLD}</code> → <code>sha-111111111111</code>`);
    expect(head()).toBe(before);

    await record(devCommit, 'corporate', 'sha-111111111111', 'success');
    emulator.resetCounts();
    const run = await action('promote-prod', { app: 'corporate' });
    expect([run.code, run.stdout.match(/::error::.*/)?.[0]]).toEqual([0, undefined]);
    expect(emulator.requests.total).toBeLessThanOrEqual(2);
    expect(git(gitDir, 'rev-parse', 'main~1').trim()).toBe(before);
    expect(fileAt(gitDir, release('corporate', 'prod'))).toBe(text('corporate', 'sha-111111111111'));
    expect(git(gitDir, 'log', '-1', '--format=%s').trim()).toBe('release(prod): corporate sha-111111111111');
    expect(trailers()).toContain(`Promoted-From: ${devCommit}\n`);
    expect(trailers()).toContain('Verified-By: https://github.com/synestra/web/actions/runs/77\n');
    expect(trailers()).toContain('Source-Commit: synestra/web@0123456789abcdef0123456789abcdef01234567\n');
    expect(JSON.parse(run.outputs.promoted as string)).toEqual([
      { app: 'corporate', from_tag: OLD, to_tag: 'sha-111111111111' },
    ]);
    expect(run.outputs['commit-sha']).toBe(head());
    expect(run.summary).toContain('✅ verified');

    const again = await action('promote-prod', { app: 'corporate' });
    expect([again.code, again.outputs.changed]).toEqual([0, 'false']);
  });

  it('force commits an unverified tag with Forced-By and Promoted-From, and says so', async () => {
    await start(['corporate']);
    const devCommit = await bumpDev(['corporate'], 'sha-222222222222');
    const run = await action('promote-prod', { app: 'corporate', force: 'true' });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('::warning::Forced past a failed check by release-bot');
    expect(trailers()).toContain('Forced-By: release-bot\n');
    expect(trailers()).toContain(`Promoted-From: ${devCommit}\n`);
    expect(run.summary).toContain('Forced past failed checks for corporate');
  });

  it('commits nothing when one app of several is unverified, naming it', async () => {
    await start(['corporate', 'shop']);
    const devCommit = await bumpDev(['corporate', 'shop'], 'sha-333333333333');
    await record(devCommit, 'corporate', 'sha-333333333333', 'success');
    await record(devCommit, 'shop', 'sha-333333333333', 'failure');
    const before = head();
    const run = await action('promote-prod', { app: 'corporate, shop' });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(
      /::error::Promotion refused, nothing committed: shop sha-333333333333 failed verified \(failure in dev/,
    );
    expect(run.stdout).not.toMatch(/::error::.*corporate sha-333333333333 failed/);
    expect(head()).toBe(before);
  });

  it('promotes 50 apps, gate included, in one commit and at most 3 requests', async () => {
    const apps = Array.from({ length: 50 }, (_, index) => `site-${index}`);
    await start(apps);
    const devCommit = await bumpDev(apps, 'sha-444444444444');
    for (const app of apps) await record(devCommit, app, 'sha-444444444444', 'success');
    const before = commitCount(gitDir);
    emulator.resetCounts();
    const run = await action('promote-prod', { app: apps.join('\n') });
    expect(run.code).toBe(0);
    expect(emulator.requests.total).toBeLessThanOrEqual(3);
    expect(commitCount(gitDir)).toBe(before + 1);
    expect(git(gitDir, 'diff', '--name-only', 'main~1', 'main').trim().split('\n')).toHaveLength(50);
    expect(git(gitDir, 'log', '-1', '--format=%s').trim()).toBe('release(prod): 50 apps sha-444444444444');
  }, 60_000);

  it('opens a pull request in pull-request mode and leaves the base branch alone', async () => {
    await start(['corporate']);
    const devCommit = await bumpDev(['corporate'], 'sha-555555555555');
    await record(devCommit, 'corporate', 'sha-555555555555', 'success');
    const before = head();
    const run = await action('promote-prod', { app: 'corporate', mode: 'pull-request' });
    expect(run.code).toBe(0);
    expect(head()).toBe(before);
    const [pull] = emulator.pullRequests(OWNER, REPO);
    expect(pull).toMatchObject({
      head: 'tagrelay/prod/corporate/sha-555555555555',
      base: 'main',
      state: 'open',
    });
    expect(run.outputs['pull-request-url']).toMatch(/\/pull\/1$/);
    expect(pull?.body).toContain('**Promotion gate**');
    expect(pull?.body).toContain('✅ verified: success in dev');
    expect(fileAt(gitDir, release('corporate', 'prod'), 'tagrelay/prod/corporate/sha-555555555555')).toBe(
      text('corporate', 'sha-555555555555'),
    );
  });

  it.each([
    [{ app: 'corporate', to: 'qa' }, 'Input "to"'],
    [{ app: 'corporate', from: 'prod', to: 'prod' }, 'Input "from"'],
    [{ app: 'corporate', to: 'dev' }, 'Input "to"'],
    [{ app: 'nosuchapp' }, 'Input "app"'],
    [{ app: 'corporate', tag: 'sha-999999999999' }, 'Input "tag"'],
    [{ app: 'corporate', 'registry-username': 'u' }, 'Input "registry-password"'],
  ])('refuses %j naming the input, committing nothing', async (inputs, named) => {
    await start(['corporate']);
    const before = head();
    const run = await action('promote-prod', inputs);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(`::error::${named}`);
    expect(head()).toBe(before);
  });
});

describe('root action: rollback and reset', () => {
  it('rolls prod back to the first of two promotions, and a later promotion of the rolled-back tag is refused', async () => {
    await start(['corporate']);
    for (const tag of ['sha-aaaaaaaaaaa1', 'sha-aaaaaaaaaaa2']) {
      const commit = await bumpDev(['corporate'], tag);
      await record(commit, 'corporate', tag, 'success');
      expect((await action('promote-prod', { app: 'corporate' })).code).toBe(0);
    }
    const run = await action('main', { command: 'rollback', app: 'corporate' });
    expect(run.code).toBe(0);
    expect(fileAt(gitDir, release('corporate', 'prod'))).toBe(text('corporate', 'sha-aaaaaaaaaaa1'));
    expect(git(gitDir, 'log', '-1', '--format=%s').trim()).toBe('rollback(prod): corporate sha-aaaaaaaaaaa1');
    expect(trailers()).toContain('Rollback-Of: sha-aaaaaaaaaaa2\n');

    const again = await action('promote-prod', { app: 'corporate' });
    expect(again.code).toBe(1);
    expect(again.stdout).toContain('rollback (prod was rolled back from sha-aaaaaaaaaaa2)');
  });

  it('resets dev to prod’s release', async () => {
    await start(['corporate']);
    await bumpDev(['corporate'], 'sha-bbbbbbbbbbb1');
    const run = await action('main', { command: 'reset', app: 'corporate' });
    expect(run.code).toBe(0);
    expect(fileAt(gitDir, release('corporate', 'dev'))).toBe(text('corporate', OLD));
    expect(trailers()).toContain('Reset-From: prod\n');
  });
});

const describeRegistry = registryAvailable() ? describe : describe.skip;

describeRegistry('promote-prod digest check against Debian’s registry', () => {
  let registry: TestRegistry;
  beforeAll(async () => {
    registry = await startRegistry({ kind: 'basic', users: { ci: 'registry-secret-1' } });
  });
  afterAll(async () => registry.stop());

  it('promotes while the tag still resolves to the recorded digest, refuses once it was overwritten', async () => {
    const repository = `${registry.host}/synestra/corporate`;
    const pushed = await registry.push('synestra/corporate', 'sha-d16e57000001', 'oci-manifest');
    emulator = await startGitHubEmulator({
      repos: [
        {
          owner: OWNER,
          name: REPO,
          files: {
            [release('corporate', 'dev')]: `image:\n  repository: ${repository}\n  tag: ${OLD}\n`,
            [release('corporate', 'prod')]: `image:\n  repository: ${repository}\n  tag: ${OLD}\n`,
          },
        },
      ],
    });
    gitDir = emulator.repoDir(OWNER, REPO);
    const bump = await action('bump-release-dev', {
      app: 'corporate',
      tag: 'sha-d16e57000001',
      digest: pushed.digest,
    });
    expect(bump.code).toBe(0);
    await record(bump.outputs['commit-sha'] as string, 'corporate', 'sha-d16e57000001', 'success');
    const credentials = { 'registry-username': 'ci', 'registry-password': 'registry-secret-1' };

    const overwritten = await registry.push('synestra/corporate', 'sha-d16e57000001', 'docker-manifest');
    expect(overwritten.digest).not.toBe(pushed.digest);
    const refused = await action('promote-prod', { app: 'corporate', ...credentials });
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain(
      `now resolves to ${overwritten.digest}, not ${pushed.digest} as recorded`,
    );
    expect(refused.visible).not.toContain('registry-secret-1');

    await registry.push('synestra/corporate', 'sha-d16e57000001', 'oci-manifest');
    const run = await action('promote-prod', { app: 'corporate', ...credentials });
    expect([run.code, run.stdout.match(/::error::.*/)?.[0]]).toEqual([0, undefined]);
    expect(run.summary).toContain('✅ digest');
    expect(trailers()).toContain(`Release-Digest: ${pushed.digest}\n`);
    expect(run.visible).not.toContain('registry-secret-1');
  }, 60_000);
});
