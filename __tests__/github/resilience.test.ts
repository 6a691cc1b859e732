/**
 * The request hook that retries transient faults and waits out rate limits, driven by a
 * fake clock: every wait it takes is recorded, none is slept, and the answers come from a
 * script. Each row says what GitHub answered, in order, and what the caller must see.
 */
import { RequestError } from '@octokit/request-error';
import { rateLimitWait, resilientRequest, type HookOptions } from '../../src/github/resilience.js';

type Headers = Record<string, string>;
interface Answer {
  status: number;
  headers?: Headers;
  data?: unknown;
  message?: string;
  /** The transport's error hook capping this attempt's retries (network.ts). */
  cap?: number;
}

const NOW = 1_700_000_000_000;
const ok: Answer = { status: 200, data: { data: { viewer: { login: 'x' } } } };
const err = (status: number, message = 'Server Error', headers: Headers = {}, cap?: number): Answer => ({
  status,
  message,
  headers,
  ...(cap === undefined ? {} : { cap }),
});
const SECONDARY = 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.';
const reset = (secondsFromNow: number) => String(Math.floor(NOW / 1000) + secondsFromNow);

function harness(script: Answer[], overrides: { maxWaitMs?: number; budgetMs?: number } = {}) {
  let clock = NOW;
  const waits: number[] = [];
  const warnings: string[] = [];
  let calls = 0;
  const hook = resilientRequest({
    maxRetries: 3,
    retryBaseMs: 1000,
    maxWaitMs: overrides.maxWaitMs ?? 15 * 60_000,
    budgetMs: overrides.budgetMs ?? 20 * 60_000,
    warn: (message) => warnings.push(message),
    debug: () => {},
    now: () => clock,
    sleep: async (ms) => {
      waits.push(ms);
      clock += ms;
    },
  });
  const request = async (options: HookOptions) => {
    calls++;
    clock += 5;
    const answer = script.shift() ?? ok;
    const response = {
      status: answer.status,
      headers: answer.headers ?? {},
      data: answer.data,
      url: options.url,
    };
    if (answer.status < 400) return response;
    if (answer.cap !== undefined && options.request) options.request.retries = answer.cap;
    throw new RequestError(answer.message ?? 'error', answer.status, {
      request: { method: 'POST', url: options.url, headers: {} },
      response: { ...response, data: answer.data ?? { message: answer.message } },
    });
  };
  // Octokit hands every request of a client the same `request` bag.
  const bag: Record<string, unknown> = {};
  const run = () => hook(request, { method: 'POST', url: 'https://api.github.com/graphql', request: bag });
  return { run, waits, warnings, calls: () => calls };
}

async function outcome(run: () => Promise<unknown>): Promise<string> {
  try {
    const response = (await run()) as { status: number };
    return `answered ${response.status}`;
  } catch (error) {
    return `threw ${(error as RequestError).status}`;
  }
}

describe('transient faults', () => {
  it.each<[string, Answer[], string, number[]]>([
    ['a 502, then an answer: retried after 1 × base', [err(502)], 'answered 200', [1000]],
    [
      '5xx three times: 1, 4, 9 × base (quadratic)',
      [err(500), err(503), err(502)],
      'answered 200',
      [1000, 4000, 9000],
    ],
    [
      '5xx four times: gives up after 3 retries',
      [err(500), err(500), err(500), err(500)],
      'threw 500',
      [1000, 4000, 9000],
    ],
    ['a network error (Octokit reports 500)', [err(500, 'socket hang up')], 'answered 200', [1000]],
    ['409 is retried, as before', [err(409, 'Conflict')], 'answered 200', [1000]],
    ['400 is not retried', [err(400, 'Bad Request')], 'threw 400', []],
    ['401 is not retried', [err(401, 'Bad credentials')], 'threw 401', []],
    [
      '403 (not a rate limit) is not retried',
      [err(403, 'Resource not accessible by integration')],
      'threw 403',
      [],
    ],
    ['404 is not retried', [err(404, 'Not Found')], 'threw 404', []],
    [
      '407 (the proxy wants credentials) is not retried',
      [err(407, 'Proxy Authentication Required')],
      'threw 407',
      [],
    ],
    ['422 is not retried', [err(422, 'Validation Failed')], 'threw 422', []],
    [
      'a connection failure (cap 0) is not retried again',
      [err(500, 'cannot connect', {}, 0)],
      'threw 500',
      [],
    ],
    [
      'an HTML page (cap 1) is retried once',
      [err(502, 'page', {}, 1), err(502, 'page', {}, 1)],
      'threw 502',
      [1000],
    ],
  ])('%s', async (_name, script, expected, waits) => {
    const h = harness(script);
    expect(await outcome(h.run)).toBe(expected);
    expect(h.waits).toEqual(waits);
    expect(h.warnings).toEqual([]);
  });

  it('"Something went wrong" in a GraphQL answer is transient: retried, then a 500', async () => {
    const wrong = {
      status: 200,
      data: { errors: [{ message: 'Something went wrong while executing your query. Retry.' }] },
    };
    const h = harness([wrong, wrong, wrong, wrong]);
    expect(await outcome(h.run)).toBe('threw 500');
    expect(h.waits).toEqual([1000, 4000, 9000]);
    const once = harness([wrong]);
    expect(await outcome(once.run)).toBe('answered 200');
    expect(once.calls()).toBe(2);
  });

  it('other GraphQL errors are answers, not retried', async () => {
    const h = harness([{ status: 200, data: { errors: [{ type: 'STALE_DATA', message: 'stale' }] } }]);
    expect(await outcome(h.run)).toBe('answered 200');
    expect(h.calls()).toBe(1);
  });

  it("one request's cap does not hold for the next (they share Octokit's request bag)", async () => {
    const h = harness([err(500, 'cannot connect', {}, 0), err(502), err(502)]);
    expect(await outcome(h.run)).toBe('threw 500');
    expect(await outcome(h.run)).toBe('answered 200');
    expect(h.waits).toEqual([1000, 4000]);
  });

  it('each request counts its retries from zero', async () => {
    const h = harness([err(500), err(500), err(500)]);
    await h.run();
    const next = harness([err(502)]);
    await next.run();
    expect(next.waits).toEqual([1000]);
  });
});

