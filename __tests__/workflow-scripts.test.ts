/**
 * The glue in release.yml's and promote.yml's `run:` scripts, run as the runner runs them:
 * bash with the step's `env:` (given here already evaluated, and checked to be exactly the
 * keys the step declares), `GITHUB_OUTPUT`, `GITHUB_STEP_SUMMARY` and `RUNNER_TEMP`. The
 * artifacts between jobs are copied from one step's folder to the next, as upload-artifact and
 * download-artifact (merge-multiple) would. Needs bash and jq, as GitHub's Ubuntu runners have.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ROOT } from './support/workflow-checks.js';
import { parseBumpRequest } from '../src/core/bump-request.js';

type Mapping = Record<string, unknown>;

const hasJq = spawnSync('jq', ['--version']).status === 0;
if (!hasJq && process.env.CI === 'true') throw new Error('jq is required under CI=true (apt-get install jq)');
const describeWithJq = hasJq ? describe : describe.skip;
if (!hasJq) console.warn('workflow-scripts.test.ts: skipped, jq is not installed');

function step(workflow: string, job: string, id: string): { run: string; env: Mapping } {
  const data = parse(readFileSync(join(ROOT, '.github/workflows', workflow), 'utf8')) as Mapping;
  const steps = ((data.jobs as Mapping)[job] as Mapping).steps as Mapping[];
  const found = steps.find((item) => item.id === id || item.name === id);
  if (!found || typeof found.run !== 'string')
    throw new Error(`${workflow}: job ${job} has no run step ${id}`);
  return { run: found.run, env: (found.env ?? {}) as Mapping };
}

interface StepResult {
  code: number | null;
  stdout: string;
  outputs: Record<string, string>;
  summary: string;
}

let temp: string;
beforeEach(() => {
  temp = mkdtempSync(join(tmpdir(), 'tagrelay-scripts-'));
});
afterEach(() => rmSync(temp, { recursive: true, force: true }));

/** Runs one step. `env` must name exactly the step's env keys. */
function run(workflow: string, job: string, id: string, env: Record<string, string>): StepResult {
  const { run: script, env: declared } = step(workflow, job, id);
  expect(Object.keys(env).sort()).toEqual(Object.keys(declared).sort());
  const output = join(temp, `${job}-${id}.output`);
  const summary = join(temp, `${job}-${id}.summary`);
  writeFileSync(output, '');
  writeFileSync(summary, '');
  const result = spawnSync('bash', ['--noprofile', '--norc', '-e', '-c', script], {
    env: {
      PATH: process.env.PATH,
      GITHUB_OUTPUT: output,
      GITHUB_STEP_SUMMARY: summary,
      GITHUB_REPOSITORY: 'synestra/site',
      RUNNER_TEMP: temp,
      ...env,
    },
    encoding: 'utf8',
    timeout: 10_000,
  });
  const outputs: Record<string, string> = {};
  for (const line of readFileSync(output, 'utf8').split('\n')) {
    const at = line.indexOf('=');
    if (at > 0) outputs[line.slice(0, at)] = line.slice(at + 1);
  }
  return {
    code: result.status,
    stdout: result.stdout + result.stderr,
    outputs,
    summary: readFileSync(summary, 'utf8'),
  };
}

