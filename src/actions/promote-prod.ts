/**
 * promote-prod: write the tag verified in the environment before into the next one
 * (dev → prod by default), for every app in one commit, only through the gate.
 */
import { readActionContext } from './support/context.js';
import { isMainModule } from '../runtime/main-module.js';
import { promoteStep, readPromoteInputs } from './steps/promote.js';
import { runAction } from './support/run.js';

export async function run(): Promise<void> {
  await runAction(async () => {
    const context = readActionContext();
    await promoteStep(context, readPromoteInputs(context));
  });
}

if (isMainModule(import.meta.url)) void run();
