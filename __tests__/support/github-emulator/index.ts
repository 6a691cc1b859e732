/**
 * A loopback GitHub API emulator for tests: the REST and GraphQL endpoints tagrelay calls,
 * backed by real bare git repositories, validating requests and its own responses against
 * GitHub's OpenAPI description and GraphQL schema. See ARCHITECTURE.md, "Testing with real parts".
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initRepository } from './git.js';
import {
  githubSchema,
  graphqlRouteKey,
  handleGraphQL,
  isMutation,
  parseGraphQLRequest,
  type PushEvent,
} from './graphql.js';
import { openapi } from './openapi.js';
import { matchRoute, message, type RestResponse } from './rest.js';
import {
  nodeId,
  now,
  numericId,
  type DeploymentRecord,
  type Permission,
  State,
  type StatusRecord,
} from './state.js';

export type { PushEvent } from './graphql.js';

export const WRITE_TOKEN = 'ghs_' + 'EmuWrite0123456789abcdefghijklmnopqrst'.slice(0, 36);
export const READ_TOKEN = 'ghs_' + 'EmuRead00123456789abcdefghijklmnopqrst'.slice(0, 36);

export interface EmulatorRepoSeed {
  owner: string;
  name: string;
  /** Default 'main'. */
  defaultBranch?: string;
  files?: Record<string, string>;
  /** Copies a directory tree as the initial commit. */
  fromDir?: string;
  /** Default true. */
  allowAutoMerge?: boolean;
}

export interface Faults {
  latencyMs?: number;
  /** 0..1 → 500/502/503. */
  errorRate?: number;
  /** 0..1 → 403 + retry-after (secondary rate limit). */
  secondaryRateLimitRate?: number;
  /** 0..1 → 429 + retry-after. */
  tooManyRequestsRate?: number;
  /** Default 1. */
  retryAfterSeconds?: number;
  /** 0..1: perform a mutation, then answer 502 anyway. */
  failAfterApplyRate?: number;
  /** Seed of the deterministic PRNG. */
  seed?: number;
}

export interface PullRequestSummary {
  number: number;
  head: string;
  base: string;
  title: string;
  body: string;
  autoMerge: boolean;
  state: 'open' | 'closed';
}

export interface GitHubEmulator {
  /** Base URL for GITHUB_API_URL, e.g. http://127.0.0.1:PORT. */
  url: string;
  /** url + '/graphql'. */
  graphqlUrl: string;
  /** The bare repository path. */
  repoDir(owner: string, name: string): string;
  /**
   * Every request that reached the server, faulted ones included; `serverMs` is the
   * time the emulator itself spent answering them (injected latency excluded), so a
   * benchmark can tell the client's time from the server's.
   */
  requests: { total: number; byRoute: Record<string, number>; serverMs: number };
  resetCounts(): void;
  setFaults(f: Faults): void;
  /** Schema violations found in the emulator's own responses (emulator bugs). */
  violations: string[];
  pullRequests(owner: string, name: string): PullRequestSummary[];
  /** Commit statuses and deployments created so far (oldest first). */
  statuses(owner: string, name: string): readonly StatusRecord[];
  deployments(owner: string, name: string): readonly DeploymentRecord[];
  /** Calls `listener` after every commit that lands through createCommitOnBranch; returns an unsubscribe. */
  onPush(listener: (event: PushEvent) => void): () => void;
  close(): Promise<void>;
}

export interface EmulatorOptions {
  repos: EmulatorRepoSeed[];
  faults?: Faults;
  /** Extra tokens, added to WRITE_TOKEN and READ_TOKEN. */
  tokens?: Record<string, Permission>;
}

