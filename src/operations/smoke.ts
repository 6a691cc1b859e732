/**
 * One smoke run, shared by the action and the CLI: wait for the rollout, check the URLs,
 * judge, and write the verification record (on success and on failure). The waiting
 * and checking are injected (the smoke edge does them), the record goes through a
 * VerificationStore; nothing here does I/O of its own.
 */
import { NotFoundError, TagrelayError } from '../core/errors.js';
import {
  applicationName,
  LAYOUT_CONFIG_PATH,
  releaseFilePath,
  requireEnvironment,
  type Layout,
} from '../core/layout.js';
import { layoutFrom } from '../core/plan.js';
import { readReleaseImage } from '../core/release-file/edit.js';
import type { SmokeConfig } from '../core/smoke-config.js';
import {
  failureReason,
  smokePassed,
  type CheckResult,
  type RolloutSummary,
  type SmokeReport,
} from '../core/smoke-report.js';
import { formatVersionSource } from '../core/version-source.js';
import { commitThatSetTag, type VerificationRecord } from '../core/verification.js';
import type { CommitTarget } from './commit-engine.js';
import {
  HISTORY_LIMIT,
  type ReleaseFileHistory,
  type VerificationStore,
  type WrittenRecord,
} from './verification.js';

/** The site did not pass: the rollout was not seen in time, or a check failed. */
export class SmokeFailedError extends TagrelayError {
  override readonly name = 'SmokeFailedError';
}

/** The one-line verdict of a failed run, for the log, the CLI and the action's failure. */
export function failureMessage(report: SmokeReport): string {
  if (report.rollout.outcome !== 'live' && report.rollout.outcome !== 'none') {
    return report.rollout.message ?? `the rollout of ${report.tag} was not seen`;
  }
  const failed = report.checks.filter((check) => check.result === 'fail');
  return `smoke checks of ${report.tag} in ${report.env} failed: ${failed.map((check) => `${check.url}: ${check.reason}`).join('; ')}`;
}

export interface SmokeProbes {
  /** Resolves with the rollout's outcome; throws only for fatal errors (a refused token). */
  waitForRollout(): Promise<RolloutSummary>;
  runChecks(): Promise<CheckResult[]>;
}

export interface SmokeRecordTarget {
  store: VerificationStore;
  /** The GitOps commit that set the tag. */
  commit: string;
}

export interface SmokeRun {
  config: SmokeConfig;
  probes: SmokeProbes;
  /** Where to write the record; absent: no record (the CLI without --repo or --local). */
  record?: SmokeRecordTarget;
  runUrl?: string;
  digest?: string;
  now(): Date;
  log(line: string): void;
}

export interface SmokeOutcome {
  report: SmokeReport;
  record: VerificationRecord;
  written?: WrittenRecord;
  /** Writing the record failed: the run's verdict stands, but promote will not see it. */
  recordError?: Error;
}

export async function runSmoke(run: SmokeRun): Promise<SmokeOutcome> {
  let rollout: RolloutSummary;
  try {
    rollout = await run.probes.waitForRollout();
  } catch (error) {
    // A fatal error (a refused Argo CD token) still leaves a failure record behind, then surfaces.
    const message = error instanceof Error ? error.message : String(error);
    const outcome = await finish(run, { outcome: 'error', seconds: 0, detectedVersion: '', message }, []);
    throw Object.assign(error instanceof Error ? error : new Error(message), { smokeOutcome: outcome });
  }
  let checks: CheckResult[] = [];
  if (rollout.outcome === 'live' || rollout.outcome === 'none') {
    checks = await run.probes.runChecks();
  } else {
    run.log(`Not checking the URLs: ${rollout.message ?? 'the rollout was not seen'}`);
  }
  return finish(run, rollout, checks);
}

async function finish(run: SmokeRun, rollout: RolloutSummary, checks: CheckResult[]): Promise<SmokeOutcome> {
  const { config } = run;
  const report: SmokeReport = {
    app: config.app,
    env: config.env,
    tag: config.tag,
    url: config.baseUrl,
    versionSource: formatVersionSource(config.versionSource),
    rollout,
    checks,
    passed: smokePassed(rollout, checks),
  };
  const record: VerificationRecord = {
    app: config.app,
    env: config.env,
    tag: config.tag,
    result: report.passed ? 'success' : 'failure',
    checkedAt: run.now().toISOString(),
    url: config.baseUrl,
    checks: checks.map((check) => ({ url: check.url, status: check.status, result: check.result })),
  };
  if (run.digest !== undefined) record.digest = run.digest;
  if (run.runUrl !== undefined) record.runUrl = run.runUrl;
  const reason = failureReason(report);
  if (!report.passed && reason !== undefined) record.reason = reason;
  const outcome: SmokeOutcome = { report, record };
  if (run.record) {
    try {
      outcome.written = await run.record.store.write(record, run.record.commit);
      run.log(
        `Recorded ${record.result} of ${config.tag} in ${config.env} on ${run.record.commit.slice(0, 12)}: ${outcome.written.written.join(', ')}`,
      );
    } catch (error) {
      outcome.recordError = error instanceof Error ? error : new Error(String(error));
    }
  }
  return outcome;
}

export interface RecordLocation {
  layout: Layout;
  /** The branch read (the default branch's name when none was given). */
  branch: string;
  releasePath: string;
  /** The GitOps commit the record goes on: the one that set the tag, or the one named. */
  commit: string;
  /** image.digest of the release file at that commit, when it has one. */
  digest?: string;
  /** The config, with the Argo CD Application named after the layout's template when no input named it. */
  config: SmokeConfig;
}

/**
 * Reads the layout and the release file's history (two reads) to find where the record
 * goes: the commit that set the tag (or `commitSha`), and the digest the file held there.
 */
export async function locateRecord(
  target: CommitTarget,
  history: ReleaseFileHistory,
  config: SmokeConfig,
  options: { branch?: string; commitSha?: string },
): Promise<RecordLocation> {
  const snapshot = await target.read(options.branch, [LAYOUT_CONFIG_PATH]);
  const layout = layoutFrom(snapshot.files);
  if ('need' in layout) throw new Error(`expected ${layout.need} to be read`);
  requireEnvironment(layout, config.env, 'environment');
  const releasePath = releaseFilePath(layout, config.env, config.app);
  const revisions = await history.fileHistory(snapshot.branch, releasePath, HISTORY_LIMIT);
  const commit = options.commitSha ?? commitThatSetTag(releasePath, revisions, config.tag, layout.keys);
  if (commit === undefined) {
    throw new NotFoundError(
      `${config.tag} is not in ${releasePath} on ${snapshot.branch} of ${target.description} (its last ${HISTORY_LIMIT} changes): ` +
        'bump it first, or name the GitOps commit to record on with commit-sha',
    );
  }
  const text = revisions.find((revision) => revision.oid === commit)?.text ?? null;
  let digest: string | undefined;
  try {
    digest = text === null ? undefined : readReleaseImage(releasePath, text, layout.keys).digest;
  } catch {
    digest = undefined;
  }
  const located: RecordLocation = { layout, branch: snapshot.branch, releasePath, commit, config };
  if (digest !== undefined) located.digest = digest;
  if (config.argocd?.applicationFromLayout) {
    located.config = {
      ...config,
      argocd: { ...config.argocd, application: applicationName(layout, config.env, config.app) },
    };
  }
  return located;
}
