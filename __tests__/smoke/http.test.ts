/** HTTP probes against the loopback dev site: redirects, retries, timeouts, spacing. */
import { peakInWindow } from '../../src/core/poll-schedule.js';
import { parseStatusSpec } from '../../src/core/smoke-expectations.js';
import { classifyError, HttpProber, isRetryable } from '../../src/smoke/http.js';
import { runChecks } from '../../src/smoke/checks.js';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { RateGate } from '../../src/smoke/rate-gate.js';
import { startDevSite, type DevSite } from '../support/dev-site.js';
import { FakeClock } from '../support/fake-clock.js';

let site: DevSite;
let prober: HttpProber;

beforeEach(async () => {
  site = await startDevSite({ version: 'sha-old' });
  prober = new HttpProber({ requestTimeoutMs: 1000, retryDelayMs: 20, gate: new RateGate(10) });
});
afterEach(async () => {
  await prober.close();
  await site.close();
});

describe('HttpProber.once', () => {
  it('reads status, headers and body of the home page', async () => {
    const attempt = await prober.once(`${site.url}/`);
    expect(attempt.answer).toMatchObject({ status: 200, redirects: 0, finalUrl: `${site.url}/` });
    expect(attempt.answer!.headers['x-app-version']).toBe('sha-old');
    expect(attempt.answer!.body).toContain('<meta name="version" content="sha-old">');
    expect(attempt.latencyMs).toBeGreaterThan(0);
  });

  it("follows /admin to the login page, as Payload's admin redirects", async () => {
    const attempt = await prober.once(`${site.url}/admin`);
    expect(attempt.answer).toMatchObject({ status: 200, redirects: 1, finalUrl: `${site.url}/admin/login` });
    expect(site.requests.map((r) => [r.path, r.status])).toEqual([
      ['/admin', 302],
      ['/admin/login', 200],
    ]);
  });

  it('follows a redirect chain up to the limit, and names the limit beyond it', async () => {
    site.redirectChain('/chain', 4);
    expect((await prober.once(`${site.url}/chain`)).answer).toMatchObject({ status: 200, redirects: 4 });
    const short = new HttpProber({ requestTimeoutMs: 1000, maxRedirects: 3, gate: new RateGate(10) });
    try {
      const attempt = await short.once(`${site.url}/chain`);
      expect(attempt.failure).toEqual({
        kind: 'redirects',
        message: 'more than 3 redirects (last to /chain/hop-4)',
      });
    } finally {
      await short.close();
    }
  });

  it('reports a refused connection', async () => {
    await site.refuse();
    expect((await prober.once(`${site.url}/`)).failure).toEqual({
      kind: 'refused',
      message: 'connection refused',
    });
  });

  it('gives up on a response slower than the request timeout, on time', async () => {
    site.slow('/', 1500);
    const fast = new HttpProber({ requestTimeoutMs: 200, gate: new RateGate(10) });
    try {
      const attempt = await fast.once(`${site.url}/`);
      expect(attempt.failure).toEqual({ kind: 'timeout', message: 'timed out after 200ms' });
      expect(attempt.latencyMs).toBeGreaterThanOrEqual(190);
      expect(attempt.latencyMs).toBeLessThan(700);
    } finally {
      await fast.close();
    }
  });

  it('keeps at most maxBodyBytes of a body', async () => {
    const small = new HttpProber({ requestTimeoutMs: 1000, maxBodyBytes: 20, gate: new RateGate(10) });
    try {
      const attempt = await small.once(`${site.url}/`);
      expect(attempt.answer!.body).toHaveLength(20);
    } finally {
      await small.close();
    }
  });
});

