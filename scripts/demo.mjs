// `npm run demo`: the release flow, locally. Starts the GitHub emulator seeded with
// examples/gitops-repo, then runs the bundled actions exactly as a runner would.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, loadEmulator } from './load-test-support.mjs';

const OWNER = 'synestra';
const REPO = 'gitops';
const { startGitHubEmulator, WRITE_TOKEN } = await loadEmulator();
const emulator = await startGitHubEmulator({
  repos: [{ owner: OWNER, name: REPO, fromDir: join(ROOT, 'examples/gitops-repo') }],
});
const work = mkdtempSync(join(tmpdir(), 'tagrelay-demo-'));
const gitDir = emulator.repoDir(OWNER, REPO);
const say = (text) => console.log(`\n\x1b[1m== ${text}\x1b[0m`);

function action(name, inputs) {
  const output = join(work, `${name}.out`);
  const summary = join(work, `${name}.md`);
  writeFileSync(output, '');
  writeFileSync(summary, '');
  const env = {
    PATH: process.env.PATH,
    GITHUB_API_URL: emulator.url,
    GITHUB_GRAPHQL_URL: emulator.graphqlUrl,
    GITHUB_REPOSITORY: 'synestra/web',
    GITHUB_SHA: '5e1f0c2d9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d',
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_OUTPUT: output,
    GITHUB_STEP_SUMMARY: summary,
    'INPUT_GITOPS-REPOSITORY': `${OWNER}/${REPO}`,
    INPUT_TOKEN: WRITE_TOKEN,
  };
  for (const [key, value] of Object.entries(inputs)) env[`INPUT_${key.toUpperCase()}`] = value;
  const started = performance.now();
  const run = spawnSync(process.execPath, [join(ROOT, 'dist', `${name}.js`)], { env, encoding: 'utf8' });
  const ms = performance.now() - started;
  process.stdout.write(run.stdout.replace(/^/gm, '  │ '));
  process.stderr.write(run.stderr);
  console.log(`  └ exit ${run.status} in ${ms.toFixed(0)} ms; outputs:`);
  console.log(readFileSync(output, 'utf8').replace(/^/gm, '      '));
  return run.status;
}

function cli(...args) {
  const run = spawnSync(process.execPath, [join(ROOT, 'dist/cli.js'), ...args], {
    env: { PATH: process.env.PATH, GITHUB_API_URL: emulator.url, GITHUB_TOKEN: WRITE_TOKEN },
    encoding: 'utf8',
  });
  process.stdout.write(run.stdout.replace(/^/gm, '  │ '));
  process.stderr.write(run.stderr.replace(/^/gm, '  │ '));
  return run.status;
}

let failed = false;
try {
  say(`GitHub emulator on ${emulator.url}, GitOps repository ${OWNER}/${REPO} from examples/gitops-repo`);
  failed ||= cli('status', '--repo', `${OWNER}/${REPO}`, '--app', 'corporate,shop') !== 0;

  say('bump-release-dev: corporate and shop → sha-5e1f0c2d9a8b (one commit)');
  emulator.resetCounts();
  failed ||= action('bump-release-dev', { app: 'corporate, shop', tag: 'sha-5e1f0c2d9a8b' }) !== 0;
  console.log(`  GitHub API requests: ${emulator.requests.total}`);

  say('The same bump again: idempotent, nothing to commit');
  failed ||= action('bump-release-dev', { app: 'corporate, shop', tag: 'sha-5e1f0c2d9a8b' }) !== 0;

  say('A refused input: tag "latest"');
  action('bump-release-dev', { app: 'shop', tag: 'latest' });

  say('What landed (git log of the emulator repository)');
  console.log(
    spawnSync('git', ['--git-dir', gitDir, 'log', '--stat', '-2', '--format=%h %s%n%(trailers:only,unfold)'], {
      encoding: 'utf8',
    }).stdout.replace(/^/gm, '  │ '),
  );
  failed ||= cli('status', '--repo', `${OWNER}/${REPO}`, '--app', 'corporate,shop') !== 0;
} finally {
  await emulator.close();
  rmSync(work, { recursive: true, force: true });
}
if (failed) {
  console.error('\ndemo: a step that should have succeeded failed');
  process.exit(1);
}
console.log('\ndemo: done');
