/**
 * Network failures say what they are: no connection (refused, reset, TLS) is retried
 * briefly and reported as "cannot connect to <url>: <reason>", never as an HTTP status;
 * an HTML error page is summarised by its status line; neither retries for long.
 */
import { Agent as HttpAgent, createServer, type Server } from 'node:http';
import { Duplex } from 'node:stream';
import { createServer as createNetServer, type Server as NetServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { ConnectionError, TransientError } from '../src/core/errors.js';
import { createGitHubClient } from '../src/github/client.js';
import { describeConnectionError, summariseHtml, withConnectTimeout } from '../src/github/network.js';
import { GitHubRepository } from '../src/github/repository.js';
import { initialPaths, planBump } from '../src/core/plan.js';
import { DEFAULT_LAYOUT } from '../src/core/layout.js';
import { runRelease } from '../src/operations/release.js';
import { runAction } from './support/run-action.js';
import nodeFetch, { FetchError } from 'node-fetch';
import { runCli } from './reliability/helpers.js';

const log = { debug: () => {}, info: () => {}, warning: () => {} };
const listen = async <T extends Server | NetServer>(server: T): Promise<T> => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
};
const portOf = (server: Server | NetServer) => (server.address() as AddressInfo).port;
const close = (server: Server | NetServer) => new Promise((resolve) => server.close(resolve));

/** A port nothing listens on: bound, then closed. */
async function closedPort(): Promise<number> {
  const server = await listen(createNetServer());
  const port = portOf(server);
  await close(server);
  return port;
}

const clientFor = (apiUrl: string, options: { requestTimeoutMs?: number } = {}) =>
  createGitHubClient({ token: 'ghp_test', apiUrl, userAgent: 't', log, retryBaseMs: 10, ...options });

function facade(apiUrl: string, options: { requestTimeoutMs?: number } = {}) {
  return new GitHubRepository(clientFor(apiUrl, options), { owner: 'synestra', name: 'gitops' });
}

async function failure(promise: Promise<unknown>) {
  const started = Date.now();
  try {
    await promise;
  } catch (error) {
    return { error: error as Error, ms: Date.now() - started };
  }
  throw new Error('expected a failure');
}

describe('describeConnectionError', () => {
  const fetchError = (code: string) =>
    new FetchError(`request to x failed, reason: ${code}`, 'system', { code } as Record<string, unknown>);
  it.each([
    ['ECONNREFUSED', 'connection refused (ECONNREFUSED)'],
    ['ECONNRESET', 'connection reset (ECONNRESET)'],
    ['ENOTFOUND', 'host name not found (DNS) (ENOTFOUND)'],
    ['EAI_AGAIN', 'host name lookup failed (DNS) (EAI_AGAIN)'],
    ['ETIMEDOUT', 'no connection within 3 s (ETIMEDOUT)'],
    ['DEPTH_ZERO_SELF_SIGNED_CERT', 'TLS certificate refused (DEPTH_ZERO_SELF_SIGNED_CERT)'],
    ['CERT_HAS_EXPIRED', 'TLS certificate refused (CERT_HAS_EXPIRED)'],
  ])('%s → %s', (code, words) => {
    expect(describeConnectionError(fetchError(code))).toBe(words);
  });

  it('leaves other errors alone', () => {
    expect(describeConnectionError(new Error('boom'))).toBeUndefined();
    expect(
      describeConnectionError(Object.assign(new Error('x'), { name: 'FetchError', type: 'invalid-json' })),
    ).toBeUndefined();
  });

  it('summarises an HTML page by its status line and title', () => {
    const page = `<!DOCTYPE html><html><head><title>\n  502 Bad Gateway\n</title></head><body>${'x'.repeat(3000)}</body></html>`;
    expect(summariseHtml(502, page)).toBe(
      '502 Bad Gateway (an HTML page titled "502 Bad Gateway", not an API answer)',
    );
    expect(summariseHtml(503, '<html><body>down</body></html>')).toBe(
      '503 Service Unavailable (an HTML page, not an API answer)',
    );
  });
});

