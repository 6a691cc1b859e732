/**
 * One HTTP exchange with a registry or its token service, on undici: a timeout on every
 * attempt, and bounded retries on exactly 5xx, 429 (honouring `Retry-After`) and connection
 * errors (refused, reset, closed). A timeout is not retried, so an unreachable registry is
 * reported within the request timeout; retries are only started while the first attempt's
 * start is less than one request timeout ago.
 */
import { request, type Dispatcher } from 'undici';
import { RegistryConnectionError, RegistryError } from './errors.js';

export interface TransportOptions {
  dispatcher: Dispatcher;
  /** Limit of one attempt (connect, headers and body), ms. */
  timeoutMs: number;
  /** Further attempts after the first. */
  retries: number;
  /** First backoff, ms; doubled per retry, jittered. */
  backoffMs: number;
  /** Longest `Retry-After` honoured, ms; a longer one fails at once. */
  maxRetryAfterMs: number;
  userAgent: string;
  sleep: (ms: number) => Promise<void>;
}

export interface HttpRequest {
  method: 'GET' | 'HEAD';
  url: string;
  headers: Record<string, string>;
  /** The registry as the user named it, for messages. */
  registry: string;
  /** Largest body read, bytes. */
  maxBodyBytes: number;
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** Codes of connection failures worth another attempt. */
const RETRIED_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
]);
const TIMEOUT_CODES = new Set([
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'ETIMEDOUT',
]);

export function header(response: HttpResponse, name: string): string | undefined {
  const value = response.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { code, errors, cause } = error as { code?: unknown; errors?: unknown; cause?: unknown };
  if (typeof code === 'string') return code;
  if (Array.isArray(errors) && errors.length > 0) return errorCode(errors[0]);
  return cause === undefined ? undefined : errorCode(cause);
}

function isTimeout(error: unknown): boolean {
  const name = (error as { name?: unknown } | null)?.name;
  return name === 'TimeoutError' || name === 'AbortError' || TIMEOUT_CODES.has(errorCode(error) ?? '');
}

function describe(error: unknown, timeoutMs: number): string {
  if (isTimeout(error)) return `no answer within ${timeoutMs / 1000} s`;
  const code = errorCode(error);
  const reason: Record<string, string> = {
    ECONNREFUSED: 'connection refused',
    ECONNRESET: 'connection reset',
    ENOTFOUND: 'host name not found',
    EAI_AGAIN: 'host name lookup failed',
    UND_ERR_SOCKET: 'the connection closed',
    CERT_HAS_EXPIRED: 'its TLS certificate has expired',
    DEPTH_ZERO_SELF_SIGNED_CERT: 'its TLS certificate is self-signed',
  };
  const text = code !== undefined ? reason[code] : undefined;
  const message = error instanceof Error && error.message ? error.message : String(error);
  return text !== undefined ? `${text} (${code})` : code !== undefined ? `${message} (${code})` : message;
}

/** `Retry-After` as ms: delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function retryAfterMs(value: string | undefined, now = Date.now()): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

async function readBody(body: Dispatcher.ResponseData['body'], request: HttpRequest): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += (chunk as Buffer).length;
    if (size > request.maxBodyBytes) {
      body.destroy();
      throw new RegistryError(
        request.registry,
        `${request.url} answered with more than ${request.maxBodyBytes} bytes; refusing to read it`,
      );
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

async function attempt(req: HttpRequest, options: TransportOptions): Promise<HttpResponse> {
  const response = await request(req.url, {
    method: req.method,
    headers: { 'user-agent': options.userAgent, ...req.headers },
    dispatcher: options.dispatcher,
    // The signal is the precise limit; undici's own timeouts tick in coarse steps (they can
    // fire half a second early), so they only back it up.
    signal: AbortSignal.timeout(options.timeoutMs),
    headersTimeout: options.timeoutMs + 1000,
    bodyTimeout: options.timeoutMs + 1000,
  });
  const body =
    req.method === 'HEAD'
      ? (await response.body.dump(), Buffer.alloc(0))
      : await readBody(response.body, req);
  return { status: response.statusCode, headers: response.headers, body };
}

/** Sends the request, retrying as the module comment says; throws RegistryConnectionError when no answer came. */
export async function send(req: HttpRequest, options: TransportOptions): Promise<HttpResponse> {
  const started = Date.now();
  for (let retry = 0; ; retry++) {
    let delay: number;
    try {
      const response = await attempt(req, options);
      const retriable = response.status === 429 || response.status >= 500;
      if (!retriable || retry >= options.retries) return response;
      const asked = retryAfterMs(header(response, 'retry-after'));
      if (asked !== undefined && asked > options.maxRetryAfterMs) return response;
      delay = asked ?? backoff(retry, options.backoffMs);
    } catch (error) {
      if (error instanceof RegistryError) throw error;
      delay = backoff(retry, options.backoffMs);
      const retriable = !isTimeout(error) && RETRIED_CODES.has(errorCode(error) ?? '');
      const late = Date.now() + delay - started > options.timeoutMs;
      if (!retriable || retry >= options.retries || late) {
        throw new RegistryConnectionError(
          req.registry,
          `cannot connect to ${req.url}: ${describe(error, options.timeoutMs)}`,
        );
      }
    }
    await options.sleep(delay);
  }
}

function backoff(retry: number, base: number): number {
  const ceiling = base * 2 ** retry;
  return Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
}

/** `CODE: message` of a registry's JSON error body (the first error), cut short; '' when there is none. */
export function errorText(response: HttpResponse): string {
  try {
    const parsed = JSON.parse(response.body.toString('utf8')) as {
      errors?: { code?: unknown; message?: unknown }[];
      details?: unknown;
    };
    const first = parsed.errors?.[0];
    if (!first) return '';
    const text = [first.code, first.message].filter((part) => typeof part === 'string' && part).join(': ');
    return text.length > 200 ? `${text.slice(0, 200)}…` : text;
  } catch {
    return '';
  }
}
