/**
 * The OCI distribution client: does a registry hold `repository:tag`, and under which
 * manifest digest. One client talks to one registry, so credentials go nowhere else.
 *
 *     const client = new RegistryClient(image, { credentials });
 *     const found = await client.lookup({ ...image, tag });   // { found: false } → build
 *     await client.close();
 *
 * The digest is the registry's `Docker-Content-Digest`; whenever the body is fetched it is
 * checked against the body's own hash, and computed from the body when the header is missing.
 */
import { createHash } from 'node:crypto';
import { Agent, EnvHttpProxyAgent, type Dispatcher } from 'undici';
import { usesProxy, type ProxySettings } from '../core/proxy.js';
import { formatImageReference, type ImageReference } from '../core/image-reference.js';
import { RegistryAuth, type Credentials } from './auth.js';
import { registryOrigin } from './endpoint.js';
import { RegistryAuthError, RegistryError } from './errors.js';
import { errorText, header, send, type HttpResponse, type TransportOptions } from './transport.js';

/** What we accept for a manifest; a registry answers 404 to a manifest request without these. */
export const MANIFEST_MEDIA_TYPES: readonly string[] = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.docker.distribution.manifest.v2+json',
];
const ACCEPT = MANIFEST_MEDIA_TYPES.join(', ');
/** distribution refuses manifests above 4 MiB. */
const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;
const DIGEST = /^(sha256:[a-f0-9]{64}|sha512:[a-f0-9]{128})$/;

export type { Credentials } from './auth.js';

export interface RegistryClientOptions {
  credentials?: Credentials;
  /** Allow plain HTTP to a registry that is not on this machine. */
  insecure?: boolean;
  /** Limit of each request, ms (default 30 s). */
  timeoutMs?: number;
  /** Retries after the first attempt, on 5xx, 429 and connection errors (default 3). */
  retries?: number;
  /** First retry backoff, ms (default 250). */
  backoffMs?: number;
  /** Longest Retry-After waited for, ms (default 10 s). */
  maxRetryAfterMs?: number;
  userAgent?: string;
  /** undici dispatcher; by default the client owns an Agent that close() closes. */
  dispatcher?: Dispatcher;
  /** The runner's HTTP(S)_PROXY and NO_PROXY, for the client's own agent. */
  proxy?: ProxySettings;
  sleep?: (ms: number) => Promise<void>;
}

export interface ManifestFound {
  found: true;
  digest: string;
  mediaType: string | undefined;
  /** Bytes, when the registry said. */
  size: number | undefined;
}
export interface ManifestAbsent {
  found: false;
  /** The registry's reason, e.g. `MANIFEST_UNKNOWN: manifest unknown`. */
  reason: string;
}
export type ManifestLookup = ManifestFound | ManifestAbsent;
export type ManifestFetch = (ManifestFound & { body: Buffer }) | ManifestAbsent;

/** `algorithm:hex` of bytes. */
export function digestOf(body: Buffer, algorithm: 'sha256' | 'sha512' = 'sha256'): string {
  return `${algorithm}:${createHash(algorithm).update(body).digest('hex')}`;
}

/** An agent, or one that goes through the proxy the settings name for each origin (http:// as absolute URLs). */
function proxiedAgent(options: Agent.Options, proxy: ProxySettings | undefined): Dispatcher {
  return proxy && usesProxy(proxy)
    ? new EnvHttpProxyAgent({ ...options, ...proxy, proxyTunnel: false })
    : new Agent(options);
}

export class RegistryClient {
  readonly registry: string;
  private readonly apiHost: string;
  private readonly origin: string;
  private readonly transport: TransportOptions;
  private readonly auth: RegistryAuth;
  private readonly ownedAgent: Dispatcher | undefined;

  constructor(
    target: Pick<ImageReference, 'registry' | 'apiHost'>,
    private readonly options: RegistryClientOptions = {},
  ) {
    const timeoutMs = options.timeoutMs ?? 30_000;
    this.registry = target.registry;
    this.origin = registryOrigin(target.apiHost, options.insecure ?? false);
    this.ownedAgent = options.dispatcher
      ? undefined
      : proxiedAgent({ connect: { timeout: timeoutMs } }, options.proxy);
    this.transport = {
      dispatcher: options.dispatcher ?? (this.ownedAgent as Dispatcher),
      timeoutMs,
      retries: options.retries ?? 3,
      backoffMs: options.backoffMs ?? 250,
      maxRetryAfterMs: options.maxRetryAfterMs ?? 10_000,
      userAgent: options.userAgent ?? 'tagrelay',
      sleep: options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
    };
    this.auth = new RegistryAuth(
      this.registry,
      options.credentials,
      this.transport,
      options.insecure ?? false,
    );
    this.apiHost = target.apiHost;
  }

