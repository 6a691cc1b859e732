/**
 * A small Argo CD API client (undici): read an Application, optionally asking for a
 * refresh (`GET /api/v1/applications/{name}?refresh=normal|hard`), and start a sync
 * (`POST /api/v1/applications/{name}/sync`). Authenticates with a bearer token (an
 * account token, as `ARGOCD_AUTH_TOKEN` holds for Argo CD's CLI). Errors come back as
 * grpc-gateway's `{error, code, message}` and are mapped to messages a user can act on;
 * the token never appears in one.
 */
import { request, type Dispatcher } from 'undici';
import type { ArgoApplication } from '../core/argocd.js';
import { NotFoundError, PermissionError, TagrelayError } from '../core/errors.js';
import { USER_AGENT } from '../core/version.js';
import type { ProxySettings } from '../core/proxy.js';
import { classifyError, proxiedAgent } from './http.js';
import type { RateGate } from './rate-gate.js';

export type RefreshType = 'normal' | 'hard';

/** Argo CD could not be reached or answered 5xx: worth trying again later. */
export class ArgoCdUnavailableError extends TagrelayError {
  override readonly name = 'ArgoCdUnavailableError';
}

/** Any other refusal (400, 409…), with Argo CD's own message. */
export class ArgoCdError extends TagrelayError {
  override readonly name = 'ArgoCdError';
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

export interface ArgoCdClientOptions {
  /** `https://argocd.example.com` (the API is under /api/v1). */
  server: string;
  token: string;
  requestTimeoutMs: number;
  gate?: RateGate;
  /** The runner's HTTP(S)_PROXY and NO_PROXY. */
  proxy?: ProxySettings;
}

export interface SyncOptions {
  revision?: string;
  prune?: boolean;
  dryRun?: boolean;
}

interface ErrorBody {
  error?: string;
  message?: string;
  code?: number;
}

export class ArgoCdClient {
  private readonly agent: Dispatcher;
  private readonly server: string;

  constructor(private readonly options: ArgoCdClientOptions) {
    this.server = options.server.replace(/\/+$/, '');
    this.agent = proxiedAgent(
      { connections: 2, keepAliveTimeout: 4000, connect: { timeout: options.requestTimeoutMs } },
      options.proxy,
    );
  }

  applicationUrl(name: string): string {
    return `${this.server}/api/v1/applications/${encodeURIComponent(name)}`;
  }

  /** The whole Application; with `refresh`, Argo CD re-reads git before answering. */
  async getApplication(name: string, refresh?: RefreshType, timeoutMs?: number): Promise<ArgoApplication> {
    const url = this.applicationUrl(name) + (refresh ? `?refresh=${refresh}` : '');
    return this.call<ArgoApplication>('GET', url, name, 'get', undefined, timeoutMs);
  }

  /** Starts a sync; answers the Application with the operation it started. */
  async sync(name: string, options: SyncOptions = {}, timeoutMs?: number): Promise<ArgoApplication> {
    const body: Record<string, unknown> = { name };
    if (options.revision !== undefined) body.revision = options.revision;
    if (options.prune !== undefined) body.prune = options.prune;
    if (options.dryRun !== undefined) body.dryRun = options.dryRun;
    return this.call<ArgoApplication>(
      'POST',
      `${this.applicationUrl(name)}/sync`,
      name,
      'sync',
      body,
      timeoutMs,
    );
  }

  private async call<T>(
    method: 'GET' | 'POST',
    url: string,
    name: string,
    action: 'get' | 'sync',
    body: unknown,
    timeoutMs = this.options.requestTimeoutMs,
  ): Promise<T> {
    await this.options.gate?.acquire(url);
    const signal = AbortSignal.timeout(Math.max(1, Math.ceil(timeoutMs)));
    let status: number;
    let text: string;
    try {
      const response = await request(url, {
        method,
        dispatcher: this.agent,
        signal,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
        headers: {
          authorization: `Bearer ${this.options.token}`,
          accept: 'application/json',
          'user-agent': USER_AGENT,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      status = response.statusCode;
      text = await response.body.text();
    } catch (error) {
      const failure = classifyError(error, timeoutMs, signal.aborted);
      throw new ArgoCdUnavailableError(`Argo CD at ${this.server}: ${failure.message}`);
    }
    if (status >= 200 && status < 300) {
      try {
        return JSON.parse(text) as T;
      } catch {
        throw new ArgoCdUnavailableError(
          `Argo CD at ${this.server} answered ${status} with a body that is not JSON`,
        );
      }
    }
    let parsed: ErrorBody = {};
    try {
      parsed = JSON.parse(text) as ErrorBody;
    } catch {
      /* not JSON: a proxy's page */
    }
    const said = (parsed.message ?? parsed.error ?? text.slice(0, 120)).trim() || `HTTP ${status}`;
    if (status === 401) {
      throw new PermissionError(
        `Argo CD at ${this.server} rejected the token (401 ${said}): check argocd-token (ARGOCD_AUTH_TOKEN for the CLI); it may be wrong, expired or revoked`,
      );
    }
    if (status === 403) {
      const permission = action === 'sync' ? 'applications, sync' : 'applications, get';
      throw new PermissionError(
        `Argo CD at ${this.server} answered 403 (${said}) for application "${name}": the application does not exist, ` +
          `or the token's account lacks "${permission}" on it (Argo CD does not say which); check argocd-application and the account's RBAC`,
      );
    }
    if (status === 404) {
      throw new NotFoundError(
        `Argo CD at ${this.server} has no ${url.replace(this.server, '')} (404 ${said}): check argocd-server`,
      );
    }
    if (status >= 500 || status === 429) {
      throw new ArgoCdUnavailableError(`Argo CD at ${this.server} answered ${status} (${said})`);
    }
    throw new ArgoCdError(
      `Argo CD at ${this.server} refused to ${action} application "${name}" (${status} ${said})`,
      status,
    );
  }

  async close(): Promise<void> {
    await this.agent.close();
  }
}
