/**
 * Retries and rate limits for every Octokit request, as one `hook.wrap('request', …)`:
 * what @octokit/plugin-retry and @octokit/plugin-throttling did, without their Bottleneck
 * scheduling (about 20 timers a request). No timer runs unless a request must wait.
 *
 * - A transient answer (5xx, a network error Octokit reports as 500, any other status but
 *   400/401/403/404/410/422/451 and the rate limits below, or a GraphQL "Something went
 *   wrong while executing your query") is retried up to `maxRetries` times, retry n after
 *   n² × `retryBaseMs`.
 * - A rate limit waits and retries, up to `maxRetries` times, each wait logged once with
 *   its reason: `retry-after` on a 403/429 (a secondary limit, or too many requests), the
 *   primary limit (`x-ratelimit-remaining: 0` → until `x-ratelimit-reset`, plus a second),
 *   the documented "secondary rate limit" message without a header, or a 429 or a "rate
 *   limit" message with neither (60 s), and GraphQL `RATE_LIMITED` (until the reset).
 *   `rateLimitWait` is the one rule; the facade (repository.ts) reports by it too.
 * - Every wait is bounded: none longer than `maxWaitMs`, and none that would end after
 *   `budgetMs` from the request's start; then the last answer is what the caller gets.
 * - The transport's own limits (network.ts) cap the retries: a connection failure is not
 *   retried again, an HTML error page at most once (its error hook sets `request.retries`).
 */
import { RequestError } from '@octokit/request-error';

export interface ResilienceOptions {
  /** Retries of one request after a transient fault; as many again for rate limits. */
  maxRetries: number;
  /** Retry n after a transient fault waits n² × this. */
  retryBaseMs: number;
  /** Longest single wait (a rate limit asking for more gives up at once). */
  maxWaitMs: number;
  /** Longest time one request may take, its waits included. */
  budgetMs: number;
  warn(message: string): void;
  debug(message: string): void;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

/** What Octokit hands a request hook: route options with a `request` bag. */
export interface HookOptions {
  method: string;
  url: string;
  request?: Record<string, unknown>;
  [key: string]: unknown;
}
interface HookResponse {
  status: number;
  headers: Record<string, string | number | undefined>;
  data?: unknown;
}
type Request = (options: HookOptions) => Promise<HookResponse>;

/** Statuses no retry can fix (as @octokit/plugin-retry's `doNotRetry`). */
// 407: the proxy wants credentials the request did not bring; asking again will not help.
const DO_NOT_RETRY = new Set([400, 401, 403, 404, 407, 410, 422, 451]);
/** GitHub's advice when a secondary rate limit comes without retry-after: wait a minute. */
const SECONDARY_FALLBACK_S = 60;
const SOMETHING_WENT_WRONG = /Something went wrong while executing your query/;

interface GraphqlError {
  type?: string;
  message?: string;
}
const graphqlErrors = (data: unknown): GraphqlError[] => {
  const errors = (data as { errors?: unknown } | null | undefined)?.errors;
  return Array.isArray(errors) ? (errors as GraphqlError[]) : [];
};

/** A wait GitHub asked for: its reason and length, or undefined when the answer is not a rate limit. */
export function rateLimitWait(
  status: number | undefined,
  headers: Record<string, string | number | undefined>,
  data: unknown,
  message: string,
  nowMs: number,
): { reason: string; seconds: number } | undefined {
  const untilReset = () => {
    const resetMs = Number(headers['x-ratelimit-reset'] ?? 0) * 1000;
    return Math.max(Math.ceil((resetMs - nowMs) / 1000) + 1, 0);
  };
  if (graphqlErrors(data).some((error) => error.type === 'RATE_LIMITED')) {
    return { reason: 'GraphQL rate limit (RATE_LIMITED)', seconds: untilReset() };
  }
  if (status !== 403 && status !== 429) return undefined;
  const secondary = /\bsecondary rate\b/i.test(message);
  const retryAfter = Number(headers['retry-after']);
  if (headers['retry-after'] !== undefined && Number.isFinite(retryAfter) && retryAfter >= 0) {
    const reason = secondary || status === 403 ? 'secondary rate limit' : 'too many requests (429)';
    return { reason, seconds: retryAfter };
  }
  if (String(headers['x-ratelimit-remaining']) === '0') {
    return { reason: 'rate limit reached', seconds: untilReset() };
  }
  // GitHub's advice for a limit that says no more: wait at least a minute. A 429, or a 403
  // that says "rate limit", is a limit without the headers too; retrying it within seconds
  // would only prolong it.
  if (secondary) return { reason: 'secondary rate limit', seconds: SECONDARY_FALLBACK_S };
  if (status === 429) return { reason: 'too many requests (429)', seconds: SECONDARY_FALLBACK_S };
  if (/\brate limit/i.test(message)) return { reason: 'rate limit reached', seconds: SECONDARY_FALLBACK_S };
  return undefined;
}

/** Whether a failed request was a rate limit: how the facade tells one, by the hook's own rule. */
export function isRateLimit(error: RequestError): boolean {
  const { status, response, message } = error;
  return rateLimitWait(status, response?.headers ?? {}, response?.data, message, Date.now()) !== undefined;
}

/** The hook: `octokit.hook.wrap('request', resilientRequest(options))`. */
export function resilientRequest(options: ResilienceOptions) {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((ok) => setTimeout(ok, ms)));
  const now = options.now ?? Date.now;

