/**
 * A self-hosted runner behind a mandatory proxy: every client of tagrelay goes through
 * HTTP_PROXY / HTTPS_PROXY unless NO_PROXY names the host. A real forward proxy (the
 * `proxy` package) records what it was asked; GitHub's requests are checked end to end
 * with the bundled action, over plain HTTP (an absolute URL to the proxy) and over TLS
 * (a CONNECT tunnel), and the undici clients (dev site, Argo CD, registry) in process.
 */
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { connect as netConnect, type AddressInfo } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer as createTlsServer, type Server as TlsServer } from 'node:tls';
import { createProxy } from 'proxy';
import { main } from '../src/cli/main.js';
import { readProxySettings } from '../src/core/proxy.js';
import { RegistryClient } from '../src/registry/client.js';
import { ArgoCdClient } from '../src/smoke/argocd.js';
import { HttpProber } from '../src/smoke/http.js';
import { ARGOCD_TOKEN, startArgoCdDouble } from './support/argocd-double.js';
import { startDevSite } from './support/dev-site.js';
import { startGitHubEmulator, WRITE_TOKEN, type GitHubEmulator } from './support/github-emulator/index.js';
import { selfSignedIdentity } from './support/registry/certificate.js';
import { runCli } from './reliability/helpers.js';
import { runAction } from './support/run-action.js';

interface RecordingProxy {
  url: string;
  /** `METHOD target` of every request the proxy was asked to forward, CONNECT included. */
  seen: string[];
  close(): Promise<void>;
}

const portOf = (server: Server | TlsServer) => (server.address() as AddressInfo).port;
const closeServer = (server: Server | TlsServer) =>
  new Promise<void>((resolve) => {
    (server as Server).closeAllConnections?.();
    server.close(() => resolve());
  });

