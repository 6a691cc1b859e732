/**
 * A GraphQL RATE_LIMITED that outlasts the resilience hook's waits reaches the facade as a
 * GraphqlResponseError; the user is told it is a rate limit, not shown a bug.
 */
import { GraphqlResponseError } from '@octokit/graphql';
import { RateLimitError, TransientError } from '../../src/core/errors.js';
import type { GitHubClient } from '../../src/github/client.js';
import { GitHubRepository } from '../../src/github/repository.js';

function failingWith(type: string, message: string): GitHubRepository {
  const client = {
    octokit: {},
    graphql: async () => {
      throw new GraphqlResponseError({ method: 'POST', url: '/graphql' } as never, {}, {
        data: null,
        errors: [{ type, message }],
      } as never);
    },
  } as unknown as GitHubClient;
  return new GitHubRepository(client, { owner: 'synestra', name: 'gitops' });
}

it('RATE_LIMITED becomes a RateLimitError naming the repository and what to do', async () => {
  const error = await failingWith('RATE_LIMITED', 'API rate limit exceeded')
    .read(undefined, ['a.yaml'])
    .catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(RateLimitError);
  expect((error as Error).message).toMatch(/rate-limiting synestra\/gitops while reading the branch/);
  expect((error as Error).message).toMatch(/re-run/);
});

it('another GraphQL error type is not reported as a rate limit', async () => {
  const error = await failingWith('INTERNAL', 'boom')
    .read(undefined, ['a.yaml'])
    .catch((caught: unknown) => caught);
  expect(error).not.toBeInstanceOf(RateLimitError);
  expect(error).not.toBeInstanceOf(TransientError);
});
