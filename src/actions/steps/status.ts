/** The status command as an action step: the tag of every app in every environment. */
import * as core from '@actions/core';
import { parseAppList } from '../../core/names.js';
import type { RunnerContext } from '../../github/runner-context.js';
import {
  collectStatus,
  folderDiscovery,
  formatStatusTable,
  statusJson,
  type StatusReport,
} from '../../operations/status.js';
import { listInput } from '../support/inputs.js';
import { code, escapeHtml, writeJobSummary } from '../support/summary.js';
import { openTargetRepository, readTargetInputs, type TargetInputs } from '../support/target.js';

export interface StatusInputs {
  target: TargetInputs;
  /** Undefined: every app that has a release file. */
  apps?: string[];
}

export function readStatusInputs(context: RunnerContext): StatusInputs {
  const target = readTargetInputs(context);
  const apps = listInput('app');
  return { target, apps: apps.trim() === '' ? undefined : parseAppList(apps) };
}

export async function statusStep(context: RunnerContext, inputs: StatusInputs): Promise<void> {
  const repo = openTargetRepository(context, inputs.target);
  const report = await core.group(`Status of ${inputs.apps?.join(', ') ?? 'every app'}`, async () => {
    core.info(`Reading ${repo.description} at ${inputs.target.branch ?? 'its default branch'}`);
    const collected = await collectStatus(repo, inputs.target.branch, inputs.apps, folderDiscovery(repo));
    core.info(formatStatusTable(collected));
    return collected;
  });
  core.setOutput('status', statusJson(report).trim());
  await writeStatusSummary(report);
}

function writeStatusSummary(report: StatusReport): Promise<void> {
  const header = ['App', ...report.environments].map((data) => ({ data, header: true }));
  const rows = report.apps.map((row) => [
    row.app,
    ...report.environments.map((env) => {
      const cell = row.environments[env];
      if (cell?.error) return 'unreadable';
      if (!cell?.image?.tag) return '—';
      const mark = cell.verified ? (cell.verified.result === 'success' ? ' ✅' : ' ❌') : '';
      return `${code(cell.image.tag)}${mark}`;
    }),
  ]);
  return writeJobSummary((summary) =>
    summary
      .addHeading(escapeHtml(`tagrelay: status of ${report.target} ${report.branch}`), 3)
      .addTable([header, ...rows])
      .addRaw('<p>✅ verified by smoke-dev, ❌ failed verification; no mark: no record.</p>', true),
  );
}
