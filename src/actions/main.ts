/**
 * The root action: every operation from one entry, chosen by `command`. Each command
 * reads only its own inputs (scripts/action-inputs test holds action.yml to that).
 */
import type { RunnerContext } from '../github/runner-context.js';
import { readActionContext } from './support/context.js';
import { isMainModule } from '../runtime/main-module.js';
import { bumpStep, readBumpInputs } from './steps/bump.js';
import { promoteStep, readPromoteInputs, readRollbackInputs, rollbackStep } from './steps/promote.js';
import { initStep, readInitInputs, readResetInputs, resetStep } from './steps/reset.js';
import { readStatusInputs, statusStep } from './steps/status.js';
import { choiceInput } from './support/inputs.js';
import { runAction } from './support/run.js';

const COMMANDS: Record<string, (context: RunnerContext) => Promise<void>> = {
  bump: (context) => bumpStep(context, readBumpInputs(context)),
  promote: (context) => promoteStep(context, readPromoteInputs(context)),
  reset: (context) => resetStep(context, readResetInputs(context)),
  rollback: (context) => rollbackStep(context, readRollbackInputs(context)),
  status: (context) => statusStep(context, readStatusInputs(context)),
  init: (context) => initStep(context, readInitInputs(context)),
};

export async function run(): Promise<void> {
  await runAction(async () => {
    const context = readActionContext();
    const command = choiceInput('command', Object.keys(COMMANDS), undefined);
    await (COMMANDS[command] as (context: RunnerContext) => Promise<void>)(context);
  });
}

if (isMainModule(import.meta.url)) void run();
