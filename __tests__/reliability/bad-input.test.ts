/**
 * Bad input: a corpus across the action (bump-release-dev) and the CLI (bump, status;
 * --repo and --local). Each row: the exit code (action: non-zero; CLI: 2 for usage or
 * input, 1 for a failed operation), a message naming the input or file, no new commit,
 * and no token anywhere a user could see or store.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import {
  READ_TOKEN,
  WRITE_TOKEN,
  startGitHubEmulator,
  type GitHubEmulator,
} from '../support/github-emulator/index.js';
import { commitCount } from '../support/git.js';
import { SUBMODULE_COMMIT, commitEntries, type SpecialEntry } from '../support/tree-entries.js';
import { OWNER, REPO, releaseFile, releaseText, runCli, spawnAction } from './helpers.js';

const BAD_TOKEN = 'ghp_badTokenXyz0123456789abcdefghijklmnop';
const SECRETS = [WRITE_TOKEN, READ_TOKEN, BAD_TOKEN];
const BROKEN = 'broken-config';

/** One repository holds every broken release file; a second one a broken deploy/tagrelay.yaml. */
const FILES: Record<string, string> = {
  [releaseFile('shop')]: releaseText('shop', 'sha-bbbbbbbbbbbb'),
  [releaseFile('invalid')]: 'image:\n  tag: "unterminated\n',
  [releaseFile('multi')]: 'image:\n  tag: a\n---\nimage:\n  tag: b\n',
  [releaseFile('notag')]: 'image:\n  repository: ghcr.io/x/notag\n',
  [releaseFile('tagmap')]: 'image:\n  tag:\n    nested: v1\n',
  [releaseFile('aliased')]: 'base: &img\n  repository: r\n  tag: t\nimage: *img\n',
  [releaseFile('empty')]: '',
};
// 3000 nested block sequences (`- - - …`): 6 KB, deeper than any parser's stack.
const DEEP = `image:\n  tag: v1\nx:\n  ${'- '.repeat(3000)}a\n`;
// Entries no plain file write can make, committed on top of FILES in both the emulator and the checkout.
const SPECIAL: SpecialEntry[] = [
  // The symlink attack: the link's text is valid YAML, and through a committed directory of that name it leads outside.
  { path: releaseFile('link'), mode: '120000', content: 'image: {tag: old}  #/../../../../../outside/pwned' },
  { path: 'deploy/env/release-dev/image: {tag: old}  #/keep', mode: '100644', content: 'x\n' },
  { path: releaseFile('sub'), mode: '160000', oid: SUBMODULE_COMMIT },
  { path: `${releaseFile('dir')}/inner.yaml`, mode: '100644', content: 'image:\n  tag: v1\n' },
  {
    path: releaseFile('latin1'),
    mode: '100644',
    content: Buffer.from('# caf\xe9\nimage:\n  tag: v1\n', 'latin1'),
  },
  {
    path: releaseFile('binary'),
    mode: '100644',
    content: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]),
  },
  { path: releaseFile('deep'), mode: '100644', content: DEEP },
  { path: releaseFile('blob'), mode: '100644', content: `${'binary-looking text 0x1f 0x8b '.repeat(90)}\n` },
];
/** GITHUB_API_URL with nothing listening (the discard port). */
const UNREACHABLE = 'http://127.0.0.1:9';
const FORGED_SHA = '0123456789abcdef0123456789abcdef01234567\nRelease-Env: prod';

const BROKEN_FILES = {
  'deploy/tagrelay.yaml': 'environments: [dev, prod\n',
  [releaseFile('shop')]: releaseText('shop', 'sha-bbbbbbbbbbbb'),
};

let emulator: GitHubEmulator;
let scratch: string;
let local: string;

function writeTree(dir: string, files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
}

const gitEnv = {
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_AUTHOR_NAME: 't',
  GIT_AUTHOR_EMAIL: 't@e',
  GIT_COMMITTER_NAME: 't',
  GIT_COMMITTER_EMAIL: 't@e',
};
const localGit = (...args: string[]) =>
  execFileSync('git', ['-C', local, ...args], { encoding: 'utf8', env: { ...process.env, ...gitEnv } });

