/**
 * smoke-dev's configuration, parsed and validated once, before any request: the base URL
 * (with `{app}` and `{env}`), the paths to check, the expected status per path, body
 * regexes, the version source, the timeouts. Every mistake is a ConfigurationError that
 * names the input.
 */
import { parseDuration } from './duration.js';
import {
  parseExpectBody,
  parseExpectStatus,
  splitList,
  validatePath,
  type StatusRange,
} from './smoke-expectations.js';

export { DEFAULT_EXPECT_STATUS } from './smoke-expectations.js';
import { DEFAULT_LAYOUT } from './layout.js';
import { ConfigurationError } from './errors.js';
import { parseHttpUrl } from './http-url.js';
import { validateAppName, validateEnvironmentName, validateTag } from './names.js';
import { parseVersionSource, versionProbePath, type VersionSource } from './version-source.js';

export const DEFAULT_PATHS: readonly string[] = ['/', '/admin', '/api/health'];
/** Checked by default "if there is one": a 404 there means no health endpoint, not a failure. */
export const DEFAULT_HEALTH_PATH = '/api/health';
export const DEFAULT_ROLLOUT_TIMEOUT = '10m';
export const DEFAULT_REQUEST_TIMEOUT = '10s';
/** The layout's default Application-name template (deploy/tagrelay.yaml `argocd.application`). */
export const DEFAULT_ARGOCD_APPLICATION = DEFAULT_LAYOUT.argocd.application;

export interface PathCheck {
  path: string;
  /** False only for the default health path: a 404 there is "no health endpoint". */
  required: boolean;
  expectStatus: readonly StatusRange[];
  /** Source of a regex the body must match. */
  expectBody?: string;
}

/** Raw inputs as the action and the CLI receive them (empty string = not given). */
export interface RawSmokeInput {
  app: string;
  tag: string;
  environment?: string;
  url: string;
  paths?: string;
  expectStatus?: string;
  expectBody?: string;
  versionSource?: string;
  rolloutTimeout?: string;
  requestTimeout?: string;
  argocdServer?: string;
  argocdApplication?: string;
  /** '' = default (true when a server is given). */
  refresh?: string;
}

export interface SmokeConfig {
  app: string;
  env: string;
  tag: string;
  /** The base URL with placeholders replaced, without a trailing slash. */
  baseUrl: string;
  checks: PathCheck[];
  versionSource: VersionSource;
  /** Where the version is read (header/json/body sources). */
  versionPath?: string;
  rolloutTimeoutMs: number;
  requestTimeoutMs: number;
  argocd?: {
    server: string;
    application: string;
    /** True when the name came from the default template: the layout's template may replace it. */
    applicationFromLayout: boolean;
    refresh: boolean;
  };
}

const URL_EXPECTED =
  'an http(s) base URL, optionally with {app} and {env} placeholders, e.g. https://{app}.dev.synestra.tech';

/** Replaces `{app}` and `{env}`; any other placeholder is refused. */
export function renderTemplate(
  template: string,
  values: { app: string; env: string },
  input: string,
  expected: string,
): string {
  return template.replace(/\{([^{}]*)\}/g, (whole, name: string) => {
    if (name === 'app') return values.app;
    if (name === 'env') return values.env;
    throw new ConfigurationError(
      input,
      template,
      `${expected}; ${whole} is not a placeholder (only {app} and {env})`,
    );
  });
}

