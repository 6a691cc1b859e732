/**
 * The `tagrelay` CLI as users run it: the bundled `cli.js` in a subprocess, against
 * a real git checkout (`--local`) and the GitHub emulator (`--repo`), the result
 * checked with real git.
 */
import { execFile, execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import {
  READ_TOKEN,
  WRITE_TOKEN,
  startGitHubEmulator,
  type GitHubEmulator,
} from './support/github-emulator/index.js';
import { ROOT } from './support/run-action.js';

const EXAMPLE = join(ROOT, 'examples', 'gitops-repo');
const DEV = 'deploy/env/release-dev/corporate.yaml';
const PROD = 'deploy/env/release-prod/corporate.yaml';
const NEW_TAG = 'sha-0123456789ab';
const releaseText = (app: string, tag: string) =>
  `image:\n  repository: ghcr.io/x/${app}\n  tag: ${tag} # current\n`;

let scratch: string;
let cli: string;
let gitConfig: string;

beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'tagrelay-cli-'));
  const out = join(scratch, 'dist');
  execFileSync(process.execPath, [join(ROOT, 'scripts/bundle.mjs'), '--out', out], { cwd: ROOT });
  cli = join(out, 'cli.js');
  gitConfig = join(scratch, 'gitconfig');
  writeFileSync(
    gitConfig,
    '[user]\n\tname = Test User\n\temail = test@example.com\n[init]\n\tdefaultBranch = main\n',
  );
}, 120_000);

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Environment of every subprocess: no token, no runner context, a known git config. */
function baseEnv(extra: Record<string, string> = {}): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    HOME: scratch,
    GIT_CONFIG_GLOBAL: gitConfig,
    GIT_CONFIG_NOSYSTEM: '1',
    ...extra,
  };
}

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

function tagrelay(args: string[], env: Record<string, string> = {}): Promise<Run> {
  const started = Date.now();
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [cli, ...args],
      { env: baseEnv(env), cwd: scratch },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
        resolve({ code, stdout, stderr, ms: Date.now() - started });
      },
    );
  });
}

function git(dir: string, ...args: string[]): string {
  return execFileSync('git', ['-C', dir, ...args], { encoding: 'utf8', env: baseEnv() });
}

