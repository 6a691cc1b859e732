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
  /** '' or undefined: keep the file's image repository. */
  image?: string;
  /** '' or undefined: no digest. */
  digest?: string;
  /** '' or undefined: dev. */
  environment?: string;
}

export function parseBumpRequest(raw: RawBumpInput, trailers: ReleaseTrailers = {}): BumpRequest {
  const apps = parseAppList(raw.app);
  if (raw.tag === '') {
    throw new ConfigurationError('tag', undefined, 'an immutable image tag such as sha-0123456789ab');
  }
  return {
    env: validateEnvironmentName(raw.environment || 'dev'),
    apps,
    tag: validateTag(raw.tag),
    repository: raw.image ? validateImageRepository(raw.image) : undefined,
    digest: raw.digest ? validateDigest(raw.digest) : undefined,
    trailers,
  };
}