/** The rendered, validated base URL (no trailing slash, no query, no credentials). */
export function renderBaseUrl(template: string, app: string, env: string, input = 'url'): string {
  const raw = template.trim();
  if (raw === '') throw new ConfigurationError(input, undefined, URL_EXPECTED);
  const rendered = renderTemplate(raw, { app, env }, input, URL_EXPECTED);
  let url: URL;
  try {
    url = new URL(rendered);
  } catch {
    throw new ConfigurationError(input, template, URL_EXPECTED);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigurationError(input, template, `${URL_EXPECTED} (${url.protocol} is not http or https)`);
  }
  if (url.username !== '' || url.password !== '') {
    throw new ConfigurationError(
      input,
      '(a URL with credentials)',
      `${URL_EXPECTED}, without user:password@ (it would show in logs)`,
    );
  }
  if (url.search !== '' || url.hash !== '') {
    throw new ConfigurationError(
      input,
      template,
      `${URL_EXPECTED}, without ?query or #fragment (put those in paths)`,
    );
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

/** base + path: `https://x.dev/prefix` + `/admin` → `https://x.dev/prefix/admin`. */
export function joinUrl(base: string, path: string): string {
  return `${base.replace(/\/+$/, '')}${path}`;
}

/** The paths to check; `explicit` is false when the defaults apply. */
export function parsePaths(raw: string | undefined, input = 'paths'): { paths: string[]; explicit: boolean } {
  const items = splitList(raw ?? '', /[,\n]/);
  if (items.length === 0) return { paths: [...DEFAULT_PATHS], explicit: false };
  const paths = items.map((path) => validatePath(path, input, path));
  return { paths: [...new Set(paths)], explicit: true };
}

/** The Argo CD Application name from a template such as `{app}-{env}` or `web-{app}-{env}`. */
export function argoApplicationName(
  template: string,
  app: string,
  env: string,
  input = 'argocd-application',
): string {
  const expected =
    'an Argo CD Application name (lowercase letters, digits, - and .), optionally with {app} and {env}';
  const name = renderTemplate(template.trim(), { app, env }, input, expected);
  if (!/^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/.test(name))
    throw new ConfigurationError(input, template, expected);
  return name;
}

const SERVER_EXPECTED = 'the Argo CD server URL, e.g. https://argocd.example.com';

/** An Argo CD server address (scheme optional, https assumed), normalised without a trailing slash. */
export function parseArgoCdServer(server: string, input = 'argocd-server'): string {
  const url = parseHttpUrl(server.includes('://') ? server : `https://${server}`);
  if (!url || url.username !== '' || url.search !== '') {
    throw new ConfigurationError(input, server, SERVER_EXPECTED);
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

function parseArgoCd(
  raw: RawSmokeInput,
  app: string,
  env: string,
  defaultTemplate: string,
): SmokeConfig['argocd'] {
  const server = (raw.argocdServer ?? '').trim();
  if (server === '') return undefined;
  const template = (raw.argocdApplication ?? '').trim();
  const refresh = (raw.refresh ?? '').trim().toLowerCase();
  if (refresh !== '' && refresh !== 'true' && refresh !== 'false') {
    throw new ConfigurationError('refresh', raw.refresh, 'true or false');
  }
  return {
    server: parseArgoCdServer(server),
    application: argoApplicationName(template || defaultTemplate, app, env, 'argocd-application'),
    applicationFromLayout: template === '',
    refresh: refresh !== 'false',
  };
}

/**
 * Validates every input; nothing here touches the network. `argocdApplication` is the
 * layout's Application-name template, used when the input does not name one.
 */
export function parseSmokeConfig(
  raw: RawSmokeInput,
  defaults: { argocdApplication?: string } = {},
): SmokeConfig {
  const app = validateAppName(raw.app.trim(), 'app');
  const tag = validateTag(raw.tag.trim(), { input: 'tag' });
  const env = validateEnvironmentName((raw.environment ?? '').trim() || 'dev', 'environment');
  const baseUrl = renderBaseUrl(raw.url, app, env, 'url');
  const { paths, explicit } = parsePaths(raw.paths, 'paths');
  const status = parseExpectStatus(raw.expectStatus, paths, 'expect-status');
  const bodies = parseExpectBody(raw.expectBody, paths, 'expect-body');
  const checks: PathCheck[] = paths.map((path) => ({
    path,
    required: explicit || path !== DEFAULT_HEALTH_PATH,
    expectStatus: status.byPath.get(path) ?? status.fallback,
    ...(bodies.has(path) ? { expectBody: bodies.get(path) as string } : {}),
  }));
  const server = (raw.argocdServer ?? '').trim();
  const sourceText = (raw.versionSource ?? '').trim() || (server !== '' ? 'argocd' : 'none');
  const versionSource = parseVersionSource(sourceText, 'version-source');
  const argocd = parseArgoCd(raw, app, env, defaults.argocdApplication ?? DEFAULT_ARGOCD_APPLICATION);
  if (argocd === undefined && versionSource.kind === 'argocd') {
    throw new ConfigurationError(
      'argocd-server',
      undefined,
      `${SERVER_EXPECTED}, when version-source is argocd`,
    );
  }
  const rolloutTimeoutMs = parseDuration(
    (raw.rolloutTimeout ?? '').trim() || DEFAULT_ROLLOUT_TIMEOUT,
    'rollout-timeout',
  );
  const requestTimeoutMs = parseDuration(
    (raw.requestTimeout ?? '').trim() || DEFAULT_REQUEST_TIMEOUT,
    'request-timeout',
    {
      minMs: 10,
      maxMs: 10 * 60_000,
    },
  );
  const config: SmokeConfig = {
    app,
    env,
    tag,
    baseUrl,
    checks,
    versionSource,
    rolloutTimeoutMs,
    requestTimeoutMs,
  };
  const versionPath = versionProbePath(versionSource, paths);
  if (versionPath !== undefined) config.versionPath = versionPath;
  if (argocd !== undefined) config.argocd = argocd;
  return config;
}
