/**
 * Input readers, the failure path and the job summary, in process with a stand-in for
 * @actions/core (fast; the end-to-end tests run dist/ as the runner does).
 */
import { jest } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { coreFixture, record, resetRunner } from './support/actions-core-fixture.js';

jest.unstable_mockModule('@actions/core', () => coreFixture);

const { readBumpInputs } = await import('../src/actions/steps/bump.js');
const { readStatusInputs } = await import('../src/actions/steps/status.js');
const { runAction } = await import('../src/actions/support/run.js');
const { writeJobSummary, writeReleaseSummary } = await import('../src/actions/support/summary.js');
const { writeSmokeSummary } = await import('../src/actions/support/smoke-summary.js');
const { ConfigurationError, ReleaseFileError } = await import('../src/core/errors.js');
const { readRunnerContext } = await import('../src/github/runner-context.js');
const { DEFAULT_LAYOUT } = await import('../src/core/layout.js');

const TOKEN = 'ghs_inProcess0123456789abcdefghijklmnop';
const context = readRunnerContext({
  GITHUB_REPOSITORY: 'synestra/site',
  GITHUB_SHA: '0123456789abcdef0123456789abcdef01234567',
});

// @actions/core's summary keeps the first file path it sees: one file for the suite.
const scratch = mkdtempSync(join(tmpdir(), 'tagrelay-inproc-'));
const summaryFile = join(scratch, 'summary.html');
beforeEach(() => {
  writeFileSync(summaryFile, '');
  process.env.GITHUB_STEP_SUMMARY = summaryFile;
});
afterAll(() => {
  delete process.env.GITHUB_STEP_SUMMARY;
  rmSync(scratch, { recursive: true, force: true });
});

/** The ConfigurationError a reader throws (anything else fails the test). */
function refusal(read: () => unknown): InstanceType<typeof ConfigurationError> {
  try {
    read();
  } catch (error) {
    if (error instanceof ConfigurationError) return error;
    throw error;
  }
  throw new Error('expected a ConfigurationError');
}

describe('readBumpInputs', () => {
  it('reads every input once into a typed request', () => {
    resetRunner({
      token: TOKEN,
      app: 'corporate\nshop',
      tag: 'sha-0123456789ab',
      image: 'ghcr.io/synestra/{app}',
      digest: `corporate=sha256:${'a'.repeat(64)}\nshop=sha256:${'b'.repeat(64)}`,
      'gitops-repository': 'synestra/gitops',
      branch: 'main',
      mode: 'pull-request',
      'dry-run': 'true',
    });
    const inputs = readBumpInputs(context);
    expect(inputs).toEqual({
      target: { token: TOKEN, repository: { owner: 'synestra', name: 'gitops' }, branch: 'main' },
      request: {
        env: 'dev',
        apps: ['corporate', 'shop'],
        tag: 'sha-0123456789ab',
        repository: undefined,
        digest: undefined,
        perApp: {
          corporate: { repository: 'ghcr.io/synestra/corporate', digest: `sha256:${'a'.repeat(64)}` },
          shop: { repository: 'ghcr.io/synestra/shop', digest: `sha256:${'b'.repeat(64)}` },
        },
        trailers: { sourceCommit: 'synestra/site@0123456789abcdef0123456789abcdef01234567' },
      },
      mode: 'pull-request',
      dryRun: true,
    });
  });

  it('takes a token pasted with a trailing newline as the token, and masks exactly that', () => {
    resetRunner({ token: `${TOKEN}\n`, app: 'corporate', tag: 'v1' });
    expect(readBumpInputs(context).target.token).toBe(TOKEN);
    expect(record.secrets).toEqual([TOKEN]);
  });

  it('defaults the repository to the workflow repository, direct mode, no dry run', () => {
    resetRunner({ token: TOKEN, app: 'corporate', tag: 'v1' });
    const inputs = readBumpInputs(context);
    expect(inputs.target.repository).toEqual({ owner: 'synestra', name: 'site' });
    expect(inputs.target.branch).toBeUndefined();
    expect([inputs.mode, inputs.dryRun]).toEqual(['direct', false]);
  });

  it.each([
    [{ app: 'corporate', tag: 'latest' }, 'tag', 'is mutable'],
    [{ app: 'Corporate', tag: 'v1' }, 'app', 'DNS label'],
    [{ app: 'corporate', tag: 'v1', mode: 'merge' }, 'mode', 'one of direct, pull-request'],
    [{ app: 'corporate', tag: 'v1', 'dry-run': 'yes' }, 'dry-run', 'true or false'],
    [{ app: 'corporate', tag: 'v1', branch: 'a..b' }, 'branch', 'branch name'],
    [{ app: 'corporate', tag: 'v1', 'gitops-repository': 'nope' }, 'gitops-repository', 'owner/name'],
    [{ app: 'corporate', tag: 'v1', digest: 'sha256:abc' }, 'digest', 'sha256:'],
  ])('refuses %j naming %s, with the token already masked', (inputs, input, expected) => {
    resetRunner({ token: TOKEN, ...inputs });
    const error = refusal(() => readBumpInputs(context));
    expect(error.input).toBe(input);
    expect(error.message).toContain(expected);
    expect(record.secrets).toEqual([TOKEN]);
  });

  it('asks for a token before anything else', () => {
    resetRunner({ app: 'Bad Name', tag: 'latest' });
    expect(refusal(() => readBumpInputs(context)).input).toBe('token');
  });
});

