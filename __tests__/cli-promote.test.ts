/**
 * tagrelay promote, rollback, reset and init in --local mode, as users run the bundled
 * CLI: records as git notes (what `tagrelay smoke --local` writes), a three-environment
 * chain, a brand-new app from init to prod, and reset against the Argo CD double.
 */
import { execFile, execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ARGOCD_TOKEN, startArgoCdDouble } from './support/argocd-double.js';
import { startDevSite } from './support/dev-site.js';
import { ROOT } from './support/run-action.js';

const CLI = join(ROOT, 'dist', 'cli.js');
const EXAMPLE = join(ROOT, 'examples', 'gitops-repo');
const DEV = (app: string) => `deploy/env/release-dev/${app}.yaml`;
const PROD = (app: string) => `deploy/env/release-prod/${app}.yaml`;

let scratch: string;
beforeAll(() => (scratch = mkdtempSync(join(tmpdir(), 'tagrelay-cli-promote-'))));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const git = (dir: string, ...args: string[]) =>
  execFileSync('git', args, {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1' },
  });

function makeRepo(extra: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(scratch, 'gitops-'));
  cpSync(EXAMPLE, dir, { recursive: true });
  for (const [path, text] of Object.entries(extra)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'config', 'user.name', 'Ada Operator');
  git(dir, 'config', 'user.email', 'ada@example.com');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'seed');
  return dir;
}

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function tagrelay(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [CLI, ...args],
      { env: { PATH: process.env.PATH ?? '', HOME: scratch, ...env }, timeout: 60_000 },
      (error, stdout, stderr) => resolve({ code: error ? (child.exitCode ?? 1) : 0, stdout, stderr }),
    );
  });
}

/** A record as `tagrelay smoke --local` writes it: a JSON note on the commit under refs/notes/tagrelay. */
function record(
  dir: string,
  commit: string,
  app: string,
  env: string,
  tag: string,
  result = 'success',
): void {
  const note = {
    tagrelay: 1,
    records: [
      { app, env, tag, result, checkedAt: new Date().toISOString(), checks: [], runUrl: 'local smoke' },
    ],
  };
  git(dir, 'notes', '--ref=refs/notes/tagrelay', 'add', '-f', '-m', JSON.stringify(note), commit);
}

const tagOf = (dir: string, path: string) =>
  /tag: "?([^"\s#]+)/.exec(readFileSync(join(dir, path), 'utf8'))?.[1];
const head = (dir: string) => git(dir, 'rev-parse', 'HEAD').trim();

