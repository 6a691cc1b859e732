/**
 * build-and-tag as the runner runs its composite: the steps of actions/build-and-tag/action.yml
 * in order, each `if:` evaluated, our steps as `node dist/build-and-tag.cjs` with the env the
 * action.yml gives them (INPUT_*, GITHUB_OUTPUT, GITHUB_STEP_SUMMARY), against Debian's
 * docker-registry on 127.0.0.1. The docker actions are stand-ins that record their `with:`;
 * the build stand-in pushes an image under the tags it is given, as build-push-action would.
 */
import { createHash } from 'node:crypto';
import { request } from 'undici';
import { freePort, registryAvailable, startRegistry, type TestRegistry } from './support/registry.js';
import {
  actionInputs,
  loadComposite,
  runs,
  stepEnv,
  substitute,
  type ExpressionContext,
} from './support/composite.js';
import { runAction, type ActionRun } from './support/run-action.js';

const action = loadComposite('actions/build-and-tag/action.yml');
const USER = 'ci-bot';
const PASSWORD = 'registry-Pa55-never-shown-4b1d';
const WORKFLOW_TOKEN = 'ghs_workflowToken0123456789abcdefghij';
/** GITHUB_SHA of every run (support/run-action.ts), so the default tag is sha-0123456789ab. */
const DEFAULT_TAG = 'sha-0123456789ab';
const OTHER_SHA = 'fedcba9876543210fedcba9876543210fedcba98';

interface CompositeRun {
  /** Ids (or names) of the steps that ran. */
  ran: string[];
  /** Our steps' runs, by step id. */
  steps: Record<string, ActionRun>;
  /** The `with:` each docker stand-in got. */
  with: Record<string, Record<string, string>>;
  /** The composite's outputs, as its `outputs:` map them. */
  outputs: Record<string, string>;
}

/** A stand-in for docker/build-push-action: pushes under the tags given and reports the digest. */
type Build = (inputs: Record<string, string>) => Promise<{ digest: string }>;

async function runComposite(
  given: Record<string, string>,
  build: Build,
  env: Record<string, string> = {},
): Promise<CompositeRun> {
  const github = { token: WORKFLOW_TOKEN, actor: 'release-bot' };
  const context: ExpressionContext = { inputs: actionInputs(action, given, github), steps: {}, github };
  const result: CompositeRun = { ran: [], steps: {}, with: {}, outputs: {} };
  for (const step of action.steps) {
    if (!runs(step, context)) continue;
    const name = step.id ?? step.name ?? '?';
    result.ran.push(name);
    if (step.run !== undefined) {
      expect(step.run).toBe('node "$GITHUB_ACTION_PATH/../../dist/build-and-tag.cjs"');
      const run = await runAction('build-and-tag', {
        inputs: {},
        env: { ...stepEnv(step, context), ...env },
      });
      result.steps[name] = run;
      if (run.code !== 0) return result;
      context.steps[name] = { outputs: run.outputs };
    } else {
      const inputs = Object.fromEntries(
        Object.entries(step.with ?? {}).map(([key, value]) => [key, substitute(String(value), context)]),
      );
      result.with[name] = inputs;
      if (step.id === 'build') context.steps.build = { outputs: await build(inputs) };
    }
  }
  for (const [name, output] of Object.entries(action.outputs)) {
    result.outputs[name] = substitute(output.value, context);
  }
  return result;
}

/** sha256 of the manifest bytes the registry serves for the OCI Accept header. */
async function servedDigest(registry: TestRegistry, path: string, tag: string): Promise<string> {
  const response = await request(`${registry.url}/v2/${path}/manifests/${tag}`, {
    headers: {
      accept: 'application/vnd.oci.image.index.v1+json, application/vnd.oci.image.manifest.v1+json',
      authorization: `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}`,
    },
  });
  expect(response.statusCode).toBe(200);
  return `sha256:${createHash('sha256')
    .update(Buffer.from(await response.body.arrayBuffer()))
    .digest('hex')}`;
}

const visible = (run: CompositeRun) =>
  Object.values(run.steps)
    .map((step) => step.visible)
    .join('\n');

const describeRegistry = registryAvailable() ? describe : describe.skip;

