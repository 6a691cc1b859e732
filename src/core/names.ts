/**
 * Validation of the names that end up in paths, branch names and commit messages:
 * image tags (OCI grammar), app and environment names (DNS labels). Everything is
 * refused before any path is built.
 */
import { ConfigurationError } from './errors.js';

/** OCI distribution spec tag grammar. */
const TAG_PATTERN = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/;
/** RFC 1123 label, as Kubernetes names it: what an app or environment may be called. */
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_LABEL_MAX = 63;

/** Mutable tags that name no release: never written. */
export const DEFAULT_DENIED_TAGS: readonly string[] = ['latest'];

const TAG_EXPECTED = 'an immutable image tag: 1-128 characters of A-Z a-z 0-9 _ . - not starting with . or -';

function globToRegExp(glob: string): RegExp {
  const body = glob
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${body}$`, 'i');
}

export interface TagRules {
  /** Tags refused although well-formed; `*` matches any run of characters; case-insensitive. */
  denied?: readonly string[];
  /** Name of the input the tag came from, for messages. */
  input?: string;
}

/** Returns the tag when it is a well-formed, allowed, immutable tag; throws ConfigurationError otherwise. */
export function validateTag(tag: string, rules: TagRules = {}): string {
  const input = rules.input ?? 'tag';
  if (tag === '') throw new ConfigurationError(input, undefined, TAG_EXPECTED);
  if (!TAG_PATTERN.test(tag)) throw new ConfigurationError(input, tag, TAG_EXPECTED);
  const denied = rules.denied ?? DEFAULT_DENIED_TAGS;
  const match = denied.find((pattern) => globToRegExp(pattern).test(tag));
  if (match !== undefined) {
    throw new ConfigurationError(
      input,
      tag,
      DEFAULT_DENIED_TAGS.includes(match)
        ? `an immutable tag; "${tag}" is mutable: it can point at a different image tomorrow`
        : `an immutable tag; "${tag}" matches "${match}" on the layout's deny-list (deniedTags in deploy/tagrelay.yaml)`,
    );
  }
  return tag;
}

function dnsLabelExpected(what: string): string {
  return `${what}: a DNS label of 1-${DNS_LABEL_MAX} lowercase letters, digits and '-', starting and ending with a letter or digit`;
}

/** An app name: a DNS label, so it is safe in paths, branch names and Kubernetes names. */
export function validateAppName(name: string, input = 'app'): string {
  if (name === '') throw new ConfigurationError(input, undefined, dnsLabelExpected('an app name'));
  if (name.length > DNS_LABEL_MAX || !DNS_LABEL.test(name)) {
    throw new ConfigurationError(input, name, dnsLabelExpected('an app name'));
  }
  return name;
}

/** An environment name (`dev`, `prod`, `stage`): the same rule as apps. */
export function validateEnvironmentName(name: string, input = 'environment'): string {
  if (name === '') throw new ConfigurationError(input, undefined, dnsLabelExpected('an environment name'));
  if (name.length > DNS_LABEL_MAX || !DNS_LABEL.test(name)) {
    throw new ConfigurationError(input, name, dnsLabelExpected('an environment name'));
  }
  return name;
}

/** Parses `a, b` or one app a line into validated, de-duplicated names in the given order. */
export function parseAppList(raw: string, input = 'app'): string[] {
  const names = raw
    .split(/[,\n]/)
    .map((part) => part.trim())
    .filter((part) => part !== '');
  if (names.length === 0) {
    throw new ConfigurationError(input, undefined, 'one or more app names, separated by commas or newlines');
  }
  return [...new Set(names.map((name) => validateAppName(name, input)))];
}

/** `owner/name` of a GitHub repository. */
export interface RepositoryRef {
  owner: string;
  name: string;
}

const OWNER_PATTERN = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/;
const REPO_NAME_PATTERN = /^[A-Za-z0-9._-]{1,100}$/;

export function parseRepository(raw: string, input = 'gitops-repository'): RepositoryRef {
  const expected = 'a GitHub repository as owner/name, e.g. synestra/gitops';
  const [owner, name, ...rest] = raw.split('/');
  if (
    owner === undefined ||
    name === undefined ||
    rest.length > 0 ||
    !OWNER_PATTERN.test(owner) ||
    !REPO_NAME_PATTERN.test(name) ||
    name === '.' ||
    name === '..'
  ) {
    throw new ConfigurationError(input, raw, expected);
  }
  return { owner, name };
}

/**
 * A branch name git and GitHub accept (the rules of `git check-ref-format --branch`,
 * less the rarely used ones).
 */
export function validateBranchName(branch: string, input = 'branch'): string {
  const expected =
    'a git branch name (no spaces, no "..", no ~^:?*[\\, not starting with "-" or ending in "/" or ".lock")';
  const bad =
    branch === '' ||
    branch.length > 255 ||
    // Control characters are exactly what git refuses here.
    // eslint-disable-next-line no-control-regex
    /[\s~^:?*[\\\x00-\x1f\x7f]/.test(branch) ||
    branch.includes('..') ||
    branch.includes('@{') ||
    branch.includes('//') ||
    branch.startsWith('-') ||
    branch.startsWith('/') ||
    branch.endsWith('/') ||
    branch.endsWith('.') ||
    branch.endsWith('.lock') ||
    branch.split('/').some((part) => part.startsWith('.'));
  if (bad) throw new ConfigurationError(input, branch, expected);
  return branch;
}

/** A full commit SHA: 40 (SHA-1) or 64 (SHA-256) lowercase hex digits. */
export const COMMIT_SHA = /^[0-9a-f]{40}$|^[0-9a-f]{64}$/;

/** A full commit SHA of the GitOps repository (smoke-dev's `commit-sha`). */
export function validateCommitSha(value: string, input = 'commit-sha'): string {
  if (!COMMIT_SHA.test(value)) {
    throw new ConfigurationError(input, value, 'a full lowercase hex commit SHA of the GitOps repository');
  }
  return value;
}

const DIGEST_PATTERN = /^sha256:[a-f0-9]{64}$|^sha512:[a-f0-9]{128}$/;

export function validateDigest(digest: string, input = 'digest'): string {
  if (!DIGEST_PATTERN.test(digest)) {
    throw new ConfigurationError(
      input,
      digest,
      'an image digest: sha256: followed by 64 lowercase hex digits',
    );
  }
  return digest;
}

/** Image repository reference without tag or digest, e.g. `ghcr.io/synestra/corporate`. */
const IMAGE_REPOSITORY =
  /^(?:(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*(?::[0-9]+)?\/)?[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/;

export function validateImageRepository(image: string, input = 'image'): string {
  if (image.length > 255 || !IMAGE_REPOSITORY.test(image)) {
    throw new ConfigurationError(
      input,
      image,
      'an image repository without tag or digest, e.g. ghcr.io/synestra/corporate',
    );
  }
  return image;
}