describe('tagrelay promote --local', () => {
  it('refuses an unverified tag, then promotes it with its note as the record', async () => {
    const repo = makeRepo();
    expect(
      (await tagrelay(['bump', '--local', repo, '--app', 'corporate', '--tag', 'sha-c0ffee000001'])).code,
    ).toBe(0);
    const devCommit = head(repo);

    const refused = await tagrelay(['promote', '--local', repo, '--app', 'corporate']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('corporate: sha-c0ffee000001 (FAILED verified: no verification record');
    expect(head(repo)).toBe(devCommit);

    record(repo, devCommit, 'corporate', 'dev', 'sha-c0ffee000001');
    const run = await tagrelay(['promote', '--local', repo, '--app', 'corporate']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(tagOf(repo, PROD('corporate'))).toBe('sha-c0ffee000001');
    expect(git(repo, 'log', '-1', '--format=%B')).toContain(
      `Promoted-From: ${devCommit}\nVerified-By: local smoke\n`,
    );
    expect(git(repo, 'status', '--porcelain').trim()).toBe('');
  });

  it('--force commits with Forced-By: the local git user', async () => {
    const repo = makeRepo();
    await tagrelay(['bump', '--local', repo, '--app', 'corporate', '--tag', 'sha-c0ffee000002']);
    const run = await tagrelay(['promote', '--local', repo, '--app', 'corporate', '--force']);
    expect(run.code).toBe(0);
    expect(git(repo, 'log', '-1', '--format=%(trailers:key=Forced-By,valueonly)').trim()).toBe(
      'Ada Operator',
    );
  });

  it('follows a three-environment chain: stage takes dev’s verified tag, prod takes stage’s', async () => {
    const stage = readFileSync(join(EXAMPLE, DEV('corporate')), 'utf8');
    const repo = makeRepo({
      'deploy/tagrelay.yaml': 'environments: [dev, stage, prod]\n',
      [`deploy/env/release-stage/corporate.yaml`]: stage,
    });
    await tagrelay(['bump', '--local', repo, '--app', 'corporate', '--tag', 'sha-c0ffee000003']);
    record(repo, head(repo), 'corporate', 'dev', 'sha-c0ffee000003');

    const toProd = await tagrelay(['promote', '--local', repo, '--app', 'corporate']);
    expect(toProd.code).toBe(1); // prod's source is stage, which has no record for it
    expect(toProd.stderr).toContain('no verification record for');

    const toStage = await tagrelay(['promote', '--local', repo, '--app', 'corporate', '--to', 'stage']);
    expect(toStage.code).toBe(0);
    expect(tagOf(repo, 'deploy/env/release-stage/corporate.yaml')).toBe('sha-c0ffee000003');
    record(repo, head(repo), 'corporate', 'stage', 'sha-c0ffee000003');
    const finally_ = await tagrelay(['promote', '--local', repo, '--app', 'corporate']);
    expect(finally_.code).toBe(0);
    expect(tagOf(repo, PROD('corporate'))).toBe('sha-c0ffee000003');
  });

  it('takes a brand-new app from init through bump, a record and promote to prod', async () => {
    const repo = makeRepo();
    const init = await tagrelay([
      'init',
      '--local',
      repo,
      '--app',
      'blog',
      '--image',
      'ghcr.io/synestra/blog',
      '--tag',
      'sha-b10900000001',
      '--repo-url',
      'https://github.com/synestra/gitops.git',
    ]);
    expect(init.code).toBe(0);
    await tagrelay(['bump', '--local', repo, '--app', 'blog', '--tag', 'sha-b10900000002']);
    // The record written by tagrelay smoke itself, against a dev site already serving the tag.
    const site = await startDevSite({ version: 'sha-b10900000002', title: 'Blog' });
    try {
      const smoke = await tagrelay([
        'smoke',
        '--local',
        repo,
        '--app',
        'blog',
        '--tag',
        'sha-b10900000002',
        '--url',
        site.url,
        '--version-source',
        'header:x-app-version',
        '--rollout-timeout',
        '10s',
        '--request-timeout',
        '2s',
      ]);
      expect(smoke.code).toBe(0);
      expect(smoke.stderr).toContain('Recorded success of sha-b10900000002 in dev');
    } finally {
      await site.close();
    }
    const run = await tagrelay(['promote', '--local', repo, '--app', 'blog']);
    expect(run.code).toBe(0);
    expect(tagOf(repo, PROD('blog'))).toBe('sha-b10900000002');
    expect(run.stdout).toContain('verified: success in dev');
  });

  it.each([
    [['--app', 'corporate', '--to', 'qa'], /--to has an invalid value "qa"/],
    [['--app', 'corporate', '--from', 'prod', '--to', 'prod'], /--from has an invalid value "prod"/],
    [['--app', 'nosuchapp'], /--app has an invalid value "nosuchapp"/],
    [
      ['--app', 'corporate', '--tag', 'sha-never0000000'],
      /--tag has an invalid value "sha-never0000000": expected a tag corporate has had in dev/,
    ],
  ])('refuses %j with exit 2', async (flags, message) => {
    const repo = makeRepo();
    const run = await tagrelay(['promote', '--local', repo, ...flags]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
  });
});

describe('tagrelay rollback --local', () => {
  it('goes back to the previous prod tag, and refuses to promote the rolled-back tag again', async () => {
    const repo = makeRepo();
    for (const tag of ['sha-70110ba00001', 'sha-70110ba00002']) {
      await tagrelay(['bump', '--local', repo, '--app', 'shop', '--tag', tag]);
      record(repo, head(repo), 'shop', 'dev', tag);
      expect((await tagrelay(['promote', '--local', repo, '--app', 'shop'])).code).toBe(0);
    }
    const run = await tagrelay(['rollback', '--local', repo, '--app', 'shop']);
    expect(run.code).toBe(0);
    expect(tagOf(repo, PROD('shop'))).toBe('sha-70110ba00001');
    const again = await tagrelay(['promote', '--local', repo, '--app', 'shop']);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('prod was rolled back from sha-70110ba00002');
  });
});

describe('tagrelay reset --local with Argo CD', () => {
  it('gives dev prod’s release, undoes drift by a sync, and waits until the Application runs it', async () => {
    const repo = makeRepo();
    await tagrelay(['bump', '--local', repo, '--app', 'corporate', '--tag', 'sha-a4ead0000001']);
    const prodTag = tagOf(repo, PROD('corporate')) as string;
    const argocd = await startArgoCdDouble({
      apps: [
        {
          name: 'web-corporate-dev',
          images: ['ghcr.io/synestra/corporate:sha-a4ead0000001'],
          revision: head(repo),
        },
      ],
      rolloutMs: 150,
    });
    argocd.drift('web-corporate-dev', ['ghcr.io/synestra/corporate:hot-patch']);
    // Argo CD learns of the reset commit from git: tell the double when the branch moves.
    const before = head(repo);
    const watcher = setInterval(() => {
      const now = head(repo);
      if (now !== before) {
        clearInterval(watcher);
        argocd.deploy('web-corporate-dev', {
          images: [`ghcr.io/synestra/corporate:${prodTag}`],
          revision: now,
        });
      }
    }, 20);
    try {
      const run = await tagrelay(
        [
          'reset',
          '--local',
          repo,
          '--app',
          'corporate',
          '--argocd-server',
          argocd.url,
          '--drift',
          '--timeout',
          '20s',
        ],
        { ARGOCD_AUTH_TOKEN: ARGOCD_TOKEN },
      );
      expect(run.stderr).not.toContain(ARGOCD_TOKEN);
      expect(run.code).toBe(0);
      expect(tagOf(repo, DEV('corporate'))).toBe(prodTag);
      expect(run.stdout).toContain(`web-corporate-dev: runs ${prodTag}, drift undone`);
      expect(argocd.syncs.map((sync) => sync.name)).toEqual(['web-corporate-dev']);
      expect(argocd.refreshes('web-corporate-dev')).toContain('hard');
      expect(argocd.application('web-corporate-dev').status?.sync?.status).toBe('Synced');
    } finally {
      clearInterval(watcher);
      await argocd.close();
    }
  });
});
