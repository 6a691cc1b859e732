/**
 * The transport under Octokit: node-fetch over keep-alive node:http agents, with what
 * a failure is made to say.
 *
 * - A connection that cannot be made (refused, reset, name not resolved, TLS failed,
 *   no connect within CONNECT_TIMEOUT_MS) is retried right here, twice, within about
 *   three seconds (nothing reached the server, or a re-sent request is answered as
 *   stale by GitHub's compare-and-swap), then thrown as a ConnectionFailure. Octokit
 *   wraps it as a "500"; the `connectionFailures` plugin tells the resilience hook
 *   (resilience.ts) not to retry it again, and the facade reports it as "cannot connect to <url>: <reason>".
 * - An answer that is an HTML page (a proxy's or a load balancer's error page, or a
 *   GITHUB_API_URL that is a web site) is summarised by its status line and title,
 *   and retried at most once; a long body is cut short. Real API errors keep their
 *   message and the resilience hook's back-off.
 * - Behind a proxy (HTTP_PROXY, HTTPS_PROXY, NO_PROXY; core/proxy.ts) a failure names it,
 *   and a 407 (the proxy wants credentials, never retried) says so.
 */
import { STATUS_CODES } from 'node:http';
import { Agent as HttpAgent, type ClientRequestArgs } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import type { Duplex } from 'node:stream';
import type { Octokit } from '@octokit/core';
import nodeFetch, { FetchError, type RequestInit as NodeFetchInit, type Response } from 'node-fetch';
import { NO_PROXY_SETTINGS, proxyFor, redactProxy, usesProxy, type ProxySettings } from '../core/proxy.js';

/** Longest wait for a TCP (and TLS) connection to be made. */
export const CONNECT_TIMEOUT_MS = 3_000;
/** Waits before the second and third attempt at a connection. */
const CONNECT_RETRY_DELAYS_MS = [250, 1_000] as const;
/** Longest API error message kept as it is. */
const MAX_MESSAGE = 300;

/** No connection, so no HTTP answer: what went wrong, in words, and where. */
export class ConnectionFailure extends Error {
  override readonly name = 'ConnectionFailure';
  constructor(
    /** The endpoint, without query. */
    readonly url: string,
    /** `connection refused (ECONNREFUSED)`. */
    readonly reason: string,
    readonly attempts: number,
    /** The proxy it went through, password hidden. */
    readonly proxy?: string,
  ) {
    super(`cannot connect to ${url}${proxy ? ` through the proxy ${proxy}` : ''}: ${reason}`);
  }
}

const REASONS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  EPIPE: 'connection closed while sending',
  ENOTFOUND: 'host name not found (DNS)',
  EAI_AGAIN: 'host name lookup failed (DNS)',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ETIMEDOUT: `no connection within ${CONNECT_TIMEOUT_MS / 1000} s`,
};

/** The words for a socket-level failure, or undefined when `error` is something else. */
export function describeConnectionError(error: unknown): string | undefined {
  if (!(error instanceof Error)) return undefined;
  // By class and type, not by name: the bundles are minified, and node-fetch names errors by their class.
  const { code, type } = error as Error & { code?: string; type?: string };
  if (!(error instanceof FetchError) || type !== 'system' || typeof code !== 'string') return undefined;
  if (REASONS[code]) return `${REASONS[code]} (${code})`;
  if (/CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ALTNAME/.test(code)) return `TLS certificate refused (${code})`;
  if (/SSL|TLS|EPROTO/.test(code) || /SSL|TLS/i.test(error.message)) {
    const detail = /reason: (?:\S+ \S+ )?(.*)$/.exec(error.message)?.[1] ?? code;
    return `TLS handshake failed (${detail.slice(0, 120)})`;
  }
  return `${error.message.replace(/^request to \S+ failed, reason: /, '').slice(0, 120)} (${code})`;
}

/** Agents whose connections give up after CONNECT_TIMEOUT_MS (node:http has no connect timeout of its own). */
export function withConnectTimeout<T extends HttpAgent>(
  agent: T,
  event: 'connect' | 'secureConnect',
  timeoutMs: number = CONNECT_TIMEOUT_MS,
): T {
  const create = agent.createConnection.bind(agent) as (
    options: ClientRequestArgs,
    callback?: (error: Error | null, stream: Duplex) => void,
  ) => Duplex;
  agent.createConnection = (options, callback) => {
    const socket = create(options, callback);
    const timer = setTimeout(() => {
      socket.destroy(
        Object.assign(new Error('connect timed out'), { code: 'ETIMEDOUT', syscall: 'connect' }),
      );
    }, timeoutMs);
    timer.unref();
    socket.once(event, () => clearTimeout(timer));
    socket.once('close', () => clearTimeout(timer));
    return socket;
  };
  return agent;
}

// One connection serves the read and the commit (a TLS handshake saved on github.com).
const httpAgent = withConnectTimeout(new HttpAgent({ keepAlive: true }), 'connect');
const httpsAgent = withConnectTimeout(new HttpsAgent({ keepAlive: true }), 'secureConnect');

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The agent for each URL: the keep-alive agents above, or a proxy's (HTTP_PROXY, HTTPS_PROXY,
 * NO_PROXY; core/proxy.ts), whose module is loaded only when a proxy is set.
 */