beforeAll(async () => {
  emulator = await startGitHubEmulator({
    repos: [
      { owner: OWNER, name: REPO, files: FILES },
      { owner: OWNER, name: BROKEN, files: BROKEN_FILES },
    ],
  });
  scratch = mkdtempSync(join(tmpdir(), 'tagrelay-bad-'));
  // Where the symlink attack leads from the checkout (five levels up from its directory).
  mkdirSync(join(scratch, 'outside'));
  local = join(scratch, 'gitops');
  writeTree(local, FILES);
  localGit('init', '-q', '-b', 'main');
  localGit('add', '-A');
  localGit('commit', '-q', '-m', 'seed');
  commitEntries(emulator.repoDir(OWNER, REPO), SPECIAL);
  commitEntries(join(local, '.git'), SPECIAL);
  localGit('reset', '-q', '--hard');
});

afterAll(async () => {
  expect(emulator.violations).toEqual([]);
  await emulator.close();
  rmSync(scratch, { recursive: true, force: true });
});

/** Commits in both emulator repositories and the local checkout, and whether the checkout is clean. */
function repositoryState() {
  return {
    main: commitCount(emulator.repoDir(OWNER, REPO)),
    broken: commitCount(emulator.repoDir(OWNER, BROKEN)),
    local: localGit('rev-parse', 'HEAD').trim(),
    dirty: localGit('status', '--porcelain'),
  };
}

interface Seen {
  code: number | null;
  /** What the row's message must be found in. */
  log: string;
  /** Everything a user could see or store. */
  visible: string;
}

// ---------------------------------------------------------------------------
// The action

type ActionRow = [label: string, inputs: Record<string, string>, names: string, env?: Record<string, string>];

