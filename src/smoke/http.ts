/**
 * HTTP probes on undici: one connection pool per run, a timeout per request (headers,
 * body and every redirect hop together), redirects followed by hand so each hop is
 * spaced by the rate gate, the body read up to a cap, and retries only after a
 * connection error, a timeout or a 5xx, a bounded number of times.
 */
import { Agent, EnvHttpProxyAgent, request, type Dispatcher } from 'undici';
import { formatDuration } from '../core/duration.js';
import { usesProxy, type ProxySettings } from '../core/proxy.js';
import type { ProbeOutcome } from '../core/smoke-report.js';
import { USER_AGENT } from '../core/version.js';
import { RateGate } from './rate-gate.js';

export interface HttpAnswer {
  status: number;
  /** Lower-case names. */
  headers: Record<string, string | string[] | undefined>;
  body: string;
  finalUrl: string;
  redirects: number;
}

export type FailureKind = 'timeout' | 'refused' | 'reset' | 'dns' | 'tls' | 'redirects' | 'other';

export interface HttpFailure {
  kind: FailureKind;
  message: string;
}

export interface Attempt {
  answer?: HttpAnswer;
  failure?: HttpFailure;
  latencyMs: number;
}

export interface HttpProberOptions {
  requestTimeoutMs: number;
  /** Attempts per check, the first included (default 3). */
  maxAttempts?: number;
  /** Wait before the first retry; doubles after each (default 500 ms). */
  retryDelayMs?: number;
  maxRedirects?: number;
  /** Bytes of a body kept for version and body checks (default 1 MiB). */
  maxBodyBytes?: number;
  /** Spacing of the requests per URL (default: 550 ms, at most 2 per second). */
  gate?: RateGate;
  /** Extra request headers. */
  headers?: Record<string, string>;
  /** The runner's HTTP(S)_PROXY and NO_PROXY. */
  proxy?: ProxySettings;
}