async function agentsFor(proxy: ProxySettings) {
  const direct = (target: URL) => (target.protocol === 'http:' ? httpAgent : httpsAgent);
  if (!usesProxy(proxy)) return { agent: direct, via: (_target: URL): string | undefined => undefined };
  const proxied = (await import('./proxy-agents.js')).proxyAgents();
  return {
    agent: (target: URL) => {
      const url = proxyFor(target, proxy);
      return url === undefined ? direct(target) : proxied(target, url);
    },
    via: (target: URL) => {
      const url = proxyFor(target, proxy);
      return url === undefined ? undefined : redactProxy(url);
    },
  };
}

/**
 * The fetch Octokit is given: node-fetch on node:http (Node's own fetch compiles undici's
 * WebAssembly parser on first use, ~40 MB and ~20 ms per action run), a whole-request
 * timeout, the bounded connection retry above, and the runner's proxy when one is set.
 */
export function createFetch(
  timeoutMs: number,
  warn: (message: string) => void,
  proxy: ProxySettings = NO_PROXY_SETTINGS,
) {
  let agents: ReturnType<typeof agentsFor> | undefined;
  return async (url: string, init: NodeFetchInit = {}): Promise<Response> => {
    const endpoint = url.split('?')[0] as string;
    const { agent, via } = await (agents ??= agentsFor(proxy));
    for (let attempt = 1; ; attempt++) {
      const timeout = AbortSignal.timeout(timeoutMs);
      try {
        return await nodeFetch(url, {
          ...init,
          agent,
          signal: init.signal ? AbortSignal.any([init.signal as AbortSignal, timeout]) : timeout,
        });
      } catch (error) {
        const proxied = via(new URL(url));
        if (timeout.aborted && !(init.signal as AbortSignal | undefined)?.aborted) {
          throw new ConnectionFailure(endpoint, `no answer within ${timeoutMs / 1000} s`, attempt, proxied);
        }
        const reason = describeConnectionError(error);
        if (reason === undefined) throw error;
        const delay = CONNECT_RETRY_DELAYS_MS[attempt - 1];
        if (delay === undefined) throw new ConnectionFailure(endpoint, reason, attempt, proxied);
        const through = proxied ? ` through the proxy ${proxied}` : '';
        warn(`cannot connect to ${endpoint}${through}: ${reason}; trying again in ${delay} ms`);
        await sleep(delay);
      }
    }
  };
}

interface HookError {
  status?: number;
  message: string;
  cause?: unknown;
  response?: { headers: Record<string, string | number | undefined>; data?: unknown };
}

/** Marks an Octokit error whose answer was an HTML page (summarised by the hook below). */
const HTML_PAGE = Symbol('tagrelay.htmlPage');

/** Whether GitHub's answer to the failed request was an HTML page rather than the API's. */
export function answeredHtmlPage(error: unknown): boolean {
  return typeof error === 'object' && error !== null && HTML_PAGE in error;
}

/** `502 Bad Gateway (an HTML page titled "…", not an API answer)`. */
export function summariseHtml(status: number, html: string): string {
  const title = /<title[^>]*>([^<]*)<\/title>/i.exec(html)?.[1]?.replace(/\s+/g, ' ').trim();
  const titled = title ? ` titled ${JSON.stringify(title.slice(0, 80))}` : '';
  return `${status} ${STATUS_CODES[status] ?? ''}`.trim() + ` (an HTML page${titled}, not an API answer)`;
}

/**
 * An Octokit plugin whose error hook runs inside the resilience hook (it caps that
 * attempt's `request.retries`): no
 * second round of retries for a connection failure (the transport retried already), at
 * most one for an HTML error page, and messages a user can read.
 */
export function connectionFailures(octokit: Octokit): Record<string, never> {
  octokit.hook.error('request', (error: HookError, options) => {
    const request = options.request as { retries?: number } | undefined;
    if (error.cause instanceof ConnectionFailure) {
      if (request) request.retries = 0;
      throw error;
    }
    if (error.status === 407) {
      // The proxy's own answer (https-proxy-agent replays it): no API was reached.
      error.message =
        '407 Proxy Authentication Required: the proxy refused the request; give its credentials in the proxy URL (http://user:password@host:port in HTTPS_PROXY or HTTP_PROXY)';
      throw error;
    }
    const data = error.response?.data;
    const type = String(error.response?.headers['content-type'] ?? '');
    if (
      typeof data === 'string' &&
      error.status !== undefined &&
      (/html/i.test(type) || /^\s*</.test(data))
    ) {
      error.message = summariseHtml(error.status, data);
      Object.assign(error, { [HTML_PAGE]: true });
      if (request) request.retries = Math.min(request.retries ?? 1, 1);
    } else if (error.message.length > MAX_MESSAGE) {
      error.message = `${error.message.slice(0, MAX_MESSAGE)}… (${error.message.length} characters)`;
    }
    throw error;
  });
  return {};
}
