/**
 * build-and-tag's input readers in process, with the @actions/core stand-in: the tag from the
 * template and the runner context, extra tags, labels, and which credentials go to which
 * registry (the workflow token only ever to ghcr.io).
 */
import { jest } from '@jest/globals';
import { coreFixture, record, resetRunner } from './support/actions-core-fixture.js';

jest.unstable_mockModule('@actions/core', () => coreFixture);

const { readBuildAndTagInputs, readVerifyPushInputs } = await import('../src/actions/steps/build-and-tag.js');
const { ConfigurationError } = await import('../src/core/errors.js');
const { readRunnerContext } = await import('../src/github/runner-context.js');

const SHA = '0123456789abcdef0123456789abcdef01234567';
const TOKEN = 'ghs_workflowToken0123456789abcdefghij';
const NOW = new Date('2026-03-01T23:30:00Z');
const context = readRunnerContext({
  GITHUB_REPOSITORY: 'acme/web',
  GITHUB_SHA: SHA,
  GITHUB_ACTOR: 'release-bot',
  GITHUB_RUN_NUMBER: '57',
  GITHUB_REF_TYPE: 'branch',
  GITHUB_REF_NAME: 'feature/login',
});

function refusal(read: () => unknown): InstanceType<typeof ConfigurationError> {
  try {
    read();
  } catch (error) {
    if (error instanceof ConfigurationError) return error;
    throw error;
  }
  throw new Error('expected a ConfigurationError');
}

describe('readBuildAndTagInputs', () => {
  it('reads every input into a typed object: the default tag, labels, push', () => {
    resetRunner({ image: 'ghcr.io/acme/web', 'github-token': TOKEN });
    const inputs = readBuildAndTagInputs(context, NOW);
    expect(inputs).toEqual({
      image: 'ghcr.io/acme/web',
      reference: expect.objectContaining({ registry: 'ghcr.io', path: 'acme/web' }),
      tag: 'sha-0123456789ab',
      extraTags: [],
      push: true,
      access: { credentials: { username: 'release-bot', password: TOKEN }, source: 'workflow token' },
      labels: [
        `org.opencontainers.image.revision=${SHA}`,
        'org.opencontainers.image.source=https://github.com/acme/web',
        'org.opencontainers.image.created=2026-03-01T23:30:00.000Z',
        'org.opencontainers.image.version=sha-0123456789ab',
      ],
    });
    expect(record.secrets).toEqual([TOKEN]);
  });

  it.each([
    ['{branch}-{run_number}', 'feature-login-57'],
    ['{date}-{sha7}', '20260301-0123456'],
    ['v{run_number}.{sha12}', 'v57.0123456789ab'],
  ])('fills %j from the runner context and the clock: %j', (format, tag) => {
    resetRunner({ image: 'registry.example.com/web', 'tag-format': format });
    expect(readBuildAndTagInputs(context, NOW).tag).toBe(tag);
  });

  it('takes the sha input over the workflow commit', () => {
    resetRunner({ image: 'registry.example.com/web', sha: 'ABCDEF0123456789' });
    const inputs = readBuildAndTagInputs(context, NOW);
    expect(inputs.tag).toBe('sha-abcdef012345');
    expect(inputs.labels[0]).toBe('org.opencontainers.image.revision=abcdef0123456789');
  });

  it('refuses a template needing a value the run does not have', () => {
    resetRunner({ image: 'registry.example.com/web', 'tag-format': '{branch}' });
    const bare = readRunnerContext({ GITHUB_SHA: SHA });
    expect(refusal(() => readBuildAndTagInputs(bare, NOW)).input).toBe('branch');
  });

  it('reads extra tags, dropping duplicates and the immutable tag itself; latest only when allowed', () => {
    resetRunner({ image: 'r.example.com/web', 'extra-tags': 'edge, main\nedge\nsha-0123456789ab' });
    expect(readBuildAndTagInputs(context, NOW).extraTags).toEqual(['edge', 'main']);
    resetRunner({ image: 'r.example.com/web', 'extra-tags': 'latest' });
    expect(refusal(() => readBuildAndTagInputs(context, NOW)).input).toBe('extra-tags');
    resetRunner({ image: 'r.example.com/web', 'extra-tags': 'latest', 'allow-mutable-extra-tags': 'true' });
    expect(readBuildAndTagInputs(context, NOW).extraTags).toEqual(['latest']);
  });

  it('never sends the workflow token to a registry other than ghcr.io', () => {
    resetRunner({ image: 'registry.example.com/acme/web', 'github-token': TOKEN });
    expect(readBuildAndTagInputs(context, NOW).access).toEqual({ source: 'none' });
    resetRunner({ image: 'acme/web', 'github-token': TOKEN });
    expect(readBuildAndTagInputs(context, NOW).access).toEqual({ source: 'none' });
  });

  it('uses the given credentials anywhere, masking the password', () => {
    resetRunner({
      image: 'ghcr.io/acme/web',
      'registry-username': 'bot',
      'registry-password': 'pat-123456',
      'github-token': TOKEN,
    });
    expect(readBuildAndTagInputs(context, NOW).access).toEqual({
      credentials: { username: 'bot', password: 'pat-123456' },
      source: 'inputs',
    });
    expect(record.secrets).toContain('pat-123456');
  });

  it.each([
    [{ 'registry-username': 'bot' }, 'registry-password'],
    [{ 'registry-password': 'pat-123456' }, 'registry-username'],
    [{ push: 'yes' }, 'push'],
    [{ image: '' }, 'image'],
    [{ image: 'ghcr.io/acme/web@sha256:' + 'a'.repeat(64) }, 'image'],
  ])('refuses %j, naming %s', (given, input) => {
    resetRunner({ image: 'r.example.com/web', ...given });
    expect(refusal(() => readBuildAndTagInputs(context, NOW)).input).toBe(input);
  });
});

describe('readVerifyPushInputs', () => {
  const digest = `sha256:${'b'.repeat(64)}`;

  it('reads the image, the tag and the digest the build reported', () => {
    resetRunner({ image: 'ghcr.io/acme/web', tag: 'sha-0123456789ab', digest, 'github-token': TOKEN });
    expect(readVerifyPushInputs(context)).toMatchObject({
      image: 'ghcr.io/acme/web',
      tag: 'sha-0123456789ab',
      digest,
    });
  });

  it.each([
    [{ digest: '' }, 'digest', 'reports none when nothing was pushed'],
    [{ digest: 'sha256:abc' }, 'digest', 'sha256:'],
    [{ tag: 'latest' }, 'tag', 'mutable'],
  ])('refuses %j', (given, input, hint) => {
    resetRunner({ image: 'ghcr.io/acme/web', tag: 'sha-0123456789ab', digest, ...given });
    const error = refusal(() => readVerifyPushInputs(context));
    expect(error.input).toBe(input);
    expect(error.message).toContain(hint);
  });
});
