/**
 * Where things live in the GitOps repository and how environments chain. The
 * defaults are the seeds' layout; `deploy/tagrelay.yaml` can override them, so a
 * third stage (dev → stage → prod) needs a config line, not a code change.
 */
import { parseDocument } from 'yaml';
import { ConfigurationError } from './errors.js';
import { DEFAULT_DENIED_TAGS, validateEnvironmentName } from './names.js';
import { DEFAULT_RELEASE_KEYS, type KeyPath, type ReleaseKeys } from './release-file/edit.js';

export const LAYOUT_CONFIG_PATH = 'deploy/tagrelay.yaml';

export interface PathTemplates {
  /** Release layer: image repository and tag only. */
  release: string;
  /** Env layer: hosts, SYNESTRA_ENV, resources. */
  env: string;
  /** Argo CD Application. */
  argocd: string;
}

/** How the Argo CD Applications are named and where they deploy (templates with {app} and {env}). */
export interface ArgoCdSettings {
  /** Application name, e.g. web-{app}-{env} as in the seeds. */
  application: string;
  /** Destination namespace. */
  namespace: string;
  /** Argo CD project of generated Applications. */
  project: string;
  /** The chart the Applications render, relative to the repository root. */
  chart: string;
}

export interface Layout {
  /** Promotion chain, first to last: a tag moves from environments[i] to environments[i + 1]. */
  environments: readonly string[];
  paths: PathTemplates;
  keys: ReleaseKeys;
  deniedTags: readonly string[];
  argocd: ArgoCdSettings;
  /** Public host per environment (templates with {app}; `*` is the fallback, with {env} too). */
  hosts: Readonly<Record<string, string>>;
}

export const DEFAULT_LAYOUT: Layout = {
  environments: ['dev', 'prod'],
  paths: {
    release: 'deploy/env/release-{env}/{app}.yaml',
    env: 'deploy/env/{env}/{app}.yaml',
    argocd: 'deploy/argocd/apps/{env}/{app}.yaml',
  },
  keys: DEFAULT_RELEASE_KEYS,
  deniedTags: DEFAULT_DENIED_TAGS,
  argocd: {
    application: '{app}-{env}',
    namespace: 'web-{app}-{env}',
    project: 'default',
    chart: 'deploy/charts/web',
  },
  // The seeds' domain scheme: prod on synestra.io, the others under dev.synestra.tech.
  hosts: { prod: '{app}.synestra.io', dev: '{app}.dev.synestra.tech', '*': '{app}.{env}.synestra.tech' },
};

function configError(key: string, value: unknown, expected: string): ConfigurationError {
  const shown = value === undefined ? undefined : typeof value === 'string' ? value : JSON.stringify(value);
  return new ConfigurationError(`${LAYOUT_CONFIG_PATH}: ${key}`, shown, expected);
}

function validatePathTemplate(key: string, template: unknown): string {
  const expected =
    'a relative path template containing {app} and {env}, e.g. deploy/env/release-{env}/{app}.yaml';
  if (typeof template !== 'string' || !template.includes('{app}') || !template.includes('{env}')) {
    throw configError(key, template, expected);
  }
  const segments = template.split('/');
  if (template.startsWith('/') || segments.some((part) => part === '..' || part === '.' || part === '')) {
    throw configError(key, template, expected);
  }
  if (/\{(?!app\}|env\})[^}]*\}/.test(template)) throw configError(key, template, expected);
  return template;
}

