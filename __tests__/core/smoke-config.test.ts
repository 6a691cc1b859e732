import { ConfigurationError } from '../../src/core/errors.js';
import {
  argoApplicationName,
  DEFAULT_PATHS,
  joinUrl,
  parsePaths,
  parseSmokeConfig,
  renderBaseUrl,
  type RawSmokeInput,
} from '../../src/core/smoke-config.js';
import {
  formatStatusRanges,
  parseExpectBody,
  parseExpectStatus,
  parseStatusSpec,
  statusMatches,
} from '../../src/core/smoke-expectations.js';
import { thrownBy } from '../support/thrown.js';

const failure = (fn: () => unknown) => thrownBy(ConfigurationError, fn);

describe('renderBaseUrl', () => {
  it.each([
    ['https://{app}.dev.synestra.tech', 'https://shop.dev.synestra.tech'],
    ['https://{app}.{env}.synestra.tech/', 'https://shop.dev.synestra.tech'],
    ['http://127.0.0.1:8080/sites/{app}/', 'http://127.0.0.1:8080/sites/shop'],
    ['HTTPS://Example.COM', 'https://example.com'],
  ])('%s → %s', (template, url) => {
    expect(renderBaseUrl(template, 'shop', 'dev')).toBe(url);
  });

  it.each([
    ['ftp://{app}.example.com', 'not http or https'],
    ['file:///etc/passwd', 'not http or https'],
    ['{app}.dev.synestra.tech', 'an http(s) base URL'],
    ['https://{site}.example.com', '{site} is not a placeholder'],
    ['https://user:secret@example.com', 'without user:password@'],
    ['https://example.com/?x=1', 'without ?query'],
    ['', 'is required'],
  ])('refuses %j (%s)', (template, hint) => {
    const error = failure(() => renderBaseUrl(template, 'shop', 'dev'));
    expect(error.input).toBe('url');
    expect(error.message).toContain(hint);
    expect(error.message).not.toContain('secret');
  });

  it('joins paths under a base path', () => {
    expect(joinUrl('https://x.dev/prefix', '/admin')).toBe('https://x.dev/prefix/admin');
    expect(joinUrl('https://x.dev', '/')).toBe('https://x.dev/');
  });
});

describe('parsePaths', () => {
  it('defaults to the home page, /admin and the health endpoint', () => {
    expect(parsePaths('')).toEqual({ paths: DEFAULT_PATHS, explicit: false });
    expect(parsePaths(undefined)).toEqual({ paths: DEFAULT_PATHS, explicit: false });
  });

  it.each([
    ['/, /admin', ['/', '/admin']],
    ['/\n/healthz\n\n', ['/', '/healthz']],
    ['/a,/a', ['/a']],
    ['/search?q=x', ['/search?q=x']],
  ])('%j → %j', (raw, paths) => {
    expect(parsePaths(raw)).toEqual({ paths, explicit: true });
  });

  it.each(['admin', '/, admin', '//evil.com', '/a b', '/x#frag'])('refuses %j', (raw) => {
    const error = failure(() => parsePaths(raw));
    expect(error.input).toBe('paths');
    expect(error.message).toContain('starting with /');
  });
});

describe('status expectations', () => {
  it.each([
    ['200', [{ min: 200, max: 200 }]],
    ['200-399', [{ min: 200, max: 399 }]],
    [
      '2xx|301',
      [
        { min: 200, max: 299 },
        { min: 301, max: 301 },
      ],
    ],
    ['200 - 204', [{ min: 200, max: 204 }]],
  ])('%j', (spec, ranges) => {
    expect(parseStatusSpec(spec, 'expect-status')).toEqual(ranges);
  });

  it.each(['20', '600', '399-200', 'ok', '2xx|', '6xx', '099'])('refuses %j', (spec) => {
    expect(failure(() => parseStatusSpec(spec, 'expect-status')).input).toBe('expect-status');
  });

  it('applies a default and per-path overrides to checked paths only', () => {
    const parsed = parseExpectStatus('200-299, /api/health=200, /admin=200|302', [
      '/',
      '/admin',
      '/api/health',
    ]);
    expect(formatStatusRanges(parsed.fallback)).toBe('200-299');
    expect(formatStatusRanges(parsed.byPath.get('/api/health')!)).toBe('200');
    expect(formatStatusRanges(parsed.byPath.get('/admin')!)).toBe('200|302');
    expect(formatStatusRanges(parseExpectStatus('', ['/']).fallback)).toBe('200-399');
    const error = failure(() => parseExpectStatus('/healthz=200', ['/', '/admin']));
    expect(error.message).toContain('one of the checked paths (/, /admin)');
  });

  it.each([
    [200, true],
    [302, true],
    [404, false],
    [199, false],
  ])('status %d matches 200-399: %s', (status, ok) => {
    expect(statusMatches(status, parseStatusSpec('200-399', 'x'))).toBe(ok);
  });
});

