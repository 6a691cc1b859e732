/**
 * Where a registry's API lives: `https://<host>/v2/…`, or plain HTTP for a registry on this
 * machine (`localhost`, `127.0.0.1`, `[::1]`) or one the caller marks insecure.
 */
import { RegistryError } from './errors.js';

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/** `host[:port]` without its port; IPv6 literals keep their brackets. */
export function hostname(hostAndPort: string): string {
  const match = /^(\[[^\]]*\]|[^:]*)(?::\d+)?$/.exec(hostAndPort);
  return (match?.[1] ?? hostAndPort).toLowerCase();
}

export function isLoopback(hostAndPort: string): boolean {
  return LOOPBACK.has(hostname(hostAndPort));
}

/** Whether plain HTTP may be used with this host. */
export function allowsPlainHttp(hostAndPort: string, insecure: boolean): boolean {
  return insecure || isLoopback(hostAndPort);
}

/** Base URL of the distribution API of `apiHost` (no trailing slash): `https://ghcr.io`. */
export function registryOrigin(apiHost: string, insecure = false): string {
  return `${allowsPlainHttp(apiHost, insecure) ? 'http' : 'https'}://${apiHost}`;
}

/**
 * Checks a URL the registry sent us to (a token realm) before credentials go there: it must
 * be HTTPS unless its host may be spoken to in plain HTTP.
 */
export function checkServiceUrl(registry: string, raw: string, insecure: boolean): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new RegistryError(
      registry,
      `registry ${registry} sent an invalid token realm ${JSON.stringify(raw)}`,
    );
  }
  const plainAllowed = allowsPlainHttp(url.host, insecure);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && plainAllowed)) {
    throw new RegistryError(
      registry,
      `registry ${registry} sends clients to ${url.origin} for tokens, which is not HTTPS; refusing to ask it`,
    );
  }
  return url;
}