describe('readStatusInputs', () => {
  it('reads the apps and the target', () => {
    resetRunner({ token: TOKEN, app: 'corporate, shop', 'gitops-repository': 'synestra/gitops' });
    expect(readStatusInputs(context)).toEqual({
      target: { token: TOKEN, repository: { owner: 'synestra', name: 'gitops' }, branch: undefined },
      apps: ['corporate', 'shop'],
    });
  });
});

describe('runAction', () => {
  beforeEach(() => resetRunner());

  it('fails with the message a user reads: no class name for a project error', async () => {
    await runAction(async () => {
      throw new ConfigurationError('tag', 'latest', 'an immutable tag');
    });
    expect(record.failed).toEqual(['Input "tag" has an invalid value "latest": expected an immutable tag.']);
    expect(record.log.filter((line) => line.startsWith('debug:'))).toEqual([]);
  });

  it('annotates the file and line of a release-file problem', async () => {
    await runAction(async () => {
      throw new ReleaseFileError('deploy/env/release-dev/a.yaml', 'has no key image.tag', 3);
    });
    expect(record.annotations).toEqual([
      {
        level: 'error',
        message: 'Release file deploy/env/release-dev/a.yaml has no key image.tag.',
        properties: { title: 'tagrelay: release file', file: 'deploy/env/release-dev/a.yaml', startLine: 3 },
      },
    ]);
    expect(record.failed).toHaveLength(1);
  });

  it('names the class of an unexpected error, a bug nobody worded', async () => {
    await runAction(async () => {
      throw new TypeError('x is not a function');
    });
    expect(record.failed).toEqual(['TypeError: x is not a function']);
  });
});

/** Tags open and close in order: the summary is well-formed HTML. */
function balanced(html: string): boolean {
  const stack: string[] = [];
  for (const [, closing, name] of html.matchAll(/<(\/?)([a-z][a-z0-9]*)\b[^>]*>/g)) {
    if (closing === '') stack.push(name as string);
    else if (stack.pop() !== name) return false;
  }
  return stack.length === 0;
}

const change = (app: string, before: string, after: string, digest?: string) => ({
  app,
  env: 'dev',
  path: `deploy/env/release-dev/${app}.yaml`,
  previous: { repository: 'ghcr.io/x/y', tag: before },
  next: { repository: 'ghcr.io/x/y', tag: after, digest },
  tag: after,
  changed: before !== after || digest !== undefined,
});

