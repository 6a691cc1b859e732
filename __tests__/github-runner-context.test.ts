/**
 * The runner's variables are validated where they are read: they end up in commit
 * trailers and links, and the CLI reads them from any environment. A bad value is a
 * configuration error naming the variable; nothing reaches a commit message.
 */
import { ConfigurationError } from '../src/core/errors.js';
import { readRunnerContext, sourceCommit } from '../src/github/runner-context.js';
import { thrownBy } from './support/thrown.js';

const SHA = '0123456789abcdef0123456789abcdef01234567';
const GOOD = {
  GITHUB_REPOSITORY: 'synestra/web',
  GITHUB_SHA: SHA,
  GITHUB_RUN_ID: '4242',
  GITHUB_ACTOR: 'release-bot',
  GITHUB_SERVER_URL: 'https://github.com',
  GITHUB_API_URL: 'https://api.github.com',
};

describe('readRunnerContext', () => {
  it('reads a runner’s variables', () => {
    const context = readRunnerContext(GOOD);
    expect(context).toMatchObject({
      repository: 'synestra/web',
      sha: SHA,
      runUrl: 'https://github.com/synestra/web/actions/runs/4242',
      actor: 'release-bot',
      apiUrl: 'https://api.github.com',
    });
    expect(sourceCommit(context)).toBe(`synestra/web@${SHA}`);
    expect(
      readRunnerContext({ ...GOOD, GITHUB_SHA: 'a'.repeat(64), GITHUB_ACTOR: 'app[bot]' }),
    ).toMatchObject({
      sha: 'a'.repeat(64),
      actor: 'app[bot]',
    });
    expect(sourceCommit(readRunnerContext({}))).toBeUndefined();
  });

  it.each([
    ['GITHUB_REPOSITORY', 'synestra/web\nRelease-Env: prod'],
    ['GITHUB_REPOSITORY', 'synestra/web\r'],
    ['GITHUB_REPOSITORY', 'synestra'],
    ['GITHUB_REPOSITORY', 'a/b/c'],
    ['GITHUB_REPOSITORY', '-x/web'],
    ['GITHUB_REPOSITORY', 'synestra/web app'],
    ['GITHUB_SHA', `${SHA}\nRelease-Env: prod`],
    ['GITHUB_SHA', SHA.toUpperCase()],
    ['GITHUB_SHA', SHA.slice(0, 12)],
    ['GITHUB_SHA', 'HEAD'],
    ['GITHUB_RUN_ID', '42\nForced-By: mallory'],
    ['GITHUB_RUN_ID', '0'],
    ['GITHUB_RUN_ID', '-1'],
    ['GITHUB_ACTOR', 'bot\nForced-By: mallory'],
    ['GITHUB_ACTOR', 'a b'],
    ['GITHUB_SERVER_URL', 'https://github.com\nx'],
    ['GITHUB_SERVER_URL', 'https://user:pass@github.com'],
    ['GITHUB_SERVER_URL', 'javascript:alert(1)'],
    ['GITHUB_API_URL', 'ftp://api.github.com'],
    ['GITHUB_API_URL', 'https://api.github.com/\t'],
    ['GITHUB_GRAPHQL_URL', 'not a url'],
  ])('refuses %s = %j, naming the variable', (name, value) => {
    const error = thrownBy(ConfigurationError, () => readRunnerContext({ ...GOOD, [name]: value }));
    expect(error.input).toBe(name);
    expect(error.message).not.toContain('\n');
  });
});
