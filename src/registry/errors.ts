/**
 * Failures of the registry client. Every message names the registry (as the user wrote it:
 * `ghcr.io`, `127.0.0.1:5000`) and never contains a password or token.
 *
 * A tag that is not there is not an error: lookups answer `{ found: false }`, so a caller
 * can choose to build.
 */
import { TagrelayError } from '../core/errors.js';

export class RegistryError extends TagrelayError {
  override readonly name: string = 'RegistryError';
  constructor(
    /** The registry at fault, e.g. `ghcr.io`. */
    readonly registry: string,
    message: string,
  ) {
    super(message);
  }
}

/** The registry (or its token service) refused the credentials, or wants some and got none. */
export class RegistryAuthError extends RegistryError {
  override readonly name = 'RegistryAuthError';
}

/** No answer: connection refused or reset, no DNS name, or no answer within the request timeout. */
export class RegistryConnectionError extends RegistryError {
  override readonly name = 'RegistryConnectionError';
}
