/**
 * smoke-dev as an action step: every input read and validated once (tokens masked first),
 * then where the record goes (the commit that set the tag), the rollout wait, the checks,
 * the verification record, the outputs and the job summary. Fails after the outputs are set.
 */
import * as core from '@actions/core';
import { ConfigurationError } from '../../core/errors.js';
import { parseSmokeConfig, type SmokeConfig } from '../../core/smoke-config.js';
import { reportJson } from '../../core/smoke-report.js';
import { openGitHubVerificationStore } from '../../github/verification.js';
import type { RunnerContext } from '../../github/runner-context.js';
import {
  failureMessage,
  locateRecord,
  runSmoke,
  SmokeFailedError,
  type SmokeOutcome,
} from '../../operations/smoke.js';
import { openSmokeProbes } from '../../smoke/probes.js';
import { listInput, optionalInput, secretInput } from '../support/inputs.js';
import { writeSmokeSummary } from '../support/smoke-summary.js';
import { openTargetRepository, readTargetInputs, type TargetInputs } from '../support/target.js';
import { validateCommitSha } from '../../core/names.js';

export interface SmokeInputs {
  config: SmokeConfig;
  target: TargetInputs;
  argocdToken?: string;
  commitSha?: string;
}

export function readSmokeInputs(context: RunnerContext): SmokeInputs {
  // Secrets first: masked before any message could quote them.
  const argocdToken = secretInput('argocd-token');
  const target = readTargetInputs(context);
  const config = parseSmokeConfig({
    app: optionalInput('app'),
    tag: optionalInput('tag'),
    environment: optionalInput('environment'),
    url: optionalInput('url'),
    paths: listInput('paths'),
    expectStatus: listInput('expect-status'),
    expectBody: listInput('expect-body'),
    versionSource: optionalInput('version-source'),
    rolloutTimeout: optionalInput('rollout-timeout'),
    requestTimeout: optionalInput('request-timeout'),
    argocdServer: optionalInput('argocd-server'),
    argocdApplication: optionalInput('argocd-application'),
    refresh: optionalInput('refresh'),
  });
  if (config.argocd && argocdToken === '') {
    throw new ConfigurationError(
      'argocd-token',
      undefined,
      'an Argo CD API token (an account token) when argocd-server is set',
    );
  }
  const commitSha = optionalInput('commit-sha');
  if (commitSha !== '') validateCommitSha(commitSha);
  const inputs: SmokeInputs = { config, target };
  if (argocdToken !== '') inputs.argocdToken = argocdToken;
  if (commitSha !== '') inputs.commitSha = commitSha;
  return inputs;
}

export async function smokeStep(context: RunnerContext, inputs: SmokeInputs): Promise<void> {
  const { target } = inputs;
  const repo = openTargetRepository(context, target);
  const store = openGitHubVerificationStore(target.repository, {
    token: target.token,
    apiUrl: context.apiUrl,
    graphqlUrl: context.graphqlUrl,
    proxy: context.proxy,
    log: { debug: core.debug, info: core.info, warning: core.warning },
  });
  const located = await core.group(`Find the GitOps commit that set ${inputs.config.tag}`, async () => {
    const found = await locateRecord(repo, store, inputs.config, {
      ...(target.branch !== undefined ? { branch: target.branch } : {}),
      ...(inputs.commitSha !== undefined ? { commitSha: inputs.commitSha } : {}),
    });
    core.info(`${found.releasePath} on ${found.branch}: the record goes on ${found.commit}`);
    return found;
  });
  const { config } = located;
  const probes = openSmokeProbes(config, {
    ...(inputs.argocdToken !== undefined ? { argocdToken: inputs.argocdToken } : {}),
    proxy: context.proxy,
    revisionContainsCommit: (revision) => store.containsCommit(revision, located.commit, located.releasePath),
    log: core.info,
  });
  let outcome: SmokeOutcome;
  try {
    outcome = await core.group(
      `Smoke ${config.app} ${config.tag} in ${config.env} at ${config.baseUrl}`,
      () =>
        runSmoke({
          config,
          probes,
          record: { store, commit: located.commit },
          ...(context.runUrl !== undefined ? { runUrl: context.runUrl } : {}),
          ...(located.digest !== undefined ? { digest: located.digest } : {}),
          now: () => new Date(),
          log: core.info,
        }),
    );
  } catch (error) {
    const partial = (error as { smokeOutcome?: SmokeOutcome }).smokeOutcome;
    if (partial) await report(context, inputs, located.commit, partial);
    throw error;
  } finally {
    await probes.close();
  }
  await report(context, inputs, located.commit, outcome);
  if (outcome.recordError) throw outcome.recordError;
  if (!outcome.report.passed) throw new SmokeFailedError(failureMessage(outcome.report));
}

async function report(
  context: RunnerContext,
  inputs: SmokeInputs,
  commit: string,
  outcome: SmokeOutcome,
): Promise<void> {
  const { report: result, written } = outcome;
  core.setOutput('passed', String(result.passed));
  core.setOutput('rollout-seconds', String(result.rollout.seconds));
  core.setOutput('detected-version', result.rollout.detectedVersion);
  core.setOutput('report', reportJson(result));
  if (written)
    core.notice(
      `Recorded ${outcome.record.result} of ${result.tag} in ${result.env}: ${written.written.join(', ')}`,
    );
  const repository = `${inputs.target.repository.owner}/${inputs.target.repository.name}`;
  await writeSmokeSummary(result, {
    commit,
    commitUrl: `${context.serverUrl}/${repository}/commit/${commit}`,
    ...(written ? { written: written.written } : {}),
    ...(outcome.recordError ? { recordError: outcome.recordError.message } : {}),
  });
}