/** A forward proxy on loopback; with `credentials` it answers 407 to anyone without them. */
async function startProxy(credentials?: string): Promise<RecordingProxy> {
  const server = createProxy(createServer());
  const seen: string[] = [];
  server.prependListener('request', (req) => seen.push(`${req.method} ${req.url}`));
  server.prependListener('connect', (req) => seen.push(`CONNECT ${req.url}`));
  if (credentials !== undefined) {
    const expected = `Basic ${Buffer.from(credentials).toString('base64')}`;
    server.authenticate = (req) => req.headers['proxy-authorization'] === expected;
  }
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${portOf(server)}`, seen, close: () => closeServer(server) };
}

const OWNER = 'synestra';
const REPO = 'gitops';
const RELEASE = 'deploy/env/release-dev/shop.yaml';

let emulator: GitHubEmulator;
let proxy: RecordingProxy;

beforeEach(async () => {
  emulator = await startGitHubEmulator({
    repos: [{ owner: OWNER, name: REPO, files: { [RELEASE]: 'image:\n  tag: sha-aaaaaaaaaaaa\n' } }],
  });
  proxy = await startProxy();
});

afterEach(async () => {
  expect(emulator.violations).toEqual([]);
  await Promise.all([emulator.close(), proxy.close()]);
});

const bump = (env: Record<string, string>, tag = 'sha-0123456789ab') =>
  runAction('bump-release-dev', {
    inputs: { 'gitops-repository': `${OWNER}/${REPO}`, token: WRITE_TOKEN, app: 'shop', tag },
    env: { GITHUB_API_URL: emulator.url, GITHUB_GRAPHQL_URL: emulator.graphqlUrl, ...env },
  });

describe('GitHub behind a proxy (the bundled bump)', () => {
  it('sends both requests through HTTP_PROXY and says so in the log', async () => {
    const run = await bump({ http_proxy: proxy.url });
    expect({ code: run.code, stdout: run.code === 0 ? '' : run.stdout }).toEqual({ code: 0, stdout: '' });
    expect(proxy.seen).toEqual([`POST ${emulator.graphqlUrl}`, `POST ${emulator.graphqlUrl}`]);
    expect(run.stdout).toContain(`Proxy: https:// through ${proxy.url}, http:// through ${proxy.url}`);
  });

  it('loads the proxy agents only when a proxy is set', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tagrelay-preload-'));
    const preload = join(dir, 'report.cjs');
    writeFileSync(
      preload,
      "process.on('exit', () => process.stderr.write('proxy agents loaded: ' + " +
        "Object.keys(require.cache).some((file) => file.endsWith('proxy-agents.cjs')) + '\\n'));\n",
    );
    try {
      const direct = await bump({ NODE_OPTIONS: `--require ${preload}` });
      const proxied = await bump(
        { NODE_OPTIONS: `--require ${preload}`, HTTPS_PROXY: proxy.url },
        'sha-0123456789ac',
      );
      expect([direct.code, proxied.code]).toEqual([0, 0]);
      expect(direct.stderr).toContain('proxy agents loaded: false');
      // The emulator is http://, which HTTPS_PROXY does not cover: loaded, not used.
      expect(proxied.stderr).toContain('proxy agents loaded: true');
      expect(proxy.seen).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('goes directly to a host NO_PROXY names, and logs no proxy line for it', async () => {
    const run = await bump({ HTTP_PROXY: proxy.url, NO_PROXY: 'example.com,127.0.0.1' });
    expect(run.code).toBe(0);
    expect(proxy.seen).toEqual([]);
    expect(run.stdout).toContain('; not for example.com,127.0.0.1');
  });

  it('gives the proxy its credentials and masks the password', async () => {
    const guarded = await startProxy('alice:s3cr3t!');
    try {
      const run = await bump({ HTTP_PROXY: guarded.url.replace('//', '//alice:s3cr3t%21@') });
      expect(run.code).toBe(0);
      expect(guarded.seen).toHaveLength(2);
      expect(run.stdout).toContain('::add-mask::s3cr3t!');
      expect(run.visible).not.toContain('s3cr3t');
      expect(run.stdout).toContain(`through ${guarded.url.replace('//', '//alice:***@')}`);
    } finally {
      await guarded.close();
    }
  });

  it('fails at once, saying so, when the proxy wants credentials it was not given', async () => {
    const guarded = await startProxy('alice:s3cr3t');
    try {
      const started = Date.now();
      const run = await bump({ HTTP_PROXY: guarded.url });
      expect(run.code).toBe(1);
      expect(run.stdout).toMatch(
        /::error::407 Proxy Authentication Required: the proxy refused the request; give its credentials in the proxy URL/,
      );
      expect(guarded.seen).toHaveLength(1);
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      await guarded.close();
    }
  });

  it('refuses a proxy variable it cannot use, naming it, before any request', async () => {
    const run = await bump({ HTTPS_PROXY: 'socks5://alice:pw@proxy:1080' });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(
      '::error::Input "HTTPS_PROXY" has an invalid value "socks5://alice:***@proxy:1080": expected an http:// or https:// proxy URL',
    );
    expect(emulator.requests.total).toBe(0);
  });

  it('names the proxy when it cannot be reached', async () => {
    await proxy.close();
    const run = await bump({ HTTP_PROXY: proxy.url });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(
      `cannot connect to ${emulator.graphqlUrl} through the proxy ${proxy.url}: connection refused (ECONNREFUSED)`,
    );
    expect(run.stdout).toContain('check the proxy (HTTPS_PROXY, HTTP_PROXY, NO_PROXY)');
  });

  it('tunnels https:// through CONNECT, with TLS to GitHub end to end', async () => {
    // GitHub on TLS: a TLS front on the emulator, its certificate trusted the runner's way.
    const identity = selfSignedIdentity('localhost');
    const front = createTlsServer(
      { key: identity.privateKey.export({ type: 'pkcs8', format: 'pem' }), cert: identity.pem },
      (socket) => {
        const upstream = netConnect(Number(new URL(emulator.url).port), '127.0.0.1');
        socket.pipe(upstream).pipe(socket);
        upstream.on('error', () => socket.destroy());
        socket.on('error', () => upstream.destroy());
      },
    );
    await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', resolve));
    const dir = mkdtempSync(join(tmpdir(), 'tagrelay-ca-'));
    writeFileSync(join(dir, 'ca.pem'), identity.pem);
    try {
      const github = `https://localhost:${portOf(front)}`;
      const run = await bump({
        GITHUB_API_URL: github,
        GITHUB_GRAPHQL_URL: `${github}/graphql`,
        NODE_EXTRA_CA_CERTS: join(dir, 'ca.pem'),
        HTTPS_PROXY: proxy.url,
      });
      expect({ code: run.code, stdout: run.code === 0 ? '' : run.stdout }).toEqual({ code: 0, stdout: '' });
      // One tunnel (kept alive) carries the read and the commit.
      expect(proxy.seen).toEqual([`CONNECT localhost:${portOf(front)}`]);
      expect(emulator.requests.total).toBe(2);
    } finally {
      await closeServer(front);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the CLI behind a proxy', () => {
  it('reads through HTTPS_PROXY and HTTP_PROXY like the actions', async () => {
    let stdout = '';
    let stderr = '';
    const code = await main(['status', '--repo', `${OWNER}/${REPO}`, '--app', 'shop'], {
      env: {
        PATH: process.env.PATH,
        GITHUB_TOKEN: WRITE_TOKEN,
        GITHUB_API_URL: emulator.url,
        HTTP_PROXY: proxy.url.replace('//', '//bob:hunter2@'),
      },
      stdout: (text) => (stdout += text),
      stderr: (text) => (stderr += text),
    });
    expect({ code, stderr }).toEqual({ code: 0, stderr: expect.any(String) });
    expect(stdout).toContain('sha-aaaaaaaaaaaa');
    expect(proxy.seen.length).toBeGreaterThan(0);
    expect(proxy.seen.every((line) => line.startsWith(`POST ${emulator.url}/`))).toBe(true);
  });
});

describe('the undici clients behind a proxy', () => {
  it('probes a dev site through HTTP_PROXY, and directly when NO_PROXY names it', async () => {
    const site = await startDevSite({ version: 'sha-0123456789ab' });
    try {
      const through = new HttpProber({
        requestTimeoutMs: 5_000,
        proxy: readProxySettings({ HTTP_PROXY: proxy.url }),
      });
      const answer = (await through.once(`${site.url}/`)).answer;
      await through.close();
      expect(answer?.status).toBe(200);
      // An absolute URL, not a CONNECT: a proxy that tunnels only to port 443 still serves it.
      expect(proxy.seen).toEqual([`GET ${site.url}/`]);

      const direct = new HttpProber({
        requestTimeoutMs: 5_000,
        proxy: readProxySettings({ HTTP_PROXY: proxy.url, NO_PROXY: '127.0.0.1' }),
      });
      expect((await direct.once(`${site.url}/`)).answer?.status).toBe(200);
      await direct.close();
      expect(proxy.seen).toHaveLength(1);
    } finally {
      await site.close();
    }
  });

  it('reaches Argo CD through the proxy', async () => {
    const argocd = await startArgoCdDouble({ apps: [{ name: 'web-shop-dev', images: [], revision: 'a' }] });
    const client = new ArgoCdClient({
      server: argocd.url,
      token: ARGOCD_TOKEN,
      requestTimeoutMs: 5_000,
      proxy: readProxySettings({ HTTP_PROXY: proxy.url }),
    });
    try {
      expect((await client.getApplication('web-shop-dev')).metadata?.name).toBe('web-shop-dev');
      expect(proxy.seen).toEqual([`GET ${argocd.url}/api/v1/applications/web-shop-dev`]);
    } finally {
      await client.close();
      await argocd.close();
    }
  });

  it('asks a registry through the proxy', async () => {
    const registry = createServer((req, res) => {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ errors: [{ code: 'MANIFEST_UNKNOWN', message: 'manifest unknown' }] }));
    });
    await new Promise<void>((resolve) => registry.listen(0, '127.0.0.1', resolve));
    const host = `127.0.0.1:${portOf(registry)}`;
    const client = new RegistryClient(
      { registry: host, apiHost: host },
      { insecure: true, retries: 0, proxy: readProxySettings({ HTTP_PROXY: proxy.url }) },
    );
    try {
      const found = await client.lookup({
        registry: host,
        apiHost: host,
        path: 'synestra/shop',
        repository: `${host}/synestra/shop`,
        tag: 'v1',
      });
      expect(found.found).toBe(false);
      expect(proxy.seen).toEqual([`HEAD http://${host}/v2/synestra/shop/manifests/v1`]);
    } finally {
      await client.close();
      await closeServer(registry);
    }
  });
});

