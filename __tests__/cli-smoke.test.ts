/**
 * `tagrelay smoke` as users run it: the bundled dist/cli.js in a subprocess, against the
 * loopback dev site, the Argo CD double, a local git checkout (record as a git note) and
 * the GitHub emulator (record as a commit status and a deployment).
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createGitHubClient } from '../src/github/client.js';
import { GitHubVerificationStore } from '../src/github/verification.js';
import { LocalVerificationNotes } from '../src/local/verification-notes.js';
import { findNewestRecord } from '../src/operations/verification.js';
import { ARGOCD_TOKEN, startArgoCdDouble } from './support/argocd-double.js';
import { startDevSite, type DevSite } from './support/dev-site.js';
import { startGitHubEmulator, WRITE_TOKEN } from './support/github-emulator/index.js';
import { ROOT } from './support/run-action.js';

const FILE = 'deploy/env/release-dev/shop.yaml';
const release = (tag: string) => `image:\n  repository: ghcr.io/synestra/shop\n  tag: ${tag}\n`;

let scratch: string;
let gitConfig: string;
let site: DevSite;

beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'tagrelay-cli-smoke-'));
  gitConfig = join(scratch, 'gitconfig');
  writeFileSync(gitConfig, '[user]\n\tname = Test User\n\temail = test@example.com\n');
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
beforeEach(async () => {
  site = await startDevSite({ version: 'sha-old' });
});
afterEach(() => site.close());

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

function tagrelay(args: string[], env: Record<string, string> = {}, stdin = ''): Promise<Run> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(ROOT, 'dist', 'cli.js'), 'smoke', ...args], {
      cwd: scratch,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: scratch,
        GIT_CONFIG_GLOBAL: gitConfig,
        GIT_CONFIG_NOSYSTEM: '1',
        ...env,
      },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr, ms: performance.now() - started }));
    child.stdin.end(stdin);
  });
}

const base = () => [
  '--app',
  'shop',
  '--tag',
  'sha-new',
  '--url',
  site.url,
  '--version-source',
  'header:x-app-version',
  '--request-timeout',
  '500ms',
];

function localRepo(): { dir: string; commit: string } {
  const dir = mkdtempSync(join(scratch, 'gitops-'));
  const git = (...args: string[]) =>
    execFileSync('git', ['-C', dir, ...args], {
      encoding: 'utf8',
      env: { ...process.env, GIT_CONFIG_GLOBAL: gitConfig },
    }).trim();
  git('init', '-q', '-b', 'main');
  mkdirSync(dirname(join(dir, FILE)), { recursive: true });
  writeFileSync(join(dir, FILE), release('sha-old'));
  git('add', '-A');
  git('commit', '-q', '-m', 'seed');
  writeFileSync(join(dir, FILE), release('sha-new'));
  git('commit', '-q', '-am', 'release(dev): shop sha-new');
  return { dir, commit: git('rev-parse', 'HEAD') };
}

describe('tagrelay smoke', () => {
  it('passes without a record target, and says on stderr that nothing is recorded', async () => {
    site.switchTo('sha-new', 1500);
    const run = await tagrelay([...base(), '--rollout-timeout', '5s']);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('no verification record is written (give --repo OWNER/NAME or --local DIR');
    expect(run.stdout).toMatch(
      /^PASSED: shop sha-new in dev at http:\/\/127\.0\.0\.1:\d+\nrollout: sha-new live after /,
    );
    expect(run.stdout).toMatch(/URL\s+STATUS\s+LATENCY\s+ATTEMPTS\s+RESULT/);
    expect(run.stdout).toContain('/admin/login');
    expect(site.detectionLagMs('sha-new')).toBeLessThanOrEqual(1000);
    expect(site.peakPerWindow().peak).toBeLessThanOrEqual(2);
  });

  it('records in refs/notes/tagrelay with --local, on success and on failure, read back by the same reader', async () => {
    const { dir, commit } = localRepo();
    site.switchTo('sha-new', 800);
    const passed = await tagrelay([...base(), '--local', dir, '--rollout-timeout', '5s', '--json']);
    expect(passed.code).toBe(0);
    expect(JSON.parse(passed.stdout)).toMatchObject({ passed: true, detectedVersion: 'sha-new' });
    const notes = await LocalVerificationNotes.open(dir);
    expect(await findNewestRecord(notes, commit, 'shop', 'dev', 'sha-new')).toMatchObject({
      result: 'success',
      commit,
      source: 'note',
    });

    site.setHealth(500);
    const failed = await tagrelay([...base(), '--local', dir, '--paths', '/, /api/health']);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain('/api/health: HTTP 500, expected 200-399');
    expect(await findNewestRecord(notes, commit, 'shop', 'dev', 'sha-new')).toMatchObject({
      result: 'failure',
      reason: '/api/health 500',
    });
  });

  it('exits 1 at the rollout timeout, naming the last version seen', async () => {
    const run = await tagrelay([...base(), '--rollout-timeout', '2s']);
    expect(run.code).toBe(1);
    expect(run.ms).toBeGreaterThan(2000);
    expect(run.ms).toBeLessThan(3000 + 300);
    expect(run.stderr).toMatch(/tagrelay: Rollout timed out after 2s .* the last version seen was "sha-old"/);
    expect(run.stdout).toMatch(/^FAILED: /);
  });

  it.each([
    [['--url', 'ftp://{app}.example.com'], '--url'],
    [['--paths', 'admin'], '--paths'],
    [['--rollout-timeout', 'abc'], '--rollout-timeout'],
    [['--version-source', 'git'], '--version-source'],
    [['--version-source', 'json:/api/health'], '--version-source'],
    [['--tag', 'latest'], '--tag'],
    [['--app', 'Shop'], '--app'],
    [['--commit-sha', 'HEAD'], '--commit-sha'],
    [['--argocd-server', 'https://argocd.example'], 'ARGOCD_AUTH_TOKEN'],
  ])('exits 2 for %j before any request, naming %s', async (flags, named) => {
    const run = await tagrelay([...base(), ...flags]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(named);
    expect(site.requests).toHaveLength(0);
  });

  it('records on GitHub with --repo and reads Argo CD with a token from stdin, printing no token', async () => {
    const emulator = await startGitHubEmulator({
      repos: [{ owner: 'acme', name: 'gitops', files: { [FILE]: release('sha-new') } }],
    });
    const argocd = await startArgoCdDouble({
      apps: [{ name: 'shop-dev', images: ['ghcr.io/synestra/shop:sha-old'], revision: 'a'.repeat(40) }],
      rolloutMs: 200,
      onRolledOut: () => site.switchTo('sha-new'),
    });
    try {
      const repoDir = emulator.repoDir('acme', 'gitops');
      const commit = execFileSync('git', ['--git-dir', repoDir, 'rev-parse', 'main'], {
        encoding: 'utf8',
      }).trim();
      argocd.deploy('shop-dev', { images: ['ghcr.io/synestra/shop:sha-new'], revision: commit });
      const args = [
        '--app',
        'shop',
        '--tag',
        'sha-new',
        '--url',
        site.url,
        '--argocd-server',
        argocd.url,
        '--argocd-token-stdin',
      ];
      const env = {
        GITHUB_TOKEN: WRITE_TOKEN,
        GITHUB_API_URL: emulator.url,
        GITHUB_GRAPHQL_URL: emulator.graphqlUrl,
      };
      const run = await tagrelay(
        [...args, '--repo', 'acme/gitops', '--rollout-timeout', '5s'],
        env,
        `${ARGOCD_TOKEN}\n`,
      );
      expect({ code: run.code, stderr: run.code === 0 ? '' : run.stderr }).toEqual({ code: 0, stderr: '' });
      expect(argocd.refreshes('shop-dev')).toEqual(['normal']);
      const store = new GitHubVerificationStore(
        createGitHubClient({
          token: WRITE_TOKEN,
          apiUrl: emulator.url,
          userAgent: 't',
          log: { debug() {}, info() {}, warning() {} },
        }),
        { owner: 'acme', name: 'gitops' },
      );
      expect(await findNewestRecord(store, commit, 'shop', 'dev', 'sha-new')).toMatchObject({
        result: 'success',
        commit,
      });
      for (const secret of [ARGOCD_TOKEN, WRITE_TOKEN]) expect(run.stdout + run.stderr).not.toContain(secret);

      // The same token from ARGOCD_AUTH_TOKEN; a wrong one fails with a message naming the variable's flag, not the token.
      const wrong = await tagrelay([...args.slice(0, -1), '--rollout-timeout', '2s'], {
        ARGOCD_AUTH_TOKEN: 'argocd-wrong-0123456789',
      });
      expect(wrong.code).toBe(1);
      expect(wrong.stderr).toContain('rejected the token (401');
      expect(wrong.stderr).not.toContain('argocd-wrong-0123456789');
      expect(emulator.violations).toEqual([]);
    } finally {
      await argocd.close();
      await emulator.close();
    }
  });
});
