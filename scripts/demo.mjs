// `npm run demo`: the whole release flow, locally, in the order of .github/workflows/release.yml:
// tag → reuse-or-build → bump dev → rollout → smoke → gate → promote, then a manual promotion
// refused for an unverified tag. Everything runs on loopback: the GitHub emulator seeded with
// examples/gitops-repo, a dev site that goes live after the release-dev commit, and Debian's
// docker-registry when it is installed (the build step is skipped, and said so, when it is not).
// The bundled actions and CLI run exactly as a runner would run them.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ROOT,
  distScript,
  loadDevSite,
  loadEmulator,
  loadSupport,
  runProcess as exec,
} from './load-test-support.mjs';

const OWNER = 'synestra';
const REPO = 'gitops';
const APP = 'corporate';
const SHA = '5e1f0c2d9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d';
const started = performance.now();
const { startGitHubEmulator, WRITE_TOKEN } = await loadEmulator();
const { startDevSite } = await loadDevSite();
const emulator = await startGitHubEmulator({
  repos: [{ owner: OWNER, name: REPO, fromDir: join(ROOT, 'examples/gitops-repo') }],
});
const site = await startDevSite({ version: 'sha-3f9c2e71a0b4', title: 'Corporate' });
const registrySupport = existsSync('/usr/bin/docker-registry') ? await loadSupport('registry') : undefined;
const registry = registrySupport ? await registrySupport.startRegistry({ kind: 'none' }) : undefined;
const work = mkdtempSync(join(tmpdir(), 'tagrelay-demo-'));
const gitDir = emulator.repoDir(OWNER, REPO);
const say = (text) => console.log(`\n\x1b[1m== ${text}\x1b[0m`);
/** A tool's output, indented under the step. */
const quoted = (text) => (text.trimEnd() === '' ? '' : `${text.trimEnd().replace(/^/gm, '  │ ')}\n`);

// Argo CD stand-in: the dev site serves the tag 1 s after it lands in release-dev.
emulator.onPush((event) => {
  const file = event.files.find((f) => f.path === `deploy/env/release-dev/${APP}.yaml`);
  const tag = file && /tag: (\S+)/.exec(file.content)?.[1];
  if (tag) {
    site.armSwitch(tag, 1000);
    site.trigger();
    console.log(`  ⋯ Argo CD (stand-in) rolls ${tag} out to dev in 1 s`);
  }
});

const runnerEnv = {
  PATH: process.env.PATH,
  GITHUB_API_URL: emulator.url,
  GITHUB_GRAPHQL_URL: emulator.graphqlUrl,
  GITHUB_REPOSITORY: 'synestra/web',
  GITHUB_SHA: SHA,
  GITHUB_RUN_ID: '4242',
  GITHUB_RUN_NUMBER: '17',
  GITHUB_ACTOR: 'release-bot',
  GITHUB_SERVER_URL: 'https://github.com',
};

async function action(name, inputs, { expectFailure = false } = {}) {
  const output = join(work, `${name}.out`);
  const summary = join(work, `${name}.md`);
  writeFileSync(output, '');
  writeFileSync(summary, '');
  const env = { ...runnerEnv, GITHUB_OUTPUT: output, GITHUB_STEP_SUMMARY: summary, RUNNER_TEMP: work };
  for (const [key, value] of Object.entries(inputs)) env[`INPUT_${key.toUpperCase()}`] = value;
  const run = await exec(process.execPath, [distScript(name)], env);
  process.stdout.write(quoted(run.stdout.replace(/^::add-mask::.*\n/gm, '')));
  process.stderr.write(run.stderr);
  console.log(`  └ exit ${run.code} in ${run.ms.toFixed(0)} ms`);
  const outputs = {};
  for (const [, key, , value] of readFileSync(output, 'utf8').matchAll(
    /^([\w-]+)<<(\S+)\n([\s\S]*?)\n?\2$/gm,
  )) {
    outputs[key] = value;
    if (value.length < 200) console.log(`      ${key} = ${value}`);
  }
  if ((run.code === 0) === expectFailure)
    throw new Error(`${name} ${expectFailure ? 'succeeded' : 'failed'}`);
  return outputs;
}

