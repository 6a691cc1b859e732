/**
 * The one place an action fails: every entry's run() hands its body here. Problems
 * in files become file annotations; the message is the error's own (describeError),
 * so an action and the CLI say the same thing for the same mistake.
 */
import * as core from '@actions/core';
import { describeError, ReleaseFileError, TagrelayError } from '../../core/errors.js';

export async function runAction(body: () => Promise<void>): Promise<void> {
  try {
    await body();
  } catch (error) {
    const message = describeError(error);
    if (error instanceof TagrelayError && error.file !== undefined) {
      const title = error instanceof ReleaseFileError ? 'tagrelay: release file' : 'tagrelay';
      core.error(message, { title, file: error.file, startLine: error.line });
    }
    // A project error says what happened; only an unexpected one (a bug) needs its stack.
    if (error instanceof Error && !(error instanceof TagrelayError) && error.stack) core.debug(error.stack);
    core.setFailed(message);
  }
}
