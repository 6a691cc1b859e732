/**
 * Judging one checked URL from its response, and the smoke run's report: the `report`
 * output (JSON), the summary rows and the one-line verdict. Pure.
 */
import { formatDuration } from './duration.js';
import type { PathCheck } from './smoke-config.js';
import { formatStatusRanges, statusMatches } from './smoke-expectations.js';

export type CheckVerdict = 'pass' | 'fail' | 'skip';

/** What the probe saw for one URL (after redirects and retries). */
export interface ProbeOutcome {
  /** Final status, or undefined when no response came (refused, timed out…). */
  status?: number;
  body?: string;
  /** Why there was no response, e.g. `connection refused`, `timed out after 5s`. */
  error?: string;
  finalUrl?: string;
  redirects: number;
  latencyMs: number;
  attempts: number;
}

export interface CheckResult {
  path: string;
  url: string;
  status: number | null;
  latencyMs: number;
  attempts: number;
  redirects: number;
  finalUrl?: string;
  result: CheckVerdict;
  /** Why it failed or was skipped; empty on a pass. */
  reason: string;
}

export function evaluateCheck(check: PathCheck, url: string, outcome: ProbeOutcome): CheckResult {
  const base = {
    path: check.path,
    url,
    status: outcome.status ?? null,
    latencyMs: Math.round(outcome.latencyMs),
    attempts: outcome.attempts,
    redirects: outcome.redirects,
    ...(outcome.finalUrl !== undefined && outcome.finalUrl !== url ? { finalUrl: outcome.finalUrl } : {}),
  };
  if (outcome.status === undefined) {
    return { ...base, result: 'fail', reason: outcome.error ?? 'no response' };
  }
  const expected = formatStatusRanges(check.expectStatus);
  if (!statusMatches(outcome.status, check.expectStatus)) {
    if (!check.required && outcome.status === 404) {
      return { ...base, result: 'skip', reason: 'no health endpoint (404)' };
    }
    return { ...base, result: 'fail', reason: `HTTP ${outcome.status}, expected ${expected}` };
  }
  if (check.expectBody !== undefined && !new RegExp(check.expectBody).test(outcome.body ?? '')) {
    return { ...base, result: 'fail', reason: `the body does not match /${check.expectBody}/` };
  }
  return { ...base, result: 'pass', reason: '' };
}

export interface RolloutSummary {
  /** `none`: no version source, nothing waited for. */
  outcome: 'live' | 'timeout' | 'none' | 'error';
  seconds: number;
  detectedVersion: string;
  /** The failure message when not live. */
  message?: string;
}

export interface SmokeReport {
  app: string;
  env: string;
  tag: string;
  url: string;
  passed: boolean;
  versionSource: string;
  rollout: RolloutSummary;
  checks: CheckResult[];
}

/** Passed: the rollout was seen (or not awaited) and no check failed. */
export function smokePassed(rollout: RolloutSummary, checks: readonly CheckResult[]): boolean {
  return (
    (rollout.outcome === 'live' || rollout.outcome === 'none') &&
    checks.every((check) => check.result !== 'fail')
  );
}

/** The first reason the run failed, for the record's description and the exit message. */
export function failureReason(report: SmokeReport): string | undefined {
  if (report.rollout.outcome === 'timeout' || report.rollout.outcome === 'error') {
    return report.rollout.outcome === 'timeout' ? 'rollout timed out' : 'rollout not observed';
  }
  const failed = report.checks.filter((check) => check.result === 'fail');
  if (failed.length === 0) return undefined;
  return failed.map((check) => `${check.path} ${check.status ?? check.reason}`).join(', ');
}

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** Markdown table rows for the job summary: URL, status, latency, attempts, result. */
export function checkTable(checks: readonly CheckResult[]): string {
  const rows = checks.map((check) => {
    const verdict =
      check.result === 'pass'
        ? '✅ pass'
        : check.result === 'skip'
          ? `⏭️ ${check.reason}`
          : `❌ ${check.reason}`;
    const status = check.status === null ? '-' : String(check.status);
    const via = check.finalUrl ? ` → ${check.finalUrl}` : '';
    return `| ${cell(check.url + via)} | ${status} | ${formatDuration(check.latencyMs)} | ${check.attempts} | ${cell(verdict)} |`;
  });
  return ['| URL | status | latency | attempts | result |', '| --- | --- | --- | --- | --- |', ...rows].join(
    '\n',
  );
}

/** The JSON of the `report` output. */
export function reportJson(report: SmokeReport): string {
  return JSON.stringify({
    app: report.app,
    env: report.env,
    tag: report.tag,
    url: report.url,
    passed: report.passed,
    versionSource: report.versionSource,
    rolloutSeconds: report.rollout.seconds,
    detectedVersion: report.rollout.detectedVersion,
    rollout: report.rollout.outcome,
    checks: report.checks.map((check) => ({
      url: check.url,
      path: check.path,
      status: check.status,
      latencyMs: check.latencyMs,
      attempts: check.attempts,
      redirects: check.redirects,
      result: check.result,
      ...(check.reason ? { reason: check.reason } : {}),
      ...(check.finalUrl ? { finalUrl: check.finalUrl } : {}),
    })),
  });
}
