/** `tagrelay bump`: set the tag of apps in one environment's release layer. */
import { parseBumpRequest } from '../../core/bump-request.js';
import { ConfigurationError } from '../../core/errors.js';
import { DEFAULT_LAYOUT } from '../../core/layout.js';
import { describeAppChange, initialPaths, planBump } from '../../core/plan.js';
import { readRunnerContext, sourceCommit } from '../../github/runner-context.js';
import { runRelease, type DeliveryMode, type ReleaseOutcome } from '../../operations/release.js';
import { EXIT_OK } from '../errors.js';
import { openTarget, parseFlags, TARGET_OPTIONS, targetSpec, type CliIo } from '../target.js';

export const BUMP_USAGE = `Usage: tagrelay bump --app APP[,APP...] --tag TAG
                    (--repo OWNER/NAME [--branch BRANCH] [--mode MODE] | --local DIR)
                    [--image REPOSITORY] [--digest DIGEST] [--env ENV] [--dry-run]

Set image.tag in the release layer of each app (deploy/env/release-<env>/<app>.yaml)
to TAG: one commit for all the apps, or none when they already have it.

Flags:
  --app APP[,APP...]   App names (DNS labels), comma-separated or repeated (required)
  --tag TAG            Immutable image tag, e.g. sha-0123456789ab (required; latest
                       and the layout's deny-list are refused)
  --image REPOSITORY   Also set image.repository, e.g. ghcr.io/synestra/{app}
                       ({app} is replaced per app)
  --digest DIGEST      Also set image.digest (sha256:<64 hex>) and the Release-Digest
                       trailer; with several apps one per app: APP=DIGEST,APP=DIGEST
  --env ENV            Environment whose release layer changes (default: dev)
  --repo OWNER/NAME    GitOps repository on GitHub; token from GITHUB_TOKEN or GH_TOKEN
  --branch BRANCH      Branch to commit to (default: the repository's default branch;
                       with --local only the checked-out branch)
  --mode MODE          direct (default): commit to the branch; pull-request: commit to
                       tagrelay/<env>/<app>/<tag> and open a pull request (--repo only)
  --local DIR          Commit in a local git checkout instead of on GitHub
  --dry-run            Print the unified diff that would be committed; change nothing
  -h, --help           Show this help

Prints one line per app (corporate: sha-old → sha-new in dev, or corporate: already
at sha-new in dev), then "committed <sha> [<url>]" or "nothing to commit".
`;

const BUMP_OPTIONS = {
  ...TARGET_OPTIONS,
  app: { type: 'string', multiple: true },
  tag: { type: 'string' },
  image: { type: 'string' },
  digest: { type: 'string' },
  env: { type: 'string' },
  mode: { type: 'string' },
  'dry-run': { type: 'boolean' },
} as const;

export function formatBumpOutcome(outcome: ReleaseOutcome): string {
  const lines = outcome.changeSet.apps.map(describeAppChange);
  if (outcome.changeSet.files.length === 0) {
    lines.push('nothing to commit');
  } else if (outcome.dryRun) {
    lines.push(outcome.diff.trimEnd(), 'dry run: nothing committed');
  } else if (outcome.commit) {
    lines.push(`committed ${outcome.commit.oid}${outcome.commit.url ? ` ${outcome.commit.url}` : ''}`);
  }
  if (outcome.pullRequest) {
    lines.push(
      `pull request #${outcome.pullRequest.number} ${outcome.pullRequest.url} (branch ${outcome.pullRequest.branch})`,
    );
    if (outcome.pullRequest.autoMerge !== 'enabled')
      lines.push(`auto-merge not enabled: ${outcome.pullRequest.autoMerge}`);
  }
  if (outcome.attempts > 1)
    lines.push(`(the branch moved meanwhile: committed on attempt ${outcome.attempts})`);
  return `${lines.join('\n')}\n`;
}

export async function bump(args: string[], io: CliIo): Promise<number> {
  const values = parseFlags(args, BUMP_OPTIONS);
  if (values.help) {
    io.stdout(BUMP_USAGE);
    return EXIT_OK;
  }
  const request = parseBumpRequest(
    {
      app: (values.app ?? []).join(','),
      tag: values.tag ?? '',
      image: values.image,
      digest: values.digest,
      environment: values.env,
    },
    { sourceCommit: sourceCommit(readRunnerContext(io.env)) },
  );
  const mode = (values.mode ?? 'direct') as DeliveryMode;
  if (mode !== 'direct' && mode !== 'pull-request') {
    throw new ConfigurationError('--mode', values.mode, 'direct or pull-request');
  }
  const spec = targetSpec(values);
  if (spec.kind === 'local' && mode === 'pull-request') {
    throw new ConfigurationError(
      '--mode',
      mode,
      'direct: pull requests need --repo (a local checkout gets a commit)',
    );
  }

  // With --local, the first read refuses a --branch other than the checked-out one.
  const { target, github } = await openTarget(spec, io);
  const outcome = await runRelease(
    target,
    {
      paths: initialPaths(request.env, request.apps, DEFAULT_LAYOUT),
      plan: (files) => planBump(request, files),
    },
    {
      branch: spec.branch,
      mode,
      dryRun: values['dry-run'] ?? false,
      engine: { log: (message) => io.stderr(`${message}\n`) },
    },
    github,
  );
  io.stdout(formatBumpOutcome(outcome));
  return EXIT_OK;
}
