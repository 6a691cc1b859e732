/** The rollout wait with real parts: the dev site, the Argo CD double, the real clock. */
import { PermissionError } from '../../src/core/errors.js';
import { parseSmokeConfig, type RawSmokeInput } from '../../src/core/smoke-config.js';
import { ArgoCdClient } from '../../src/smoke/argocd.js';
import { HttpProber } from '../../src/smoke/http.js';
import { waitForVersion } from '../../src/smoke/rollout.js';
import { ARGOCD_TOKEN, startArgoCdDouble, type ArgoCdDouble } from '../support/argocd-double.js';
import { startDevSite, type DevSite } from '../support/dev-site.js';

const OLD = 'a'.repeat(40);
const NEW = 'b'.repeat(40);
let site: DevSite;
let argocd: ArgoCdDouble;
let prober: HttpProber;
let client: ArgoCdClient;
let lines: string[];

beforeEach(async () => {
  site = await startDevSite({ version: 'sha-old' });
  argocd = await startArgoCdDouble({
    apps: [{ name: 'shop-dev', images: ['ghcr.io/acme/shop:sha-old'], revision: OLD }],
    pollIntervalMs: 60_000,
    rolloutMs: 300,
    healthyAfterMs: 100,
    onRolledOut: (_name, images) => site.switchTo(images[0]!.split(':').pop()!),
  });
  prober = new HttpProber({ requestTimeoutMs: 500 });
  client = new ArgoCdClient({ server: argocd.url, token: ARGOCD_TOKEN, requestTimeoutMs: 500 });
  lines = [];
});
afterEach(async () => {
  await prober.close();
  await client.close();
  await site.close();
  await argocd.close();
});

const config = (over: Partial<RawSmokeInput>) =>
  parseSmokeConfig({
    app: 'shop',
    tag: 'sha-new',
    url: site.url,
    rolloutTimeout: '5s',
    requestTimeout: '500ms',
    ...over,
  });
const wait = (over: Partial<RawSmokeInput>, extra: Partial<Parameters<typeof waitForVersion>[0]> = {}) =>
  waitForVersion({ config: config(over), prober, argocd: client, log: (line) => lines.push(line), ...extra });

describe('waitForVersion from the site', () => {
  it.each([
    'header:x-app-version',
    'json:/api/health#/version',
    'body:<meta name="version" content="([^"]+)"',
  ])(
    'notices a version that goes live 1.5 s in within a second, at ≤ 2 requests per second (%s)',
    async (versionSource) => {
      site.switchTo('sha-new', 1500);
      const started = performance.now();
      const result = await wait({ versionSource });
      expect(result).toMatchObject({ outcome: 'live', detectedVersion: 'sha-new' });
      expect(site.detectionLagMs('sha-new')).toBeLessThanOrEqual(1000);
      expect(result.seconds).toBeGreaterThanOrEqual(1.4);
      expect(performance.now() - started).toBeLessThan(1500 + 1000 + 200);
      expect(site.peakPerWindow().peak).toBeLessThanOrEqual(2);
      expect(lines.at(-1)).toMatch(/^sha-new is live after/);
    },
  );

  it('times out at rollout-timeout, naming the last version seen and what was expected', async () => {
    const started = performance.now();
    const result = await wait(
      { versionSource: 'header:x-app-version', rolloutTimeout: '2s' },
      { progressEveryMs: 700 },
    );
    const elapsed = performance.now() - started;
    expect(result.outcome).toBe('timeout');
    expect(elapsed).toBeGreaterThanOrEqual(2000);
    expect(elapsed).toBeLessThan(2000 + 1000);
    expect(result.message).toContain('expected sha-new');
    expect(result.message).toContain('"sha-old"');
    expect(result.detectedVersion).toBe('sha-old');
    expect(lines.filter((line) => line.startsWith('waiting for sha-new')).length).toBeGreaterThanOrEqual(2);
    expect(site.peakPerWindow().peak).toBeLessThanOrEqual(2);
  });

  it('waits through refused connections and 502s while the new version starts', async () => {
    await site.refuse(800);
    site.fail502(2);
    site.switchTo('sha-new', 1200);
    const result = await wait({ versionSource: 'header:x-app-version' });
    expect(result.outcome).toBe('live');
    expect(site.detectionLagMs('sha-new')).toBeLessThanOrEqual(1000);
  });

  it('counts a response slower than request-timeout as not yet live', async () => {
    site.slow('/', 800);
    setTimeout(() => site.slow('/', 0), 1200);
    site.switchTo('sha-new', 1000);
    const result = await wait({ versionSource: 'header:x-app-version' });
    expect(result.outcome).toBe('live');
    // The first answers came too late to count; the version was seen once they came in time.
    expect(result.seconds).toBeGreaterThanOrEqual(1.2);
    expect(site.requestsFor('/').filter((r) => r.version === 'sha-new').length).toBeGreaterThanOrEqual(1);
  });

  it('does not wait at all without a version source', async () => {
    expect(await wait({})).toEqual({ outcome: 'none', seconds: 0, detectedVersion: '' });
    expect(site.requests).toHaveLength(0);
  });
});

