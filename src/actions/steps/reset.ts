/**
 * reset and init as action steps (the root action's `command: reset | init`). reset: the
 * environment takes the next one's release; with `argocd-server`, wait until Argo CD runs
 * it, and with `drift: true` sync first to undo drift in the cluster. init: bootstrap an app.
 */
import * as core from '@actions/core';
import { bootstrapNextSteps } from '../../core/bootstrap.js';
import { parseDuration } from '../../core/duration.js';
import { ConfigurationError } from '../../core/errors.js';
import { parseArgoCdServer } from '../../core/smoke-config.js';
import {
  parseAppList,
  validateAppName,
  validateEnvironmentName,
  validateImageRepository,
  validateTag,
} from '../../core/names.js';
import { sourceCommit, type RunnerContext } from '../../github/runner-context.js';
import { initOperation } from '../../operations/init.js';
import { runRelease } from '../../operations/release.js';
import { resetOperation, settleReset } from '../../operations/reset.js';
import { booleanInput, listInput, optionalInput, requiredInput, secretInput } from '../support/inputs.js';
import { escapeHtml, setReleaseOutputs, writeJobSummary, writeReleaseSummary } from '../support/summary.js';
import { openTargetRepository, readTargetInputs, type TargetInputs } from '../support/target.js';

export interface ResetInputs {
  target: TargetInputs;
  env: string;
  apps: string[];
  argocd?: { server: string; token: string; drift: boolean; timeoutMs: number };
  dryRun: boolean;
}

export function readResetInputs(context: RunnerContext): ResetInputs {
  const target = readTargetInputs(context);
  const server = optionalInput('argocd-server');
  const token = secretInput('argocd-token');
  const drift = booleanInput('drift', false);
  if (server !== '' && token === '')
    throw new ConfigurationError(
      'argocd-token',
      undefined,
      'an Argo CD API token, since argocd-server is given',
    );
  if (drift && server === '')
    throw new ConfigurationError(
      'argocd-server',
      undefined,
      'the Argo CD address: drift: true syncs the Application',
    );
  return {
    target,
    env: validateEnvironmentName(optionalInput('environment') || 'dev'),
    apps: parseAppList(listInput('app')),
    argocd:
      server === ''
        ? undefined
        : {
            server: parseArgoCdServer(server),
            token,
            drift,
            timeoutMs: parseDuration(optionalInput('rollout-timeout') || '5m', 'rollout-timeout', {
              minMs: 1000,
            }),
          },
    dryRun: booleanInput('dry-run', false),
  };
}

export async function resetStep(context: RunnerContext, inputs: ResetInputs): Promise<void> {
  const repo = openTargetRepository(context, inputs.target);
  const outcome = await core.group(`Reset ${inputs.env} of ${inputs.apps.join(', ')}`, async () => {
    core.info(`Reading ${repo.description}: ${inputs.env} takes the release of the next environment`);
    return runRelease(
      repo,
      resetOperation({ env: inputs.env, apps: inputs.apps, sourceCommit: sourceCommit(context) }),
      {
        branch: inputs.target.branch,
        mode: 'direct',
        dryRun: inputs.dryRun,
        engine: { log: core.info },
      },
    );
  });
  setReleaseOutputs(outcome);
  await writeReleaseSummary(`tagrelay: reset of ${inputs.env}`, outcome);
  const argocd = inputs.argocd;
  if (argocd === undefined || outcome.dryRun) return;
  // Loaded here: a reset without Argo CD inputs never loads the client (and undici).
  const { ArgoCdClient } = await import('../../smoke/argocd.js');
  const client = new ArgoCdClient({
    server: argocd.server,
    token: argocd.token,
    requestTimeoutMs: 10_000,
    proxy: context.proxy,
  });
  try {
    await core.group('Argo CD', async () => {
      const options = { timeoutMs: argocd.timeoutMs, log: core.info, drift: argocd.drift };
      for (const line of await settleReset(client, outcome, options)) core.notice(line);
    });
  } finally {
    await client.close();
  }
}

export interface InitInputs {
  target: TargetInputs;
  app: string;
  image: string;
  tag: string;
  repoURL: string;
  dryRun: boolean;
}

export function readInitInputs(context: RunnerContext): InitInputs {
  const target = readTargetInputs(context);
  const repoURL =
    optionalInput('repo-url') ||
    `${context.serverUrl}/${target.repository.owner}/${target.repository.name}.git`;
  return {
    target,
    app: validateAppName(requiredInput('app', 'the new app name, a DNS label such as corporate')),
    image: validateImageRepository(
      requiredInput('image', 'the image repository, e.g. ghcr.io/synestra/corporate'),
    ),
    tag: validateTag(optionalInput('tag')),
    repoURL,
    dryRun: booleanInput('dry-run', false),
  };
}

export async function initStep(context: RunnerContext, inputs: InitInputs): Promise<void> {
  const repo = openTargetRepository(context, inputs.target);
  const outcome = await core.group(`Bootstrap ${inputs.app}`, async () => {
    core.info(`Reading ${repo.description}: every file of ${inputs.app} must be absent`);
    const result = await runRelease(
      repo,
      initOperation(
        { app: inputs.app, image: inputs.image, tag: inputs.tag, repoURL: inputs.repoURL },
        inputs.target.branch,
      ),
      { branch: inputs.target.branch, mode: 'direct', dryRun: inputs.dryRun, engine: { log: core.info } },
    );
    for (const file of result.changeSet.files) core.info(`created ${file.path}`);
    return result;
  });
  setReleaseOutputs(outcome);
  const steps = bootstrapNextSteps(outcome.layout, inputs.app);
  core.notice(`Bootstrapped ${inputs.app}. Not done by tagrelay: ${steps.join('; ')}`);
  await writeJobSummary((summary) => {
    summary.addHeading(escapeHtml(`tagrelay: bootstrap of ${inputs.app}`), 3);
    summary.addList(outcome.changeSet.files.map((file) => escapeHtml(file.path)));
    summary.addRaw('<p>Not done by tagrelay (the rest of the seeds’ bootstrap):</p>', true);
    summary.addList(steps.map(escapeHtml));
  });
}