describe('HttpProber.check', () => {
  it('retries a 502 burst and passes once the site answers', async () => {
    site.fail502(2, '/');
    const outcome = await prober.check(`${site.url}/`);
    expect(outcome).toMatchObject({ status: 200, attempts: 3 });
    expect(site.requestsFor('/').map((r) => r.status)).toEqual([502, 502, 200]);
  });

  it('stops after the attempt limit when the 5xx persists', async () => {
    site.fail502(10, '/');
    expect(await prober.check(`${site.url}/`)).toMatchObject({ status: 502, attempts: 3 });
    expect(site.requestsFor('/')).toHaveLength(3);
  });

  it('retries refused connections and reports the last failure', async () => {
    await site.refuse();
    expect(await prober.check(`${site.url}/`)).toMatchObject({ error: 'connection refused', attempts: 3 });
  });

  it('recovers when the site comes back between attempts', async () => {
    await site.refuse(60);
    const slowRetry = new HttpProber({ requestTimeoutMs: 1000, retryDelayMs: 100, gate: new RateGate(10) });
    try {
      expect(await slowRetry.check(`${site.url}/`)).toMatchObject({ status: 200, attempts: 2 });
    } finally {
      await slowRetry.close();
    }
  });

  it('does not retry a 404 or a 200', async () => {
    expect(await prober.check(`${site.url}/missing`)).toMatchObject({ status: 404, attempts: 1 });
    expect(await prober.check(`${site.url}/`)).toMatchObject({ status: 200, attempts: 1 });
  });

  it('retries a timeout', async () => {
    site.slow('/', 400);
    const fast = new HttpProber({
      requestTimeoutMs: 100,
      maxAttempts: 2,
      retryDelayMs: 10,
      gate: new RateGate(10),
    });
    try {
      expect(await fast.check(`${site.url}/`)).toMatchObject({ error: 'timed out after 100ms', attempts: 2 });
    } finally {
      await fast.close();
    }
  });

  it('spaces redirect hops back to the same URL like any other request to it', async () => {
    const starts: number[] = [];
    const loop = createServer((request, response) => {
      starts.push(performance.now());
      // A front end that bounces the page to itself while the new version warms up.
      if (starts.length <= 3) response.writeHead(302, { location: request.url }).end();
      else response.writeHead(200).end('ok');
    });
    await new Promise<void>((resolve) => loop.listen(0, '127.0.0.1', resolve));
    const spaced = new HttpProber({ requestTimeoutMs: 2000, gate: new RateGate(150) });
    try {
      const attempt = await spaced.once(`http://127.0.0.1:${(loop.address() as AddressInfo).port}/page`);
      expect(attempt.answer).toMatchObject({ status: 200, redirects: 3 });
      const gaps = starts.slice(1).map((at, index) => at - starts[index]!);
      expect(Math.min(...gaps)).toBeGreaterThanOrEqual(140);
    } finally {
      await spaced.close();
      loop.closeAllConnections();
      await new Promise((resolve) => loop.close(resolve));
    }
  });

  it('spaces requests to one URL: never more than 2 in a second, retries included', async () => {
    const spaced = new HttpProber({ requestTimeoutMs: 1000, retryDelayMs: 1 });
    try {
      site.fail502(4, '/');
      await Promise.all([
        spaced.check(`${site.url}/`),
        spaced.check(`${site.url}/`),
        spaced.once(`${site.url}/`),
      ]);
      const starts = site.requestsFor('/').map((r) => r.at);
      expect(starts.length).toBeGreaterThanOrEqual(5);
      expect(peakInWindow(starts)).toBeLessThanOrEqual(2);
    } finally {
      await spaced.close();
    }
  });
});

describe('runChecks', () => {
  it('checks every path concurrently and judges each', async () => {
    site.setHealth(500);
    const results = await runChecks(prober, site.url, [
      {
        path: '/',
        required: true,
        expectStatus: parseStatusSpec('200-399', 'x'),
        expectBody: 'version sha-old',
      },
      { path: '/admin', required: true, expectStatus: parseStatusSpec('200', 'x') },
      { path: '/api/health', required: false, expectStatus: parseStatusSpec('200-399', 'x') },
      { path: '/nope', required: false, expectStatus: parseStatusSpec('200-399', 'x') },
    ]);
    expect(results.map((r) => [r.path, r.status, r.result])).toEqual([
      ['/', 200, 'pass'],
      ['/admin', 200, 'pass'],
      ['/api/health', 500, 'fail'],
      ['/nope', 404, 'skip'],
    ]);
    expect(results[1]).toMatchObject({ redirects: 1, finalUrl: `${site.url}/admin/login` });
    expect(results[2]!.attempts).toBe(3);
  });
});

describe('error classification', () => {
  it.each([
    [{ code: 'ECONNREFUSED' }, false, 'refused'],
    [{ code: 'UND_ERR_HEADERS_TIMEOUT' }, false, 'timeout'],
    [{ name: 'AbortError' }, true, 'timeout'],
    [{ cause: { code: 'ECONNRESET' } }, false, 'reset'],
    [{ code: 'ENOTFOUND' }, false, 'dns'],
    [{ code: 'CERT_HAS_EXPIRED' }, false, 'tls'],
    [{ code: 'EWHAT' }, false, 'other'],
  ])('%j → %s', (error, timedOut, kind) => {
    const failure = classifyError(Object.assign(new Error('x'), error), 1000, timedOut);
    expect(failure.kind).toBe(kind);
    expect(isRetryable({ failure, latencyMs: 1 })).toBe(kind !== 'tls' && kind !== 'other');
  });
});

describe('RateGate', () => {
  it('keys a URL by scheme, host, path and query: a fragment never reaches the server', () => {
    expect(RateGate.key('http://site/a?q=1#top')).toBe(RateGate.key('http://site/a?q=1#bottom'));
    expect(RateGate.key('http://site/a?q=1')).not.toBe(RateGate.key('http://site/a?q=2'));
    expect(RateGate.key('http://site/a')).not.toBe(RateGate.key('https://site/a'));
  });

  it('gives each URL its own queue and spaces concurrent callers', async () => {
    const clock = new FakeClock(0);
    const gate = new RateGate(550, clock);
    const starts: Record<string, number[]> = { a: [], b: [] };
    const go = async (key: 'a' | 'b') => {
      await gate.acquire(`http://site/${key}#frag`);
      starts[key]!.push(clock.now());
    };
    await clock.run(Promise.all([go('a'), go('a'), go('b'), go('a')]));
    expect(starts).toEqual({ a: [0, 550, 1100], b: [0] });
  });
});