async function cli(...args) {
  const run = await exec(process.execPath, [join(ROOT, 'dist/cli.js'), ...args], {
    ...runnerEnv,
    GITHUB_TOKEN: WRITE_TOKEN,
  });
  process.stdout.write(quoted(run.stdout));
  process.stderr.write(quoted(run.stderr));
  if (run.code !== 0) throw new Error(`tagrelay ${args[0]} exited ${run.code}`);
  return run.stdout;
}

const gitops = { 'gitops-repository': `${OWNER}/${REPO}`, token: WRITE_TOKEN };
let ok = false;
try {
  say(`GitHub emulator ${emulator.url} (${OWNER}/${REPO} from examples/gitops-repo), dev site ${site.url}`);
  await cli('status', '--repo', `${OWNER}/${REPO}`);

  say('1. build-and-tag: the immutable tag for the commit, built only when the registry lacks it');
  const tag = (await cli('tag', '--sha', SHA)).trim();
  let digest = '';
  if (registry) {
    const image = `${registry.host}/synestra/${APP}`;
    const plan = await action('build-and-tag', { phase: 'plan', image, sha: SHA, push: 'true' });
    if (plan.exists === 'false') {
      console.log(
        `  ⋯ ${plan.tag} is not in ${registry.host}: building (a test image pushed in place of docker build)`,
      );
      const pushed = await registry.push(`synestra/${APP}`, plan.tag);
      await action('build-and-tag', { phase: 'verify', image, tag: plan.tag, digest: pushed.digest });
    }
    say('   …and the same commit again: the tag exists, nothing is built');
    const reused = await action('build-and-tag', { phase: 'plan', image, sha: SHA, push: 'true' });
    digest = reused.digest;
  } else {
    console.log(
      "  ⋯ skipped: Debian's docker-registry is not installed (apt-get install docker-registry); the tag is still computed",
    );
  }

  say(`2. bump-release-dev: ${APP} → ${tag} in dev (one commit, two API requests)`);
  emulator.resetCounts();
  await action('bump-release-dev', { ...gitops, app: APP, tag, ...(digest ? { digest } : {}) });
  console.log(`  GitHub API requests: ${emulator.requests.total}`);

  say(
    '3. smoke-dev: wait until dev serves exactly the new tag, check /, /admin, /api/health, record the result',
  );
  await action('smoke-dev', {
    ...gitops,
    app: APP,
    tag,
    url: site.url,
    'version-source': 'header:x-app-version',
    'rollout-timeout': '20s',
    'request-timeout': '2s',
  });
  console.log(`  detection lag ${site.detectionLagMs(tag)?.toFixed(0)} ms after the version went live`);

  say('4. promote-prod: the gate (current tag, success record, same image), then one commit to prod');
  emulator.resetCounts();
  await action('promote-prod', { ...gitops, app: APP });
  console.log(`  GitHub API requests, gate included: ${emulator.requests.total}`);

  say('What landed: the promotion commit and its trailers');
  const log = await exec(
    'git',
    ['--git-dir', gitDir, 'log', '-1', '--format=%h %s%n%(trailers:only,unfold)'],
    {
      PATH: process.env.PATH,
    },
  );
  process.stdout.write(quoted(log.stdout));

  say('Status: the same tag in dev and prod, verified');
  const status = await cli('status', '--repo', `${OWNER}/${REPO}`, '--app', APP);
  if (!new RegExp(`^${APP}\\s+${tag}\\s+${tag}\\s*$`, 'm').test(status))
    throw new Error('dev and prod differ');

  say('A manual promotion of an unverified tag is refused, and nothing is committed');
  await action('bump-release-dev', { ...gitops, app: 'shop', tag: 'sha-0badc0ffee00' });
  await action('promote-prod', { ...gitops, app: 'shop' }, { expectFailure: true });
  ok = true;
  // For the end-to-end test: keep a copy of the GitOps repository as the flow left it.
  if (process.env.TAGRELAY_DEMO_KEEP) {
    await exec('git', ['clone', '--quiet', '--mirror', gitDir, process.env.TAGRELAY_DEMO_KEEP], {
      PATH: process.env.PATH,
    });
  }
} catch (error) {
  console.error(`\ndemo: ${error instanceof Error ? error.message : String(error)}`);
} finally {
  await registry?.stop();
  await site.close();
  await emulator.close();
  rmSync(work, { recursive: true, force: true });
}
if (!ok) process.exit(1);
console.log(`\ndemo: done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