describeRegistry('build-and-tag on a registry with basic auth', () => {
  let registry: TestRegistry;
  beforeAll(async () => {
    registry = await startRegistry({ kind: 'basic', users: { [USER]: PASSWORD } });
  });
  afterAll(() => registry?.stop());

  const credentials = { 'registry-username': USER, 'registry-password': PASSWORD };
  /** Builds by pushing under the tags build-push-action would push. */
  const pushBuild: Build = async (inputs) => {
    const refs = (inputs.tags ?? '').split('\n');
    const first = refs[0] ?? '';
    const path = first.slice(registry.host.length + 1, first.lastIndexOf(':'));
    const pushed = await registry.push(
      path,
      refs.map((ref) => ref.slice(ref.lastIndexOf(':') + 1)),
    );
    return { digest: pushed.digest };
  };
  const noBuild: Build = () => {
    throw new Error('the build step ran');
  };

  it('reuses a tag the registry holds: built=false, no docker step, the registry digest', async () => {
    const image = `${registry.host}/acme/reused`;
    await registry.push('acme/reused', DEFAULT_TAG, 'oci-index');
    const served = await servedDigest(registry, 'acme/reused', DEFAULT_TAG);

    const run = await runComposite({ image, ...credentials }, noBuild);
    expect(run.steps.plan?.stderr).toBe('');
    expect(run.steps.plan?.code).toBe(0);
    expect(run.ran).toEqual(['plan']);
    expect(run.outputs).toEqual({
      image,
      tag: DEFAULT_TAG,
      digest: served,
      ref: `${image}:${DEFAULT_TAG}@${served}`,
      built: 'false',
    });
    expect(run.steps.plan?.outputs).toMatchObject({ exists: 'true', built: 'false', digest: served });
    expect(run.steps.plan?.summary).toContain('reused: the registry already held this tag');
    expect(run.steps.plan?.summary).toContain(`${image}:${DEFAULT_TAG}@${served}`);
    expect(visible(run)).not.toContain(PASSWORD);
  });

  it('chooses the build path for an absent tag, pushes, reads the digest back; a re-run reuses it', async () => {
    const image = `${registry.host}/acme/built`;
    const given = { image, ...credentials, sha: OTHER_SHA, 'extra-tags': 'edge', 'build-args': 'A=1' };
    const run = await runComposite(given, pushBuild);
    expect(run.ran).toEqual(['plan', 'Set up Docker Buildx', 'Log in to the registry', 'build', 'verify']);
    expect(run.with['Log in to the registry']).toEqual({
      registry: registry.host,
      username: USER,
      password: PASSWORD,
    });
    const build = run.with.build as Record<string, string>;
    expect(build.tags).toBe(`${image}:sha-fedcba987654\n${image}:edge`);
    expect(build.push).toBe('true');
    expect(build['build-args']).toBe('A=1');
    expect(build.labels?.split('\n')).toEqual([
      `org.opencontainers.image.revision=${OTHER_SHA}`,
      'org.opencontainers.image.source=https://github.com/synestra/web',
      expect.stringMatching(/^org\.opencontainers\.image\.created=\d{4}-\d\d-\d\dT/),
      'org.opencontainers.image.version=sha-fedcba987654',
    ]);
    const served = await servedDigest(registry, 'acme/built', 'sha-fedcba987654');
    expect(run.outputs).toEqual({
      image,
      tag: 'sha-fedcba987654',
      digest: served,
      ref: `${image}:sha-fedcba987654@${served}`,
      built: 'true',
    });
    expect(run.steps.verify?.summary).toContain('built and pushed');
    expect(visible(run)).not.toContain(PASSWORD);

    const again = await runComposite(given, noBuild);
    expect(again.ran).toEqual(['plan']);
    expect(again.outputs).toMatchObject({ digest: served, built: 'false' });
  });

  it('fails the verify step when the registry serves another digest than the build reported', async () => {
    const image = `${registry.host}/acme/replaced`;
    const other = `sha256:${'1'.repeat(64)}`;
    const run = await runComposite({ image, ...credentials, sha: OTHER_SHA }, async (inputs) => {
      await pushBuild(inputs);
      return { digest: other };
    });
    expect(run.ran.at(-1)).toBe('verify');
    expect(run.steps.verify?.code).toBe(1);
    expect(run.steps.verify?.stdout).toMatch(
      new RegExp(
        `::error::registry ${registry.host} serves ${image}:sha-fedcba987654 as sha256:[0-9a-f]{64}, but docker/build-push-action reported ${other}`,
      ),
    );
  });

  it('fails the verify step when the tag is not in the registry after the build reported a push', async () => {
    const image = `${registry.host}/acme/lost`;
    const reported = `sha256:${'2'.repeat(64)}`;
    // The build says it pushed, but nothing reached this registry (another one, or a dropped push).
    const run = await runComposite({ image, ...credentials, sha: OTHER_SHA }, async () => ({
      digest: reported,
    }));
    expect(run.ran.at(-1)).toBe('verify');
    expect(run.steps.verify?.code).toBe(1);
    expect(run.steps.verify?.stdout).toMatch(
      new RegExp(`::error::${image}:sha-fedcba987654 is not in registry ${registry.host} after the push`),
    );
  });

  it('does not push or read back with push: false', async () => {
    const run = await runComposite(
      { image: `${registry.host}/acme/local`, ...credentials, sha: OTHER_SHA, push: 'false' },
      async () => ({ digest: '' }),
    );
    expect(run.ran).toEqual(['plan', 'Set up Docker Buildx', 'Log in to the registry', 'build']);
    expect(run.with.build?.push).toBe('false');
    expect(run.outputs).toMatchObject({ tag: 'sha-fedcba987654', digest: '', built: 'true' });
  });

  it('refuses wrong credentials with a message naming the registry, never the password', async () => {
    const wrong = 'wrong-Pa55-never-shown-77aa';
    const run = await runComposite(
      { image: `${registry.host}/acme/reused`, 'registry-username': USER, 'registry-password': wrong },
      noBuild,
    );
    expect(run.ran).toEqual(['plan']);
    expect(run.steps.plan?.code).toBe(1);
    expect(run.steps.plan?.stdout).toContain(
      `::error::registry ${registry.host} refused the credentials of user "${USER}"`,
    );
    expect(run.steps.plan?.stdout).toContain(`::add-mask::${wrong}`);
    expect(visible(run)).not.toContain(wrong);
  });
});