/** An agent, or one that goes through the proxy the settings name for each origin (http:// as absolute URLs). */
export function proxiedAgent(options: Agent.Options, proxy: ProxySettings | undefined): Dispatcher {
  return proxy && usesProxy(proxy)
    ? new EnvHttpProxyAgent({ ...options, ...proxy, proxyTunnel: false })
    : new Agent(options);
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const MAX_ATTEMPTS_CAP = 10;

/** Which failures are worth another attempt: the network's and the server's, not the user's. */
export function isRetryable(attempt: Attempt): boolean {
  if (attempt.failure)
    return (
      attempt.failure.kind !== 'tls' &&
      attempt.failure.kind !== 'redirects' &&
      attempt.failure.kind !== 'other'
    );
  return attempt.answer !== undefined && attempt.answer.status >= 500;
}

function errorCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current && typeof current === 'object'; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** Maps what undici and the socket threw to a short, actionable failure. */
export function classifyError(error: unknown, timeoutMs: number, timedOut: boolean): HttpFailure {
  const code = errorCode(error);
  const name = error instanceof Error ? error.name : '';
  if (
    timedOut ||
    name === 'TimeoutError' ||
    code === 'UND_ERR_HEADERS_TIMEOUT' ||
    code === 'UND_ERR_BODY_TIMEOUT' ||
    code === 'UND_ERR_CONNECT_TIMEOUT' ||
    code === 'ETIMEDOUT'
  ) {
    return { kind: 'timeout', message: `timed out after ${formatDuration(timeoutMs)}` };
  }
  if (code === 'ECONNREFUSED') return { kind: 'refused', message: 'connection refused' };
  if (code === 'ECONNRESET' || code === 'EPIPE' || code === 'UND_ERR_SOCKET' || code === 'UND_ERR_CLOSED') {
    return { kind: 'reset', message: 'connection closed by the server' };
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return { kind: 'dns', message: 'host not found (DNS)' };
  if (code !== undefined && (/^ERR_TLS|CERT|SSL/.test(code) || code === 'DEPTH_ZERO_SELF_SIGNED_CERT')) {
    return { kind: 'tls', message: `TLS error (${code})` };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { kind: 'other', message: code ? `${code}: ${message}` : message };
}

async function readCapped(
  body: AsyncIterable<Buffer> & { destroy?: () => void },
  cap: number,
): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    if (size < cap) chunks.push(chunk.subarray(0, cap - size));
    size += chunk.length;
    // Keep reading past the cap (discarding) so the connection can be reused, within the timeout.
  }
  return Buffer.concat(chunks).toString('utf8');
}

export class HttpProber {
  private readonly agent: Dispatcher;
  readonly gate: RateGate;
  private readonly options: Required<Omit<HttpProberOptions, 'gate' | 'headers' | 'proxy'>> & {
    headers: Record<string, string>;
  };

  constructor(options: HttpProberOptions) {
    this.options = {
      requestTimeoutMs: options.requestTimeoutMs,
      maxAttempts: Math.min(MAX_ATTEMPTS_CAP, Math.max(1, options.maxAttempts ?? 3)),
      retryDelayMs: options.retryDelayMs ?? 500,
      maxRedirects: options.maxRedirects ?? 10,
      maxBodyBytes: options.maxBodyBytes ?? 1024 * 1024,
      headers: options.headers ?? {},
    };
    this.gate = options.gate ?? new RateGate(550);
    this.agent = proxiedAgent(
      { connections: 8, keepAliveTimeout: 4000, connect: { timeout: options.requestTimeoutMs } },
      options.proxy,
    );
  }

  /** One GET of `url`, following redirects, within `timeoutMs` (default: the request timeout). */
  async once(url: string, timeoutMs = this.options.requestTimeoutMs): Promise<Attempt> {
    await this.gate.acquire(url);
    const started = performance.now();
    const signal = AbortSignal.timeout(Math.max(1, Math.ceil(timeoutMs)));
    let current = url;
    try {
      for (let redirects = 0; ; redirects++) {
        if (redirects > 0) await this.gate.acquire(current);
        const response = await request(current, {
          method: 'GET',
          dispatcher: this.agent,
          signal,
          headersTimeout: timeoutMs,
          bodyTimeout: timeoutMs,
          headers: { 'user-agent': `${USER_AGENT} (smoke)`, accept: '*/*', ...this.options.headers },
        });
        const location = response.headers.location;
        const target = Array.isArray(location) ? location[0] : location;
        if (REDIRECTS.has(response.statusCode) && typeof target === 'string' && target !== '') {
          await response.body.dump();
          if (redirects >= this.options.maxRedirects) {
            return {
              failure: {
                kind: 'redirects',
                message: `more than ${this.options.maxRedirects} redirects (last to ${target})`,
              },
              latencyMs: performance.now() - started,
            };
          }
          current = new URL(target, current).toString();
          continue;
        }
        const body = await readCapped(response.body, this.options.maxBodyBytes);
        return {
          answer: {
            status: response.statusCode,
            headers: response.headers,
            body,
            finalUrl: current,
            redirects,
          },
          latencyMs: performance.now() - started,
        };
      }
    } catch (error) {
      return {
        failure: classifyError(error, timeoutMs, signal.aborted),
        latencyMs: performance.now() - started,
      };
    }
  }

  /** A check of `url`: retried after connection errors, timeouts and 5xx, up to the attempt limit. */
  async check(url: string): Promise<ProbeOutcome> {
    let attempt: Attempt | undefined;
    let attempts = 0;
    for (let index = 0; index < this.options.maxAttempts; index++) {
      if (index > 0) await sleep(this.options.retryDelayMs * 2 ** (index - 1));
      attempt = await this.once(url);
      attempts++;
      if (!isRetryable(attempt)) break;
    }
    const last = attempt as Attempt;
    const outcome: ProbeOutcome = {
      redirects: last.answer?.redirects ?? 0,
      latencyMs: last.latencyMs,
      attempts,
    };
    if (last.answer) {
      outcome.status = last.answer.status;
      outcome.body = last.answer.body;
      outcome.finalUrl = last.answer.finalUrl;
    } else {
      outcome.error = last.failure?.message ?? 'no response';
    }
    return outcome;
  }

  async close(): Promise<void> {
    await this.agent.close();
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
