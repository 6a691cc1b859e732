/**
 * promote (promote-prod, and the root action's `command: promote`) and rollback as action
 * steps: inputs read once, the gate's verdict per app in the log and the job summary,
 * outputs set, and a refusal that names each app and each failed check.
 */
import * as core from '@actions/core';
import { parseAppList, validateEnvironmentName } from '../../core/names.js';
import {
  describeVerdict,
  PromotionRefusedError,
  type AppVerdict,
  type PromotionRequest,
} from '../../core/promotion.js';
import type { RollbackRequest } from '../../core/rollback.js';
import { USER_AGENT } from '../../core/version.js';
import { sourceCommit, type RunnerContext } from '../../github/runner-context.js';
import { runPromotion, runRollback } from '../../operations/promote.js';
import type { DeliveryMode } from '../../operations/release.js';
import type { Credentials } from '../../registry/client.js';
import { readRegistryCredentials } from '../support/registry.js';
import { openRegistryDigests } from '../../registry/lookup.js';
import { booleanInput, choiceInput, listInput, optionalInput } from '../support/inputs.js';
import {
  code,
  escapeHtml,
  link,
  setReleaseOutputs,
  writeJobSummary,
  writeReleaseSummary,
} from '../support/summary.js';
import { openTargetRepository, readTargetInputs, type TargetInputs } from '../support/target.js';

export interface PromoteInputs {
  target: TargetInputs;
  request: PromotionRequest;
  mode: DeliveryMode;
  dryRun: boolean;
  /** Registry credentials: given, they turn on the digest check. */
  registry?: Credentials;
}

function optionalEnvironment(name: string): string | undefined {
  const value = optionalInput(name);
  return value === '' ? undefined : validateEnvironmentName(value, name);
}

/** What promote and rollback read alike: the tag, force and who forces, the run's commit, mode, dry run. */
function readGatedInputs(context: RunnerContext) {
  const force = booleanInput('force', false);
  const tag = optionalInput('tag');
  return {
    request: {
      tag: tag === '' ? undefined : tag,
      force,
      forcedBy: force ? (context.actor ?? 'unknown') : undefined,
      sourceCommit: sourceCommit(context),
    },
    mode: choiceInput('mode', ['direct', 'pull-request'] as const, 'direct'),
    dryRun: booleanInput('dry-run', false),
  };
}

export function readPromoteInputs(context: RunnerContext): PromoteInputs {
  const target = readTargetInputs(context);
  const apps = parseAppList(listInput('app'));
  const gated = readGatedInputs(context);
  return {
    ...gated,
    target,
    request: { ...gated.request, apps, to: optionalEnvironment('to'), from: optionalEnvironment('from') },
    registry: readRegistryCredentials(),
  };
}

/** `compare` link between the application commits two tags were built from, when both are known. */
function compareLink(context: RunnerContext, from?: string, to?: string): string {
  const parse = (value?: string) => (value ? /^([^@\s]+)@([0-9a-f]{7,64})$/.exec(value) : null);
  const [before, after] = [parse(from), parse(to)];
  if (!after) return '—';
  if (!before || before[1] !== after[1])
    return link(after[2]!.slice(0, 12), `${context.serverUrl}/${after[1]}/commit/${after[2]}`);
  return link(
    `${before[2]!.slice(0, 7)}…${after[2]!.slice(0, 7)}`,
    `${context.serverUrl}/${after[1]}/compare/${before[2]}...${after[2]}`,
  );
}

function writePromotionSummary(context: RunnerContext, env: string, verdicts: readonly AppVerdict[]) {
  const header = ['App', 'Tag', 'Gate', 'Source commits', 'Verified by'].map((data) => ({
    data,
    header: true,
  }));
  const rows = verdicts.map((verdict) => [
    verdict.app,
    `${code(verdict.currentTag ?? '(none)')} → ${code(verdict.tag)}`,
    verdict.findings
      .map((finding) => `${finding.passed ? '✅' : '❌'} ${escapeHtml(finding.check)}`)
      .join(' '),
    compareLink(context, verdict.previousSourceCommit, verdict.sourceCommit),
    verdict.verifiedBy
      ? link('record', verdict.verifiedBy.startsWith('http') ? verdict.verifiedBy : undefined)
      : '—',
  ]);
  return writeJobSummary((summary) => {
    summary.addHeading(escapeHtml(`tagrelay: promotion gate for ${env}`), 3).addTable([header, ...rows]);
    const forced = verdicts.filter((verdict) => !verdict.passed);
    if (forced.length > 0)
      summary.addRaw(
        `<p>⚠️ Forced past failed checks for ${escapeHtml(forced.map((v) => v.app).join(', '))} (Forced-By: ${escapeHtml(context.actor ?? 'unknown')}).</p>`,
        true,
      );
  });
}

