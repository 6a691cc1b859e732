/**
 * The Octokit factory and the repository facade against the emulator: endpoints as
 * GitHub Enterprise lays them out, and the GraphQL URL a runner gives.
 */
import { createGitHubClient, graphqlUrlFor } from '../src/github/client.js';
import { GitHubRepository } from '../src/github/repository.js';
import { WRITE_TOKEN, startGitHubEmulator, type GitHubEmulator } from './support/github-emulator/index.js';

const log = { debug: () => {}, info: () => {}, warning: () => {} };
let emulator: GitHubEmulator;

beforeAll(async () => {
  emulator = await startGitHubEmulator({
    repos: [{ owner: 'synestra', name: 'gitops', files: { 'a.yaml': 'image:\n  tag: v1\n' } }],
  });
});
afterAll(() => emulator.close());

describe('GitHub endpoints', () => {
  it.each([
    ['https://api.github.com', 'https://api.github.com/graphql'],
    ['https://api.github.com/', 'https://api.github.com/graphql'],
    ['https://ghe.example.com/api/v3', 'https://ghe.example.com/api/graphql'],
    ['https://ghe.example.com/api/v3/', 'https://ghe.example.com/api/graphql'],
  ])('derives the GraphQL endpoint of %s', (apiUrl, graphqlUrl) => {
    expect(graphqlUrlFor(apiUrl)).toBe(graphqlUrl);
  });

  it('reaches GraphQL at /api/graphql when the API is a GHES-style /api/v3', async () => {
    const client = createGitHubClient({
      token: WRITE_TOKEN,
      apiUrl: `${emulator.url}/api/v3`,
      userAgent: 't',
      log,
    });
    const snapshot = await new GitHubRepository(client, { owner: 'synestra', name: 'gitops' }).read(
      undefined,
      ['a.yaml'],
    );
    expect(snapshot.files.get('a.yaml')).toBe('image:\n  tag: v1\n');
  });

  it('honours an explicit GraphQL URL (GITHUB_GRAPHQL_URL) over the REST base', async () => {
    const client = createGitHubClient({
      token: WRITE_TOKEN,
      apiUrl: 'http://127.0.0.1:9/unused',
      graphqlUrl: emulator.graphqlUrl,
      userAgent: 't',
      log,
    });
    const snapshot = await new GitHubRepository(client, { owner: 'synestra', name: 'gitops' }).read('main', [
      'a.yaml',
      'missing.yaml',
    ]);
    expect(snapshot.branch).toBe('main');
    expect(snapshot.files.get('missing.yaml')).toBeNull();
    expect(snapshot.head?.message).toBeTruthy();
  });
});