describe('writeReleaseSummary', () => {
  beforeEach(() => resetRunner());

  it('writes a table of app, env, old → new tag, commit and pull request links, ending in a newline', async () => {
    await writeReleaseSummary('tagrelay: release to dev', {
      changeSet: {
        env: 'dev',
        tag: 'sha-new',
        apps: [change('corporate', 'sha-old', 'sha-new'), change('shop', 'sha-new', 'sha-new')],
        files: [{ path: 'deploy/env/release-dev/corporate.yaml', before: '', after: '' }],
        message: { headline: 'h', body: 'b' },
      },
      layout: DEFAULT_LAYOUT,
      branch: 'main',
      baseOid: 'b'.repeat(40),
      commit: { oid: 'c'.repeat(40), url: 'https://github.com/o/r/commit/cc?a=1&b=2' },
      pullRequest: {
        number: 7,
        url: 'https://github.com/o/r/pull/7',
        nodeId: 'PR_1',
        branch: 't',
        autoMerge: 'enabled',
      },
      diff: '',
      attempts: 2,
      dryRun: false,
    });
    const html = readFileSync(summaryFile, 'utf8');
    expect(html.endsWith('\n')).toBe(true);
    expect(balanced(html)).toBe(true);
    expect(html).toContain('<h3>tagrelay: release to dev</h3>');
    expect(html).toContain(
      '<td>corporate</td><td>dev</td><td><code>sha-old</code> → <code>sha-new</code></td>' +
        '<td><a href="https://github.com/o/r/commit/cc?a=1&#38;b=2">cccccccccccc</a></td>' +
        '<td><a href="https://github.com/o/r/pull/7">#7</a></td>',
    );
    expect(html).toContain(
      '<td>shop</td><td>dev</td><td><code>sha-new</code> (already)</td><td>—</td><td>—</td>',
    );
    expect(html).toContain('<p>The branch moved during the run; committed on attempt 2.</p>');
  });

  it('says when only the digest changed, and escapes a dry run diff', async () => {
    await writeReleaseSummary('tagrelay: release to dev', {
      changeSet: {
        env: 'dev',
        tag: 'v1',
        apps: [change('corporate', 'v1', 'v1', `sha256:${'d'.repeat(64)}`)],
        files: [{ path: 'p', before: '', after: '' }],
        message: { headline: 'h', body: 'b' },
      },
      layout: DEFAULT_LAYOUT,
      branch: 'main',
      baseOid: 'b'.repeat(40),
      diff: '-  note: <old>\n+  note: <new>\n',
      attempts: 1,
      dryRun: true,
    });
    const html = readFileSync(summaryFile, 'utf8');
    expect(balanced(html)).toBe(true);
    expect(html).toContain(`<code>v1</code> (digest (none) → sha256:${'d'.repeat(64)})`);
    expect(html).toContain('-  note: &#60;old&#62;');
    expect(html).toContain('<td>dry run</td>');
  });

  it('escapes text from outside: the title, a link that would leave its attribute, the auto-merge refusal', async () => {
    await writeReleaseSummary('tagrelay: release to <dev>', {
      changeSet: {
        env: 'dev',
        tag: 'v2',
        apps: [change('corporate', 'v1', 'v2')],
        files: [{ path: 'p', before: '', after: '' }],
        message: { headline: 'h', body: 'b' },
      },
      layout: DEFAULT_LAYOUT,
      branch: 'main',
      baseOid: 'b'.repeat(40),
      commit: { oid: 'c'.repeat(40), url: `https://github.com/o/r/commit/cc" onmouseover="x'` },
      pullRequest: {
        number: 7,
        url: 'https://github.com/o/r/pull/7',
        nodeId: 'PR_1',
        branch: 't',
        autoMerge: 'refused: <b>Pull request is in clean status</b>',
      },
      diff: '',
      attempts: 1,
      dryRun: false,
    });
    const html = readFileSync(summaryFile, 'utf8');
    expect(balanced(html)).toBe(true);
    expect(html).toContain('<h3>tagrelay: release to &#60;dev&#62;</h3>');
    expect(html).toContain('href="https://github.com/o/r/commit/cc&#34; onmouseover=&#34;x&#39;"');
    expect(html).toContain('refused: &#60;b&#62;Pull request is in clean status&#60;/b&#62;');
  });

  it('escapes what the dev site and GitHub said in the smoke summary', async () => {
    await writeSmokeSummary(
      {
        app: 'shop',
        env: 'dev',
        tag: 'sha-new',
        url: 'https://shop.dev.example',
        passed: false,
        versionSource: 'header:x-v',
        rollout: {
          outcome: 'timeout',
          seconds: 10,
          detectedVersion: '<img src=x>',
          message: 'saw "<img src=x>" (header x-v)',
        },
        checks: [
          {
            path: '/',
            url: 'https://shop.dev.example/',
            status: 500,
            latencyMs: 12,
            attempts: 3,
            redirects: 1,
            finalUrl: 'https://shop.dev.example/"><b>',
            result: 'fail',
            reason: 'body did not match <title>',
          },
        ],
      },
      { commit: 'c'.repeat(40), recordError: 'GitHub answered 502 <html>' },
    );
    const html = readFileSync(summaryFile, 'utf8');
    expect(balanced(html)).toBe(true);
    expect(html).not.toMatch(/<img|<title>|<b>|<html>/);
    expect(html).toContain('saw &#34;&#60;img src=x&#62;&#34; (header x-v)');
    expect(html).toContain('&#60;title&#62;');
    expect(html).toContain('GitHub answered 502 &#60;html&#62;');
  });

  it('only warns when the summary cannot be written: the release already happened', async () => {
    rmSync(scratch, { recursive: true, force: true });
    await expect(writeJobSummary((summary) => summary.addRaw('<p>x</p>', true))).resolves.toBeUndefined();
    expect(record.annotations.map((entry) => [entry.level, entry.message.split(':')[0]])).toEqual([
      ['warning', 'Could not write the job summary'],
    ]);
  });
});