/** Current tag in a release file's text. */
function tagIn(text: string): string {
  const match = /^\s*tag:\s*["']?([A-Za-z0-9_][A-Za-z0-9._-]*)/m.exec(text);
  if (!match) throw new Error(`no tag in ${text}`);
  return match[1] as string;
}

/** A fresh git repository: a copy of examples/gitops-repo (when present) with corporate in dev and prod. */
function makeRepo(): string {
  const dir = mkdtempSync(join(scratch, 'gitops-'));
  if (existsSync(EXAMPLE)) cpSync(EXAMPLE, dir, { recursive: true });
  rmSync(join(dir, '.git'), { recursive: true, force: true });
  const seed: Record<string, string> = {
    [DEV]: releaseText('corporate', 'sha-aaaaaaaaaaaa'),
    [PROD]: releaseText('corporate', 'sha-aaaaaaaaaaaa'),
    'deploy/env/release-dev/shop.yaml': releaseText('shop', 'sha-cccccccccccc'),
  };
  for (const [path, text] of Object.entries(seed)) {
    if (existsSync(join(dir, path))) continue;
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'seed');
  return dir;
}

const head = (dir: string) => git(dir, 'rev-parse', 'HEAD').trim();
const clean = (dir: string) => git(dir, 'status', '--porcelain', '--untracked-files=all') === '';

describe('tagrelay (help and usage)', () => {
  it('prints the version and the usage texts', async () => {
    const version = await tagrelay(['--version']);
    expect(version).toMatchObject({ code: 0, stderr: '' });
    expect(version.stdout).toMatch(/^tagrelay \d+\.\d+\.\d+\n$/);

    const help = await tagrelay(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: tagrelay <command>');
    expect(help.stdout).toContain('bump');
    expect(help.stdout).toContain('status');

    const bumpHelp = await tagrelay(['bump', '--help']);
    expect(bumpHelp.code).toBe(0);
    expect(bumpHelp.stdout).toContain('Usage: tagrelay bump');
    for (const flag of [
      '--app',
      '--tag',
      '--image',
      '--digest',
      '--env',
      '--repo',
      '--branch',
      '--mode',
      '--local',
      '--dry-run',
    ]) {
      expect(bumpHelp.stdout).toContain(flag);
    }
    expect((await tagrelay(['status', '--help'])).stdout).toContain('Usage: tagrelay status');
    expect((await tagrelay(['--help', 'status'])).stdout).toContain('Usage: tagrelay status');
  });

  it('exits 2 with a hint for no command, an unknown command or flag', async () => {
    const none = await tagrelay([]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('Usage: tagrelay');

    const unknownCommand = await tagrelay(['deploy']);
    expect(unknownCommand.code).toBe(2);
    expect(unknownCommand.stderr).toMatch(/^tagrelay: unknown command "deploy"/);

    const unknownFlag = await tagrelay([
      'bump',
      '--app',
      'corporate',
      '--tag',
      NEW_TAG,
      '--local',
      '.',
      '--frobnicate',
    ]);
    expect(unknownFlag.code).toBe(2);
    expect(unknownFlag.stderr).toBe(
      "tagrelay: unknown flag --frobnicate\nRun 'tagrelay bump --help' for usage.\n",
    );

    const noValue = await tagrelay(['bump', '--app', 'corporate', '--tag']);
    expect(noValue.code).toBe(2);
    expect(noValue.stderr).toContain('tagrelay: --tag needs a value');
  });
});

describe('tagrelay bump --local', () => {
  let repo: string;
  beforeEach(() => {
    repo = makeRepo();
  });

  it('makes one commit changing one line, with the release message and trailers; a re-run is a no-op', async () => {
    const before = head(repo);
    const oldTag = tagIn(readFileSync(join(repo, DEV), 'utf8'));
    const run = await tagrelay(['bump', '--app', 'corporate', '--tag', NEW_TAG, '--local', repo]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const sha = head(repo);
    expect(sha).not.toBe(before);
    expect(run.stdout).toBe(`corporate: ${oldTag} → ${NEW_TAG}\ncommitted ${sha}\n`);

    expect(git(repo, 'rev-parse', 'HEAD~1').trim()).toBe(before);
    expect(git(repo, 'diff', '--numstat', 'HEAD~1', 'HEAD').trim()).toBe(`1\t1\t${DEV}`);
    expect(git(repo, 'show', `HEAD:${DEV}`)).toBe(
      git(repo, 'show', `HEAD~1:${DEV}`).replace(`tag: ${oldTag}`, `tag: ${NEW_TAG}`),
    );
    // The working tree and the index follow the new commit.
    expect(readFileSync(join(repo, DEV), 'utf8')).toBe(git(repo, 'show', `HEAD:${DEV}`));
    expect(clean(repo)).toBe(true);

    const message = git(repo, 'log', '-1', '--format=%B');
    expect(message.split('\n')[0]).toBe(`release(dev): corporate ${NEW_TAG}`);
    const trailers = execFileSync('git', ['-C', repo, 'interpret-trailers', '--parse'], {
      input: message,
      encoding: 'utf8',
    });
    expect(trailers).toBe(`Release-App: corporate\nRelease-Env: dev\nRelease-Tag: ${NEW_TAG}\n`);
    expect(git(repo, 'log', '-1', '--format=%an <%ae>').trim()).toBe('Test User <test@example.com>');
    // The reflog reads like a commit.
    expect(git(repo, 'reflog', '-1', '--format=%gs').trim()).toBe(
      `commit: release(dev): corporate ${NEW_TAG}`,
    );

    const again = await tagrelay(['bump', '--app', 'corporate', '--tag', NEW_TAG, '--local', repo]);
    expect(again).toMatchObject({
      code: 0,
      stderr: '',
      stdout: `corporate: already at ${NEW_TAG}\nnothing to commit\n`,
    });
    expect(head(repo)).toBe(sha);
  });

  it('changes several apps in one commit, with image and digest', async () => {
    const digest = `sha256:${'ab'.repeat(32)}`;
    const run = await tagrelay([
      'bump',
      '--app',
      'corporate,shop',
      '--tag',
      NEW_TAG,
      '--image',
      'ghcr.io/x/new',
      '--digest',
      digest,
      '--local',
      repo,
    ]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(git(repo, 'rev-list', '--count', 'HEAD').trim()).toBe('2');
    expect(git(repo, 'diff', '--name-only', 'HEAD~1', 'HEAD').trim().split('\n')).toEqual([
      DEV,
      'deploy/env/release-dev/shop.yaml',
    ]);
    expect(git(repo, 'show', `HEAD:${DEV}`)).toContain('repository: ghcr.io/x/new');
    const trailers = git(repo, 'log', '-1', '--format=%(trailers:only,unfold)');
    expect(trailers).toContain(`Release-Digest: ${digest}\n`);
    expect(trailers).toContain('Release-App: shop\n');
    expect(clean(repo)).toBe(true);
  });

  it('--dry-run prints the diff and changes nothing', async () => {
    const before = head(repo);
    const oldTag = tagIn(readFileSync(join(repo, DEV), 'utf8'));
    const run = await tagrelay([
      'bump',
      '--app',
      'corporate',
      '--tag',
      NEW_TAG,
      '--local',
      repo,
      '--dry-run',
    ]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`corporate: ${oldTag} → ${NEW_TAG}\n`);
    expect(run.stdout).toContain(`--- a/${DEV}\n+++ b/${DEV}\n`);
    expect(run.stdout).toMatch(new RegExp(`^-  tag: ${oldTag}`, 'm'));
    expect(run.stdout).toMatch(new RegExp(`^\\+  tag: ${NEW_TAG}`, 'm'));
    expect(run.stdout.trimEnd().endsWith('dry run: nothing committed')).toBe(true);
    expect(head(repo)).toBe(before);
    expect(clean(repo)).toBe(true);
  });

  it.each([
    ['a mutable tag', ['--app', 'corporate', '--tag', 'latest'], /--tag has an invalid value "latest"/],
    ['a path as app', ['--app', '../x', '--tag', NEW_TAG], /--app has an invalid value "\.\.\/x"/],
    ['a missing --tag', ['--app', 'corporate'], /--tag is required/],
    ['a missing --app', ['--tag', NEW_TAG], /--app is required/],
    [
      'a bad digest',
      ['--app', 'corporate', '--tag', NEW_TAG, '--digest', 'md5:1'],
      /--digest has an invalid value/,
    ],
    [
      'an unknown env',
      ['--app', 'corporate', '--tag', NEW_TAG, '--env', 'qa'],
      /--env has an invalid value "qa": expected one of the environments dev, prod/,
    ],
    [
      'a later environment of the chain',
      ['--app', 'corporate', '--tag', NEW_TAG, '--env', 'prod'],
      /--env has an invalid value "prod": expected dev: bump writes only the first environment of the chain \(dev → prod\); prod is written by promote/,
    ],
    [
      'pull-request mode',
      ['--app', 'corporate', '--tag', NEW_TAG, '--mode', 'pull-request'],
      /--mode .*pull requests need --repo/,
    ],
    [
      'another branch',
      ['--app', 'corporate', '--tag', NEW_TAG, '--branch', 'other'],
      /--branch has an invalid value "other": expected the branch checked out/,
    ],
  ])('exits 2 for %s, committing nothing', async (_name, args, message) => {
    const before = head(repo);
    const run = await tagrelay(['bump', ...args, '--local', repo]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^tagrelay: /);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).toContain("Run 'tagrelay bump --help' for usage.");
    expect(head(repo)).toBe(before);
    expect(clean(repo)).toBe(true);
  });

  it('exits 2 for both or neither of --repo and --local, and for a directory that is not a work tree', async () => {
    const neither = await tagrelay(['bump', '--app', 'corporate', '--tag', NEW_TAG]);
    expect(neither.code).toBe(2);
    expect(neither.stderr).toContain('--repo OWNER/NAME');
    const both = await tagrelay([
      'bump',
      '--app',
      'corporate',
      '--tag',
      NEW_TAG,
      '--repo',
      'a/b',
      '--local',
      repo,
    ]);
    expect(both.code).toBe(2);
    const plain = mkdtempSync(join(scratch, 'plain-'));
    const notGit = await tagrelay(['bump', '--app', 'corporate', '--tag', NEW_TAG, '--local', plain]);
    expect(notGit.code).toBe(2);
    expect(notGit.stderr).toMatch(/^tagrelay: --local has an invalid value .*is not a git work tree/);
    const sub = await tagrelay([
      'bump',
      '--app',
      'corporate',
      '--tag',
      NEW_TAG,
      '--local',
      join(repo, 'deploy'),
    ]);
    expect(sub.code).toBe(2);
    expect(sub.stderr).toContain('is inside the work tree');
  });

  it('exits 1 for a missing release file, committing nothing', async () => {
    const before = head(repo);
    const run = await tagrelay(['bump', '--app', 'corporate,nosuchapp', '--tag', NEW_TAG, '--local', repo]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(
      'tagrelay: Release file deploy/env/release-dev/nosuchapp.yaml does not exist: app "nosuchapp" has no release file for dev yet (bootstrap it first: tagrelay init).\n',
    );
    expect(head(repo)).toBe(before);
    expect(clean(repo)).toBe(true);
  });

  it('refuses to overwrite uncommitted changes to a release file', async () => {
    const before = head(repo);
    const edited = `${readFileSync(join(repo, DEV), 'utf8')}# my local edit\n`;
    writeFileSync(join(repo, DEV), edited);
    const run = await tagrelay(['bump', '--app', 'corporate', '--tag', NEW_TAG, '--local', repo]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(new RegExp(`^tagrelay: ${DEV} has uncommitted changes in `));
    expect(head(repo)).toBe(before);
    expect(readFileSync(join(repo, DEV), 'utf8')).toBe(edited);

    // Staged counts as uncommitted too; changes elsewhere do not matter.
    git(repo, 'add', DEV);
    expect((await tagrelay(['bump', '--app', 'corporate', '--tag', NEW_TAG, '--local', repo])).code).toBe(1);
    git(repo, 'reset', '-q', '--hard');
    writeFileSync(join(repo, 'NOTES.md'), 'unrelated\n');
    git(repo, 'add', 'NOTES.md');
    const ok = await tagrelay(['bump', '--app', 'corporate', '--tag', NEW_TAG, '--local', repo]);
    expect(ok.code).toBe(0);
    expect(git(repo, 'diff', '--name-only', 'HEAD~1', 'HEAD').trim()).toBe(DEV);
    // The unrelated staged file stays staged and uncommitted.
    expect(git(repo, 'status', '--porcelain')).toBe('A  NOTES.md\n');
  });

  it('commits as tagrelay when git has no identity configured', async () => {
    const empty = join(scratch, 'empty-gitconfig');
    writeFileSync(empty, '');
    const run = await tagrelay(['bump', '--app', 'corporate', '--tag', NEW_TAG, '--local', repo], {
      GIT_CONFIG_GLOBAL: empty,
      EMAIL: '',
    });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(git(repo, 'log', '-1', '--format=%an <%ae>|%cn <%ce>').trim()).toBe(
      'tagrelay <tagrelay@users.noreply.github.com>|tagrelay <tagrelay@users.noreply.github.com>',
    );
  });
});

describe('tagrelay status --local', () => {
  it('prints the tag of every app in every environment and marks dev ahead of prod', async () => {
    const repo = makeRepo();
    expect((await tagrelay(['bump', '--app', 'corporate', '--tag', NEW_TAG, '--local', repo])).code).toBe(0);
    const prodTag = tagIn(readFileSync(join(repo, PROD), 'utf8'));
    const shopDev = tagIn(readFileSync(join(repo, 'deploy/env/release-dev/shop.yaml'), 'utf8'));
    const shopProd = existsSync(join(repo, 'deploy/env/release-prod/shop.yaml'))
      ? tagIn(readFileSync(join(repo, 'deploy/env/release-prod/shop.yaml'), 'utf8'))
      : '-';

    const run = await tagrelay(['status', '--local', repo]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe(`${repo} main @ ${head(repo).slice(0, 12)}`);
    expect(lines[1]).toMatch(/^APP\s+DEV\s+PROD$/);
    const row = (app: string) => lines.find((line) => line.startsWith(`${app} `))?.split(/\s{2,}/);
    expect(row('corporate')).toEqual(['corporate', NEW_TAG, prodTag, 'dev ahead of prod']);
    expect(row('shop')?.slice(0, 3)).toEqual(['shop', shopDev, shopProd]);

    const json = await tagrelay(['status', '--local', repo, '--app', 'corporate', '--json']);
    expect(json.code).toBe(0);
    const report = JSON.parse(json.stdout) as Record<string, unknown>;
    expect(report).toMatchObject({
      branch: 'main',
      commit: head(repo),
      environments: ['dev', 'prod'],
      apps: [
        { app: 'corporate', tags: { dev: NEW_TAG, prod: prodTag }, ahead: [{ env: 'dev', of: 'prod' }] },
      ],
    });
  });

  it('follows deploy/tagrelay.yaml: a third environment in the chain', async () => {
    const repo = makeRepo();
    writeFileSync(join(repo, 'deploy/tagrelay.yaml'), 'environments: [dev, stage, prod]\n');
    mkdirSync(join(repo, 'deploy/env/release-stage'), { recursive: true });
    writeFileSync(
      join(repo, 'deploy/env/release-stage/corporate.yaml'),
      releaseText('corporate', 'sha-bbbbbbbbbbbb'),
    );
    git(repo, 'add', '-A');
    git(repo, 'commit', '-q', '-m', 'stage');
    const run = await tagrelay(['status', '--local', repo, '--app', 'corporate']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^APP\s+DEV\s+STAGE\s+PROD$/m);
    expect(run.stdout).toMatch(
      /^corporate\s+\S+\s+sha-bbbbbbbbbbbb\s+\S+\s+dev ahead of stage, stage ahead of prod$/m,
    );

    const bump = await tagrelay([
      'bump',
      '--app',
      'corporate',
      '--tag',
      NEW_TAG,
      '--env',
      'stage',
      '--local',
      repo,
    ]);
    // stage is not the first environment: only a promotion writes it.
    expect(bump.code).toBe(2);
    expect(bump.stderr).toContain('bump writes only the first environment of the chain (dev → stage → prod)');
  });
});

describe('tagrelay init --local', () => {
  it('bootstraps a new app in one commit that bump and status then work with; a second init changes nothing', async () => {
    const repo = makeRepo();
    const before = head(repo);
    const args = ['init', '--app', 'blog', '--image', 'ghcr.io/synestra/blog', '--tag', 'sha-000000000001'];
    const run = await tagrelay([
      ...args,
      '--local',
      repo,
      '--repo-url',
      'https://github.com/synestra/gitops.git',
    ]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(git(repo, 'rev-parse', 'HEAD~1').trim()).toBe(before);
    expect(git(repo, 'diff', '--name-only', 'HEAD~1', 'HEAD').trim().split('\n').sort()).toEqual([
      'deploy/argocd/apps/dev/blog.yaml',
      'deploy/argocd/apps/prod/blog.yaml',
      'deploy/env/dev/blog.yaml',
      'deploy/env/prod/blog.yaml',
      'deploy/env/release-dev/blog.yaml',
      'deploy/env/release-prod/blog.yaml',
    ]);
    expect(git(repo, 'status', '--porcelain').trim()).toBe('');
    // The example layout names Applications as the seeds do.
    expect(readFileSync(join(repo, 'deploy/argocd/apps/dev/blog.yaml'), 'utf8')).toContain(
      'name: web-blog-dev',
    );
    expect(run.stdout).toContain('Not done by tagrelay');
    expect(run.stdout).toContain('web-blog-prod-env, web-blog-prod-db');

    const bump = await tagrelay(['bump', '--app', 'blog', '--tag', NEW_TAG, '--local', repo]);
    expect([bump.code, bump.stdout.split('\n')[0]]).toEqual([0, `blog: sha-000000000001 → ${NEW_TAG}`]);
    const status = await tagrelay(['status', '--local', repo, '--app', 'blog']);
    expect(status.stdout).toMatch(
      new RegExp(`^blog\\s+${NEW_TAG}\\s+sha-000000000001\\s+dev ahead of prod$`, 'm'),
    );

    const again = await tagrelay([
      ...args,
      '--local',
      repo,
      '--repo-url',
      'https://github.com/synestra/gitops.git',
    ]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(
      /^tagrelay: App "blog" is already \(partly\) bootstrapped: deploy\/env\/release-dev\/blog.yaml/,
    );
    expect(git(repo, 'log', '-1', '--format=%s').trim()).toBe(`release(dev): blog ${NEW_TAG}`);
  });

  it.each([
    [['--app', 'Blog', '--image', 'ghcr.io/x/blog', '--tag', 'v1'], /--app has an invalid value "Blog"/],
    [['--app', 'blog', '--image', 'ghcr.io/x/blog:v1', '--tag', 'v1'], /--image has an invalid value/],
    [
      ['--app', 'blog', '--image', 'ghcr.io/x/blog', '--tag', 'latest'],
      /--tag has an invalid value "latest"/,
    ],
  ])('refuses %j with exit 2 before touching the checkout', async (flags, message) => {
    const repo = makeRepo();
    const run = await tagrelay(['init', ...flags, '--local', repo]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(git(repo, 'log', '--format=%s').trim()).toBe('seed');
  });

  it('needs a clone URL when the checkout has no origin', async () => {
    const repo = makeRepo();
    const run = await tagrelay([
      'init',
      '--app',
      'blog',
      '--image',
      'ghcr.io/x/blog',
      '--tag',
      'v1',
      '--local',
      repo,
    ]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('has no origin remote: give --repo-url URL');
  });
});

describe('tagrelay --repo', () => {
  it('needs a token', async () => {
    const run = await tagrelay(['bump', '--app', 'corporate', '--tag', NEW_TAG, '--repo', 'synestra/gitops']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^tagrelay: GITHUB_TOKEN is required/);
  });

  it('never prints the token, whatever GitHub answers', async () => {
    const token = 'ghp_SuperSecretTokenValue0123456789';
    const seen: string[] = [];
    const server: Server = createServer((request: IncomingMessage, response) => {
      seen.push(request.headers.authorization ?? '');
      // An unhelpful server that echoes what it got, token included.
      response.writeHead(401, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ message: `Bad credentials: ${request.headers.authorization ?? ''}` }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      for (const args of [
        ['bump', '--app', 'corporate', '--tag', NEW_TAG, '--repo', 'synestra/gitops'],
        ['status', '--app', 'corporate', '--repo', 'synestra/gitops', '--json'],
      ]) {
        const run = await tagrelay(args, { GITHUB_TOKEN: token, GITHUB_API_URL: url, TAGRELAY_DEBUG: '1' });
        expect(run.code).toBe(1);
        expect(run.stderr).toMatch(/^tagrelay: GitHub rejected the token for synestra\/gitops \(401/);
        expect(run.stdout + run.stderr).not.toContain(token);
        expect(run.stdout + run.stderr).not.toContain('SuperSecret');
      }
      expect(seen[0]).toBe(`token ${token}`);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe('tagrelay --repo against the GitHub emulator', () => {
  let emulator: GitHubEmulator;
  let gitDir: string;
  const gitBare = (...args: string[]) =>
    execFileSync('git', ['--git-dir', gitDir, ...args], { encoding: 'utf8' });

  beforeEach(async () => {
    const seed = makeRepo();
    rmSync(join(seed, '.git'), { recursive: true, force: true });
    emulator = await startGitHubEmulator({ repos: [{ owner: 'synestra', name: 'gitops', fromDir: seed }] });
    gitDir = emulator.repoDir('synestra', 'gitops');
  });

  afterEach(async () => {
    expect(emulator.violations).toEqual([]);
    await emulator.close();
  });

  const github = (token = WRITE_TOKEN) => ({ GITHUB_TOKEN: token, GITHUB_API_URL: emulator.url });

  it('bump commits one line in at most 2 requests; a re-run commits nothing; status reads it back', async () => {
    const before = gitBare('rev-parse', 'refs/heads/main').trim();
    const oldTag = tagIn(gitBare('show', `main:${DEV}`));
    emulator.resetCounts();
    const run = await tagrelay(
      ['bump', '--app', 'corporate', '--tag', NEW_TAG, '--repo', 'synestra/gitops'],
      github(),
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(emulator.requests.total).toBeLessThanOrEqual(2);
    const sha = gitBare('rev-parse', 'refs/heads/main').trim();
    expect(gitBare('rev-parse', 'main~1').trim()).toBe(before);
    expect(run.stdout).toMatch(
      new RegExp(`^corporate: ${oldTag} → ${NEW_TAG}\ncommitted ${sha} \\S*${sha}\n$`),
    );
    expect(gitBare('diff', '--numstat', 'main~1', 'main').trim()).toBe(`1\t1\t${DEV}`);
    expect(gitBare('log', '-1', '--format=%s', 'main').trim()).toBe(`release(dev): corporate ${NEW_TAG}`);
    expect(gitBare('log', '-1', '--format=%(trailers:only,unfold)', 'main')).toContain(
      `Release-Tag: ${NEW_TAG}\n`,
    );

    const again = await tagrelay(
      ['bump', '--app', 'corporate', '--tag', NEW_TAG, '--repo', 'synestra/gitops'],
      github(),
    );
    expect(again).toMatchObject({ code: 0, stdout: `corporate: already at ${NEW_TAG}\nnothing to commit\n` });
    expect(gitBare('rev-parse', 'refs/heads/main').trim()).toBe(sha);

    emulator.resetCounts();
    const status = await tagrelay(
      ['status', '--app', 'corporate', '--repo', 'synestra/gitops', '--json'],
      github(),
    );
    expect(status.stderr).toBe('');
    expect(status.code).toBe(0);
    expect(emulator.requests.total).toBe(1);
    expect(JSON.parse(status.stdout)).toMatchObject({
      target: 'synestra/gitops',
      branch: 'main',
      commit: sha,
      apps: [{ app: 'corporate', tags: { dev: NEW_TAG }, ahead: [{ env: 'dev', of: 'prod' }] }],
    });
    const report = JSON.parse(status.stdout);
    expect(report.apps[0].environments.dev.setBy.commit).toBe(sha);

    // Without --app: the apps are discovered from the release folders in one tree read.
    emulator.resetCounts();
    const all = await tagrelay(['status', '--repo', 'synestra/gitops'], github());
    expect(all.code).toBe(0);
    expect(emulator.requests.total).toBeLessThanOrEqual(3);
    expect(all.stdout).toMatch(/^corporate\s+\S+/m);
    expect(all.stdout).toMatch(/^shop\s+\S+/m);
    expect(all.stdout).toContain(`  corporate dev: ${NEW_TAG}, set by ${sha.slice(0, 12)}`);
  });

  it('--dry-run and --mode pull-request', async () => {
    const before = gitBare('rev-parse', 'refs/heads/main').trim();
    const dry = await tagrelay(
      ['bump', '--app', 'corporate', '--tag', NEW_TAG, '--repo', 'synestra/gitops', '--dry-run'],
      github(),
    );
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain(`+  tag: ${NEW_TAG}`);
    expect(gitBare('rev-parse', 'refs/heads/main').trim()).toBe(before);

    const pr = await tagrelay(
      ['bump', '--app', 'corporate', '--tag', NEW_TAG, '--repo', 'synestra/gitops', '--mode', 'pull-request'],
      github(),
    );
    expect(pr.stderr).toBe('');
    expect(pr.code).toBe(0);
    expect(pr.stdout).toMatch(
      /^pull request #\d+ \S+ \(branch tagrelay\/dev\/corporate\/sha-0123456789ab\)$/m,
    );
    expect(gitBare('rev-parse', 'refs/heads/main').trim()).toBe(before);
    expect(gitBare('show', `refs/heads/tagrelay/dev/corporate/${NEW_TAG}:${DEV}`)).toContain(
      `tag: ${NEW_TAG}`,
    );
    expect(emulator.pullRequests('synestra', 'gitops')).toHaveLength(1);
  });

  it('exits 1 with a read-only token or an unknown repository, never printing the token', async () => {
    const readOnly = await tagrelay(
      ['bump', '--app', 'corporate', '--tag', NEW_TAG, '--repo', 'synestra/gitops'],
      github(READ_TOKEN),
    );
    expect(readOnly.code).toBe(1);
    expect(readOnly.stderr).toMatch(/^tagrelay: The token cannot write to synestra\/gitops/);
    const missing = await tagrelay(
      ['bump', '--app', 'corporate', '--tag', NEW_TAG, '--repo', 'synestra/nope'],
      github(),
    );
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^tagrelay: Repository synestra\/nope was not found/);
    for (const run of [readOnly, missing]) {
      expect(run.stdout + run.stderr).not.toContain(READ_TOKEN);
      expect(run.stdout + run.stderr).not.toContain(WRITE_TOKEN);
    }
  });
});
