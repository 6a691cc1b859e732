/**
 * Where smoke-dev reads the version a site serves, and reading it from one response.
 *
 *   none                      do not wait for a rollout
 *   header:<name>             a response header of the first checked path, e.g. header:x-app-version
 *   json:<path>#<pointer>     a JSON Pointer (RFC 6901) into the JSON body of <path>,
 *                             e.g. json:/api/health#/version
 *   body:<regex>              the one capture group of a regex over the body of the first checked path,
 *                             e.g. body:<meta name="version" content="([^"]+)"
 *   argocd                    the Argo CD Application: Synced and Healthy with an image :<tag>
 *
 * Everything here is pure: the edges fetch, this module parses and reads.
 */
import { ConfigurationError } from './errors.js';

export type VersionSource =
  | { kind: 'none' }
  | { kind: 'header'; name: string }
  | { kind: 'json'; path: string; pointer: string }
  | { kind: 'body'; pattern: string }
  | { kind: 'argocd' };

const EXPECTED =
  'one of none, header:<name>, json:<path>#<json-pointer>, body:<regex with one group>, argocd ' +
  '(e.g. header:x-app-version, json:/api/health#/version)';

/** RFC 9110 token: what a header name may be. */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** Number of capture groups of a regex source (throws when it does not compile). */
function groupCount(source: string): number {
  return (new RegExp(`${source}|`).exec('')?.length ?? 1) - 1;
}

export function parseVersionSource(raw: string, input = 'version-source'): VersionSource {
  const text = raw.trim();
  if (text === '') throw new ConfigurationError(input, undefined, EXPECTED);
  if (text === 'none') return { kind: 'none' };
  if (text === 'argocd') return { kind: 'argocd' };
  const colon = text.indexOf(':');
  const kind = colon < 0 ? text : text.slice(0, colon);
  const rest = colon < 0 ? '' : text.slice(colon + 1);
  switch (kind) {
    case 'header': {
      const name = rest.trim();
      if (!HEADER_NAME.test(name)) {
        throw new ConfigurationError(
          input,
          raw,
          'header:<name> with an HTTP header name, e.g. header:x-app-version',
        );
      }
      return { kind: 'header', name: name.toLowerCase() };
    }
    case 'json': {
      const hash = rest.indexOf('#');
      const path = hash < 0 ? rest : rest.slice(0, hash);
      const pointer = hash < 0 ? undefined : rest.slice(hash + 1);
      const expected = 'json:<path>#<json-pointer>, e.g. json:/api/health#/version';
      if (!path.startsWith('/') || /\s/.test(path)) {
        throw new ConfigurationError(input, raw, `${expected} (the path starts with /)`);
      }
      if (pointer === undefined || pointer === '') {
        throw new ConfigurationError(input, raw, `${expected} (a JSON pointer after # is required)`);
      }
      if (!pointer.startsWith('/') || /~[^01]|~$/.test(pointer)) {
        throw new ConfigurationError(
          input,
          raw,
          `${expected} (a JSON pointer starts with / and escapes ~ as ~0, / as ~1)`,
        );
      }
      return { kind: 'json', path, pointer };
    }
    case 'body': {
      let groups: number;
      try {
        groups = rest === '' ? 0 : groupCount(rest);
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        throw new ConfigurationError(
          input,
          raw,
          `body:<regex with one group>; the regex does not compile (${reason})`,
        );
      }
      if (groups !== 1) {
        throw new ConfigurationError(
          input,
          raw,
          `body:<regex with exactly one capture group> (this one has ${groups}), e.g. body:version ([\\w.-]+)`,
        );
      }
      return { kind: 'body', pattern: rest };
    }
    default:
      throw new ConfigurationError(input, raw, EXPECTED);
  }
}

/** The source as the user would write it (for logs and the report). */
export function formatVersionSource(source: VersionSource): string {
  switch (source.kind) {
    case 'header':
      return `header:${source.name}`;
    case 'json':
      return `json:${source.path}#${source.pointer}`;
    case 'body':
      return `body:${source.pattern}`;
    default:
      return source.kind;
  }
}