const ACTION_ROWS: ActionRow[] = [
  ['tag latest', { tag: 'latest' }, 'Input "tag"'],
  ['tag Latest (deny-list ignores case)', { tag: 'Latest' }, 'Input "tag"'],
  ['tag a:b', { tag: 'a:b' }, 'Input "tag"'],
  ['tag of 129 characters', { tag: 'a'.repeat(129) }, 'Input "tag"'],
  ['tag with a newline', { tag: 'sha-1\nlatest' }, 'Input "tag"'],
  ['tag empty', { tag: '' }, 'Input "tag" is required'],
  ['tag with a leading .', { tag: '.v1' }, 'Input "tag"'],
  ['tag with a leading -', { tag: '-v1' }, 'Input "tag"'],
  ['tag unicode', { tag: 'vé1' }, 'Input "tag"'],
  ['app ../x', { app: '../x' }, 'Input "app"'],
  ['app A/B', { app: 'A/B' }, 'Input "app"'],
  ['app empty', { app: '' }, 'Input "app" is required'],
  ['app -x', { app: '-x' }, 'Input "app"'],
  ['app of 64 characters', { app: 'a'.repeat(64) }, 'Input "app"'],
  ['app a_b', { app: 'a_b' }, 'Input "app"'],
  ['app list a,../b', { app: 'shop,../b' }, 'Input "app"'],
  ['gitops-repository nope', { 'gitops-repository': 'nope' }, 'Input "gitops-repository"'],
  ['gitops-repository a/b/c', { 'gitops-repository': 'a/b/c' }, 'Input "gitops-repository"'],
  [
    'gitops-repository as a URL',
    { 'gitops-repository': 'https://github.com/a/b' },
    'Input "gitops-repository"',
  ],
  [
    'gitops-repository that does not exist',
    { 'gitops-repository': `${OWNER}/missing` },
    `Repository ${OWNER}/missing was not found`,
  ],
  ['branch a..b', { branch: 'a..b' }, 'Input "branch"'],
  ['branch -x', { branch: '-x' }, 'Input "branch"'],
  ['branch x.lock', { branch: 'x.lock' }, 'Input "branch"'],
  ['branch that does not exist', { branch: 'nope' }, 'Branch "nope" does not exist'],
  ['GITHUB_API_URL not-a-url', {}, 'GITHUB_API_URL', { GITHUB_API_URL: 'not-a-url' }],
  ['GITHUB_API_URL ftp://x', {}, 'GITHUB_API_URL', { GITHUB_API_URL: 'ftp://x' }],
  ['mode yolo', { mode: 'yolo' }, 'Input "mode"'],
  ['dry-run maybe', { 'dry-run': 'maybe' }, 'Input "dry-run"'],
  ['digest sha256:123', { digest: 'sha256:123' }, 'Input "digest"'],
  ['digest md5', { digest: `md5:${'a'.repeat(32)}` }, 'Input "digest"'],
  ['image with a tag', { image: 'ghcr.io/synestra/web:v1' }, 'Input "image"'],
  ['image with upper case', { image: 'ghcr.io/Synestra/web' }, 'Input "image"'],
  ['environment Prod', { environment: 'Prod' }, 'Input "environment"'],
  ['environment stage (not in the chain)', { environment: 'stage' }, 'Input "environment"'],
  ['environment prod (bump writes only the first)', { environment: 'prod' }, 'Input "environment"'],
  ['release file: invalid YAML', { app: 'invalid' }, `Release file ${releaseFile('invalid')}`],
  ['release file: several documents', { app: 'multi' }, `Release file ${releaseFile('multi')}`],
  ['release file: no image.tag', { app: 'notag' }, `Release file ${releaseFile('notag')}`],
  ['release file: image.tag is a map', { app: 'tagmap' }, `Release file ${releaseFile('tagmap')}`],
  ['release file: alias on the path', { app: 'aliased' }, `Release file ${releaseFile('aliased')}`],
  ['release file: empty', { app: 'empty' }, `Release file ${releaseFile('empty')}`],
  ['release file: missing', { app: 'blog' }, `Release file ${releaseFile('blog')} does not exist`],
  ['broken deploy/tagrelay.yaml', { 'gitops-repository': `${OWNER}/${BROKEN}` }, 'deploy/tagrelay.yaml'],
  [
    'release file: a symbolic link (the attack)',
    { app: 'link' },
    `${releaseFile('link')} is a symbolic link`,
  ],
  ['release file: a submodule', { app: 'sub' }, `${releaseFile('sub')} is a submodule`],
  ['release file: a directory', { app: 'dir' }, `${releaseFile('dir')} is a directory`],
  [
    'release file: Latin-1 bytes',
    { app: 'latin1' },
    `${releaseFile('latin1')} is not valid UTF-8 at byte offset 5`,
  ],
  [
    'release file: binary (a NUL)',
    { app: 'binary' },
    `${releaseFile('binary')} is not valid UTF-8 at byte offset 0`,
  ],
  ['release file: 3000 levels deep', { app: 'deep' }, `Release file ${releaseFile('deep')}`],
  [
    'release file: one 2.7 KB scalar',
    { app: 'blob' },
    `Release file ${releaseFile('blob')} does not hold a mapping`,
  ],
  [
    'GITHUB_REPOSITORY with a forged trailer',
    {},
    'GITHUB_REPOSITORY',
    { GITHUB_REPOSITORY: 'synestra/web\nRelease-Env: prod' },
  ],
  ['GITHUB_REPOSITORY with spaces', {}, 'GITHUB_REPOSITORY', { GITHUB_REPOSITORY: 'synestra/web app' }],
  ['GITHUB_SHA with a forged trailer', {}, 'GITHUB_SHA', { GITHUB_SHA: FORGED_SHA }],
  ['GITHUB_SHA not a full hex SHA', {}, 'GITHUB_SHA', { GITHUB_SHA: 'HEAD~1' }],
  ['GITHUB_RUN_ID not a number', {}, 'GITHUB_RUN_ID', { GITHUB_RUN_ID: '42\nForced-By: x' }],
  ['GITHUB_ACTOR with a newline', {}, 'GITHUB_ACTOR', { GITHUB_ACTOR: 'bot\nForced-By: x' }],
  [
    'GITHUB_SERVER_URL with credentials',
    {},
    'GITHUB_SERVER_URL',
    { GITHUB_SERVER_URL: 'https://u:p@github.com' },
  ],
  [
    'GITHUB_API_URL unreachable',
    {},
    `cannot connect to ${UNREACHABLE}/graphql`,
    { GITHUB_API_URL: UNREACHABLE, GITHUB_GRAPHQL_URL: '' },
  ],
  ['read-only token (FORBIDDEN)', { token: READ_TOKEN }, `The token cannot write to ${OWNER}/${REPO}`],
  ['unknown token (401)', { token: BAD_TOKEN }, 'GitHub rejected the token'],
  ['empty token', { token: '' }, 'Input "token" is required'],
];

