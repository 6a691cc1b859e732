/**
 * Image references in the grammar of the distribution project (`reference/regexp.go`):
 *
 *     [host[:port]/]path[:tag][@digest]
 *
 * The first `/`-separated component is a registry host when it contains `.` or `:` or is
 * `localhost` (so `ghcr.io/acme/web`, `127.0.0.1:5000/web`, `[::1]:5000/web`); otherwise the
 * reference is on Docker Hub: `docker.io`, whose API lives at `registry-1.docker.io`, with
 * `library/` in front of one-component names (`alpine` → `docker.io/library/alpine`).
 */
import { ConfigurationError } from './errors.js';

export interface ImageReference {
  /** Registry as written (normalised for Docker Hub): `ghcr.io`, `127.0.0.1:5000`, `docker.io`. */
  registry: string;
  /** Host and port the distribution API is served from: `registry-1.docker.io` for Docker Hub. */
  apiHost: string;
  /** Repository path inside the registry: `acme/web`, `library/alpine`. */
  path: string;
  /** `registry/path`: the repository a tag lives in. */
  repository: string;
  tag?: string;
  digest?: string;
}

export const DOCKER_HUB = 'docker.io';
export const DOCKER_HUB_API = 'registry-1.docker.io';
const DOCKER_HUB_ALIASES = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io']);

const NAME_COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const PATH = new RegExp(`^${NAME_COMPONENT}(?:/${NAME_COMPONENT})*$`);
const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const DOMAIN = new RegExp(
  `^(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[[a-fA-F0-9:]+\\])(?::[0-9]+)?$`,
);
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}$/;
/** The digests this project can verify: the algorithm and its hex length. */
const KNOWN_DIGEST = /^sha256:[a-f0-9]{64}$|^sha512:[a-f0-9]{128}$/;
/** distribution's NameTotalLengthMax: the whole name, host included. */
const NAME_MAX = 255;

const REFERENCE_EXPECTED = 'an image reference [host[:port]/]path[:tag][@digest], e.g. ghcr.io/acme/web:v1';
const REPOSITORY_EXPECTED = 'an image repository without tag or digest, e.g. ghcr.io/acme/web';

/** Splits off a leading registry host by distribution's rule; undefined when the name is on Docker Hub. */
function splitDomain(name: string): [string | undefined, string] {
  const slash = name.indexOf('/');
  if (slash === -1) return [undefined, name];
  const first = name.slice(0, slash);
  if (first.includes('.') || first.includes(':') || first === 'localhost') {
    return [first, name.slice(slash + 1)];
  }
  return [undefined, name];
}

/** Parses a full reference; `input` names the input or flag for messages. */
export function parseImageReference(value: string, input = 'image'): ImageReference {
  const fail = (why: string): never => {
    throw new ConfigurationError(input, value, `${REFERENCE_EXPECTED} (${why})`);
  };
  if (value === '') throw new ConfigurationError(input, undefined, REFERENCE_EXPECTED);
  if (value.trim() !== value) fail('no surrounding spaces');

  let rest = value;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at !== -1) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) fail(`the digest after "@" is not algorithm:hex`);
    if (!KNOWN_DIGEST.test(digest))
      fail('the digest must be sha256: with 64 or sha512: with 128 lowercase hex');
  }

  // A tag is whatever follows the last ':' that comes after the last '/', so a port stays
  // with the host (`localhost:5000/web` has no tag).
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag)) fail('the tag after ":" must be 1-128 of A-Z a-z 0-9 _ . - not starting with . or -');
  }

  if (rest.length > NAME_MAX) fail(`the name is longer than ${NAME_MAX} characters`);
  const [domain, remainder] = splitDomain(rest);
  if (domain !== undefined && !DOMAIN.test(domain)) fail(`"${domain}" is not a host[:port]`);
  if (remainder !== remainder.toLowerCase()) fail('the repository path must be lowercase');
  if (!PATH.test(remainder)) {
    fail('path components are lowercase letters and digits, separated by ".", "_", "__", "-" or "/"');
  }

  const registry = domain === undefined || DOCKER_HUB_ALIASES.has(domain.toLowerCase()) ? DOCKER_HUB : domain;
  const isHub = registry === DOCKER_HUB;
  const path = isHub && !remainder.includes('/') ? `library/${remainder}` : remainder;
  const reference: ImageReference = {
    registry,
    apiHost: isHub ? DOCKER_HUB_API : registry,
    path,
    repository: `${registry}/${path}`,
  };
  if (tag !== undefined) reference.tag = tag;
  if (digest !== undefined) reference.digest = digest;
  return reference;
}

/** Parses a repository where no tag or digest may be given (the `image` input of build-and-tag). */
export function parseImageRepository(value: string, input = 'image'): ImageReference {
  const reference = parseImageReference(value, input);
  if (reference.digest !== undefined) {
    throw new ConfigurationError(input, value, `${REPOSITORY_EXPECTED}; drop "@${reference.digest}"`);
  }
  if (reference.tag !== undefined) {
    throw new ConfigurationError(input, value, `${REPOSITORY_EXPECTED}; drop ":${reference.tag}"`);
  }
  return reference;
}

/** `repository[:tag][@digest]`, e.g. `ghcr.io/acme/web:sha-0123456789ab@sha256:…`. */
export function formatImageReference(
  reference: Pick<ImageReference, 'repository' | 'tag' | 'digest'>,
): string {
  return (
    reference.repository +
    (reference.tag === undefined ? '' : `:${reference.tag}`) +
    (reference.digest === undefined ? '' : `@${reference.digest}`)
  );
}