describe('parseExpectBody', () => {
  it('takes one /path=regex a line, commas included', () => {
    const bodies = parseExpectBody('/=<title>Shop, the</title>\n/admin=login', ['/', '/admin']);
    expect([...bodies]).toEqual([
      ['/', '<title>Shop, the</title>'],
      ['/admin', 'login'],
    ]);
  });

  it.each([
    ['<title>', 'one /path=regex a line'],
    ['/other=x', 'one /path=regex a line'],
    ['/=(', 'a regular expression that compiles'],
    ['/=a\n/=b', 'one regex per path'],
  ])('refuses %j', (raw, hint) => {
    const error = failure(() => parseExpectBody(raw, ['/', '/admin']));
    expect(error.input).toBe('expect-body');
    expect(error.message).toContain(hint);
  });
});

describe('argoApplicationName', () => {
  it.each([
    ['{app}-{env}', 'shop-dev'],
    ['web-{app}-{env}', 'web-shop-dev'],
    ['fixed', 'fixed'],
  ])('%s → %s', (template, name) => {
    expect(argoApplicationName(template, 'shop', 'dev')).toBe(name);
  });

  it.each(['{app}_{env}', 'Web-{app}', '{site}'])('refuses %j', (template) => {
    expect(failure(() => argoApplicationName(template, 'shop', 'dev')).input).toBe('argocd-application');
  });
});

describe('parseSmokeConfig', () => {
  const base: RawSmokeInput = {
    app: 'shop',
    tag: 'sha-0123456789ab',
    url: 'https://{app}.{env}.synestra.tech',
  };

  it('fills the defaults: dev, three paths with an optional health endpoint, no wait without a source', () => {
    const config = parseSmokeConfig(base);
    expect(config).toMatchObject({
      app: 'shop',
      env: 'dev',
      tag: 'sha-0123456789ab',
      baseUrl: 'https://shop.dev.synestra.tech',
      versionSource: { kind: 'none' },
      rolloutTimeoutMs: 600_000,
      requestTimeoutMs: 10_000,
    });
    expect(config.checks.map((check) => [check.path, check.required])).toEqual([
      ['/', true],
      ['/admin', true],
      ['/api/health', false],
    ]);
    expect(config.argocd).toBeUndefined();
  });

  it('makes every listed path required, the health path included', () => {
    const config = parseSmokeConfig({ ...base, paths: '/, /api/health' });
    expect(config.checks.every((check) => check.required)).toBe(true);
  });

  it('uses Argo CD as the version source when a server is given, refreshing by default', () => {
    const config = parseSmokeConfig({
      ...base,
      argocdServer: 'argocd.example.com/',
      argocdApplication: 'web-{app}-{env}',
    });
    expect(config.versionSource).toEqual({ kind: 'argocd' });
    expect(config.argocd).toEqual({
      server: 'https://argocd.example.com',
      application: 'web-shop-dev',
      applicationFromLayout: false,
      refresh: true,
    });
    expect(
      parseSmokeConfig({ ...base, argocdServer: 'http://127.0.0.1:1', refresh: 'false' }).argocd?.refresh,
    ).toBe(false);
  });

  it("names the Application after the layout's template unless the input names one", () => {
    const layoutTemplate = { argocdApplication: 'web-{app}-{env}' };
    expect(parseSmokeConfig({ ...base, argocdServer: 'https://a' }).argocd).toMatchObject({
      application: 'shop-dev',
      applicationFromLayout: true,
    });
    expect(parseSmokeConfig({ ...base, argocdServer: 'https://a' }, layoutTemplate).argocd?.application).toBe(
      'web-shop-dev',
    );
    expect(
      parseSmokeConfig({ ...base, argocdServer: 'https://a', argocdApplication: 'x-{app}' }, layoutTemplate)
        .argocd,
    ).toMatchObject({ application: 'x-shop', applicationFromLayout: false });
  });

  it('reads the version where the source says', () => {
    expect(parseSmokeConfig({ ...base, versionSource: 'header:x-v', paths: '/home' }).versionPath).toBe(
      '/home',
    );
    expect(parseSmokeConfig({ ...base, versionSource: 'json:/v#/version' }).versionPath).toBe('/v');
  });

  it.each<[Partial<RawSmokeInput>, string]>([
    [{ url: 'ftp://{app}.example.com' }, 'url'],
    [{ paths: 'admin' }, 'paths'],
    [{ rolloutTimeout: 'abc' }, 'rollout-timeout'],
    [{ requestTimeout: '10' }, 'request-timeout'],
    [{ versionSource: 'git' }, 'version-source'],
    [{ versionSource: 'json:/api/health' }, 'version-source'],
    [{ tag: 'latest' }, 'tag'],
    [{ tag: 'a:b' }, 'tag'],
    [{ app: '../etc' }, 'app'],
    [{ app: '' }, 'app'],
    [{ environment: 'Prod' }, 'environment'],
    [{ versionSource: 'argocd' }, 'argocd-server'],
    [{ argocdServer: 'ftp://x' }, 'argocd-server'],
    [{ argocdServer: 'https://a', refresh: 'yes' }, 'refresh'],
    [{ expectStatus: '/nope=200' }, 'expect-status'],
    [{ expectBody: '/=(' }, 'expect-body'],
  ])('%j is refused naming %s', (over, input) => {
    expect(failure(() => parseSmokeConfig({ ...base, ...over })).input).toBe(input);
  });
});