/** The path whose response carries the version: the json path, or the first checked path. */
export function versionProbePath(source: VersionSource, checkedPaths: readonly string[]): string | undefined {
  if (source.kind === 'json') return source.path;
  if (source.kind === 'header' || source.kind === 'body') return checkedPaths[0] ?? '/';
  return undefined;
}

/** One response, as much of it as the version sources need. */
export interface VersionResponse {
  status: number;
  /** Header names in lower case. */
  headers: Readonly<Record<string, string | readonly string[] | undefined>>;
  body: string;
}

/** What one look at the site (or at Argo CD) showed. */
export interface VersionReading {
  /** The version found, if any. */
  version?: string;
  /** True when this reading is the expected version, live. */
  live: boolean;
  /** One line for progress and failure messages: what was seen, e.g. `sha-old (header x-app-version)`. */
  detail: string;
}

/** Evaluates an RFC 6901 JSON Pointer; undefined when it leads nowhere. */
export function evaluateJsonPointer(document: unknown, pointer: string): unknown {
  if (pointer === '') return document;
  let current: unknown = document;
  for (const raw of pointer.slice(1).split('/')) {
    const token = raw.replaceAll('~1', '/').replaceAll('~0', '~');
    if (Array.isArray(current)) {
      if (!/^(0|[1-9]\d*)$/.test(token)) return undefined;
      current = current[Number(token)];
    } else if (current !== null && typeof current === 'object' && Object.hasOwn(current, token)) {
      current = (current as Record<string, unknown>)[token];
    } else {
      return undefined;
    }
  }
  return current;
}

/** A version value as text; the tag part of an image reference (`repo:tag`, `repo:tag@sha256:…`) counts as the tag. */
export function normalizeVersion(value: string): string {
  const text = value.trim();
  return /[:@]/.test(text) ? (tagOfImageReference(text) ?? text) : text;
}

/** `ghcr.io/acme/web:sha-1@sha256:…` → `sha-1`; undefined when the reference has no tag. */
export function tagOfImageReference(reference: string): string | undefined {
  const withoutDigest = reference.split('@')[0] ?? '';
  const name = withoutDigest.slice(withoutDigest.lastIndexOf('/') + 1);
  const colon = name.lastIndexOf(':');
  return colon < 0 || colon === name.length - 1 ? undefined : name.slice(colon + 1);
}

const MAX_SHOWN = 60;
const shown = (value: string) => (value.length > MAX_SHOWN ? `${value.slice(0, MAX_SHOWN)}…` : value);

/** Reads the version from one response and says whether it is `expected`. */
export function readVersion(
  source: VersionSource,
  response: VersionResponse,
  expected: string,
): VersionReading {
  const found = (version: string, where: string): VersionReading => ({
    version,
    live: version === expected,
    detail: `${JSON.stringify(shown(version))} (${where})`,
  });
  const missing = (what: string): VersionReading => ({ live: false, detail: what });
  if (response.status >= 400) return missing(`HTTP ${response.status}`);
  switch (source.kind) {
    case 'header': {
      const value = response.headers[source.name];
      const first = Array.isArray(value) ? value[0] : value;
      if (typeof first !== 'string' || first.trim() === '') {
        return missing(`no ${source.name} header (HTTP ${response.status})`);
      }
      return found(normalizeVersion(first), `header ${source.name}`);
    }
    case 'json': {
      let document: unknown;
      try {
        document = JSON.parse(response.body);
      } catch {
        return missing(`${source.path} did not answer JSON (HTTP ${response.status})`);
      }
      const value = evaluateJsonPointer(document, source.pointer);
      if (typeof value === 'string' && value.trim() !== '') {
        return found(normalizeVersion(value), `${source.path}#${source.pointer}`);
      }
      if (typeof value === 'number' || typeof value === 'boolean') {
        return found(String(value), `${source.path}#${source.pointer}`);
      }
      return missing(`nothing at ${source.pointer} in the JSON of ${source.path}`);
    }
    case 'body': {
      const match = new RegExp(source.pattern).exec(response.body);
      const value = match?.[1];
      if (value === undefined || value.trim() === '')
        return missing(`the body regex did not match (HTTP ${response.status})`);
      return found(normalizeVersion(value), 'body');
    }
    default:
      return missing(`version source ${source.kind} does not read HTTP responses`);
  }
}
