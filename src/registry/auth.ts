/**
 * Authorization with one registry, learnt from its `WWW-Authenticate` challenges:
 *
 *  - `Basic`: the credentials go with every request once the registry asked for them;
 *  - `Bearer realm=…,service=…[,scope=…]`: a token from the realm (anonymously, or with the
 *    credentials as basic auth), cached per scope until shortly before it expires.
 *
 * Credentials are only ever sent after a challenge, and never to a plain-HTTP service
 * other than this machine's (see endpoint.ts). No message contains a password or token.
 */
import { checkServiceUrl } from './endpoint.js';
import { RegistryAuthError, RegistryError } from './errors.js';
import { errorText, header, send, type HttpResponse, type TransportOptions } from './transport.js';

export interface Credentials {
  username: string;
  password: string;
}

export interface Challenge {
  /** Lowercased: `basic`, `bearer`. */
  scheme: string;
  params: Record<string, string>;
}

/** Tokens are dropped this long before they expire. */
const EXPIRY_MARGIN_MS = 10_000;
/** What the token spec says to assume when `expires_in` is missing. */
const DEFAULT_EXPIRES_IN_S = 60;
const MAX_TOKEN_RESPONSE = 1024 * 1024;

/** Parses a `WWW-Authenticate` value: `Scheme k=v, k="quoted \"v\"", …` (one or more challenges). */
export function parseChallenges(value: string): Challenge[] {
  const challenges: Challenge[] = [];
  const token = /\s*([!#$%&'*+.^_`|~0-9A-Za-z-]+)\s*/y;
  const param = /\s*([!#$%&'*+.^_`|~0-9A-Za-z-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]*))\s*,?/y;
  let index = 0;
  while (index < value.length) {
    token.lastIndex = index;
    const scheme = token.exec(value);
    if (!scheme) break;
    index = token.lastIndex;
    const challenge: Challenge = { scheme: (scheme[1] as string).toLowerCase(), params: {} };
    for (;;) {
      param.lastIndex = index;
      const match = param.exec(value);
      // A bare token after a comma starts the next challenge.
      if (!match) break;
      challenge.params[(match[1] as string).toLowerCase()] =
        match[2] !== undefined ? match[2].replace(/\\(.)/g, '$1') : (match[3] as string);
      index = param.lastIndex;
    }
    while (value[index] === ',' || value[index] === ' ') index++;
    challenges.push(challenge);
  }
  return challenges;
}

interface CachedToken {
  authorization: string;
  expiresAt: number;
}

export class RegistryAuth {
  private basic = false;
  private bearer: { realm: URL; service: string | undefined } | undefined;
  private readonly tokens = new Map<string, CachedToken>();

  constructor(
    /** The registry as the user named it, for messages. */
    private readonly registry: string,
    private readonly credentials: Credentials | undefined,
    private readonly transport: TransportOptions,
    private readonly insecure: boolean,
    private readonly now: () => number = Date.now,
  ) {}

  /** The Authorization header for `scope` when it is known without asking anyone. */
  cached(scope: string): string | undefined {
    if (this.basic) return this.basicHeader();
    const token = this.tokens.get(scope);
    if (token && token.expiresAt > this.now()) return token.authorization;
    this.tokens.delete(scope);
    return undefined;
  }

  /**
   * The registry answered 401 to a request for `scope`: learns its challenge and returns
   * fresh authorization (a new token, even when a cached one was sent).
   */
  async answer(response: HttpResponse, scope: string): Promise<string> {
    const raw = header(response, 'www-authenticate');
    const challenges = raw === undefined ? [] : parseChallenges(raw);
    const bearer = challenges.find((challenge) => challenge.scheme === 'bearer');
    const basic = challenges.find((challenge) => challenge.scheme === 'basic');
    if (bearer?.params.realm !== undefined) {
      this.bearer = {
        realm: checkServiceUrl(this.registry, bearer.params.realm, this.insecure),
        service: bearer.params.service,
      };
      this.tokens.delete(scope);
      return this.token(bearer.params.scope ?? scope, scope);
    }
    if (basic) {
      if (!this.credentials) {
        throw new RegistryAuthError(
          this.registry,
          `registry ${this.registry} requires credentials (HTTP basic auth) and none were given`,
        );
      }
      this.basic = true;
      return this.basicHeader();
    }
    throw new RegistryAuthError(
      this.registry,
      raw === undefined
        ? `registry ${this.registry} answered 401 without saying how to authenticate`
        : `registry ${this.registry} asks for an authentication scheme tagrelay does not speak: ${raw.slice(0, 80)}`,
    );
  }

  /** The error for a request that was still refused with fresh authorization. */
  refused(response: HttpResponse, what: string): RegistryAuthError {
    const detail = errorText(response);
    const suffix = `(HTTP ${response.status}${detail ? `: ${detail}` : ''})`;
    if (!this.credentials) {
      return new RegistryAuthError(
        this.registry,
        `registry ${this.registry} requires credentials to read ${what} ${suffix}; none were given`,
      );
    }
    const user = JSON.stringify(this.credentials.username);
    return new RegistryAuthError(
      this.registry,
      this.basic
        ? `registry ${this.registry} refused the credentials of user ${user} ${suffix}`
        : `registry ${this.registry} refused user ${user} access to ${what} ${suffix}`,
    );
  }

  private basicHeader(): string {
    const { username, password } = this.credentials as Credentials;
    return `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
  }

  /** Asks the realm for a token covering `requested`, caches it under `scope`. */
  private async token(requested: string, scope: string): Promise<string> {
    const { realm, service } = this.bearer as { realm: URL; service: string | undefined };
    const url = new URL(realm);
    if (service !== undefined) url.searchParams.set('service', service);
    for (const item of new Set([requested, scope])) if (item !== '') url.searchParams.append('scope', item);
    const response = await send(
      {
        method: 'GET',
        url: url.toString(),
        headers: {
          accept: 'application/json',
          ...(this.credentials ? { authorization: this.basicHeader() } : {}),
        },
        registry: this.registry,
        maxBodyBytes: MAX_TOKEN_RESPONSE,
      },
      this.transport,
    );
    if (response.status === 401 || response.status === 403) {
      const detail = errorText(response);
      const suffix = `(HTTP ${response.status}${detail ? `: ${detail}` : ''})`;
      throw new RegistryAuthError(
        this.registry,
        this.credentials
          ? `the token service of registry ${this.registry} (${realm.origin}) refused the credentials of user ${JSON.stringify(this.credentials.username)} ${suffix}`
          : `registry ${this.registry} requires credentials: its token service (${realm.origin}) refused an anonymous token ${suffix}`,
      );
    }
    if (response.status !== 200) {
      throw new RegistryError(
        this.registry,
        `the token service of registry ${this.registry} (${realm.origin}) answered HTTP ${response.status}`,
      );
    }
    let body: { token?: unknown; access_token?: unknown; expires_in?: unknown };
    try {
      body = JSON.parse(response.body.toString('utf8')) as typeof body;
    } catch {
      body = {};
    }
    const token = typeof body.token === 'string' && body.token ? body.token : body.access_token;
    if (typeof token !== 'string' || token === '') {
      throw new RegistryError(
        this.registry,
        `the token service of registry ${this.registry} (${realm.origin}) answered without a token`,
      );
    }
    const expiresIn =
      typeof body.expires_in === 'number' && body.expires_in > 0 ? body.expires_in : DEFAULT_EXPIRES_IN_S;
    const authorization = `Bearer ${token}`;
    this.tokens.set(scope, {
      authorization,
      expiresAt: this.now() + Math.max(0, expiresIn * 1000 - EXPIRY_MARGIN_MS),
    });
    return authorization;
  }
}
