/**
 * bump-release-dev: set image.tag in deploy/env/release-<environment>/<app>.yaml to
 * a new immutable tag, as one commit (or one pull request) for all the apps given.
 */
import { readActionContext } from './support/context.js';
import { isMainModule } from '../runtime/main-module.js';
import { bumpStep, readBumpInputs } from './steps/bump.js';
import { runAction } from './support/run.js';

export async function run(): Promise<void> {
  await runAction(async () => {
    const context = readActionContext();
    await bumpStep(context, readBumpInputs(context));
  });
}

if (isMainModule(import.meta.url)) void run();
