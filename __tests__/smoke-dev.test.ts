/**
 * smoke-dev end to end, as the runner runs it: the bundled entry against the loopback dev
 * site (which goes live a set delay after the release-dev file changes in the GitHub
 * emulator), the Argo CD API double and the emulator, where the record is read back.
 */
import { createGitHubClient } from '../src/github/client.js';
import { GitHubRepository } from '../src/github/repository.js';
import { GitHubVerificationStore } from '../src/github/verification.js';
import { findNewestRecord } from '../src/operations/verification.js';
import { ARGOCD_TOKEN, startArgoCdDouble, type ArgoCdDouble } from './support/argocd-double.js';
import { startDevSite, type DevSite } from './support/dev-site.js';
import { startGitHubEmulator, WRITE_TOKEN, type GitHubEmulator } from './support/github-emulator/index.js';
import { runAction, type ActionRun } from './support/run-action.js';

const OWNER = 'synestra';
const REPO = 'gitops';
const FILE = 'deploy/env/release-dev/shop.yaml';
const DIGEST = 'sha256:' + 'd'.repeat(64);
const release = (tag: string) =>
  `image:\n  repository: ghcr.io/synestra/shop\n  tag: ${tag}\n  digest: ${DIGEST}\n`;
const log = { debug: () => {}, info: () => {}, warning: () => {} };

let emulator: GitHubEmulator;
let site: DevSite;
let argocd: ArgoCdDouble | undefined;

beforeEach(async () => {
  emulator = await startGitHubEmulator({
    repos: [
      {
        owner: OWNER,
        name: REPO,
        files: {
          [FILE]: release('sha-old'),
          'deploy/tagrelay.yaml': 'argocd:\n  application: web-{app}-{env}\n',
        },
      },
    ],
  });
  site = await startDevSite({ version: 'sha-old' });
  // The dev site follows the GitOps repository: the new tag goes live 1.5 s after release-dev changes.
  emulator.onPush((event) => {
    const file = event.files.find((f) => f.path === FILE);
    const tag = file && /tag: (\S+)/.exec(file.content)?.[1];
    if (tag && !argocd) {
      site.armSwitch(tag, 1500);
      site.trigger();
    }
  });
});
afterEach(async () => {
  expect(emulator.violations).toEqual([]);
  await site.close();
  await argocd?.close();
  argocd = undefined;
  await emulator.close();
});

const client = () => createGitHubClient({ token: WRITE_TOKEN, apiUrl: emulator.url, userAgent: 't', log });

async function bump(tag: string): Promise<string> {
  const repository = new GitHubRepository(client(), { owner: OWNER, name: REPO });
  const { headOid } = await repository.read('main', []);
  const message = { headline: `release(dev): shop ${tag}`, body: '' };
  return (
    await repository.commit({
      branch: 'main',
      expectedHeadOid: headOid,
      message,
      files: [{ path: FILE, content: release(tag) }],
    })
  ).oid;
}

function smoke(inputs: Record<string, string>): Promise<ActionRun> {
  return runAction('smoke-dev', {
    inputs: {
      app: 'shop',
      tag: 'sha-new',
      url: site.url,
      'version-source': 'header:x-app-version',
      'rollout-timeout': '6s',
      'request-timeout': '500ms',
      'gitops-repository': `${OWNER}/${REPO}`,
      token: WRITE_TOKEN,
      ...inputs,
    },
    env: { GITHUB_API_URL: emulator.url, GITHUB_GRAPHQL_URL: emulator.graphqlUrl },
  });
}

const records = (commits: string | string[], tag = 'sha-new') =>
  findNewestRecord(
    new GitHubVerificationStore(client(), { owner: OWNER, name: REPO }),
    commits,
    'shop',
    'dev',
    tag,
  );

const report = (run: ActionRun) => JSON.parse(run.outputs.report ?? '{}');

