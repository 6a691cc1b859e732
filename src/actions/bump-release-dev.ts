/**
 * bump-release-dev: set image.tag in deploy/env/release-<environment>/<app>.yaml to
 * a new immutable tag, as one commit (or one pull request) for all the apps given.
 */
import { bumpStep, readBumpInputs } from './lib/bump.js';
import { isMainModule } from '../main-module.js';
import { runAction } from './lib/run.js';
import { readRunnerContext } from './lib/runner-context.js';

export async function run(): Promise<void> {
  await runAction(async () => {
    const context = readRunnerContext();
    await bumpStep(context, readBumpInputs(context));
  });
}

if (isMainModule(import.meta.url)) void run();
