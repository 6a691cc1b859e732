// `npm run emulator`: tagrelay's GitHub emulator on a loopback port, seeded with a directory
// (default examples/gitops-repo), plus a loopback dev site per app that starts serving a tag a
// second after it lands in dev's release layer. Prints the variables and the commands to try the
// CLI and the actions against it by hand, then runs until Ctrl-C.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer, connect } from 'node:net';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ROOT, distScript, loadDevSite, loadEmulator } from './load-test-support.mjs';

const USAGE = `Usage: npm run emulator -- [--port N] [--dir DIR] [--repo OWNER/NAME] [--branch BRANCH]

Starts tagrelay's GitHub emulator on 127.0.0.1: the REST and GraphQL endpoints tagrelay calls,
over a real git repository whose first commit is DIR, every request and answer checked against
GitHub's OpenAPI description and GraphQL schema. Each app with a release file in DIR's
deploy/env/release-dev/ gets a loopback dev site that serves the tag of that file, switching
a second after a commit changes it (what Argo CD and a rollout would do).

Flags:
  --port N           Port to listen on (default 0: any free port)
  --dir DIR          Directory to seed the repository with (default examples/gitops-repo)
  --repo OWNER/NAME  Name of the repository (default synestra/gitops)
  --branch BRANCH    Its default branch (default main)
  -h, --help         Show this help

Ctrl-C stops it; nothing outside a temporary directory is written.
`;

function usageError(message) {
  process.stderr.write(`emulator: ${message}\n\n${USAGE}`);
  process.exit(2);
}