  return async (request: Request, route: HookOptions): Promise<HookResponse> => {
    const started = now();
    let transient = 0;
    let limited = 0;
    // Inner hooks see this very object (before-after-hook binds it), whatever is passed on.
    // Octokit shares `request` between a client's requests: this request gets its own, so
    // the cap the transport's error hook writes there applies to this request only.
    const own: Record<string, unknown> = { ...route.request };
    delete own.retries;
    route.request = own;
    for (;;) {
      let failure: unknown;
      let response: HookResponse | undefined;
      try {
        response = await request(route);
      } catch (error) {
        failure = error;
      }
      const cap = own.retries;
      const retries = typeof cap === 'number' ? Math.min(cap, options.maxRetries) : options.maxRetries;

      if (response) {
        const errors = graphqlErrors(response.data);
        const limit = rateLimitWait(undefined, response.headers, response.data, '', now());
        if (limit) {
          if (!(await wait(limit.reason, limit.seconds * 1000, ++limited))) return response;
          continue;
        }
        if (errors.length === 0 || !SOMETHING_WENT_WRONG.test(errors[0]?.message ?? '')) return response;
        failure = new RequestError(errors[0]?.message ?? 'GraphQL error', 500, {
          request: { ...route, headers: route.headers ?? {} } as never,
          response: response as never,
        });
      }

      if (!(failure instanceof RequestError)) throw failure;
      const { status } = failure;
      const headers = failure.response?.headers ?? {};
      const limit = rateLimitWait(status, headers, failure.response?.data, failure.message, now());
      if (limit) {
        if (!(await wait(limit.reason, limit.seconds * 1000, ++limited))) throw failure;
        continue;
      }
      if (status < 400 || DO_NOT_RETRY.has(status) || transient >= retries) throw failure;
      transient++;
      const delay = transient * transient * options.retryBaseMs;
      if (!fits(delay)) throw failure;
      options.debug(`GitHub answered ${status} on ${describe()}; retry ${transient} in ${delay} ms`);
      await sleep(delay);
    }

    function describe(): string {
      return `${route.method} ${String(route.url).split('?')[0]}`;
    }
    function fits(ms: number): boolean {
      return ms <= options.maxWaitMs && now() + ms - started <= options.budgetMs;
    }
    /** Logs and takes a rate-limit wait; false when it is one too many or too long. */
    async function wait(reason: string, ms: number, count: number): Promise<boolean> {
      const seconds = Math.round(ms / 1000);
      if (count > options.maxRetries) return false;
      if (!fits(ms)) {
        options.warn(
          `GitHub ${reason} on ${describe()}; the ${seconds}s wait is beyond the time budget, giving up`,
        );
        return false;
      }
      options.warn(`GitHub ${reason} on ${describe()}; retry ${count} in ${seconds}s`);
      await sleep(ms);
      return true;
    }
  };
}
