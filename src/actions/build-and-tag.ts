/**
 * build-and-tag: the code steps of the composite action actions/build-and-tag/action.yml.
 * `phase: plan` (the default, the first step) computes the immutable tag and asks the
 * registry whether it already holds it; `phase: verify` (the last step, after the docker
 * steps pushed) reads the pushed digest back and checks it. The composite sets `phase`; it
 * is not an input of the action.
 */
import { readActionContext } from './support/context.js';
import { isMainModule } from '../runtime/main-module.js';
import {
  buildAndTagStep,
  readBuildAndTagInputs,
  readVerifyPushInputs,
  verifyPushStep,
} from './steps/build-and-tag.js';
import { choiceInput } from './support/inputs.js';
import { runAction } from './support/run.js';

export async function run(): Promise<void> {
  await runAction(async () => {
    const context = readActionContext();
    if (choiceInput('phase', ['plan', 'verify'] as const, 'plan') === 'verify') {
      return verifyPushStep(context, readVerifyPushInputs(context));
    }
    await buildAndTagStep(context, readBuildAndTagInputs(context, new Date()));
  });
}

if (isMainModule(import.meta.url)) void run();
