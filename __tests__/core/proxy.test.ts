import { ConfigurationError } from '../../src/core/errors.js';
import { proxyFor, proxySecrets, readProxySettings, redactProxy, usesProxy } from '../../src/core/proxy.js';
import { thrownBy } from '../support/thrown.js';

describe('readProxySettings', () => {
  it.each<[string, Record<string, string>, { httpProxy: string; httpsProxy: string; noProxy: string }]>([
    ['nothing set', {}, { httpProxy: '', httpsProxy: '', noProxy: '' }],
    [
      'both, upper case',
      { HTTP_PROXY: 'http://p:3128', HTTPS_PROXY: 'http://s:3129', NO_PROXY: 'a.example' },
      { httpProxy: 'http://p:3128', httpsProxy: 'http://s:3129', noProxy: 'a.example' },
    ],
    [
      'lower case wins over upper case',
      { https_proxy: 'http://lower:1', HTTPS_PROXY: 'http://upper:2', no_proxy: 'low', NO_PROXY: 'up' },
      { httpProxy: '', httpsProxy: 'http://lower:1', noProxy: 'low' },
    ],
    [
      'an empty lower-case value leaves the upper-case one',
      { https_proxy: '', HTTPS_PROXY: 'http://upper:2' },
      { httpProxy: '', httpsProxy: 'http://upper:2', noProxy: '' },
    ],
    [
      'HTTP_PROXY alone serves https:// too',
      { HTTP_PROXY: 'http://p:3128' },
      { httpProxy: 'http://p:3128', httpsProxy: 'http://p:3128', noProxy: '' },
    ],
    [
      'host:port means plain http, as curl reads it',
      { HTTPS_PROXY: 'proxy.corp:8080' },
      { httpProxy: '', httpsProxy: 'http://proxy.corp:8080', noProxy: '' },
    ],
    [
      'a trailing slash and surrounding blanks are dropped',
      { HTTPS_PROXY: ' https://proxy.corp:443/ \n' },
      { httpProxy: '', httpsProxy: 'https://proxy.corp', noProxy: '' },
    ],
    [
      'credentials are kept',
      { HTTPS_PROXY: 'http://user:p%40ss@proxy:3128' },
      { httpProxy: '', httpsProxy: 'http://user:p%40ss@proxy:3128', noProxy: '' },
    ],
  ])('%s', (_case, env, expected) => {
    expect(readProxySettings(env)).toEqual(expected);
  });

  it.each([
    ['HTTPS_PROXY', 'socks5://proxy:1080'],
    ['HTTPS_PROXY', 'http://proxy:3128/some/path'],
    ['HTTPS_PROXY', 'http://proxy:3128?x=1'],
    ['HTTPS_PROXY', 'http://'],
    ['HTTPS_PROXY', 'http://proxy :3128'],
    ['https_proxy', 'ftp://proxy'],
    ['HTTP_PROXY', 'http://[::1'],
  ])('refuses %s=%j, naming the variable and what it takes', (name, value) => {
    const error = thrownBy(ConfigurationError, () => readProxySettings({ [name]: value }));
    expect(error.input).toBe(name);
    expect(error.message).toContain(`Input "${name}"`);
    expect(error.message).toContain('an http:// or https:// proxy URL');
  });

  it('never quotes a password back in its refusal', () => {
    const error = thrownBy(ConfigurationError, () =>
      readProxySettings({ HTTPS_PROXY: 'socks5://alice:s3cr3t@proxy:1080' }),
    );
    expect(error.message).not.toContain('s3cr3t');
    expect(error.message).toContain('socks5://alice:***@proxy:1080');
  });
});

describe('proxyFor', () => {
  const settings = readProxySettings({
    HTTP_PROXY: 'http://plain:3128',
    HTTPS_PROXY: 'http://tunnel:3128',
    NO_PROXY: 'internal.corp, .svc.local,*.mesh,registry.corp:5000 localhost,[::1]',
  });
  it.each([
    ['https://api.github.com/graphql', 'http://tunnel:3128'],
    ['http://ghes.example/api/v3', 'http://plain:3128'],
    ['https://internal.corp/', undefined],
    ['https://INTERNAL.corp/', undefined],
    ['https://git.internal.corp/', undefined],
    ['https://notinternal.corp/', 'http://tunnel:3128'],
    ['https://a.svc.local/', undefined],
    ['https://svc.local/', undefined],
    ['https://x.mesh/', undefined],
    ['http://registry.corp:5000/v2/', undefined],
    ['https://registry.corp/v2/', 'http://tunnel:3128'],
    ['http://localhost:8080/', undefined],
    ['http://127.0.0.1:8080/', 'http://plain:3128'],
    ['http://[::1]:8080/', undefined],
  ])('%s → %s', (url, proxy) => {
    expect(proxyFor(new URL(url), settings)).toBe(proxy);
  });

  it('goes direct for every host when NO_PROXY is *', () => {
    const all = readProxySettings({ HTTPS_PROXY: 'http://p:1', NO_PROXY: '*' });
    expect(proxyFor(new URL('https://api.github.com/'), all)).toBeUndefined();
  });

  it('goes direct when no proxy is set for the scheme', () => {
    const httpsOnly = readProxySettings({ HTTPS_PROXY: 'http://p:1' });
    expect(proxyFor(new URL('http://plain.example/'), httpsOnly)).toBeUndefined();
    expect(proxyFor(new URL('https://api.github.com/'), httpsOnly)).toBe('http://p:1');
    expect(usesProxy(httpsOnly)).toBe(true);
    expect(usesProxy(readProxySettings({ NO_PROXY: 'x' }))).toBe(false);
  });
});

describe('what a log may show of a proxy', () => {
  it('hides the password, as written and decoded', () => {
    expect(redactProxy('http://alice:p%40ss@proxy:3128')).toBe('http://alice:***@proxy:3128');
    expect(redactProxy('http://proxy:3128')).toBe('http://proxy:3128');
    const settings = readProxySettings({
      HTTPS_PROXY: 'http://alice:p%40ss@proxy:3128',
      HTTP_PROXY: 'http://bob:plain@other:3128',
    });
    expect(proxySecrets(settings).sort()).toEqual(['p%40ss', 'p@ss', 'plain']);
  });
});
