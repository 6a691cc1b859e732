/**
 * The root action: every operation from one entry, chosen by `command`.
 * Available now: bump, status. promote, reset, rollback and init come later.
 */
import { ConfigurationError } from '../core/errors.js';
import { bumpStep, readBumpInputs } from './lib/bump.js';
import { requiredInput } from './lib/inputs.js';
import { isMainModule } from '../main-module.js';
import { runAction } from './lib/run.js';
import { readRunnerContext } from './lib/runner-context.js';
import { statusStep } from './lib/status.js';

const COMMANDS = ['bump', 'status'] as const;

export async function run(): Promise<void> {
  await runAction(async () => {
    const context = readRunnerContext();
    const command = requiredInput('command', `one of ${COMMANDS.join(', ')}`);
    if (command === 'bump') return bumpStep(context, readBumpInputs(context));
    if (command === 'status') return statusStep(context);
    throw new ConfigurationError(
      'command',
      command,
      `one of ${COMMANDS.join(', ')} (promote, reset, rollback and init are not available in this version)`,
    );
  });
}

if (isMainModule(import.meta.url)) void run();
