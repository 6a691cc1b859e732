/**
 * A bump request from raw user input, validated once: the action's inputs and the
 * CLI's flags both come through here, named as the action names them (the CLI
 * rewords the names as flags when it reports an error).
 */
import type { ReleaseTrailers } from './commit-message.js';
import { ConfigurationError } from './errors.js';
import {
  parseAppList,
  validateDigest,
  validateEnvironmentName,
  validateImageRepository,
  validateTag,
} from './names.js';
import type { BumpRequest } from './plan.js';

export interface RawBumpInput {
  /** One app, or several separated by commas or newlines. */
  app: string;
  tag: string;
  /** '' or undefined: keep the file's image repository. `{app}` is replaced per app. */
  image?: string;
  /**
   * '' or undefined: no digest. One digest (one app, or one image for all), or one per app:
   * `app=sha256:…` separated by commas or newlines, or a JSON object app → digest.
   */
  digest?: string;
  /** '' or undefined: dev. */
  environment?: string;
}

const PLACEHOLDER = '{app}';
const PER_APP =
  'one digest per app, as app=sha256:… separated by commas or newlines, or a JSON object {"app":"sha256:…"}';

/** The `digest` input as one digest per app, keyed by app (every app named once, none left out). */
function digestsPerApp(raw: string, apps: readonly string[]): Record<string, string> {
  let entries: [string, unknown][];
  if (raw.startsWith('{')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      parsed = undefined;
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      throw new ConfigurationError('digest', raw, PER_APP);
    }
    entries = Object.entries(parsed);
  } else {
    entries = raw
      .split(/[,\n]/)
      .map((part) => part.trim())
      .filter((part) => part !== '')
      .map((part) => {
        const equals = part.indexOf('=');
        if (equals < 0) throw new ConfigurationError('digest', part, `${PER_APP} (this entry names no app)`);
        return [part.slice(0, equals).trim(), part.slice(equals + 1).trim()];
      });
  }
  const digests: Record<string, string> = {};
  for (const [app, digest] of entries) {
    if (!apps.includes(app)) {
      throw new ConfigurationError(
        'digest',
        raw,
        `${PER_APP}, for the apps bumped only (${apps.join(', ')}); ${JSON.stringify(app)} is not one`,
      );
    }
    if (digests[app] !== undefined) {
      throw new ConfigurationError('digest', raw, `${PER_APP}, each app once (${app} has two)`);
    }
    digests[app] = validateDigest(typeof digest === 'string' ? digest : String(digest));
  }
  const missing = apps.filter((app) => digests[app] === undefined);
  if (missing.length > 0) {
    throw new ConfigurationError(
      'digest',
      raw,
      `${PER_APP}, for every app bumped (none for ${missing.join(', ')})`,
    );
  }
  return digests;
}

export function parseBumpRequest(raw: RawBumpInput, trailers: ReleaseTrailers = {}): BumpRequest {
  const apps = parseAppList(raw.app);
  if (raw.tag === '') {
    throw new ConfigurationError('tag', undefined, 'an immutable image tag such as sha-0123456789ab');
  }
  const image = raw.image ?? '';
  const perAppImage = image.includes(PLACEHOLDER);
  const repositories = perAppImage
    ? Object.fromEntries(
        apps.map((app) => {
          const repository = image.replaceAll(PLACEHOLDER, app);
          try {
            return [app, validateImageRepository(repository)];
          } catch {
            throw new ConfigurationError(
              'image',
              image,
              `an image repository without tag or digest, {app} standing for each app (e.g. ghcr.io/synestra/{app}); for ${app} it reads ${JSON.stringify(repository)}`,
            );
          }
        }),
      )
    : undefined;
  const digest = (raw.digest ?? '').trim();
  const single = digest !== '' && !/[{=,\n]/.test(digest);
  // One digest is one image: several apps share it only when they share one image.
  if (single && apps.length > 1 && (image === '' || perAppImage)) {
    throw new ConfigurationError(
      'digest',
      digest,
      `${PER_APP}: ${apps.length} apps are ${apps.length} images (one digest for all needs one image for all, given in image)`,
    );
  }
  const digests = digest !== '' && !single ? digestsPerApp(digest, apps) : undefined;
  return {
    env: validateEnvironmentName(raw.environment || 'dev'),
    apps,
    tag: validateTag(raw.tag),
    repository: image !== '' && !perAppImage ? validateImageRepository(image) : undefined,
    digest: single ? validateDigest(digest) : undefined,
    perApp:
      repositories || digests
        ? Object.fromEntries(
            apps.map((app) => [app, { repository: repositories?.[app], digest: digests?.[app] }]),
          )
        : undefined,
    trailers,
  };
}
