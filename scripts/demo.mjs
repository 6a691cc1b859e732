// `npm run demo`: the release flow, locally. Starts the GitHub emulator seeded with
// examples/gitops-repo, then runs the bundled actions exactly as a runner would.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, loadEmulator, runProcess as exec } from './load-test-support.mjs';

const OWNER = 'synestra';
const REPO = 'gitops';
const { startGitHubEmulator, WRITE_TOKEN } = await loadEmulator();
const emulator = await startGitHubEmulator({
  repos: [{ owner: OWNER, name: REPO, fromDir: join(ROOT, 'examples/gitops-repo') }],
});
const work = mkdtempSync(join(tmpdir(), 'tagrelay-demo-'));
const gitDir = emulator.repoDir(OWNER, REPO);
const say = (text) => console.log(`\n\x1b[1m== ${text}\x1b[0m`);

async function action(name, inputs) {
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
  const run = await exec(process.execPath, [join(ROOT, 'dist', `${name}.js`)], env);
  process.stdout.write(run.stdout.replace(/^/gm, '  │ '));
  process.stderr.write(run.stderr);
  console.log(`  └ exit ${run.code} in ${run.ms.toFixed(0)} ms`);
  // The runner's output file: name<<DELIMITER, value lines, DELIMITER.
  for (const [, key, , value] of readFileSync(output, 'utf8').matchAll(
    /^([\w-]+)<<(\S+)\n([\s\S]*?)\n?\2$/gm,
  )) {
    console.log(`      ${key} = ${value}`);
  }
  return run.code;
}

async function cli(...args) {
  const run = await exec(process.execPath, [join(ROOT, 'dist/cli.js'), ...args], {
    PATH: process.env.PATH,
    GITHUB_API_URL: emulator.url,
    GITHUB_TOKEN: WRITE_TOKEN,
  });
  process.stdout.write(run.stdout.replace(/^/gm, '  │ '));
  process.stderr.write(run.stderr.replace(/^/gm, '  │ '));
  return run.code;
}

let failed = false;
try {
  say(`GitHub emulator on ${emulator.url}, GitOps repository ${OWNER}/${REPO} from examples/gitops-repo`);
  failed ||= (await cli('status', '--repo', `${OWNER}/${REPO}`, '--app', 'corporate,shop')) !== 0;

  say('bump-release-dev: corporate and shop → sha-5e1f0c2d9a8b (one commit)');
  emulator.resetCounts();
  failed ||= (await action('bump-release-dev', { app: 'corporate, shop', tag: 'sha-5e1f0c2d9a8b' })) !== 0;
  console.log(`  GitHub API requests: ${emulator.requests.total}`);

  say('The same bump again: idempotent, nothing to commit');
  failed ||= (await action('bump-release-dev', { app: 'corporate, shop', tag: 'sha-5e1f0c2d9a8b' })) !== 0;

  say('A refused input: tag "latest"');
  await action('bump-release-dev', { app: 'shop', tag: 'latest' });

  say('What landed (git log of the emulator repository)');
  const log = await exec(
    'git',
    ['--git-dir', gitDir, 'log', '--stat', '-1', '--format=%h %s%n%(trailers:only,unfold)'],
    {
      PATH: process.env.PATH,
    },
  );
  console.log(log.stdout.replace(/^/gm, '  │ '));
  failed ||= (await cli('status', '--repo', `${OWNER}/${REPO}`, '--app', 'corporate,shop')) !== 0;
} finally {
  await emulator.close();
  rmSync(work, { recursive: true, force: true });
}
if (failed) {
  console.error('\ndemo: a step that should have succeeded failed');
  process.exit(1);
}
console.log('\ndemo: done');
