/**
 * Every error tagrelay raises on purpose extends TagrelayError: its message is written
 * for the user and printed as it is, by the actions' run() and by the CLI alike.
 * Anything else that reaches the top is a bug or an unexpected fault, and is printed
 * with its class name so it reads as one.
 *
 * A ConfigurationError is the user's mistake (an input, a flag, a config file): it
 * names the input, the value and what was expected, and the CLI rewords the input as
 * its flag. A ReleaseFileError names a file and, when known, the line.
 */

/** Longest slice of a user value quoted back in a message. */
export const MAX_QUOTED = 80;

/** Quote a user-supplied value for an error message: JSON-escaped, so newlines stay visible, and cut short. */
export function quoteValue(value: string): string {
  const cut = value.length > MAX_QUOTED ? `${value.slice(0, MAX_QUOTED)}…` : value;
  return JSON.stringify(cut) + (value.length > MAX_QUOTED ? ` (${value.length} characters)` : '');
}

export class TagrelayError extends Error {
  override readonly name: string = 'TagrelayError';
  /** The user can fix it by changing what they passed (the CLI exits 2 for these). */
  readonly userMistake: boolean = false;
  /** Repository path of the file at fault, for file annotations. */
  readonly file?: string;
  /** 1-based line in `file`, when known. */
  readonly line?: number;

  /** The message with the input named as the caller calls it (a CLI flag, an action input). */
  describe(_label?: (input: string) => string | undefined): string {
    return this.message;
  }
}

export class ConfigurationError extends TagrelayError {
  override readonly name = 'ConfigurationError';
  override readonly userMistake = true;
  constructor(
    /** The input, flag or file key at fault, e.g. `tag` or `deploy/tagrelay.yaml: environments`. */
    readonly input: string,
    /** The offending value (undefined when the input is missing). */
    readonly value: string | undefined,
    /** What would have been accepted. */
    readonly expected: string,
  ) {
    super(ConfigurationError.text(`Input "${input}"`, value, expected));
  }

  static text(subject: string, value: string | undefined, expected: string): string {
    return value === undefined
      ? `${subject} is required: expected ${expected}.`
      : `${subject} has an invalid value ${quoteValue(value)}: expected ${expected}.`;
  }

  override describe(label?: (input: string) => string | undefined): string {
    const subject = label?.(this.input);
    return subject === undefined ? this.message : ConfigurationError.text(subject, this.value, this.expected);
  }
}

export class ReleaseFileError extends TagrelayError {
  override readonly name = 'ReleaseFileError';
  override readonly file: string;
  override readonly line?: number;
  constructor(
    /** Repository path of the file. */
    readonly path: string,
    /** What is wrong, as a sentence fragment: `has no key image.tag`. */
    readonly reason: string,
    /** 1-based line of the problem, when it is known (for file annotations). */
    line?: number,
  ) {
    super(`Release file ${path} ${reason}.`);
    this.file = path;
    this.line = line;
  }
}

/**
 * A file in the repository that tagrelay will not read or write as it is: not a regular
 * file (a symbolic link, a submodule, a directory), or not UTF-8 text. Nothing is written.
 */
export class RepositoryFileError extends TagrelayError {
  override readonly name = 'RepositoryFileError';
  override readonly file: string;
  override readonly line?: number;
  constructor(
    /** Repository path of the file. */
    readonly path: string,
    /** What is wrong, as a sentence fragment: `is a symbolic link (mode 120000)`. */
    readonly reason: string,
    line?: number,
  ) {
    super(`${path} ${reason}.`);
    this.file = path;
    this.line = line;
  }
}

/** A commit target's branch head is no longer the one the commit was planned on. */
export class StaleHeadError extends TagrelayError {
  override readonly name = 'StaleHeadError';
}

/** The target branch kept moving under us and the bounded retries ran out. */
export class ConflictError extends TagrelayError {
  override readonly name = 'ConflictError';
}

/** The credentials cannot do what the operation needs (401/403, missing scopes). */
export class PermissionError extends TagrelayError {
  override readonly name = 'PermissionError';
}

/** A service failed (5xx, network) even after the client's own retries; the operation may be retried whole. */
export class TransientError extends TagrelayError {
  override readonly name = 'TransientError';
}

/**
 * A service could not be reached: the connection was refused or reset, the name did not
 * resolve, TLS failed, or no answer came in time. Never an HTTP status: none was received.
 */
export class ConnectionError extends TagrelayError {
  override readonly name = 'ConnectionError';
}

/** A service kept answering with rate limits after the client's own waits and retries. */
export class RateLimitError extends TagrelayError {
  override readonly name = 'RateLimitError';
}

/** A referenced thing does not exist: a repository, a branch. */
export class NotFoundError extends TagrelayError {
  override readonly name = 'NotFoundError';
}

/**
 * What a user reads for any error: a project error's own message (with inputs named
 * by `label`), anything else prefixed with its class, since it is a bug or a fault
 * nobody worded.
 */
export function describeError(error: unknown, label?: (input: string) => string | undefined): string {
  if (error instanceof TagrelayError) return error.describe(label);
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}
