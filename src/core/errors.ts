/**
 * Error kinds the entries tell apart. A ConfigurationError is the user's mistake
 * (an input, a flag, a config file): it names the input, the value, and what was
 * expected. A ReleaseFileError is a release file that cannot be edited safely.
 * Everything else is a transient fault or a bug.
 */

/** Longest slice of a user value quoted back in a message. */
const MAX_QUOTED = 80;

/** Quote a user-supplied value for an error message: JSON-escaped, so newlines stay visible, and cut short. */
export function quoteValue(value: string): string {
  const cut = value.length > MAX_QUOTED ? `${value.slice(0, MAX_QUOTED)}…` : value;
  return JSON.stringify(cut) + (value.length > MAX_QUOTED ? ` (${value.length} characters)` : '');
}

export class ConfigurationError extends Error {
  override readonly name = 'ConfigurationError';
  constructor(
    /** The input, flag or file key at fault, e.g. `tag` or `deploy/tagrelay.yaml: environments`. */
    readonly input: string,
    /** The offending value (undefined when the input is missing). */
    readonly value: string | undefined,
    /** What would have been accepted. */
    readonly expected: string,
  ) {
    super(
      value === undefined
        ? `Input "${input}" is required: expected ${expected}.`
        : `Input "${input}" has an invalid value ${quoteValue(value)}: expected ${expected}.`,
    );
  }
}

export class ReleaseFileError extends Error {
  override readonly name = 'ReleaseFileError';
  constructor(
    /** Repository path of the file. */
    readonly path: string,
    /** What is wrong, as a sentence fragment: `has no key image.tag`. */
    readonly reason: string,
    /** 1-based line of the problem, when it is known (for file annotations). */
    readonly line?: number,
  ) {
    super(`Release file ${path} ${reason}.`);
  }
}

/** The target branch kept moving under us and the bounded retries ran out. */
export class ConflictError extends Error {
  override readonly name = 'ConflictError';
}

/** The credentials cannot do what the operation needs (401/403, missing scopes). */
export class PermissionError extends Error {
  override readonly name = 'PermissionError';
}

/** GitHub failed (5xx, network) even after the client's own retries; the operation may be retried whole. */
export class TransientError extends Error {
  override readonly name = 'TransientError';
}

/** GitHub kept answering with rate limits after the client's own waits and retries. */
export class RateLimitError extends Error {
  override readonly name = 'RateLimitError';
}

/** A referenced thing does not exist: a repository, a branch. */
export class NotFoundError extends Error {
  override readonly name = 'NotFoundError';
}