  /**
   * `GET /v2/`: the registry answers and speaks the distribution API; with credentials,
   * they are also checked (a token without scope, or basic auth).
   */
  async ping(): Promise<void> {
    const response = await this.exchange('GET', '/v2/', '', this.options.credentials !== undefined);
    if (response.status === 401 && !this.options.credentials) return;
    if (response.status !== 200) throw this.unexpected(response, `${this.origin}/v2/`);
  }

  /** HEAD of the manifest of `image:tag` (or `@digest`): its digest, or `{ found: false }`. */
  async lookup(image: ImageReference): Promise<ManifestLookup> {
    const response = await this.manifestRequest('HEAD', image);
    if (!response.found) return response;
    const announced = header(response.http, 'docker-content-digest');
    if (announced === undefined || !DIGEST.test(announced)) return this.fetch(image);
    this.checkRequestedDigest(image, announced);
    return { found: true, digest: announced, mediaType: response.mediaType, size: response.size };
  }

  /** GET of the manifest: its bytes and their digest, verified against what the registry announced. */
  async fetch(image: ImageReference): Promise<ManifestFetch> {
    const response = await this.manifestRequest('GET', image);
    if (!response.found) return response;
    const body = response.http.body;
    const announced = header(response.http, 'docker-content-digest');
    let digest = digestOf(body);
    if (announced !== undefined) {
      if (!DIGEST.test(announced)) {
        throw new RegistryError(
          this.registry,
          `registry ${this.registry} announced an unreadable digest ${JSON.stringify(announced.slice(0, 80))} for ${formatImageReference(image)}`,
        );
      }
      if (announced.startsWith('sha512:')) digest = digestOf(body, 'sha512');
      if (digest !== announced) {
        throw new RegistryError(
          this.registry,
          `registry ${this.registry} served a manifest for ${formatImageReference(image)} whose digest is ${digest}, not the ${announced} it announced`,
        );
      }
    }
    this.checkRequestedDigest(image, digest);
    return { found: true, digest, mediaType: response.mediaType, size: body.length, body };
  }

  /** Closes the connections of the client's own agent. */
  async close(): Promise<void> {
    await this.ownedAgent?.close();
  }

  private checkRequestedDigest(image: ImageReference, digest: string): void {
    if (image.digest !== undefined && image.digest !== digest) {
      throw new RegistryError(
        this.registry,
        `registry ${this.registry} answered ${image.repository}@${image.digest} with a manifest of digest ${digest}`,
      );
    }
  }

  private async manifestRequest(
    method: 'GET' | 'HEAD',
    image: ImageReference,
  ): Promise<
    | { found: true; http: HttpResponse; mediaType: string | undefined; size: number | undefined }
    | ManifestAbsent
  > {
    if (image.apiHost !== this.apiHost) {
      throw new Error(`RegistryClient for ${this.registry} asked about ${image.repository}`);
    }
    const reference = image.digest ?? image.tag;
    if (reference === undefined) throw new Error(`no tag or digest in ${image.repository}`);
    const path = `/v2/${image.path}/manifests/${reference}`;
    const response = await this.exchange(method, path, `repository:${image.path}:pull`, true, {
      accept: ACCEPT,
    });
    if (response.status === 404) {
      return { found: false, reason: errorText(response) || 'HTTP 404' };
    }
    if (response.status === 401) throw this.auth.refused(response, `repository ${image.repository}`);
    if (response.status !== 200) throw this.unexpected(response, `${this.origin}${path}`);
    const length = header(response, 'content-length');
    return {
      found: true,
      http: response,
      mediaType: header(response, 'content-type')?.split(';')[0]?.trim(),
      size: length !== undefined && /^\d+$/.test(length) ? Number(length) : undefined,
    };
  }

  /** One request with authorization: the cached one, or, after a 401, a fresh one (once). */
  private async exchange(
    method: 'GET' | 'HEAD',
    path: string,
    scope: string,
    authorize: boolean,
    headers: Record<string, string> = {},
  ): Promise<HttpResponse> {
    const url = `${this.origin}${path}`;
    const request = (authorization: string | undefined) =>
      send(
        {
          method,
          url,
          headers: { ...headers, ...(authorization === undefined ? {} : { authorization }) },
          registry: this.registry,
          maxBodyBytes: MAX_MANIFEST_BYTES,
        },
        this.transport,
      );
    const response = await request(this.auth.cached(scope));
    if (response.status !== 401 || !authorize) return response;
    const retried = await request(await this.auth.answer(response, scope));
    if (retried.status === 401 && path === '/v2/') throw this.auth.refused(retried, `${this.origin}/v2/`);
    return retried;
  }

  private unexpected(response: HttpResponse, url: string): RegistryError {
    const detail = errorText(response);
    const text = `registry ${this.registry} answered HTTP ${response.status}${detail ? ` (${detail})` : ''} to ${url}`;
    return response.status === 403
      ? new RegistryAuthError(this.registry, text)
      : new RegistryError(this.registry, text);
  }
}
