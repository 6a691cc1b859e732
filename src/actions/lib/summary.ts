/**
 * Job summary and outputs for release operations: one table row per app with the
 * tag it had, the tag it has now, and links to the commit and pull request.
 */
import * as core from '@actions/core';
import type { ReleaseOutcome } from '../../operations/release.js';

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

function link(text: string, url: string | undefined): string {
  return url ? `<a href="${url}">${text}</a>` : text;
}

export async function writeReleaseSummary(title: string, outcome: ReleaseOutcome): Promise<void> {
  const { changeSet, commit, pullRequest } = outcome;
  const header = ['App', 'Env', 'Tag', 'Commit', 'Pull request'].map((data) => ({ data, header: true }));
  const rows = changeSet.apps.map((entry) => {
    const before = entry.previous.tag ?? '(none)';
    const tag = entry.changed
      ? `<code>${before}</code> → <code>${entry.tag}</code>`
      : `<code>${entry.tag}</code> (already)`;
    const commitCell =
      entry.changed && commit
        ? link(commit.oid.slice(0, 12), commit.url)
        : outcome.dryRun && entry.changed
          ? 'dry run'
          : '—';
    const pullCell = entry.changed && pullRequest ? link(`#${pullRequest.number}`, pullRequest.url) : '—';
    return [entry.app, entry.env, tag, commitCell, pullCell];
  });
  const summary = core.summary.addHeading(title, 3).addTable([header, ...rows]);
  if (changeSet.files.length === 0) {
    summary.addRaw(
      `Every app already had <code>${changeSet.tag}</code> in ${changeSet.env}: nothing to commit.`,
      true,
    );
  } else if (outcome.dryRun) {
    summary
      .addRaw('Dry run: nothing was committed. The change would be:', true)
      .addCodeBlock(outcome.diff, 'diff');
  }
  if (pullRequest && pullRequest.autoMerge !== 'enabled') {
    summary.addRaw(
      `Auto-merge is not on for ${link(`#${pullRequest.number}`, pullRequest.url)}: ${pullRequest.autoMerge}`,
      true,
    );
  }
  if (outcome.attempts > 1)
    summary.addRaw(`The branch moved during the run; committed on attempt ${outcome.attempts}.`, true);
  try {
    await summary.write();
  } catch (error) {
    // The release already happened and the outputs are set: a summary is not worth failing the job for.
    core.warning(
      `Could not write the job summary: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}