function parseKeyPath(key: string, value: unknown): KeyPath {
  if (typeof value !== 'string' || !/^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/.test(value)) {
    throw configError(key, value, 'a dotted key path such as image.tag');
  }
  return value.split('.');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Parses the optional config file; `null` (absent file) gives the default layout. */
export function parseLayoutConfig(text: string | null): Layout {
  if (text === null) return DEFAULT_LAYOUT;
  const doc = parseDocument(text);
  if (doc.errors.length > 0) {
    throw configError(
      '(file)',
      undefined,
      `valid YAML (${doc.errors[0]?.message.split('\n')[0] ?? 'parse error'})`,
    );
  }
  let config: unknown;
  try {
    config = doc.toJS() ?? {};
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    throw configError('(file)', undefined, 'a few flat settings (the file is nested too deeply to read)');
  }
  if (!isRecord(config)) throw configError('(file)', config, 'a mapping of settings');
  const known = new Set(['environments', 'paths', 'keys', 'deniedTags', 'argocd', 'hosts']);
  for (const key of Object.keys(config)) {
    if (!known.has(key)) throw configError(key, undefined, `only the settings ${[...known].join(', ')}`);
  }

  let environments = DEFAULT_LAYOUT.environments;
  if (config.environments !== undefined) {
    const list = config.environments;
    if (!Array.isArray(list) || list.length < 1 || list.some((env) => typeof env !== 'string')) {
      throw configError(
        'environments',
        list,
        'a list of environment names in promotion order, e.g. [dev, prod]',
      );
    }
    environments = list.map((env: string) =>
      validateEnvironmentName(env, `${LAYOUT_CONFIG_PATH}: environments`),
    );
    if (new Set(environments).size !== environments.length) {
      throw configError('environments', list, 'each environment once');
    }
  }

  const paths = { ...DEFAULT_LAYOUT.paths };
  if (config.paths !== undefined) {
    if (!isRecord(config.paths))
      throw configError('paths', config.paths, 'a mapping with release, env, argocd');
    for (const [key, value] of Object.entries(config.paths)) {
      if (!(key in paths)) throw configError(`paths.${key}`, undefined, 'only release, env, argocd');
      paths[key as keyof PathTemplates] = validatePathTemplate(`paths.${key}`, value);
    }
  }

  const keys = { ...DEFAULT_LAYOUT.keys };
  if (config.keys !== undefined) {
    if (!isRecord(config.keys))
      throw configError('keys', config.keys, 'a mapping with repository, tag, digest');
    for (const [key, value] of Object.entries(config.keys)) {
      if (!(key in keys)) throw configError(`keys.${key}`, undefined, 'only repository, tag, digest');
      keys[key as keyof ReleaseKeys] = parseKeyPath(`keys.${key}`, value);
    }
  }

  let deniedTags = DEFAULT_LAYOUT.deniedTags;
  if (config.deniedTags !== undefined) {
    const list = config.deniedTags;
    if (!Array.isArray(list) || list.some((tag) => typeof tag !== 'string' || tag === '')) {
      throw configError('deniedTags', list, 'a list of tag names or globs such as latest or *-snapshot');
    }
    // `latest` stays refused whatever the file says.
    deniedTags = [...new Set([...DEFAULT_DENIED_TAGS, ...(list as string[])])];
  }

  const argocd = { ...DEFAULT_LAYOUT.argocd };
  if (config.argocd !== undefined) {
    if (!isRecord(config.argocd))
      throw configError('argocd', config.argocd, `a mapping with ${Object.keys(argocd).join(', ')}`);
    for (const [key, value] of Object.entries(config.argocd)) {
      if (!(key in argocd))
        throw configError(`argocd.${key}`, undefined, `only ${Object.keys(argocd).join(', ')}`);
      argocd[key as keyof ArgoCdSettings] = validateNameTemplate(
        `argocd.${key}`,
        value,
        key as keyof ArgoCdSettings,
      );
    }
  }

  const hosts: Record<string, string> = { ...DEFAULT_LAYOUT.hosts };
  if (config.hosts !== undefined) {
    if (!isRecord(config.hosts))
      throw configError(
        'hosts',
        config.hosts,
        'a mapping of environment → host template such as {app}.synestra.io',
      );
    for (const [env, value] of Object.entries(config.hosts)) {
      if (env !== '*') validateEnvironmentName(env, `${LAYOUT_CONFIG_PATH}: hosts`);
      hosts[env] = validateHostTemplate(`hosts.${env}`, value);
    }
  }

  return { environments, paths, keys, deniedTags, argocd, hosts };
}

/** A template that renders to a DNS label (names, namespaces), a project name or a chart path. */
function validateNameTemplate(key: string, value: unknown, field: keyof ArgoCdSettings): string {
  if (field === 'chart') {
    if (
      typeof value !== 'string' ||
      !/^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/.test(value) ||
      value.split('/').includes('..')
    )
      throw configError(key, value, 'a relative path to the chart such as deploy/charts/web');
    return value;
  }
  const expected = 'a name template of a-z 0-9 - with {app} and {env}, such as web-{app}-{env}';
  if (typeof value !== 'string' || !/^[a-z0-9{}-]+$/.test(value) || /\{(?!app\}|env\})[^}]*\}/.test(value))
    throw configError(key, value, field === 'project' ? 'an Argo CD project name such as default' : expected);
  if (field !== 'project' && (!value.includes('{app}') || !value.includes('{env}')))
    throw configError(key, value, expected);
  return value;
}