describeWithJq('release.yml: plan', () => {
  const plan = (env: Partial<Record<string, string>>) =>
    run('release.yml', 'plan', 'plan', {
      APP: 'corporate',
      IMAGE: 'ghcr.io/synestra/{app}',
      GITOPS_REPOSITORY: 'synestra/gitops',
      PROMOTE_MODE: 'direct',
      APP_CLIENT_ID: '',
      HAVE_TOKEN: 'true',
      HAVE_APP_KEY: 'false',
      ...env,
    } as Record<string, string>);

  it('lists the apps once each, in order, from commas and lines, and splits the GitOps repository', () => {
    const result = plan({ APP: ' corporate, shop\n\ncorporate ,blog-2\n' });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.outputs.apps as string)).toEqual(['corporate', 'shop', 'blog-2']);
    expect(result.outputs).toMatchObject({
      'gitops-repository': 'synestra/gitops',
      'gitops-owner': 'synestra',
      'gitops-name': 'gitops',
    });
  });

  it('takes the calling repository when no GitOps repository is given, and a GitHub App instead of a token', () => {
    const result = plan({
      GITOPS_REPOSITORY: '',
      HAVE_TOKEN: 'false',
      APP_CLIENT_ID: 'Iv1.abc',
      HAVE_APP_KEY: 'true',
    });
    expect(result.code).toBe(0);
    expect(result.outputs['gitops-repository']).toBe('synestra/site');
  });

  it.each([
    [{ APP: 'Corporate' }, 'Input "app" has an invalid value "Corporate": expected DNS labels'],
    [{ APP: 'shop, ../etc' }, 'Input "app" has an invalid value "../etc"'],
    [{ APP: `${'a'.repeat(64)}` }, `Input "app" has an invalid value "${'a'.repeat(64)}"`],
    [
      { APP: 'x'.repeat(100) + '!' },
      `Input "app" has an invalid value "${'x'.repeat(80)}…" (101 characters): expected`,
    ],
    [{ APP: ' , \n' }, 'Input "app" is required'],
    [
      { APP: 'corporate, shop', IMAGE: 'ghcr.io/synestra/site' },
      'Input "image" has the value "ghcr.io/synestra/site" for 2 apps: expected a {app} placeholder',
    ],
    [
      { GITOPS_REPOSITORY: 'gitops' },
      'Input "gitops-repository" has an invalid value "gitops": expected owner/name',
    ],
    [
      { PROMOTE_MODE: 'merge' },
      'Input "promote-mode" has an invalid value "merge": expected direct or pull-request',
    ],
    [
      { HAVE_TOKEN: 'false' },
      'Secret GITOPS_TOKEN is empty and no GitHub App is given: pass a token that can write to synestra/gitops',
    ],
    [
      { APP_CLIENT_ID: 'Iv1.abc' },
      'Input "gitops-app-client-id" is set but secret GITOPS_APP_PRIVATE_KEY is empty',
    ],
  ])('refuses %j before any job starts', (env, message) => {
    const result = plan(env);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`::error title=tagrelay release::${message}`);
    expect(result.outputs).toEqual({});
  });
});

