/**
 * Registry access for actions: the `registry-username` / `registry-password` inputs (the
 * password masked before anything can print it), defaulting on ghcr.io to the workflow's
 * actor and token (`github-token`). Types only from src/registry: promote-prod reads these
 * inputs on every run but loads the registry client (and undici) only to check a digest.
 */
import { ConfigurationError } from '../../core/errors.js';
import type { ImageReference } from '../../core/image-reference.js';
import type { RunnerContext } from '../../github/runner-context.js';
import type { Credentials } from '../../registry/client.js';
import { optionalInput, secretInput } from './inputs.js';

export const GITHUB_CONTAINER_REGISTRY = 'ghcr.io';

export interface RegistryAccess {
  credentials?: Credentials;
  /** Where the credentials came from, for the log. */
  source: 'inputs' | 'workflow token' | 'none';
}

/**
 * The `registry-username` and `registry-password` inputs: both or neither (the password
 * masked before anything can print it). `registry` names where they are for, in messages.
 */
export function readRegistryCredentials(registry?: string): Credentials | undefined {
  const password = secretInput('registry-password');
  const username = optionalInput('registry-username');
  const on = registry === undefined ? '' : ` on ${registry}`;
  if (username !== '' && password === '') {
    throw new ConfigurationError(
      'registry-password',
      undefined,
      `the password or token of ${JSON.stringify(username)}${on}, since registry-username is given`,
    );
  }
  if (password !== '' && username === '') {
    throw new ConfigurationError(
      'registry-username',
      undefined,
      `the user registry-password belongs to${on}`,
    );
  }
  return username === '' ? undefined : { username, password };
}

export function readRegistryAccess(context: RunnerContext, image: ImageReference): RegistryAccess {
  const credentials = readRegistryCredentials(image.registry);
  if (credentials) return { credentials, source: 'inputs' };
  const token = secretInput('github-token');
  if (image.registry === GITHUB_CONTAINER_REGISTRY && token !== '' && context.actor !== undefined) {
    return { credentials: { username: context.actor, password: token }, source: 'workflow token' };
  }
  return { source: 'none' };
}

export function describeAccess(image: ImageReference, access: RegistryAccess): string {
  if (!access.credentials) return `anonymously at ${image.registry}`;
  const who = JSON.stringify(access.credentials.username);
  return access.source === 'workflow token'
    ? `at ${image.registry} as ${who} with the workflow token`
    : `at ${image.registry} as ${who}`;
}
