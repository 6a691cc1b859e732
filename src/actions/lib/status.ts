/** The status command as an action step: the tag of every app in every environment. */
import * as core from '@actions/core';
import { parseAppList } from '../../core/names.js';
import { collectStatus, formatStatusTable, statusJson, type StatusReport } from '../../operations/status.js';
import { readTargetInputs } from './bump.js';
import { openGitHubRepository } from '../../github/repository.js';
import { listInput, tokenInput } from './inputs.js';
import { githubEndpoints } from './github.js';
import type { RunnerContext } from './runner-context.js';

export async function statusStep(context: RunnerContext): Promise<void> {
  const token = tokenInput();
  const apps = parseAppList(listInput('app'));
  const { repository, branch } = readTargetInputs(context);
  const repo = openGitHubRepository(repository, githubEndpoints(context, token));
  const report = await core.group(`Status of ${apps.join(', ')}`, () => collectStatus(repo, branch, apps));
  core.info(formatStatusTable(report));
  core.setOutput('status', statusJson(report).trim());
  await writeStatusSummary(report);
}

async function writeStatusSummary(report: StatusReport): Promise<void> {
  const header = ['App', ...report.environments].map((data) => ({ data, header: true }));
  const rows = report.apps.map((row) => [
    row.app,
    ...report.environments.map((env) => {
      const cell = row.environments[env];
      if (cell?.error) return 'unreadable';
      return cell?.image?.tag ? `<code>${cell.image.tag}</code>` : '—';
    }),
  ]);
  try {
    await core.summary
      .addHeading(`tagrelay: status of ${report.target} ${report.branch}`, 3)
      .addTable([header, ...rows])
      .write();
  } catch (error) {
    core.warning(
      `Could not write the job summary: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}