describe('a dev site on TLS with an internal CA', () => {
  it('is probed directly by the bundled CLI, trusting NODE_EXTRA_CA_CERTS', async () => {
    const identity = selfSignedIdentity('localhost');
    const site = createHttpsServer(
      { key: identity.privateKey.export({ type: 'pkcs8', format: 'pem' }), cert: identity.pem },
      (_req, res) => res.writeHead(200, { 'x-app-version': 'v1' }).end('ok'),
    );
    await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
    const dir = mkdtempSync(join(tmpdir(), 'tagrelay-ca-'));
    writeFileSync(join(dir, 'ca.pem'), identity.pem);
    try {
      const args = (timeout: string) => [
        'smoke',
        ...['--app', 'shop', '--tag', 'v1', '--paths', '/', '--version-source', 'header:x-app-version'],
        ...['--url', `https://localhost:${portOf(site)}`, '--rollout-timeout', timeout],
      ];
      const trusted = await runCli(args('5s'), { NODE_EXTRA_CA_CERTS: join(dir, 'ca.pem') }, dir);
      expect({ code: trusted.code, stderr: trusted.code === 0 ? '' : trusted.stderr }).toEqual({
        code: 0,
        stderr: '',
      });
      // Without the CA the same site is refused for its certificate.
      const untrusted = await runCli(args('1s'), {}, dir);
      expect(untrusted.code).toBe(1);
      expect(untrusted.stdout + untrusted.stderr).toContain('TLS error (DEPTH_ZERO_SELF_SIGNED_CERT)');
    } finally {
      await closeServer(site);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('a registry on TLS behind a proxy, with an internal CA', () => {
  it("tunnels the CLI's digest lookup through CONNECT, trusting NODE_EXTRA_CA_CERTS", async () => {
    const identity = selfSignedIdentity('registry.test');
    const manifest = Buffer.from(JSON.stringify({ schemaVersion: 2, layers: [] }));
    const digest = `sha256:${createHash('sha256').update(manifest).digest('hex')}`;
    const registry = createHttpsServer(
      { key: identity.privateKey.export({ type: 'pkcs8', format: 'pem' }), cert: identity.pem },
      (req, res) => {
        if (req.url !== '/v2/synestra/shop/manifests/v1') {
          res.writeHead(404).end();
          return;
        }
        res.writeHead(200, {
          'content-type': 'application/vnd.oci.image.manifest.v1+json',
          'docker-content-digest': digest,
          'content-length': manifest.length,
        });
        res.end(req.method === 'HEAD' ? undefined : manifest);
      },
    );
    await new Promise<void>((resolve) => registry.listen(0, '127.0.0.1', resolve));
    // registry.test resolves nowhere but at the proxy: a tunnel to the registry above.
    const tunnels: string[] = [];
    const tunnel = createServer().on('connect', (req, socket, head) => {
      tunnels.push(req.url ?? '');
      const upstream = netConnect(portOf(registry), '127.0.0.1', () => {
        socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        upstream.write(head);
        upstream.pipe(socket);
        socket.pipe(upstream);
      });
      upstream.on('error', () => socket.destroy());
      socket.on('error', () => upstream.destroy());
    });
    await new Promise<void>((resolve) => tunnel.listen(0, '127.0.0.1', resolve));
    const dir = mkdtempSync(join(tmpdir(), 'tagrelay-ca-'));
    writeFileSync(join(dir, 'ca.pem'), identity.pem);
    try {
      const run = await runCli(
        ['digest', '--image', 'registry.test/synestra/shop', '--tag', 'v1'],
        { HTTPS_PROXY: `http://127.0.0.1:${portOf(tunnel)}`, NODE_EXTRA_CA_CERTS: join(dir, 'ca.pem') },
        dir,
      );
      expect({ code: run.code, stdout: run.stdout, stderr: run.stderr }).toEqual({
        code: 0,
        stdout: `${digest}\n`,
        stderr: '',
      });
      expect(tunnels).toEqual(['registry.test:443']);
    } finally {
      await Promise.all([closeServer(registry), closeServer(tunnel)]);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