describeWithJq('release.yml: build → bump-dev → smoke → verdict, the glue between the jobs', () => {
  const record = (app: string, tag: string, digest: string) =>
    run('release.yml', 'build', 'Record the build for the bump job', {
      APP: app,
      IMAGE: `ghcr.io/synestra/${app}`,
      TAG: tag,
      DIGEST: digest,
      BUILT: 'true',
    });
  /** download-artifact with merge-multiple: every leg's file in one folder. */
  const handOn = (from: string, to: string) => {
    mkdirSync(join(temp, to), { recursive: true });
    cpSync(join(temp, from), join(temp, to), { recursive: true });
  };
  const builds = (apps: string[]) =>
    run('release.yml', 'bump-dev', 'builds', {
      APPS: JSON.stringify(apps),
      DIR: join(temp, 'tagrelay-builds'),
      IMAGE: apps.length > 1 ? 'ghcr.io/synestra/{app}' : 'ghcr.io/synestra/corporate',
    });
  const digest = (n: number) => `sha256:${String(n).repeat(64).slice(0, 64)}`;

  it('fills {app} into the image, context and file of each leg', () => {
    const result = run('release.yml', 'build', 'paths', {
      APP: 'shop',
      IMAGE: 'ghcr.io/synestra/{app}',
      CONTEXT: 'apps/{app}',
      FILE: 'apps/{app}/{app}.Dockerfile',
    });
    expect(result.code).toBe(0);
    expect(result.outputs).toEqual({
      image: 'ghcr.io/synestra/shop',
      context: 'apps/shop',
      file: 'apps/shop/shop.Dockerfile',
    });
    const broken = run('release.yml', 'build', 'paths', {
      APP: 'shop',
      IMAGE: 'ghcr.io/synestra/{app}',
      CONTEXT: 'apps/{app}\ninjected=1',
      FILE: '',
    });
    expect(broken.code).toBe(1);
    expect(broken.stdout).toContain('Input "context" holds a line break');
    expect(broken.outputs).toEqual({ image: 'ghcr.io/synestra/shop' });
  });

  it('one app: its tag, image and digest go to bump-release-dev', () => {
    expect(record('corporate', 'sha-0123456789ab', digest(1)).code).toBe(0);
    handOn('tagrelay-build', 'tagrelay-builds');
    const result = builds(['corporate']);
    expect(result.code).toBe(0);
    expect(result.outputs).toEqual({
      apps: 'corporate',
      tag: 'sha-0123456789ab',
      digests: JSON.stringify({ corporate: digest(1) }),
      image: 'ghcr.io/synestra/corporate',
      digest: digest(1),
    });
  });

  it('several apps: one tag for all, in the order planned; each app pinned to its own image and digest', () => {
    record('shop', 'sha-0123456789ab', digest(2));
    record('corporate', 'sha-0123456789ab', digest(1));
    handOn('tagrelay-build', 'tagrelay-builds');
    const result = builds(['corporate', 'shop']);
    expect(result.code).toBe(0);
    expect(result.outputs).toEqual({
      apps: 'corporate,shop',
      tag: 'sha-0123456789ab',
      digests: JSON.stringify({ corporate: digest(1), shop: digest(2) }),
      image: 'ghcr.io/synestra/{app}',
      digest: `corporate=${digest(1)},shop=${digest(2)}`,
    });
    // What bump-release-dev makes of them: each release file its own image and digest.
    expect(
      parseBumpRequest({
        app: result.outputs.apps ?? '',
        tag: result.outputs.tag ?? '',
        image: result.outputs.image,
        digest: result.outputs.digest,
      }).perApp,
    ).toEqual({
      corporate: { repository: 'ghcr.io/synestra/corporate', digest: digest(1) },
      shop: { repository: 'ghcr.io/synestra/shop', digest: digest(2) },
    });
  });

  it('several apps, one without a digest: no digest pinned, rather than some', () => {
    record('shop', 'sha-0123456789ab', '');
    record('corporate', 'sha-0123456789ab', digest(1));
    handOn('tagrelay-build', 'tagrelay-builds');
    const result = builds(['corporate', 'shop']);
    expect([result.code, result.outputs.digest]).toEqual([0, '']);
  });

  it('refuses builds under different tags, and a missing build', () => {
    record('corporate', 'sha-0123456789ab', digest(1));
    record('shop', 'sha-ba9876543210', digest(2));
    handOn('tagrelay-build', 'tagrelay-builds');
    const different = builds(['corporate', 'shop']);
    expect(different.code).toBe(1);
    expect(different.stdout).toContain(
      'The apps were built under different tags (sha-0123456789ab, sha-ba9876543210)',
    );
    const missing = builds(['corporate', 'blog']);
    expect(missing.code).toBe(1);
    expect(missing.stdout).toContain('No build record for blog');
    expect(missing.outputs).toEqual({});
  });

  it('the verdict promotes exactly the apps that passed; a leg without a verdict counts as failed', () => {
    const smoke = (app: string, passed: string) =>
      expect(run('release.yml', 'smoke', 'Record the verdict', { APP: app, PASSED: passed }).code).toBe(0);
    smoke('corporate', 'true');
    smoke('shop', 'false');
    smoke('blog', ''); // the smoke step never set its outputs
    handOn('tagrelay-smoke', 'verdicts');
    const result = run('release.yml', 'verdict', 'verdict', {
      APPS: JSON.stringify(['corporate', 'shop', 'blog', 'docs']),
      DIR: join(temp, 'verdicts'),
      TAG: 'sha-0123456789ab',
    });
    expect(result.code).toBe(0);
    expect(result.outputs).toEqual({ passed: 'corporate', failed: 'shop,blog,docs' });
    expect(result.stdout).toContain(
      '::warning title=tagrelay release::Not promoted (smoke-dev failed or did not run): shop blog docs',
    );
    expect(result.summary).toContain('| corporate | passed: promoted next |');
    expect(result.summary).toContain('| docs | failed or not run: not promoted |');

    const none = run('release.yml', 'verdict', 'verdict', {
      APPS: JSON.stringify(['corporate']),
      DIR: join(temp, 'no-verdicts'),
      TAG: 'sha-0123456789ab',
    });
    expect(none.outputs).toEqual({ passed: '', failed: 'corporate' });
  });
});

describeWithJq('promote.yml: the credentials check', () => {
  const target = (env: Partial<Record<string, string>>) =>
    run('promote.yml', 'promote', 'target', {
      GITOPS_REPOSITORY: 'synestra/gitops',
      APP_CLIENT_ID: '',
      HAVE_TOKEN: 'true',
      HAVE_APP_KEY: 'false',
      ...env,
    } as Record<string, string>);

  it('splits the GitOps repository for the GitHub App token', () => {
    expect(target({}).outputs).toEqual({ owner: 'synestra', name: 'gitops' });
    expect(target({ GITOPS_REPOSITORY: '' }).outputs).toEqual({ owner: 'synestra', name: 'site' });
  });

  it.each([
    [{ HAVE_TOKEN: 'false' }, 'Secret GITOPS_TOKEN is empty and no GitHub App is given'],
    [{ APP_CLIENT_ID: 'Iv1.abc' }, 'secret GITOPS_APP_PRIVATE_KEY is empty'],
    [
      { GITOPS_REPOSITORY: 'a/b/c' },
      'Input "gitops-repository" has an invalid value "a/b/c": expected owner/name',
    ],
  ])('refuses %j', (env, message) => {
    const result = target(env);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(message);
  });
});