describe('the facade against servers that are not GitHub', () => {
  it('a refused connection: "cannot connect to <url>", three tries, a few seconds', async () => {
    const port = await closedPort();
    const { error, ms } = await failure(facade(`http://127.0.0.1:${port}`).read(undefined, ['a.yaml']));
    expect(error).toBeInstanceOf(ConnectionError);
    expect(error.message).toMatch(
      new RegExp(
        `^cannot connect to http://127\\.0\\.0\\.1:${port}/graphql: connection refused \\(ECONNREFUSED\\) while reading the branch on synestra/gitops \\(tried 3 times\\)`,
      ),
    );
    expect(error.message).not.toMatch(/\b500\b|answered/);
    expect(ms).toBeLessThan(4_000);
  });

  it('connections reset as they open: "connection reset", three connections', async () => {
    let connections = 0;
    const server = await listen(
      createNetServer((socket) => {
        connections += 1;
        socket.resetAndDestroy();
      }),
    );
    try {
      const { error } = await failure(
        facade(`http://127.0.0.1:${portOf(server)}`).read(undefined, ['a.yaml']),
      );
      expect(error).toBeInstanceOf(ConnectionError);
      expect(error.message).toMatch(/: connection reset \(ECONNRESET\) while reading/);
      expect(connections).toBe(3);
    } finally {
      await close(server);
    }
  });

  it('https to a server that speaks plain HTTP: a TLS failure, not an HTTP status', async () => {
    const server = await listen(createServer((_request, response) => response.end('{}')));
    try {
      const { error } = await failure(
        facade(`https://127.0.0.1:${portOf(server)}`).read(undefined, ['a.yaml']),
      );
      expect(error).toBeInstanceOf(ConnectionError);
      expect(error.message).toMatch(
        /^cannot connect to https:\/\/127\.0\.0\.1:\d+\/graphql: TLS handshake failed/,
      );
    } finally {
      await close(server);
    }
  });

  it('an HTML 502 page: summarised, retried once per attempt, three attempts in all', async () => {
    let requests = 0;
    const page = `<html><head><title>Bad gateway</title></head><body>${'<p>sorry</p>'.repeat(300)}</body></html>`;
    const server = await listen(
      createServer((_request, response) => {
        requests += 1;
        response.writeHead(502, { 'content-type': 'text/html' }).end(page);
      }),
    );
    try {
      const url = `http://127.0.0.1:${portOf(server)}`;
      const repo = facade(url);
      const request = { env: 'dev', apps: ['web'], tag: 'v2' };
      const { error, ms } = await failure(
        runRelease(
          repo,
          { paths: initialPaths('dev', ['web'], DEFAULT_LAYOUT), plan: (files) => planBump(request, files) },
          { mode: 'direct', dryRun: false, engine: { retry: { baseDelayMs: 10 } } },
          repo,
        ),
      );
      expect(error).toBeInstanceOf(TransientError);
      expect(error.message).toBe(
        `${url}/graphql answered 502 Bad Gateway (an HTML page titled "Bad gateway", not an API answer) while reading ` +
          'the branch on synestra/gitops: a proxy or web server, not the GitHub API, answered; check GITHUB_API_URL, or re-run later',
      );
      expect(requests).toBe(6);
      expect(ms).toBeLessThan(5_000);
    } finally {
      await close(server);
    }
  });

  it('a server that accepts and never answers: "no answer within", once, not a hang', async () => {
    let requests = 0;
    const server = await listen(createServer(() => void (requests += 1)));
    try {
      const repo = facade(`http://127.0.0.1:${portOf(server)}`, { requestTimeoutMs: 300 });
      const { error, ms } = await failure(repo.read(undefined, ['a.yaml']));
      expect(error).toBeInstanceOf(ConnectionError);
      expect(error.message).toMatch(
        /^cannot connect to http:\/\/127\.0\.0\.1:\d+\/graphql: no answer within 0\.3 s/,
      );
      expect(requests).toBe(1);
      expect(ms).toBeLessThan(3_000);
    } finally {
      server.closeAllConnections();
      await close(server);
    }
  });

  it('a connection that never opens (a firewall dropping it) ends after the connect timeout', async () => {
    const agent = new HttpAgent();
    // A socket that never connects, takes what is written and never answers: what a
    // silently dropped SYN looks like to node:http.
    agent.createConnection = () => new Duplex({ read() {}, write: (_chunk, _encoding, done) => done() });
    withConnectTimeout(agent, 'connect', 100);
    const { error, ms } = await failure(nodeFetch('http://192.0.2.1/graphql', { agent }));
    expect(describeConnectionError(error)).toBe('no connection within 3 s (ETIMEDOUT)');
    expect(ms).toBeLessThan(2_000);
  });

  it('the requests of one client share one connection (the read and the commit, one TLS handshake)', async () => {
    let connections = 0;
    const server = await listen(
      createServer((request, response) => {
        request.resume();
        request.on('end', () =>
          response.writeHead(200, { 'content-type': 'application/json' }).end('{"data":{}}'),
        );
      }),
    );
    server.on('connection', () => (connections += 1));
    try {
      const client = clientFor(`http://127.0.0.1:${portOf(server)}`);
      await client.graphql('query { viewer { login } }', {});
      await client.graphql('query { viewer { login } }', {});
      expect(connections).toBe(1);
    } finally {
      server.closeAllConnections();
      await close(server);
    }
  });

  it('a long plain-text error body is cut short', async () => {
    const server = await listen(
      createServer((_request, response) =>
        response.writeHead(400, { 'content-type': 'text/plain' }).end('e'.repeat(5000)),
      ),
    );
    try {
      const { error } = await failure(
        facade(`http://127.0.0.1:${portOf(server)}`).read(undefined, ['a.yaml']),
      );
      expect(error.message.length).toBeLessThan(400);
      expect(error.message).toContain('(5000 characters)');
    } finally {
      await close(server);
    }
  });
});

describe('an unreachable GITHUB_API_URL, as users meet it (bundled entries)', () => {
  it('the action fails within 10 s, naming the URL', async () => {
    const url = `http://127.0.0.1:${await closedPort()}`;
    const started = Date.now();
    const run = await runAction('bump-release-dev', {
      inputs: { app: 'web', tag: 'v2', 'gitops-repository': 'synestra/gitops', token: 'ghp_unreachable0123' },
      env: { GITHUB_API_URL: url },
    });
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(
      `::error::cannot connect to ${url}/graphql: connection refused (ECONNREFUSED)`,
    );
  });

  it('the CLI exits 1 within 10 s, naming the URL', async () => {
    const url = `http://127.0.0.1:${await closedPort()}`;
    const started = Date.now();
    const run = await runCli(
      ['bump', '--app', 'web', '--tag', 'v2', '--repo', 'synestra/gitops'],
      { GITHUB_TOKEN: 'ghp_unreachable0123', GITHUB_API_URL: url },
      process.cwd(),
    );
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      `tagrelay: cannot connect to ${url}/graphql: connection refused (ECONNREFUSED)`,
    );
  });
});