function validateHostTemplate(key: string, value: unknown): string {
  const expected = 'a host name template with {app}, such as {app}.synestra.io';
  if (
    typeof value !== 'string' ||
    !value.includes('{app}') ||
    !/^([a-z0-9{}-]+\.)*[a-z0-9{}-]+$/.test(value) ||
    /\{(?!app\}|env\})[^}]*\}/.test(value)
  )
    throw configError(key, value, expected);
  return value;
}

function render(template: string, env: string, app: string): string {
  return template.replaceAll('{env}', env).replaceAll('{app}', app);
}

/** `deploy/env/release-<env>/<app>.yaml` under the layout. Names must be validated already. */
export function releaseFilePath(layout: Layout, env: string, app: string): string {
  return render(layout.paths.release, env, app);
}

export function envFilePath(layout: Layout, env: string, app: string): string {
  return render(layout.paths.env, env, app);
}

export function argoAppPath(layout: Layout, env: string, app: string): string {
  return render(layout.paths.argocd, env, app);
}

/** The Argo CD Application's name for app and env, e.g. web-corporate-dev. */
export function applicationName(layout: Layout, env: string, app: string): string {
  return render(layout.argocd.application, env, app);
}

export function destinationNamespace(layout: Layout, env: string, app: string): string {
  return render(layout.argocd.namespace, env, app);
}

/** The public host of app in env: corporate.dev.synestra.tech, corporate.synestra.io. */
export function publicHost(layout: Layout, env: string, app: string): string {
  const template = layout.hosts[env] ?? layout.hosts['*'] ?? '{app}.{env}.synestra.tech';
  return render(template, env, app);
}

/** The first environment of the chain: the only one bump writes. */
export function firstEnvironment(layout: Layout): string {
  return layout.environments[0] as string;
}

/** The environment after `env` in the chain (what `reset` takes the tag of), or undefined for the last. */
export function nextEnvironment(layout: Layout, env: string): string | undefined {
  const index = layout.environments.indexOf(env);
  return index >= 0 ? layout.environments[index + 1] : undefined;
}

/** Checks that `env` is in the chain; `input` names where it came from. */
export function requireEnvironment(layout: Layout, env: string, input = 'environment'): string {
  validateEnvironmentName(env, input);
  if (!layout.environments.includes(env)) {
    throw new ConfigurationError(input, env, `one of the environments ${layout.environments.join(', ')}`);
  }
  return env;
}

/** The environment a tag is promoted from into `env`, or undefined for the first. */
export function sourceEnvironment(layout: Layout, env: string): string | undefined {
  const index = layout.environments.indexOf(env);
  return index > 0 ? layout.environments[index - 1] : undefined;
}