/** mulberry32: small deterministic PRNG. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const RATE_LIMIT_DOCS =
  'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits';

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((ok, fail) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => ok(Buffer.concat(chunks)));
    req.on('error', fail);
  });
}

const sleep = (ms: number) => new Promise((ok) => setTimeout(ok, ms));

export async function startGitHubEmulator(opts: EmulatorOptions): Promise<GitHubEmulator> {
  // Warm the per-process caches (schema build ~150 ms, fixture parse) before serving.
  githubSchema();
  openapi();

  const root = mkdtempSync(join(tmpdir(), 'gh-emulator-'));
  const tokens: Record<string, Permission> = { [WRITE_TOKEN]: 'write', [READ_TOKEN]: 'read', ...opts.tokens };
  const requests = { total: 0, byRoute: {} as Record<string, number>, serverMs: 0 };
  const violations: string[] = [];
  const pushListeners = new Set<(event: PushEvent) => void>();
  let faults: Faults = {};
  let random = prng(1);
  const setFaults = (f: Faults) => {
    faults = { ...f };
    random = prng(f.seed ?? Math.floor(Math.random() * 2 ** 32));
  };
  setFaults(opts.faults ?? {});
  let rateRemaining = 5000;
  const rateReset = Math.floor(Date.now() / 1000) + 3600;

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      violations.push(
        `unhandled error on ${req.method} ${req.url}: ${(error as Error).stack ?? String(error)}`,
      );
      if (!res.headersSent) send(res, 500, { message: 'Server Error' });
      else res.end();
    });
  });
  const sockets = new Set<import('node:net').Socket>();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;
  const state = new State(url, url);

  for (const seed of opts.repos) {
    const dir = join(root, seed.owner, `${seed.name}.git`);
    const defaultBranch = seed.defaultBranch ?? 'main';
    await initRepository(dir, {
      defaultBranch,
      files: seed.files,
      fromDir: seed.fromDir,
    });
    state.repos.set(state.key(seed.owner, seed.name), {
      owner: seed.owner,
      name: seed.name,
      id: numericId('repo', seed.owner, seed.name),
      nodeId: nodeId('R', seed.owner, seed.name),
      ownerId: numericId('user', seed.owner),
      dir,
      defaultBranch,
      allowAutoMerge: seed.allowAutoMerge ?? true,
      createdAt: now(),
      pulls: [],
      statuses: [],
      deployments: [],
    });
  }

  function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
    const text = body === undefined ? '' : JSON.stringify(body);
    res.writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(text),
      'x-github-media-type': 'github.v3; format=json',
      'x-github-request-id': `EMU:${requests.total.toString(16)}`,
      ...headers,
    });
    res.end(text);
  }

  function rateHeaders(resource: string): Record<string, string> {
    rateRemaining = Math.max(0, rateRemaining - 1);
    return {
      'x-ratelimit-limit': '5000',
      'x-ratelimit-remaining': String(rateRemaining),
      'x-ratelimit-reset': String(rateReset),
      'x-ratelimit-used': String(5000 - rateRemaining),
      'x-ratelimit-resource': resource,
    };
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const arrived = performance.now();
    res.on('finish', () => (requests.serverMs += performance.now() - arrived - (faults.latencyMs ?? 0)));
    const method = (req.method ?? 'GET').toUpperCase();
    const target = new URL(req.url ?? '/', url);
    const raw = await readBody(req);
    let body: unknown = undefined;
    let badJson = false;
    if (raw.length > 0) {
      try {
        body = JSON.parse(raw.toString('utf8'));
      } catch {
        badJson = true;
      }
    }

    const isGraphQL = target.pathname === '/graphql' || target.pathname === '/api/graphql';
    const parsedGraphQL = isGraphQL && method === 'POST' && !badJson ? parseGraphQLRequest(body) : undefined;
    const match = isGraphQL ? undefined : matchRoute(method, target.pathname);
    const routeKey = isGraphQL
      ? parsedGraphQL
        ? graphqlRouteKey(parsedGraphQL)
        : `${method} /graphql`
      : match && 'route' in match
        ? `${method} ${match.route.template}`
        : `${method} ${target.pathname}`;
    const mutation = parsedGraphQL
      ? isMutation(parsedGraphQL)
      : !isGraphQL && method !== 'GET' && method !== 'HEAD';

    // Count, wait, then maybe fault.
    requests.total++;
    requests.byRoute[routeKey] = (requests.byRoute[routeKey] ?? 0) + 1;
    if (faults.latencyMs) await sleep(faults.latencyMs);
    const retryAfter = String(faults.retryAfterSeconds ?? 1);
    const roll = random();
    let edge = faults.errorRate ?? 0;
    if (roll < edge) {
      const status = [500, 502, 503][Math.floor(random() * 3)]!;
      return send(res, status, { message: 'Server Error' });
    }
    if (roll < (edge += faults.secondaryRateLimitRate ?? 0)) {
      return send(
        res,
        403,
        {
          message:
            'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
          documentation_url: RATE_LIMIT_DOCS,
          status: '403',
        },
        {
          'retry-after': retryAfter,
          ...rateHeaders(isGraphQL ? 'graphql' : 'core'),
        },
      );
    }
    if (roll < (edge += faults.tooManyRequestsRate ?? 0)) {
      return send(
        res,
        429,
        {
          message: 'Too Many Requests',
          documentation_url: RATE_LIMIT_DOCS,
          status: '429',
        },
        {
          'retry-after': retryAfter,
          ...rateHeaders(isGraphQL ? 'graphql' : 'core'),
        },
      );
    }
    const failAfterApply =
      mutation && (faults.failAfterApplyRate ?? 0) > 0 && random() < (faults.failAfterApplyRate ?? 0);

    // Authentication.
    const auth = /^(?:token|bearer)\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
    const permission = auth ? tokens[auth[1]!] : undefined;
    if (!permission) {
      return send(res, 401, {
        message: 'Bad credentials',
        documentation_url: 'https://docs.github.com/rest',
        status: '401',
      });
    }
    const headers = rateHeaders(isGraphQL ? 'graphql' : 'core');
    const finish = (status: number, payload: unknown, extra: Record<string, string> = {}) => {
      if (failAfterApply) return send(res, 502, { message: 'Server Error' });
      return send(res, status, payload, { ...headers, ...extra });
    };

    if (badJson) {
      return send(
        res,
        400,
        {
          message: 'Problems parsing JSON',
          documentation_url: 'https://docs.github.com/rest',
          status: '400',
        },
        headers,
      );
    }

    if (isGraphQL) {
      if (method !== 'POST')
        return send(
          res,
          404,
          {
            message: 'Not Found',
            documentation_url: 'https://docs.github.com/graphql',
          },
          headers,
        );
      const result = await handleGraphQL(parsedGraphQL!, {
        state,
        permission,
        violations,
        onPush: (event) => {
          for (const listener of pushListeners) listener(event);
        },
      });
      return finish(result.status, result.body);
    }

    // GitHub answers an unknown path and a known path with another method alike: 404.
    if (!match || 'methodNotAllowed' in match) {
      return send(
        res,
        404,
        { message: 'Not Found', documentation_url: 'https://docs.github.com/rest', status: '404' },
        headers,
      );
    }
    const { route } = match;
    const validator = openapi().validator(route.method, route.template);

    // Repository lookup, then permission, then request validation (GitHub's order).
    const repo = state.repo(match.params.owner ?? '', match.params.repo ?? '');
    const answer = (response: RestResponse) => {
      const problem = validator.checkResponse(response.status, response.body);
      if (problem) violations.push(`${routeKey} → ${response.status}: ${problem}`);
      return finish(response.status, response.body, response.headers);
    };
    if (!repo) return answer(message(404, 'Not Found', route.docs));
    if (route.write && permission !== 'write') {
      return answer(message(403, 'Resource not accessible by integration', route.docs));
    }
    const params: Record<string, unknown> = { ...match.params };
    for (const [key, value] of target.searchParams) {
      if (validator.parameters.some((p) => p.name === key && p.in === 'query')) params[key] = value;
    }
    const paramProblem = validator.checkParams(params);
    if (paramProblem) return answer(message(422, paramProblem, route.docs));
    if (route.method !== 'GET') {
      const bodyProblem = validator.checkBody(body ?? {});
      if (bodyProblem) return answer(message(422, bodyProblem, route.docs));
    }
    return answer(await route.handler({ method, params, body: body ?? {}, permission, state }, repo));
  }

  return {
    url,
    graphqlUrl: `${url}/graphql`,
    repoDir(owner, name) {
      const repo = state.repo(owner, name);
      if (!repo) throw new Error(`github-emulator: no repository ${owner}/${name}`);
      return repo.dir;
    },
    requests,
    resetCounts() {
      requests.total = 0;
      requests.serverMs = 0;
      for (const key of Object.keys(requests.byRoute)) delete requests.byRoute[key];
    },
    setFaults,
    violations,
    pullRequests(owner, name) {
      const repo = state.repo(owner, name);
      if (!repo) throw new Error(`github-emulator: no repository ${owner}/${name}`);
      return repo.pulls.map((p) => ({
        number: p.number,
        head: p.head,
        base: p.base,
        title: p.title,
        body: p.body,
        autoMerge: p.autoMerge !== null,
        state: p.state,
      }));
    },
    statuses(owner, name) {
      const repo = state.repo(owner, name);
      if (!repo) throw new Error(`github-emulator: no repository ${owner}/${name}`);
      return repo.statuses;
    },
    deployments(owner, name) {
      const repo = state.repo(owner, name);
      if (!repo) throw new Error(`github-emulator: no repository ${owner}/${name}`);
      return repo.deployments;
    },
    onPush(listener) {
      pushListeners.add(listener);
      return () => pushListeners.delete(listener);
    },
    async close() {
      await new Promise<void>((ok) => {
        server.close(() => ok());
        for (const socket of sockets) socket.destroy();
      });
      rmSync(root, { recursive: true, force: true });
    },
  };
}
