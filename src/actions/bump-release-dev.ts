/**
 * bump-release-dev: set image.tag in deploy/env/release-<environment>/<app>.yaml to
 * a new immutable tag, as one commit (or one pull request) for all the apps given.
 */
import { readRunnerContext } from '../github/runner-context.js';
import { isMainModule } from '../runtime/main-module.js';
import { bumpStep, readBumpInputs } from './steps/bump.js';
import { runAction } from './support/run.js';

export async function run(): Promise<void> {
  await runAction(async () => {
    const context = readRunnerContext(process.env);
    await bumpStep(context, readBumpInputs(context));
  });
}

if (isMainModule(import.meta.url)) void run();