async function runActionRow(inputs: Record<string, string>, env: Record<string, string> = {}): Promise<Seen> {
  const run = await spawnAction(
    'bump-release-dev',
    {
      app: 'shop',
      tag: 'sha-0123456789ab',
      'gitops-repository': `${OWNER}/${REPO}`,
      token: WRITE_TOKEN,
      ...inputs,
    },
    { GITHUB_API_URL: emulator.url, GITHUB_GRAPHQL_URL: emulator.graphqlUrl, ...env },
  ).done;
  // The message a user reads: the ::error:: line (file annotations included).
  const log = run.stdout
    .split('\n')
    .filter((line) => line.startsWith('::error'))
    .join('\n');
  return { code: run.code, log, visible: run.visible };
}

// ---------------------------------------------------------------------------
// The CLI

type CliRow = [
  label: string,
  args: (local: string) => string[],
  exit: 1 | 2,
  names: string,
  env?: Record<string, string>,
];

const REPO_ARGS = ['--repo', `${OWNER}/${REPO}`];
const CLI_ROWS: CliRow[] = [
  ['bump --repo: tag latest', () => ['bump', '--app', 'shop', '--tag', 'latest', ...REPO_ARGS], 2, '--tag'],
  ['bump --repo: tag -v1', () => ['bump', '--app', 'shop', '--tag=-v1', ...REPO_ARGS], 2, '--tag'],
  [
    'bump --repo: --env prod',
    () => ['bump', '--app', 'shop', '--tag', 'v1', '--env', 'prod', ...REPO_ARGS],
    2,
    '--env',
  ],
  [
    'bump --local: --env prod',
    (local) => ['bump', '--app', 'shop', '--tag', 'v1', '--env', 'prod', '--local', local],
    2,
    '--env',
  ],
  ['bump --repo: app ../x', () => ['bump', '--app', '../x', '--tag', 'v1', ...REPO_ARGS], 2, '--app'],
  [
    'bump --repo: app list shop,../b',
    () => ['bump', '--app', 'shop,../b', '--tag', 'v1', ...REPO_ARGS],
    2,
    '--app',
  ],
  ['bump --repo nope', () => ['bump', '--app', 'shop', '--tag', 'v1', '--repo', 'nope'], 2, '--repo'],
  [
    'bump --repo https://github.com/a/b',
    () => ['bump', '--app', 'shop', '--tag', 'v1', '--repo', 'https://github.com/a/b'],
    2,
    '--repo',
  ],
  [
    'bump --repo: branch a..b',
    () => ['bump', '--app', 'shop', '--tag', 'v1', ...REPO_ARGS, '--branch', 'a..b'],
    2,
    '--branch',
  ],
  [
    'bump --repo: branch that does not exist',
    () => ['bump', '--app', 'shop', '--tag', 'v1', ...REPO_ARGS, '--branch', 'nope'],
    1,
    'Branch "nope" does not exist',
  ],
  [
    'bump --repo: mode yolo',
    () => ['bump', '--app', 'shop', '--tag', 'v1', ...REPO_ARGS, '--mode', 'yolo'],
    2,
    '--mode',
  ],
  [
    'bump --repo: --dry-run=maybe',
    () => ['bump', '--app', 'shop', '--tag', 'v1', ...REPO_ARGS, '--dry-run=maybe'],
    2,
    '--dry-run',
  ],
  [
    'bump --repo: digest sha256:123',
    () => ['bump', '--app', 'shop', '--tag', 'v1', ...REPO_ARGS, '--digest', 'sha256:123'],
    2,
    '--digest',
  ],
  [
    'bump --repo: env stage',
    () => ['bump', '--app', 'shop', '--tag', 'v1', ...REPO_ARGS, '--env', 'stage'],
    2,
    '--env',
  ],
  [
    'bump --repo: several documents',
    () => ['bump', '--app', 'multi', '--tag', 'v1', ...REPO_ARGS],
    1,
    releaseFile('multi'),
  ],
  [
    'bump --repo: broken deploy/tagrelay.yaml',
    () => ['bump', '--app', 'shop', '--tag', 'v1', '--repo', `${OWNER}/${BROKEN}`],
    2,
    'deploy/tagrelay.yaml',
  ],
  [
    'bump --repo: GITHUB_API_URL not-a-url',
    () => ['bump', '--app', 'shop', '--tag', 'v1', ...REPO_ARGS],
    2,
    'GITHUB_API_URL',
    { GITHUB_API_URL: 'not-a-url' },
  ],
  [
    'bump --repo: GITHUB_API_URL ftp://x',
    () => ['bump', '--app', 'shop', '--tag', 'v1', ...REPO_ARGS],
    2,
    'GITHUB_API_URL',
    { GITHUB_API_URL: 'ftp://x' },
  ],
  [
    'bump --repo: read-only token',
    () => ['bump', '--app', 'shop', '--tag', 'v1', ...REPO_ARGS],
    1,
    'The token cannot write',
    { GITHUB_TOKEN: READ_TOKEN },
  ],
  [
    'bump --repo: unknown token',
    () => ['bump', '--app', 'shop', '--tag', 'v1', ...REPO_ARGS],
    1,
    'GitHub rejected the token',
    { GITHUB_TOKEN: BAD_TOKEN },
  ],
  [
    'bump --repo: no token',
    () => ['bump', '--app', 'shop', '--tag', 'v1', ...REPO_ARGS],
    2,
    'GITHUB_TOKEN',
    { GITHUB_TOKEN: '' },
  ],
  ['bump --local: tag a:b', (dir) => ['bump', '--app', 'shop', '--tag', 'a:b', '--local', dir], 2, '--tag'],
  [
    'bump --local: invalid YAML',
    (dir) => ['bump', '--app', 'invalid', '--tag', 'v1', '--local', dir],
    1,
    releaseFile('invalid'),
  ],
  [
    'bump --local: tag is a map',
    (dir) => ['bump', '--app', 'tagmap', '--tag', 'v1', '--local', dir],
    1,
    releaseFile('tagmap'),
  ],
  [
    'bump --local: another branch',
    (dir) => ['bump', '--app', 'shop', '--tag', 'v1', '--local', dir, '--branch', 'other'],
    2,
    '--branch',
  ],
  [
    'bump --local: pull-request mode',
    (dir) => ['bump', '--app', 'shop', '--tag', 'v1', '--local', dir, '--mode', 'pull-request'],
    2,
    '--mode',
  ],
  [
    'bump --local: not a directory',
    (dir) => ['bump', '--app', 'shop', '--tag', 'v1', '--local', join(dir, 'nope')],
    2,
    '--local',
  ],
  [
    'bump --repo: a symbolic link',
    () => ['bump', '--app', 'link', '--tag', 'v1', ...REPO_ARGS],
    1,
    `${releaseFile('link')} is a symbolic link`,
  ],
  [
    'bump --local: a symbolic link (the attack)',
    (dir) => ['bump', '--app', 'link', '--tag', 'v1', '--local', dir],
    1,
    `${releaseFile('link')} is a symbolic link`,
  ],
  [
    'bump --local: a submodule',
    (dir) => ['bump', '--app', 'sub', '--tag', 'v1', '--local', dir],
    1,
    `${releaseFile('sub')} is a submodule`,
  ],
  [
    'bump --local: a directory',
    (dir) => ['bump', '--app', 'dir', '--tag', 'v1', '--local', dir],
    1,
    `${releaseFile('dir')} is a directory`,
  ],
  [
    'bump --repo: Latin-1 bytes',
    () => ['bump', '--app', 'latin1', '--tag', 'v1', ...REPO_ARGS],
    1,
    `${releaseFile('latin1')} is not valid UTF-8 at byte offset 5`,
  ],
  [
    'bump --local: Latin-1 bytes',
    (dir) => ['bump', '--app', 'latin1', '--tag', 'v1', '--local', dir],
    1,
    `${releaseFile('latin1')} is not valid UTF-8 at byte offset 5`,
  ],
  [
    'bump --local: binary (a NUL)',
    (dir) => ['bump', '--app', 'binary', '--tag', 'v1', '--local', dir],
    1,
    `${releaseFile('binary')} is not valid UTF-8 at byte offset 0`,
  ],
  [
    'bump --repo: 3000 levels deep',
    () => ['bump', '--app', 'deep', '--tag', 'v1', ...REPO_ARGS],
    1,
    `Release file ${releaseFile('deep')}`,
  ],
  [
    'status --local: 3000 levels deep',
    (dir) => ['status', '--local', dir, '--app', 'deep'],
    1,
    `Release file ${releaseFile('deep')}`,
  ],
  [
    'bump --local: one 2.7 KB scalar',
    (dir) => ['bump', '--app', 'blob', '--tag', 'v1', '--local', dir],
    1,
    'does not hold a mapping',
  ],
  [
    'bump --repo: GITHUB_REPOSITORY with a forged trailer',
    () => ['bump', '--app', 'shop', '--tag', 'v1', ...REPO_ARGS],
    2,
    'GITHUB_REPOSITORY',
    {
      GITHUB_REPOSITORY: 'synestra/web\nRelease-Env: prod',
      GITHUB_SHA: '0123456789abcdef0123456789abcdef01234567',
    },
  ],
  [
    'bump --local: GITHUB_SHA with a forged trailer',
    (dir) => ['bump', '--app', 'shop', '--tag', 'v1', '--local', dir],
    2,
    'GITHUB_SHA',
    { GITHUB_REPOSITORY: 'synestra/web', GITHUB_SHA: FORGED_SHA },
  ],
  [
    'bump --repo: GITHUB_API_URL unreachable',
    () => ['bump', '--app', 'shop', '--tag', 'v1', ...REPO_ARGS],
    1,
    `cannot connect to ${UNREACHABLE}/graphql`,
    { GITHUB_API_URL: UNREACHABLE, GITHUB_GRAPHQL_URL: '' },
  ],
  ['status --repo a/b/c', () => ['status', '--repo', 'a/b/c', '--app', 'shop'], 2, '--repo'],
  ['status --repo: app A/B', () => ['status', ...REPO_ARGS, '--app', 'A/B'], 2, '--app'],
  [
    'status --repo: broken deploy/tagrelay.yaml',
    () => ['status', '--repo', `${OWNER}/${BROKEN}`, '--app', 'shop'],
    2,
    'deploy/tagrelay.yaml',
  ],
  [
    'status --repo: alias on the path',
    () => ['status', ...REPO_ARGS, '--app', 'aliased'],
    1,
    releaseFile('aliased'),
  ],
  [
    'status --repo: unknown token',
    () => ['status', ...REPO_ARGS, '--app', 'shop'],
    1,
    'GitHub rejected the token',
    { GITHUB_TOKEN: BAD_TOKEN },
  ],
  ['status --local: app a_b', (dir) => ['status', '--local', dir, '--app', 'a_b'], 2, '--app'],
  ['status --local: branch x.lock', (dir) => ['status', '--local', dir, '--branch', 'x.lock'], 2, '--branch'],
  [
    'status --local: empty release file',
    (dir) => ['status', '--local', dir, '--app', 'empty'],
    1,
    releaseFile('empty'),
  ],
];

