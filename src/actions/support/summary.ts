/**
 * Job summaries and outputs. A summary is well-formed HTML (what `core.summary`
 * writes, text in paragraphs) ending in a newline; failing to write one is a warning,
 * never a failed job: the operation it describes already happened.
 */
import * as core from '@actions/core';
import { describeAppChange } from '../../core/plan.js';
import type { ReleaseOutcome } from '../../operations/release.js';

type Summary = typeof core.summary;

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

export function link(text: string, url: string | undefined): string {
  return url ? `<a href="${escapeHtml(url)}">${escapeHtml(text)}</a>` : escapeHtml(text);
}

export const code = (text: string) => `<code>${escapeHtml(text)}</code>`;

/** Builds and writes the job summary; a failure to write is only a warning. */
export async function writeJobSummary(build: (summary: Summary) => void): Promise<void> {
  try {
    build(core.summary.emptyBuffer());
    await core.summary.write();
  } catch (error) {
    core.warning(
      `Could not write the job summary: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

export function previousTags(outcome: ReleaseOutcome): Record<string, string> {
  return Object.fromEntries(outcome.changeSet.apps.map((entry) => [entry.app, entry.previous.tag ?? '']));
}

/** Sets the outputs every release action shares. */
export function setReleaseOutputs(outcome: ReleaseOutcome): void {
  const changed = outcome.changeSet.files.length > 0;
  core.setOutput('changed', String(changed));
  core.setOutput('commit-sha', outcome.commit?.oid ?? '');
  core.setOutput('commit-url', outcome.commit?.url ?? '');
  core.setOutput('previous-tags', JSON.stringify(previousTags(outcome)));
  core.setOutput('pull-request-url', outcome.pullRequest?.url ?? '');
}

/** The release table (app, env, old tag → new tag, commit, pull request) and what a reader needs below it. */
export function writeReleaseSummary(title: string, outcome: ReleaseOutcome): Promise<void> {
  const { changeSet, commit, pullRequest } = outcome;
  const header = ['App', 'Env', 'Tag', 'Commit', 'Pull request'].map((data) => ({ data, header: true }));
  const rows = changeSet.apps.map((entry) => {
    const before = entry.previous.tag ?? '(none)';
    const tag = !entry.changed
      ? `${code(entry.tag)} (already)`
      : before !== entry.tag
        ? `${code(before)} → ${code(entry.tag)}`
        : `${code(entry.tag)} (${escapeHtml(describeAppChange(entry).split('; ')[1] ?? 'changed')})`;
    const commitCell =
      entry.changed && commit
        ? link(commit.oid.slice(0, 12), commit.url)
        : outcome.dryRun && entry.changed
          ? 'dry run'
          : '—';
    const pullCell = entry.changed && pullRequest ? link(`#${pullRequest.number}`, pullRequest.url) : '—';
    return [entry.app, entry.env, tag, commitCell, pullCell];
  });
  return writeJobSummary((summary) => {
    summary.addHeading(escapeHtml(title), 3).addTable([header, ...rows]);
    const paragraph = (html: string) => summary.addRaw(`<p>${html}</p>`, true);
    if (changeSet.files.length === 0) {
      paragraph(
        `Every app already had ${code(changeSet.tag)} in ${escapeHtml(changeSet.env)}: nothing to commit.`,
      );
    } else if (outcome.dryRun) {
      paragraph('Dry run: nothing was committed. The change would be:');
      summary.addCodeBlock(escapeHtml(outcome.diff), 'diff');
    }
    if (pullRequest && pullRequest.autoMerge !== 'enabled') {
      paragraph(
        `Auto-merge is not on for ${link(`#${pullRequest.number}`, pullRequest.url)}: ${escapeHtml(pullRequest.autoMerge)}`,
      );
    }
    if (outcome.attempts > 1)
      paragraph(`The branch moved during the run; committed on attempt ${outcome.attempts}.`);
  });
}