export async function promoteStep(context: RunnerContext, inputs: PromoteInputs): Promise<void> {
  const repo = openTargetRepository(context, inputs.target);
  const registry = inputs.registry
    ? openRegistryDigests({ credentials: inputs.registry, userAgent: USER_AGENT, proxy: context.proxy })
    : undefined;
  try {
    const outcome = await core.group(`Promote ${inputs.request.apps.join(', ')}`, async () => {
      core.info(`Reading ${repo.description} with the history of each release file`);
      try {
        const result = await runPromotion(
          repo,
          inputs.request,
          {
            branch: inputs.target.branch,
            mode: inputs.mode,
            dryRun: inputs.dryRun,
            engine: { log: core.info },
            digestOf: registry?.digestOf,
          },
          repo,
        );
        for (const verdict of result.verdicts) core.info(describeVerdict(verdict, verdict.currentTag));
        if (result.verdicts.some((verdict) => !verdict.passed))
          core.warning(`Forced past a failed check by ${inputs.request.forcedBy}`);
        return result;
      } catch (error) {
        if (error instanceof PromotionRefusedError) {
          for (const verdict of error.verdicts) core.info(describeVerdict(verdict));
          await writePromotionSummary(context, error.env, error.verdicts);
        }
        throw error;
      }
    });
    if (outcome.commit)
      core.notice(`Committed ${outcome.commit.oid} on ${outcome.pullRequest?.branch ?? outcome.branch}`);
    if (outcome.pullRequest) core.notice(`Pull request: ${outcome.pullRequest.url}`);
    setReleaseOutputs(outcome);
    core.setOutput(
      'promoted',
      JSON.stringify(
        outcome.changeSet.apps
          .filter((entry) => entry.changed)
          .map((entry) => ({ app: entry.app, from_tag: entry.previous.tag ?? '', to_tag: entry.tag })),
      ),
    );
    await writeReleaseSummary(`tagrelay: promotion to ${outcome.changeSet.env}`, outcome);
    await writePromotionSummary(context, outcome.changeSet.env, outcome.verdicts);
  } finally {
    await registry?.close();
  }
}

export interface RollbackInputs {
  target: TargetInputs;
  request: RollbackRequest;
  mode: DeliveryMode;
  dryRun: boolean;
}

export function readRollbackInputs(context: RunnerContext): RollbackInputs {
  const target = readTargetInputs(context);
  const [app] = parseAppList(listInput('app'));
  const gated = readGatedInputs(context);
  return {
    ...gated,
    target,
    request: { ...gated.request, app: app as string, env: optionalEnvironment('environment') },
  };
}

export async function rollbackStep(context: RunnerContext, inputs: RollbackInputs): Promise<void> {
  const repo = openTargetRepository(context, inputs.target);
  const outcome = await core.group(`Roll back ${inputs.request.app}`, async () => {
    core.info(`Reading ${repo.description} with the history of the release file`);
    return runRollback(
      repo,
      inputs.request,
      { branch: inputs.target.branch, mode: inputs.mode, dryRun: inputs.dryRun, engine: { log: core.info } },
      repo,
    );
  });
  for (const entry of outcome.changeSet.apps)
    core.notice(`${entry.app}: ${entry.previous.tag ?? '(none)'} → ${entry.tag} in ${entry.env} (rollback)`);
  setReleaseOutputs(outcome);
  await writeReleaseSummary(`tagrelay: rollback of ${outcome.changeSet.env}`, outcome);
}
