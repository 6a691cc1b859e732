/**
 * smoke-dev's configuration, parsed and validated once, before any request: the base URL
 * (with `{app}` and `{env}`), the paths to check, the expected status per path, body
 * regexes, the version source, the timeouts. Every mistake is a ConfigurationError that
 * names the input.
 */
import { parseDuration } from './duration.js';
import { ConfigurationError } from './errors.js';
import { validateAppName, validateEnvironmentName, validateTag } from './names.js';
import { parseVersionSource, versionProbePath, type VersionSource } from './version-source.js';

export const DEFAULT_PATHS: readonly string[] = ['/', '/admin', '/api/health'];
/** Checked by default "if there is one": a 404 there means no health endpoint, not a failure. */
export const DEFAULT_HEALTH_PATH = '/api/health';
export const DEFAULT_EXPECT_STATUS = '200-399';
export const DEFAULT_ROLLOUT_TIMEOUT = '10m';
export const DEFAULT_REQUEST_TIMEOUT = '10s';
export const DEFAULT_ARGOCD_APPLICATION = '{app}-{env}';

/** Inclusive range of HTTP status codes. */
export interface StatusRange {
  min: number;
  max: number;
}

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
  argocd?: { server: string; application: string; refresh: boolean };
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

function splitList(raw: string, separators: RegExp): string[] {
  return raw
    .split(separators)
    .map((part) => part.trim())
    .filter((part) => part !== '');
}

const PATH_EXPECTED = 'paths starting with /, separated by commas or newlines, e.g. /, /admin, /api/health';

