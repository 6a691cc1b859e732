/**
 * smoke-dev's job summary: the verdict, the rollout (time, detected version), one row
 * per checked URL (status, latency, attempts, result) and where the record went.
 */
import { formatDuration } from '../../core/duration.js';
import type { SmokeReport } from '../../core/smoke-report.js';
import { code, escapeHtml, link, writeJobSummary } from './summary.js';

export interface RecordSummary {
  commit: string;
  commitUrl?: string;
  written?: readonly string[];
  recordError?: string;
}

function rolloutText(report: SmokeReport): string {
  const { rollout } = report;
  switch (rollout.outcome) {
    case 'live':
      return `${code(rollout.detectedVersion)} was live after ${escapeHtml(formatDuration(rollout.seconds * 1000))} (version source ${code(report.versionSource)}).`;
    case 'none':
      return 'Not awaited: <code>version-source</code> is <code>none</code>, so the checks saw whatever was live.';
    default:
      return escapeHtml(rollout.message ?? 'The rollout was not seen.');
  }
}

export function writeSmokeSummary(report: SmokeReport, record: RecordSummary): Promise<void> {
  const header = ['URL', 'Status', 'Latency', 'Attempts', 'Result'].map((data) => ({ data, header: true }));
  const rows = report.checks.map((check) => [
    link(check.url, check.url) + (check.finalUrl ? ` → ${escapeHtml(check.finalUrl)}` : ''),
    check.status === null ? '—' : String(check.status),
    escapeHtml(formatDuration(check.latencyMs)),
    String(check.attempts),
    check.result === 'pass'
      ? '✅ pass'
      : escapeHtml(`${check.result === 'skip' ? '⏭️' : '❌'} ${check.reason}`),
  ]);
  return writeJobSummary((summary) => {
    const paragraph = (html: string) => summary.addRaw(`<p>${html}</p>`, true);
    summary.addHeading(escapeHtml(`tagrelay: smoke ${report.app} ${report.tag} in ${report.env}`), 3);
    paragraph(
      `${report.passed ? '✅ Passed' : '❌ Failed'}: ${link(report.url, report.url)}. Rollout: ${rolloutText(report)} ` +
        `Detected version: ${report.rollout.detectedVersion ? code(report.rollout.detectedVersion) : 'none'}; ` +
        `rollout time: ${escapeHtml(formatDuration(report.rollout.seconds * 1000))}.`,
    );
    if (rows.length > 0) summary.addTable([header, ...rows]);
    else
      paragraph('No URL was checked: the new version never went live, so the checks would test the old one.');
    const commit = link(record.commit.slice(0, 12), record.commitUrl);
    if (record.written)
      paragraph(`Verification record on ${commit}: ${escapeHtml(record.written.join(', '))}.`);
    if (record.recordError)
      paragraph(
        `The verification record could not be written on ${commit}: ${escapeHtml(record.recordError)}`,
      );
  });
}