describe('rate limits', () => {
  it.each<[string, Answer, number, RegExp]>([
    [
      'secondary: 403 + retry-after',
      err(403, SECONDARY, { 'retry-after': '7' }),
      7000,
      /secondary rate limit.*retry 1 in 7s/,
    ],
    [
      'secondary: the message without a header waits a minute',
      err(403, SECONDARY),
      60_000,
      /secondary rate limit.*in 60s/,
    ],
    [
      '429 + retry-after',
      err(429, 'Too Many Requests', { 'retry-after': '3' }),
      3000,
      /too many requests \(429\).*in 3s/,
    ],
    [
      '429 without retry-after or a reset waits a minute, as a limit, not a transient fault',
      err(429, 'Too Many Requests'),
      60_000,
      /too many requests \(429\).*in 60s/,
    ],
    [
      'primary: remaining 0 waits until the reset, plus a second',
      err(403, 'API rate limit exceeded', { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': reset(30) }),
      31_000,
      /rate limit reached on POST https:\/\/api.github.com\/graphql; retry 1 in 31s/,
    ],
    [
      'GraphQL RATE_LIMITED (a 200) waits until the reset',
      {
        status: 200,
        headers: { 'x-ratelimit-reset': reset(10) },
        data: { errors: [{ type: 'RATE_LIMITED', message: 'x' }] },
      },
      11_000,
      /GraphQL rate limit \(RATE_LIMITED\).*in 11s/,
    ],
  ])('%s, logged once', async (_name, answer, wait, logged) => {
    const h = harness([answer]);
    expect(await outcome(h.run)).toBe('answered 200');
    expect(h.waits).toEqual([wait]);
    expect(h.warnings).toHaveLength(1);
    expect(h.warnings[0]).toMatch(logged);
  });

  it('gives up after 3 waits and hands back the rate limit', async () => {
    const limit = err(403, SECONDARY, { 'retry-after': '1' });
    const h = harness([limit, limit, limit, limit, limit]);
    expect(await outcome(h.run)).toBe('threw 403');
    expect(h.waits).toEqual([1000, 1000, 1000]);
    expect(h.calls()).toBe(4);
  });

  it('a GraphQL RATE_LIMITED that outlasts the waits is handed back as the answer', async () => {
    const limited = {
      status: 200,
      headers: { 'x-ratelimit-reset': reset(0) },
      data: { errors: [{ type: 'RATE_LIMITED' }] },
    };
    const h = harness([limited, limited, limited, limited]);
    expect(await outcome(h.run)).toBe('answered 200');
    expect(h.waits).toHaveLength(3);
  });

  it('a wait longer than the longest allowed is not taken, within the time budget', async () => {
    const h = harness([err(403, 'x', { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': reset(3600) })], {
      maxWaitMs: 60_000,
      budgetMs: 3 * 3600_000,
    });
    expect(await outcome(h.run)).toBe('threw 403');
    expect(h.waits).toEqual([]);
    expect(h.warnings[0]).toMatch(/3601s wait is beyond the time budget, giving up/);
  });

  it('waits stop when the request would outlast its budget', async () => {
    const limit = err(429, 'Too Many Requests', { 'retry-after': '40' });
    const h = harness([limit, limit, limit], { budgetMs: 100_000 });
    expect(await outcome(h.run)).toBe('threw 429');
    expect(h.waits).toEqual([40_000, 40_000]);
  });

  it('rate-limit waits and transient retries are counted apart', async () => {
    const h = harness([err(500), err(403, SECONDARY, { 'retry-after': '2' }), err(500)]);
    expect(await outcome(h.run)).toBe('answered 200');
    expect(h.waits).toEqual([1000, 2000, 4000]);
  });
});

describe('rateLimitWait', () => {
  it.each<[string, number | undefined, Headers, string, string | undefined]>([
    ['a plain 403', 403, {}, 'Forbidden', undefined],
    [
      'a 403 that says "rate limit", without the headers',
      403,
      {},
      'API rate limit exceeded',
      'rate limit reached 60',
    ],
    ['a 500 with retry-after', 500, { 'retry-after': '5' }, 'x', undefined],
    ['remaining 0 on a 200 is not a failure', undefined, { 'x-ratelimit-remaining': '0' }, '', undefined],
    [
      'a reset in the past does not wait',
      403,
      { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': reset(-100) },
      'x',
      'rate limit reached 0',
    ],
    [
      'retry-after wins over the reset',
      403,
      { 'retry-after': '4', 'x-ratelimit-remaining': '0' },
      'x',
      'secondary rate limit 4',
    ],
  ])('%s', (_name, status, headers, message, expected) => {
    const wait = rateLimitWait(status, headers, undefined, message, NOW);
    expect(wait && `${wait.reason} ${wait.seconds}`).toBe(expected);
  });
});