export function validatePath(path: string, input: string, raw = path): string {
  // eslint-disable-next-line no-control-regex
  if (!path.startsWith('/') || path.startsWith('//') || /[\s\x00-\x1f\x7f#]/.test(path)) {
    throw new ConfigurationError(input, raw, PATH_EXPECTED);
  }
  return path;
}

/** The paths to check; `explicit` is false when the defaults apply. */
export function parsePaths(raw: string | undefined, input = 'paths'): { paths: string[]; explicit: boolean } {
  const items = splitList(raw ?? '', /[,\n]/);
  if (items.length === 0) return { paths: [...DEFAULT_PATHS], explicit: false };
  const paths = items.map((path) => validatePath(path, input, path));
  return { paths: [...new Set(paths)], explicit: true };
}

const STATUS_EXPECTED =
  'HTTP statuses as 200, 200-399 or 2xx, alternatives joined by |, per path as /path=200; items separated by commas or newlines';

/** `200`, `200-399`, `2xx`, alternatives joined with `|`. */
export function parseStatusSpec(spec: string, input: string, raw = spec): StatusRange[] {
  const ranges: StatusRange[] = [];
  for (const part of spec.split('|').map((item) => item.trim())) {
    let range: StatusRange | undefined;
    let match: RegExpExecArray | null;
    if ((match = /^([1-5])xx$/i.exec(part))) {
      const hundred = Number(match[1]) * 100;
      range = { min: hundred, max: hundred + 99 };
    } else if ((match = /^(\d{3})$/.exec(part))) {
      range = { min: Number(match[1]), max: Number(match[1]) };
    } else if ((match = /^(\d{3})\s*-\s*(\d{3})$/.exec(part))) {
      range = { min: Number(match[1]), max: Number(match[2]) };
    }
    if (range === undefined || range.min < 100 || range.max > 599 || range.min > range.max) {
      throw new ConfigurationError(input, raw, STATUS_EXPECTED);
    }
    ranges.push(range);
  }
  return ranges;
}

export function formatStatusRanges(ranges: readonly StatusRange[]): string {
  return ranges.map(({ min, max }) => (min === max ? String(min) : `${min}-${max}`)).join('|');
}

export function statusMatches(status: number, ranges: readonly StatusRange[]): boolean {
  return ranges.some(({ min, max }) => status >= min && status <= max);
}

export interface ExpectStatus {
  fallback: StatusRange[];
  byPath: Map<string, StatusRange[]>;
}

/** `200-399` (all paths) and `/api/health=200` (one path); a per-path item must name a checked path. */
export function parseExpectStatus(
  raw: string | undefined,
  paths: readonly string[],
  input = 'expect-status',
): ExpectStatus {
  const items = splitList(raw ?? '', /[,\n]/);
  let fallback: StatusRange[] | undefined;
  const byPath = new Map<string, StatusRange[]>();
  for (const item of items) {
    const equals = item.indexOf('=');
    if (equals < 0) {
      fallback = [...(fallback ?? []), ...parseStatusSpec(item, input, item)];
      continue;
    }
    const path = validatePath(item.slice(0, equals).trim(), input, item);
    if (!paths.includes(path)) {
      throw new ConfigurationError(
        input,
        item,
        `a per-path status for one of the checked paths (${paths.join(', ')})`,
      );
    }
    byPath.set(path, [
      ...(byPath.get(path) ?? []),
      ...parseStatusSpec(item.slice(equals + 1).trim(), input, item),
    ]);
  }
  return { fallback: fallback ?? parseStatusSpec(DEFAULT_EXPECT_STATUS, input), byPath };
}

/** One `/path=regex` a line (a regex may contain commas); the path must be a checked path. */
export function parseExpectBody(
  raw: string | undefined,
  paths: readonly string[],
  input = 'expect-body',
): Map<string, string> {
  const byPath = new Map<string, string>();
  for (const line of splitList(raw ?? '', /\n/)) {
    const equals = line.indexOf('=');
    const expected = `one /path=regex a line for checked paths (${paths.join(', ')}), e.g. /=<title>Shop</title>`;
    if (equals < 0) throw new ConfigurationError(input, line, expected);
    const path = validatePath(line.slice(0, equals).trim(), input, line);
    if (!paths.includes(path)) throw new ConfigurationError(input, line, expected);
    const pattern = line.slice(equals + 1);
    try {
      new RegExp(pattern);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new ConfigurationError(input, line, `a regular expression that compiles (${reason})`);
    }
    if (byPath.has(path)) throw new ConfigurationError(input, line, `${expected}; one regex per path`);
    byPath.set(path, pattern);
  }
  return byPath;
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

function parseBoolean(raw: string, input: string): boolean {
  const text = raw.trim().toLowerCase();
  if (text === 'true') return true;
  if (text === 'false') return false;
  throw new ConfigurationError(input, raw, 'true or false');
}

/** Validates every input; nothing here touches the network. */
export function parseSmokeConfig(raw: RawSmokeInput): SmokeConfig {
  const app = validateAppName(raw.app.trim(), 'app');
  const tag = validateTag(raw.tag.trim(), { input: 'tag' });
  const env = validateEnvironmentName((raw.environment ?? '').trim() || 'dev', 'environment');
  const baseUrl = renderBaseUrl(raw.url, app, env, 'url');
  const { paths, explicit } = parsePaths(raw.paths, 'paths');
  const status = parseExpectStatus(raw.expectStatus, paths, 'expect-status');
  const bodies = parseExpectBody(raw.expectBody, paths, 'expect-body');
  const checks: PathCheck[] = paths.map((path) => {
    const check: PathCheck = {
      path,
      required: explicit || path !== DEFAULT_HEALTH_PATH,
      expectStatus: status.byPath.get(path) ?? status.fallback,
    };
    const body = bodies.get(path);
    if (body !== undefined) check.expectBody = body;
    return check;
  });

  const server = (raw.argocdServer ?? '').trim();
  const sourceText = (raw.versionSource ?? '').trim() || (server !== '' ? 'argocd' : 'none');
  const versionSource = parseVersionSource(sourceText, 'version-source');
  let argocd: SmokeConfig['argocd'];
  if (server !== '') {
    let url: URL;
    try {
      url = new URL(server.includes('://') ? server : `https://${server}`);
    } catch {
      throw new ConfigurationError(
        'argocd-server',
        server,
        'the Argo CD server URL, e.g. https://argocd.example.com',
      );
    }
    if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.username !== '' || url.search !== '') {
      throw new ConfigurationError(
        'argocd-server',
        server,
        'the Argo CD server URL, e.g. https://argocd.example.com',
      );
    }
    const refreshRaw = (raw.refresh ?? '').trim();
    argocd = {
      server: `${url.origin}${url.pathname.replace(/\/+$/, '')}`,
      application: argoApplicationName(
        (raw.argocdApplication ?? '').trim() || DEFAULT_ARGOCD_APPLICATION,
        app,
        env,
        'argocd-application',
      ),
      refresh: refreshRaw === '' ? true : parseBoolean(refreshRaw, 'refresh'),
    };
  } else if (versionSource.kind === 'argocd') {
    throw new ConfigurationError(
      'argocd-server',
      undefined,
      'the Argo CD server URL when version-source is argocd',
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