describe('smoke-dev', () => {
  it('notices the version live 1.5 s in within a second, at ≤ 2 requests a second per URL, checks, records a success', async () => {
    const commit = await bump('sha-new');
    const run = await smoke({});
    expect({ code: run.code, log: run.code === 0 ? '' : run.stdout }).toEqual({ code: 0, log: '' });
    expect(site.detectionLagMs('sha-new')).toBeLessThanOrEqual(1000);
    expect(site.peakPerWindow()).toMatchObject({ peak: expect.any(Number) });
    expect(site.peakPerWindow().peak).toBeLessThanOrEqual(2);
    expect(run.outputs).toMatchObject({ passed: 'true', 'detected-version': 'sha-new' });
    expect(Number(run.outputs['rollout-seconds'])).toBeGreaterThan(0.5);
    expect(
      report(run).checks.map((c: { path: string; status: number; result: string }) => [
        c.path,
        c.status,
        c.result,
      ]),
    ).toEqual([
      ['/', 200, 'pass'],
      ['/admin', 200, 'pass'],
      ['/api/health', 200, 'pass'],
    ]);
    expect(report(run).checks[1]).toMatchObject({ redirects: 1, finalUrl: `${site.url}/admin/login` });
    expect(run.summary).toContain(
      '<th>URL</th><th>Status</th><th>Latency</th><th>Attempts</th><th>Result</th>',
    );
    expect(run.summary).toContain('Detected version: <code>sha-new</code>');
    expect(emulator.statuses(OWNER, REPO)).toEqual([
      expect.objectContaining({
        sha: commit,
        state: 'success',
        context: 'tagrelay/smoke/dev/shop',
        description: 'passed: sha-new (3 of 3 checks)',
        targetUrl: 'https://github.com/synestra/web/actions/runs/4242',
      }),
    ]);
    expect(emulator.deployments(OWNER, REPO)[0]).toMatchObject({
      sha: commit,
      environment: 'dev',
      payload: { app: 'shop', tag: 'sha-new', digest: DIGEST },
    });
    expect(await records(commit)).toMatchObject({ result: 'success', digest: DIGEST, commit });
  });

  it('records on the GitOps commit commit-sha names, not the one that set the tag', async () => {
    await bump('sha-new');
    const repository = new GitHubRepository(client(), { owner: OWNER, name: REPO });
    const { headOid } = await repository.read('main', []);
    const named = (
      await repository.commit({
        branch: 'main',
        expectedHeadOid: headOid,
        message: { headline: 'docs: notes', body: '' },
        files: [{ path: 'NOTES.md', content: 'x\n' }],
      })
    ).oid;
    const run = await smoke({ 'commit-sha': named });
    expect(run.code).toBe(0);
    expect(emulator.statuses(OWNER, REPO)).toEqual([
      expect.objectContaining({ sha: named, state: 'success', context: 'tagrelay/smoke/dev/shop' }),
    ]);
  });

  it('fails at rollout-timeout when the version never arrives, naming the last version seen, and records the failure', async () => {
    const commit = await bump('sha-new');
    site.cancelSwitches(); // dev keeps serving sha-old
    const started = performance.now();
    const run = await smoke({ 'rollout-timeout': '2s' });
    const elapsed = performance.now() - started;
    expect(run.code).toBe(1);
    expect(elapsed).toBeGreaterThan(2000);
    expect(elapsed).toBeLessThan(2000 + 1000 + 700); // ± 1 s, plus node's start and the emulator's two reads
    expect(run.stdout).toMatch(
      /::error::Rollout timed out after 2s \(rollout-timeout 2s\): expected sha-new at .* the last version seen was "sha-old"/,
    );
    expect(run.outputs).toMatchObject({ passed: 'false', 'detected-version': 'sha-old' });
    expect(report(run).checks).toEqual([]);
    expect(emulator.statuses(OWNER, REPO)[0]).toMatchObject({
      state: 'failure',
      description: 'failed: sha-new (rollout timed out)',
    });
    expect(await records(commit)).toMatchObject({ result: 'failure' });
  });

  it('waits through refused connections and 502 bursts, retrying the checks', async () => {
    await bump('sha-new');
    await site.refuse(1000);
    setTimeout(() => site.fail502(2, '/'), 1700);
    const run = await smoke({});
    expect(run.code).toBe(0);
    expect(site.detectionLagMs('sha-new')).toBeLessThanOrEqual(1000);
    expect(site.peakPerWindow().peak).toBeLessThanOrEqual(2);
    const home = report(run).checks[0];
    expect(home.result).toBe('pass');
    expect(site.requestsFor('/').some((r) => r.status === 502)).toBe(true);
  });

  it.each<[string, (s: DevSite) => void, Record<string, string>, string]>([
    ['a response slower than request-timeout', (s) => s.slow('/admin/login', 1500), {}, '/admin/login'],
    [
      'a body that does not match',
      () => {},
      { 'expect-body': '/=Welcome to the shop' },
      'the body does not match /Welcome to the shop/',
    ],
    [
      'a health endpoint answering 500 after the rollout',
      (s) => s.setHealth({ afterSwitch: 500 }),
      {},
      'HTTP 500, expected 200-399',
    ],
  ])('fails on %s, and records the failure', async (_name, setup, inputs, reason) => {
    const commit = await bump('sha-new');
    setup(site);
    const run = await smoke(inputs);
    expect(run.code).toBe(1);
    expect(run.outputs.passed).toBe('false');
    expect(run.stdout).toContain(reason === '/admin/login' ? 'timed out after 500ms' : reason);
    expect(await records(commit)).toMatchObject({ result: 'failure' });
  });

  it('follows a redirect chain and skips a missing default health endpoint', async () => {
    await bump('sha-new');
    site.redirectChain('/api/health', 3);
    const run = await smoke({ paths: '/admin, /api/health', 'expect-status': '/api/health=200' });
    expect(run.code).toBe(0);
    expect(report(run).checks[1]).toMatchObject({ redirects: 3, status: 200, result: 'pass' });
    const noHealth = await smoke({ paths: '', 'expect-body': '' });
    expect(noHealth.code).toBe(0);
  });

  it('asks Argo CD to refresh, waits for Synced + Healthy with the new image, never printing a token', async () => {
    argocd = await startArgoCdDouble({
      apps: [{ name: 'web-shop-dev', images: ['ghcr.io/synestra/shop:sha-old'], revision: 'a'.repeat(40) }],
      rolloutMs: 300,
      onRolledOut: (_name, images) => site.switchTo(images[0]!.split(':').pop()!),
    });
    const double = argocd;
    emulator.onPush((event) =>
      double.deploy('web-shop-dev', { images: ['ghcr.io/synestra/shop:sha-new'], revision: event.after }),
    );
    const commit = await bump('sha-new');
    const run = await smoke({
      'version-source': '',
      'argocd-server': double.url,
      'argocd-token': ARGOCD_TOKEN,
    });
    expect({ code: run.code, log: run.code === 0 ? '' : run.stdout }).toEqual({ code: 0, log: '' });
    expect(double.refreshes('web-shop-dev')).toEqual(['normal']);
    expect(run.outputs['detected-version']).toBe('sha-new');
    expect(Number(run.outputs['rollout-seconds'])).toBeLessThan(2);
    expect(await records(commit)).toMatchObject({ result: 'success' });
    for (const secret of [ARGOCD_TOKEN, WRITE_TOKEN]) {
      expect(run.visible).not.toContain(secret);
      expect(
        JSON.stringify([emulator.statuses(OWNER, REPO), emulator.deployments(OWNER, REPO)]),
      ).not.toContain(secret);
    }
    expect(run.stdout).toContain(`::add-mask::${ARGOCD_TOKEN}`);
  });

  it.each([
    ['url', 'ftp://{app}.example.com'],
    ['paths', 'admin'],
    ['rollout-timeout', 'abc'],
    ['version-source', 'git'],
    ['version-source', 'json:/api/health'],
    ['tag', 'latest'],
    ['app', '../shop'],
    ['commit-sha', 'main'],
  ])('refuses %s=%j before any request, naming the input', async (input, value) => {
    emulator.resetCounts();
    const run = await smoke({ [input]: value });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(new RegExp(`::error::Input "${input}" has an invalid value`));
    expect(emulator.requests.total).toBe(0);
    expect(site.requests).toHaveLength(0);
  });
});
