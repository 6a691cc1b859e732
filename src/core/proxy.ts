/**
 * Which forward proxy a request goes through, from the variables a self-hosted runner (or
 * a shell) sets: HTTP_PROXY, HTTPS_PROXY and NO_PROXY, lower-case spelling first. Read once
 * by the entry, then given to every client: GitHub's (node-fetch) and undici's (registry,
 * dev sites, Argo CD) follow the same rules, those of undici's EnvHttpProxyAgent:
 *
 * - an https:// URL goes through HTTPS_PROXY, or HTTP_PROXY when that alone is set;
 *   an http:// URL through HTTP_PROXY;
 * - a NO_PROXY entry matches its host and every subdomain (`example.com`, `.example.com`
 *   and `*.example.com` alike), on any port or the one it names (`host:5000`);
 *   `*` alone turns the proxy off; loopback is not implied (list `localhost,127.0.0.1`).
 */
import { ConfigurationError } from './errors.js';
import { parseHttpUrl } from './http-url.js';

export interface ProxySettings {
  /** Proxy URL for http:// requests, '' for none. */
  readonly httpProxy: string;
  /** Proxy URL for https:// requests, '' for none (HTTP_PROXY stands in when HTTPS_PROXY is unset). */
  readonly httpsProxy: string;
  /** NO_PROXY as given, '' for none. */
  readonly noProxy: string;
}

export const NO_PROXY_SETTINGS: ProxySettings = { httpProxy: '', httpsProxy: '', noProxy: '' };

const DEFAULT_PORTS: Record<string, number> = { 'http:': 80, 'https:': 443 };

/** The proxy URL with its password replaced, for logs and messages. */
export function redactProxy(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password === '') return url;
    parsed.password = '***';
    return parsed.href.replace(/\/$/, '');
  } catch {
    return url.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');
  }
}

function proxyUrl(name: string, value: string): string {
  // curl's reading: a proxy given as host:port speaks plain HTTP.
  const given = /^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `http://${value}`;
  const parsed = parseHttpUrl(given);
  if (
    parsed === undefined ||
    parsed.hostname === '' ||
    (parsed.pathname !== '/' && parsed.pathname !== '') ||
    parsed.search !== '' ||
    parsed.hash !== ''
  ) {
    throw new ConfigurationError(
      name,
      redactProxy(value),
      'an http:// or https:// proxy URL such as http://proxy.example.com:3128 (credentials as http://user:password@host:port)',
    );
  }
  return parsed.href.replace(/\/$/, '');
}

/** The lower-case variable, else the upper-case one ('' when both are empty or unset). */
function variable(env: Readonly<Record<string, string | undefined>>, name: string): [string, string] {
  const lower = name.toLowerCase();
  const value = env[lower]?.trim();
  if (value) return [lower, value];
  return [name, env[name]?.trim() ?? ''];
}

/** Reads and validates the proxy variables of `env` (the process environment, passed by the entry). */
export function readProxySettings(env: Readonly<Record<string, string | undefined>>): ProxySettings {
  const [httpName, http] = variable(env, 'HTTP_PROXY');
  const [httpsName, https] = variable(env, 'HTTPS_PROXY');
  const httpProxy = http ? proxyUrl(httpName, http) : '';
  return {
    httpProxy,
    httpsProxy: https ? proxyUrl(httpsName, https) : httpProxy,
    noProxy: variable(env, 'NO_PROXY')[1],
  };
}

export function usesProxy(settings: ProxySettings): boolean {
  return settings.httpProxy !== '' || settings.httpsProxy !== '';
}

/** What to mask in logs: each proxy's password, as written and decoded. */
export function proxySecrets(settings: ProxySettings): string[] {
  const secrets = new Set<string>();
  for (const url of [settings.httpProxy, settings.httpsProxy]) {
    if (url === '') continue;
    const { password } = new URL(url);
    if (password === '') continue;
    secrets.add(password);
    secrets.add(decodeURIComponent(password));
  }
  return [...secrets];
}

function bypassed(hostname: string, port: number, noProxy: string): boolean {
  if (noProxy.trim() === '*') return true;
  return noProxy.split(/[,\s]/).some((entry) => {
    if (entry === '') return false;
    const parsed = /^(.+):(\d+)$/.exec(entry);
    const host = (parsed ? (parsed[1] as string) : entry).replace(/^\*?\./, '').toLowerCase();
    if (parsed && Number(parsed[2]) !== port) return false;
    return hostname === host || hostname.endsWith(`.${host}`);
  });
}

/** The proxy URL a request to `url` goes through, or undefined to connect directly. */
export function proxyFor(url: URL, settings: ProxySettings): string | undefined {
  const proxy =
    url.protocol === 'https:' ? settings.httpsProxy : url.protocol === 'http:' ? settings.httpProxy : '';
  if (proxy === '') return undefined;
  // host, not hostname: an IPv6 address keeps its brackets, as NO_PROXY writes it.
  const hostname = url.host.replace(/:\d*$/, '').toLowerCase();
  const port = Number(url.port) || (DEFAULT_PORTS[url.protocol] as number);
  return bypassed(hostname, port, settings.noProxy) ? undefined : proxy;
}
