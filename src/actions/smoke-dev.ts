/**
 * smoke-dev: wait until dev serves exactly the new tag, check its URLs, and record the
 * verification promote-prod requires, on the GitOps commit that set the tag.
 */
import { readActionContext } from './support/context.js';
import { isMainModule } from '../runtime/main-module.js';
import { readSmokeInputs, smokeStep } from './steps/smoke.js';
import { runAction } from './support/run.js';

export async function run(): Promise<void> {
  await runAction(async () => {
    const context = readActionContext();
    await smokeStep(context, readSmokeInputs(context));
  });
}

if (isMainModule(import.meta.url)) void run();