describeRegistry('build-and-tag on a registry with token auth', () => {
  it('reuses a tag, getting a token from the issuer the registry trusts', async () => {
    const registry = await startRegistry({ kind: 'token', users: { [USER]: PASSWORD } });
    try {
      const pushed = await registry.push('acme/web', DEFAULT_TAG);
      const image = `${registry.host}/acme/web`;
      const run = await runComposite(
        { image, 'registry-username': USER, 'registry-password': PASSWORD },
        () => {
          throw new Error('the build step ran');
        },
      );
      expect(run.steps.plan?.stderr).toBe('');
      expect(run.outputs).toMatchObject({ tag: DEFAULT_TAG, digest: pushed.digest, built: 'false' });
      expect(registry.issuer?.requests.at(-1)).toEqual({
        scopes: ['repository:acme/web:pull'],
        user: USER,
        status: 200,
      });
    } finally {
      await registry.stop();
    }
  });
});

describe('build-and-tag input mistakes', () => {
  it.each([
    [{ image: 'HOST/acme/web:v1' }, 'image', 'drop ":v1"'],
    [{ image: 'HOST/acme/web', 'tag-format': 'latest' }, 'tag-format', 'is mutable'],
    [{ image: 'HOST/acme/web', 'tag-format': 'v{version}' }, 'tag-format', '{version} is unknown'],
    [{ image: 'HOST/acme/web', sha: 'not-hex' }, 'sha', '7-40 hex'],
    [{ image: 'HOST/acme/web', 'extra-tags': 'edge, latest' }, 'extra-tags', 'is mutable'],
    [{ image: 'HOST/acme/web', 'registry-username': 'u' }, 'registry-password', 'is required'],
  ])('%j fails naming input %s, before asking the registry', async (given, input, hint) => {
    // Nothing listens on the registry's port: an attempt to ask would say "cannot connect".
    const host = `127.0.0.1:${await freePort()}`;
    const inputs = Object.fromEntries(
      Object.entries(given).map(([key, value]) => [key, value.replace('HOST', host)]),
    );
    const run = await runComposite(inputs, () => {
      throw new Error('the build step ran');
    });
    const plan = run.steps.plan as ActionRun;
    expect(plan.code).toBe(1);
    expect(plan.stdout).toMatch(new RegExp(`::error::Input "${input}" .*${hint.replace(/[{}]/g, '\\$&')}`));
    expect(plan.outputs).toEqual({});
  });
});
