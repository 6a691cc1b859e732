/**
 * Registry credentials for commands that talk to a registry: `--username` with
 * `--password-stdin`, or REGISTRY_USERNAME and REGISTRY_PASSWORD. The password joins
 * the secrets redacted from every line the CLI writes.
 */
import { ConfigurationError } from '../core/errors.js';
import type { Credentials } from '../registry/client.js';
import { UsageError } from './errors.js';
import type { CliIo } from './target.js';

export const REGISTRY_OPTIONS = {
  username: { type: 'string' },
  'password-stdin': { type: 'boolean' },
} as const;

export async function registryCredentials(
  values: { username?: string; 'password-stdin'?: boolean },
  io: CliIo,
): Promise<Credentials | undefined> {
  if (values['password-stdin']) {
    if (!values.username) throw new UsageError('--password-stdin needs --username');
    if (!io.stdin) throw new UsageError('--password-stdin: no standard input to read');
    const password = (await io.stdin()).replace(/\r?\n$/, '');
    if (password === '')
      throw new ConfigurationError('--password-stdin', undefined, 'a password or token on stdin');
    io.secrets.push(password);
    return { username: values.username, password };
  }
  if (values.username !== undefined) throw new UsageError('--username needs --password-stdin');
  const username = io.env.REGISTRY_USERNAME?.trim() ?? '';
  const password = io.env.REGISTRY_PASSWORD ?? '';
  if (username === '' && password === '') return undefined;
  if (username === '')
    throw new ConfigurationError('REGISTRY_USERNAME', undefined, 'the user REGISTRY_PASSWORD belongs to');
  if (password === '')
    throw new ConfigurationError('REGISTRY_PASSWORD', undefined, `the password or token of ${username}`);
  return { username, password };
}
