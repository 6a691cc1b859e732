/**
 * The retry back-off of one request must not depend on the requests before it.
 * Octokit shares one `options.request` object between all requests of a client and
 * @octokit/plugin-retry stores `retryCount` on it, so without care a request that
 * follows a retried one starts its back-off where the last one stopped (4 s, 9 s,
 * 16 s instead of 1 s). Measured against a scripted loopback server, base 100 ms.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createGitHubClient } from '../../src/github/client.js';

let server: Server;
let url: string;
/** Status to answer per request, in order; 200 once the script runs out. */
let script: number[] = [];
let arrivals: number[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      arrivals.push(Date.now());
      const status = script.shift() ?? 200;
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify(status === 200 ? { data: { viewer: { login: 'x' } } } : { message: 'Server Error' }),
      );
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((ok) => server.close(() => ok())));

const client = () =>
  createGitHubClient({
    token: 'ghs_test',
    apiUrl: url,
    userAgent: 'tagrelay-test',
    retryBaseMs: 100,
    log: { debug: () => {}, info: () => {}, warning: () => {} },
  });

it.each([
  ['a fresh client: first retry after 1 × base', [], 100],
  ['after a request that needed 3 retries: still 1 × base', [500, 500, 500], 100],
])('%s', async (_name, before, expectedWait) => {
  const github = client();
  script = [...before];
  arrivals = [];
  if (before.length > 0) await github.graphql('query { viewer { login } }', {});
  script = [502];
  arrivals = [];
  await github.graphql('query { viewer { login } }', {});
  expect(arrivals).toHaveLength(2);
  const wait = (arrivals[1] as number) - (arrivals[0] as number);
  expect(wait).toBeGreaterThanOrEqual(expectedWait - 10);
  expect(wait).toBeLessThan(expectedWait * 2);
});
