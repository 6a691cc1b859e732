/**
 * The one place an action fails: every entry's run() hands its body here. Problems
 * in release files become file annotations; configuration mistakes read as such.
 */
import * as core from '@actions/core';
import { ConfigurationError, ReleaseFileError } from '../../core/errors.js';

export function describeFailure(error: unknown): string {
  if (error instanceof ConfigurationError || error instanceof ReleaseFileError) return error.message;
  if (error instanceof Error) return `${error.name === 'Error' ? '' : `${error.name}: `}${error.message}`;
  return String(error);
}

export async function runAction(body: () => Promise<void>): Promise<void> {
  try {
    await body();
  } catch (error) {
    if (error instanceof ReleaseFileError) {
      core.error(error.message, { title: 'tagrelay: release file', file: error.path, startLine: error.line });
    }
    if (error instanceof Error && !(error instanceof ConfigurationError) && error.stack)
      core.debug(error.stack);
    core.setFailed(describeFailure(error));
  }
}