async function runCliRow(args: string[], env: Record<string, string> = {}): Promise<Seen> {
  const run = await runCli(
    args,
    {
      GITHUB_TOKEN: WRITE_TOKEN,
      GITHUB_API_URL: emulator.url,
      GITHUB_GRAPHQL_URL: emulator.graphqlUrl,
      ...gitEnv,
      ...env,
    },
    scratch,
  );
  return { code: run.code, log: run.stderr, visible: `${run.stdout}\n${run.stderr}` };
}

// ---------------------------------------------------------------------------

function expectRefused(seen: Seen, names: string, before: ReturnType<typeof repositoryState>): void {
  expect(seen.log).toContain(names);
  // One line a person reads: the value or file quoted at most 80 characters, no dump.
  for (const line of seen.log.split('\n')) expect(line.length).toBeLessThan(800);
  expect(seen.log).not.toMatch(/(.)\1{80}/);
  expect(readdirSync(join(scratch, 'outside'))).toEqual([]);
  expect(repositoryState()).toEqual(before);
  for (const secret of SECRETS) expect(seen.visible).not.toContain(secret);
}

describe('bump-release-dev refuses bad input', () => {
  // `env = {}`: a default keeps the function's arity at the shortest row's (jest reads an extra parameter as `done`).
  it.each(ACTION_ROWS)('%s', async (_label, inputs, names, env = {}) => {
    const before = repositoryState();
    const seen = await runActionRow(inputs, env);
    expect(seen.code).not.toBe(0);
    expect(seen.code).not.toBeNull();
    expectRefused(seen, names, before);
  });
});

describe('the CLI refuses bad input (2: usage or input, 1: the operation failed)', () => {
  it.each(CLI_ROWS)('%s', async (_label, args, exit, names, env = {}) => {
    const before = repositoryState();
    const seen = await runCliRow(args(local), env);
    expect({ code: seen.code, log: seen.log }).toMatchObject({ code: exit });
    expectRefused(seen, names, before);
  });
});

it('the corpus has at least 100 rows', () => {
  expect(ACTION_ROWS.length + CLI_ROWS.length).toBeGreaterThanOrEqual(100);
});