let values;
try {
  ({ values } = parseArgs({
    options: {
      port: { type: 'string', default: '0' },
      dir: { type: 'string', default: join(ROOT, 'examples/gitops-repo') },
      repo: { type: 'string', default: 'synestra/gitops' },
      branch: { type: 'string', default: 'main' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  }));
} catch (error) {
  usageError(error.message);
}
if (values.help) {
  process.stdout.write(USAGE);
  process.exit(0);
}
const port = Number(values.port);
if (!/^\d+$/.test(values.port) || port > 65535) usageError(`--port: expected 0-65535, got "${values.port}"`);
const dir = resolve(values.dir);
if (!existsSync(dir) || !statSync(dir).isDirectory()) usageError(`--dir: ${values.dir} is not a directory`);
const repoMatch = /^([A-Za-z0-9-]+)\/([A-Za-z0-9._-]+)$/.exec(values.repo);
if (!repoMatch) usageError(`--repo: expected OWNER/NAME, got "${values.repo}"`);
const [, owner, name] = repoMatch;
const repo = `${owner}/${name}`;
const branch = values.branch;
if (!/^[A-Za-z0-9._/-]+$/.test(branch) || branch.includes('..'))
  usageError(`--branch: "${branch}" is not a branch name`);

const RELEASE_DEV = 'deploy/env/release-dev';
const apps = existsSync(join(dir, RELEASE_DEV))
  ? readdirSync(join(dir, RELEASE_DEV))
      .filter((file) => /^[a-z0-9]([-a-z0-9]*[a-z0-9])?\.yaml$/.test(file))
      .map((file) => file.replace(/\.yaml$/, ''))
      .sort()
  : [];
const tagIn = (text) => /^\s*tag:\s*['"]?([A-Za-z0-9_][A-Za-z0-9._-]{0,127})/m.exec(text)?.[1];

const { startGitHubEmulator, WRITE_TOKEN, READ_TOKEN } = await loadEmulator();
const { startDevSite } = await loadDevSite();

const emulator = await startGitHubEmulator({
  repos: [{ owner, name, fromDir: dir, defaultBranch: branch }],
});
const sites = new Map();
for (const app of apps) {
  const version = tagIn(readFileSync(join(dir, RELEASE_DEV, `${app}.yaml`), 'utf8')) ?? 'unknown';
  sites.set(app, await startDevSite({ version, title: app }));
}
// The dev sites follow the repository: a new tag in dev's release layer goes live a second later.
emulator.onPush((event) => {
  if (event.owner !== owner || event.name !== name || event.branch !== branch) return;
  for (const file of event.files) {
    const match = new RegExp(`^${RELEASE_DEV}/([^/]+)\\.yaml$`).exec(file.path);
    const site = match && sites.get(match[1]);
    const tag = site && tagIn(file.content);
    if (tag && tag !== site.version) {
      site.armSwitch(tag, 1000);
      site.trigger();
    }
  }
});

// The files a runner gives an action for its outputs and job summary.
const runnerFiles = mkdtempSync(join(tmpdir(), 'tagrelay-emulator-'));
const outputFile = join(runnerFiles, 'outputs');
const summaryFile = join(runnerFiles, 'summary.md');
writeFileSync(outputFile, '');
writeFileSync(summaryFile, '');

// A fixed port goes through a forwarder: the emulator always takes a free one.
let apiUrl = emulator.url;
const forwarded = new Set();
let forwarder;
if (port !== 0) {
  const upstream = new URL(emulator.url);
  forwarder = createServer((socket) => {
    const peer = connect(Number(upstream.port), upstream.hostname);
    forwarded.add(socket).add(peer);
    const drop = () => {
      socket.destroy();
      peer.destroy();
      forwarded.delete(socket);
      forwarded.delete(peer);
    };
    socket.on('error', drop).on('close', drop);
    peer.on('error', drop).on('close', drop);
    socket.pipe(peer).pipe(socket);
  });
  try {
    await new Promise((ok, fail) => forwarder.once('error', fail).listen(port, '127.0.0.1', ok));
  } catch (error) {
    await stop();
    process.stderr.write(
      error.code === 'EADDRINUSE'
        ? `emulator: port ${port} is in use; pick another with --port, or --port 0 for any free one\n`
        : `emulator: cannot listen on 127.0.0.1:${port}: ${error.message}\n`,
    );
    process.exit(1);
  }
  apiUrl = `http://127.0.0.1:${port}`;
}

async function stop() {
  rmSync(runnerFiles, { recursive: true, force: true });
  forwarder?.close();
  for (const socket of forwarded) socket.destroy();
  await Promise.all([...sites.values()].map((site) => site.close()));
  await emulator.close();
}

// ---------------------------------------------------------------------------
// What to try
// ---------------------------------------------------------------------------

const first = apps[0] ?? 'corporate';
const second = apps[1] ?? first;
const everyApp = apps.length ? apps.join(',') : first;
const tag = 'sha-0123456789ab';
const other = 'sha-abcdef012345';
const cli = 'node dist/cli.js';
const siteUrl = (app) => sites.get(app)?.url ?? 'https://{app}.dev.synestra.tech';
const inputs = (values) =>
  Object.entries(values)
    .map(([key, value]) => `INPUT_${key.toUpperCase()}=${value}`)
    .join(' ');
const action = (entry, values) =>
  `env ${inputs({ ...values, 'gitops-repository': repo })} node ${relative(ROOT, distScript(entry))}`;
const bold = (text) => (process.stdout.isTTY ? `\x1b[1m${text}\x1b[0m` : text);
const cmd = (text, note) => `  $ ${text}${note ? `   # ${note}` : ''}`;

const lines = [
  bold(
    `GitHub emulator for tagrelay: ${repo} (branch ${branch}, from ${relative(ROOT, dir) || '.'}) on ${apiUrl}`,
  ),
  "  Every request and answer is checked against GitHub's OpenAPI description and GraphQL schema.",
  ...(apps.length
    ? [
        '  Dev sites (each serves its dev tag in the x-app-version header; a new tag goes live 1 s after it lands):',
        ...apps.map((app) => `    ${app}: ${sites.get(app).url} (serving ${sites.get(app).version})`),
      ]
    : [`  No ${RELEASE_DEV}/*.yaml in the directory: no dev sites, so smoke has nothing to check.`]),
  '',
  bold('In another shell, from the repository root:'),
  `  export GITHUB_API_URL=${apiUrl}`,
  `  export GITHUB_GRAPHQL_URL=${apiUrl}/graphql`,
  `  export GITHUB_TOKEN=${WRITE_TOKEN}   # can write; ${READ_TOKEN} can only read`,
  '  # What the runner gives an action (its token input, the workflow run, files for outputs):',
  '  export INPUT_TOKEN="$GITHUB_TOKEN" GITHUB_REPOSITORY=synestra/site GITHUB_SHA=5e1f0c2d9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d',
  `  export GITHUB_OUTPUT=${outputFile} GITHUB_STEP_SUMMARY=${summaryFile}`,
  '',
  bold('The CLI:'),
  cmd(`${cli} status --repo ${repo} --app ${everyApp}`),
  cmd(`${cli} bump --repo ${repo} --app ${first} --tag ${tag} --dry-run`, 'prints the diff, commits nothing'),
  cmd(`${cli} bump --repo ${repo} --app ${first} --tag ${tag}`),
  cmd(`${cli} promote --repo ${repo} --app ${first}`, `refused (exit 1): nothing verified ${tag} in dev yet`),
  cmd(
    `${cli} smoke --repo ${repo} --app ${first} --tag ${tag} --url ${siteUrl(first)} --version-source header:x-app-version --rollout-timeout 30s`,
    'waits for the rollout, checks, records',
  ),
  cmd(`${cli} promote --repo ${repo} --app ${first}`, 'the same tag, now verified, into prod'),
  cmd(`${cli} reset --repo ${repo} --app ${second}`, "dev takes prod's tag again"),
  cmd(`${cli} status --repo ${repo} --app ${everyApp}`),
  '',
  bold('The actions, as the runner runs them (inputs as INPUT_* variables):'),
  cmd(action('bump-release-dev', { app: second, tag: other })),
  cmd(
    action('smoke-dev', {
      app: second,
      tag: other,
      url: siteUrl(second),
      'version-source': 'header:x-app-version',
      'rollout-timeout': '30s',
    }),
  ),
  cmd(action('promote-prod', { app: second })),
  cmd(action('main', { command: 'status', app: everyApp })),
  cmd('cat "$GITHUB_OUTPUT"', 'what they set as outputs (their job summaries are in $GITHUB_STEP_SUMMARY)'),
  '',
  bold('What landed:'),
  cmd(`git --git-dir ${emulator.repoDir(owner, name)} log --format='%h %s%n%(trailers:only,unfold)'`),
  '',
  'Ctrl-C stops the emulator.',
];
process.stdout.write(`${lines.join('\n')}\n`);

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    const violations = emulator.violations.length;
    stop().then(() => {
      if (violations > 0)
        process.stderr.write(`emulator: ${violations} answers broke GitHub's schema (emulator bugs)\n`);
      process.exit(0);
    });
  });
}
