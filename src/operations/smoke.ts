/**
 * One smoke run, shared by the action and the CLI: wait for the rollout, check the URLs,
 * judge, and write the verification record (on success and on failure). The waiting
 * and checking are injected (the smoke edge does them), the record goes through a
 * VerificationStore; nothing here does I/O of its own.
 */
import type { SmokeConfig } from '../core/smoke-config.js';
import {
  failureReason,
  smokePassed,
  type CheckResult,
  type RolloutSummary,
  type SmokeReport,
} from '../core/smoke-report.js';
import { formatVersionSource } from '../core/version-source.js';
import type { VerificationRecord } from '../core/verification.js';
import type { VerificationStore, WrittenRecord } from './verification.js';

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
