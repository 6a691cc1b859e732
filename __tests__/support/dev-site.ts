/**
 * A loopback dev site for smoke tests: serves one version in a response header, in the
 * JSON of /api/health and in the page; /admin redirects to /admin/login as Payload's
 * does. It switches to a new version a set delay after a trigger (wired by tests to "the
 * release-dev file changed in the GitHub emulator") or after a set delay, counts every
 * request per path with its arrival time, and injects faults: refused connections, 502
 * bursts, slow responses, a health endpoint answering 500.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { peakInWindow } from '../../src/core/poll-schedule.js';

export interface DevSiteOptions {
  version: string;
  /** Response header carrying the version (default x-app-version). */
  header?: string;
  /** Site name shown in the page title (default Shop). */
  title?: string;
}

export interface SiteRequest {
  method: string;
  path: string;
  /** performance.now() at arrival. */
  at: number;
  status: number;
  /** The version this response carried. */
  version: string;
}

export interface DevSite {
  url: string;
  port: number;
  readonly version: string;
  /** performance.now() when the latest switch made a new version live. */
  readonly liveAt: number | undefined;
  /** Serve `version` now, or `delayMs` from now. */
  switchTo(version: string, delayMs?: number): void;
  /** Arm a switch to `version` that happens `delayMs` after `trigger()`. */
  armSwitch(version: string, delayMs: number): void;
  trigger(): void;
  /** Drops every switch armed or scheduled: the site keeps its version. */
  cancelSwitches(): void;
  /** Every request so far, in arrival order. */
  readonly requests: readonly SiteRequest[];
  requestsFor(path: string): SiteRequest[];
  /** Most requests one path got in any window of `windowMs`, over all paths. */
  peakPerWindow(windowMs?: number): { path: string; peak: number };
  /** First response carrying `version` after it went live, minus the moment it went live. */
  detectionLagMs(version: string): number | undefined;
  /** Refuse connections (nothing listens on the port) for `ms`, or until `listen()`. */
  refuse(ms?: number): Promise<void>;
  listen(): Promise<void>;
  /** The next `count` requests (optionally only to `path`) answer 502. */
  fail502(count: number, path?: string): void;
  /** Responses to `path` wait `ms` before answering (0 clears). */
  slow(path: string, ms: number): void;
  /** Status of /api/health: a number, or `{ afterSwitch }` to answer it only once the new version is live. */
  setHealth(status: number | { afterSwitch: number }): void;
  /** `path` redirects through `hops` more URLs before answering 200. */
  redirectChain(path: string, hops: number): void;
  resetCounts(): void;
  close(): Promise<void>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function startDevSite(options: DevSiteOptions): Promise<DevSite> {
  const header = (options.header ?? 'x-app-version').toLowerCase();
  const title = options.title ?? 'Shop';
  let version = options.version;
  let liveAt: number | undefined;
  let switchedAt = false;
  let armed: { version: string; delayMs: number } | undefined;
  const timers = new Set<NodeJS.Timeout>();
  const switches = new Set<NodeJS.Timeout>();
  let requests: SiteRequest[] = [];
  let burst: { count: number; path?: string } | undefined;
  const slowPaths = new Map<string, number>();
  const chains = new Map<string, number>();
  let health: number | { afterSwitch: number } = 200;

  const later = (ms: number, fn: () => void) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      switches.delete(timer);
      fn();
    }, ms);
    timers.add(timer);
    return timer;
  };

  const goLive = (next: string) => {
    version = next;
    liveAt = performance.now();
    switchedAt = true;
  };

  const send = (
    res: ServerResponse,
    status: number,
    body: string,
    type: string,
    extra: Record<string, string> = {},
  ) => {
    res.writeHead(status, {
      'content-type': type,
      'content-length': Buffer.byteLength(body),
      [header]: version,
      ...extra,
    });
    res.end(body);
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const at = performance.now();
    const url = new URL(req.url ?? '/', 'http://site');
    const path = url.pathname;
    const served = version;
    const entry: SiteRequest = { method: req.method ?? 'GET', path, at, status: 0, version: served };
    requests.push(entry);
    const answer = (
      status: number,
      body: string,
      type = 'text/html; charset=utf-8',
      extra: Record<string, string> = {},
    ) => {
      entry.status = status;
      send(res, status, body, type, extra);
    };
    const delay = slowPaths.get(path);
    if (delay) await sleep(delay);
    if (burst && burst.count > 0 && (burst.path === undefined || burst.path === path)) {
      burst.count--;
      return answer(502, '<html><body>502 Bad Gateway</body></html>');
    }
    const chain = [...chains.entries()].find(([start]) => path === start || path.startsWith(`${start}/hop-`));
    if (chain) {
      const [start, hops] = chain;
      const done = path === start ? 0 : Number(path.slice(start.length + 5));
      if (done < hops) return answer(302, '', 'text/plain', { location: `${start}/hop-${done + 1}` });
      return answer(200, `<html><title>${title}</title><body>end of chain</body></html>`);
    }
    switch (path) {
      case '/':
        return answer(
          200,
          `<!doctype html><html><head><meta name="version" content="${served}"><title>${title}</title></head>` +
            `<body><h1>${title}</h1><p>version ${served}</p></body></html>`,
        );
      case '/admin':
        return answer(302, '', 'text/plain', { location: '/admin/login' });
      case '/admin/login':
        return answer(
          200,
          `<!doctype html><html><head><title>Login - ${title} admin</title></head><body><form></form></body></html>`,
        );
      case '/api/health': {
        const status = typeof health === 'number' ? health : switchedAt ? health.afterSwitch : 200;
        return answer(
          status,
          JSON.stringify({ status: status < 400 ? 'ok' : 'error', version: served }),
          'application/json',
        );
      }
      default:
        return answer(404, '<html><body>Not Found</body></html>');
    }
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  const sockets = new Set<Socket>();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  let listening = true;

  const stop = () =>
    new Promise<void>((resolve) => {
      if (!listening) return resolve();
      listening = false;
      server.close(() => resolve());
      for (const socket of sockets) socket.destroy();
    });
  const start = () =>
    new Promise<void>((resolve, reject) => {
      if (listening) return resolve();
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        listening = true;
        resolve();
      });
    });

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    get version() {
      return version;
    },
    get liveAt() {
      return liveAt;
    },
    switchTo(next, delayMs = 0) {
      if (delayMs <= 0) goLive(next);
      else switches.add(later(delayMs, () => goLive(next)));
    },
    armSwitch(next, delayMs) {
      armed = { version: next, delayMs };
    },
    trigger() {
      const pending = armed;
      armed = undefined;
      if (pending) switches.add(later(pending.delayMs, () => goLive(pending.version)));
    },
    cancelSwitches() {
      armed = undefined;
      for (const timer of switches) {
        clearTimeout(timer);
        timers.delete(timer);
      }
      switches.clear();
    },
    get requests() {
      return requests;
    },
    requestsFor(path) {
      return requests.filter((r) => r.path === path);
    },
    peakPerWindow(windowMs = 1000) {
      let best = { path: '', peak: 0 };
      for (const path of new Set(requests.map((r) => r.path))) {
        const peak = peakInWindow(
          requests.filter((r) => r.path === path).map((r) => r.at),
          windowMs,
        );
        if (peak > best.peak) best = { path, peak };
      }
      return best;
    },
    detectionLagMs(target) {
      if (liveAt === undefined) return undefined;
      const first = requests.find((r) => r.version === target && r.at >= (liveAt as number));
      return first ? first.at - (liveAt as number) : undefined;
    },
    async refuse(ms) {
      await stop();
      if (ms !== undefined) later(ms, () => void start());
    },
    listen: start,
    fail502(count, path) {
      burst = path === undefined ? { count } : { count, path };
    },
    slow(path, ms) {
      if (ms <= 0) slowPaths.delete(path);
      else slowPaths.set(path, ms);
    },
    setHealth(status) {
      health = status;
    },
    redirectChain(path, hops) {
      chains.set(path, hops);
    },
    resetCounts() {
      requests = [];
    },
    async close() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      await stop();
    },
  };
}
