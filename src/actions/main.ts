/**
 * The root action: every operation from one entry, chosen by `command`.
 * Available now: bump, status.
 */
import { readRunnerContext } from '../github/runner-context.js';
import { isMainModule } from '../runtime/main-module.js';
import { bumpStep, readBumpInputs } from './steps/bump.js';
import { readStatusInputs, statusStep } from './steps/status.js';
import { choiceInput } from './support/inputs.js';
import { runAction } from './support/run.js';

const COMMANDS = ['bump', 'status'] as const;

export async function run(): Promise<void> {
  await runAction(async () => {
    const context = readRunnerContext(process.env);
    const command = choiceInput('command', COMMANDS, undefined);
    if (command === 'bump') return bumpStep(context, readBumpInputs(context));
    return statusStep(context, readStatusInputs(context));
  });
}

if (isMainModule(import.meta.url)) void run();