describe('waitForVersion from Argo CD', () => {
  it('asks Argo CD to refresh, then sees Synced + Healthy with the new image', async () => {
    argocd.deploy('shop-dev', { images: ['ghcr.io/acme/shop:sha-new'], revision: NEW });
    const result = await wait(
      { argocdServer: argocd.url },
      { revisionContainsCommit: async (revision) => revision === NEW },
    );
    expect(result).toMatchObject({ outcome: 'live', detectedVersion: 'sha-new' });
    expect(result.seconds).toBeLessThan(2);
    expect(argocd.refreshes('shop-dev')).toEqual(['normal']);
    expect(lines).toContain('Asked Argo CD to refresh shop-dev');
  });

  it('without a refresh, waits for the poll interval: here it never comes within the timeout', async () => {
    argocd.deploy('shop-dev', { images: ['ghcr.io/acme/shop:sha-new'], revision: NEW });
    const result = await wait({ argocdServer: argocd.url, refresh: 'false', rolloutTimeout: '1500ms' });
    expect(result.outcome).toBe('timeout');
    expect(result.message).toContain('images :sha-old (Synced at aaaaaaaaaaaa, Healthy)');
    expect(argocd.refreshes('shop-dev')).toEqual([]);
  });

  it('refreshes Argo CD once when the site is the version source', async () => {
    argocd.deploy('shop-dev', { images: ['ghcr.io/acme/shop:sha-new'], revision: NEW });
    const result = await wait({ argocdServer: argocd.url, versionSource: 'header:x-app-version' });
    expect(result.outcome).toBe('live');
    expect(argocd.refreshes('shop-dev')).toEqual(['normal']);
  });

  it('stops at once on a rejected token or an unknown application', async () => {
    const wrong = new ArgoCdClient({ server: argocd.url, token: 'nope', requestTimeoutMs: 500 });
    try {
      const started = performance.now();
      await expect(wait({ argocdServer: argocd.url }, { argocd: wrong })).rejects.toThrow(PermissionError);
      await expect(wait({ argocdServer: argocd.url, argocdApplication: 'nope-{env}' })).rejects.toThrow(
        '"nope-dev"',
      );
      expect(performance.now() - started).toBeLessThan(1000);
    } finally {
      await wrong.close();
    }
  });

  it('does not accept a revision that does not contain the commit', async () => {
    argocd.deploy('shop-dev', { images: ['ghcr.io/acme/shop:sha-new'], revision: NEW });
    const result = await wait(
      { argocdServer: argocd.url, rolloutTimeout: '1500ms' },
      { revisionContainsCommit: async () => false },
    );
    expect(result.outcome).toBe('timeout');
    expect(result.message).toContain('not yet the GitOps commit');
  });
});
