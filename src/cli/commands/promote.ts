/** `tagrelay promote` and `tagrelay rollback`: the gated writes into later environments. */
import { ConfigurationError } from '../../core/errors.js';
import { parseAppList, validateEnvironmentName } from '../../core/names.js';
import { describeVerdict, PromotionRefusedError } from '../../core/promotion.js';
import { USER_AGENT } from '../../core/version.js';
import { readRunnerContext, sourceCommit } from '../../github/runner-context.js';
import { runPromotion, runRollback } from '../../operations/promote.js';
import type { DeliveryMode, ReleaseOutcome } from '../../operations/release.js';
import { openRegistryDigests } from '../../registry/lookup.js';
import { EXIT_OK } from '../errors.js';
import { registryCredentials, REGISTRY_OPTIONS } from '../registry-credentials.js';
import {
  openTarget,
  parseFlags,
  proxySettings,
  TARGET_OPTIONS,
  targetSpec,
  type CliIo,
  type OpenTarget,
} from '../target.js';
import { formatBumpOutcome } from './bump.js';

export const PROMOTE_USAGE = `Usage: tagrelay promote --app APP[,APP...] [--tag TAG] [--from ENV] [--to ENV]
                       (--repo OWNER/NAME [--branch BRANCH] [--mode MODE] | --local DIR)
                       [--force] [--check-digest [--username USER --password-stdin]] [--dry-run]

Write the tag verified in the environment before into the next one (dev → prod by
default), for every app in one commit, only when the gate holds for each app:
  - the tag is the source environment's current tag (or --tag, verified there),
  - the newest verification record for it there is a success (smoke-dev's),
  - image.repository is the same on both sides,
  - with --check-digest, the registry still maps the tag to the recorded digest,
  - the target was not rolled back from that tag.
If any app fails, nothing is committed and each failure is printed (exit 1).

Flags:
  --app APP[,APP...]   Apps to promote (required)
  --tag TAG            Promote this tag instead of the source's current one
  --from ENV           Source environment (default: the one before --to)
  --to ENV             Target environment (default: the last of the chain)
  --repo OWNER/NAME    GitOps repository on GitHub; token from GITHUB_TOKEN or GH_TOKEN
  --branch BRANCH      Branch (default: the default branch)
  --mode MODE          direct (default) or pull-request (--repo only)
  --local DIR          A local git checkout (records are git notes under refs/notes/tagrelay)
  --force              Promote even when a check fails (Forced-By: who)
  --check-digest       Ask the registry for each tag's digest (REGISTRY_USERNAME and
                       REGISTRY_PASSWORD, or --username with --password-stdin)
  --dry-run            Print the diff; change nothing
  -h, --help           Show this help
`;

export const ROLLBACK_USAGE = `Usage: tagrelay rollback --app APP [--env ENV] [--tag TAG]
                        (--repo OWNER/NAME [--branch BRANCH] [--mode MODE] | --local DIR)
                        [--force] [--dry-run]

Take an environment (default: the last of the chain) back to the tag it had before
its current one, or to --tag: a tag it had before, or one verified in the environment
before it. The commit carries Rollback-Of: a later promotion of the rolled-back tag is
refused unless forced.
`;

const PROMOTE_OPTIONS = {
  ...TARGET_OPTIONS,
  ...REGISTRY_OPTIONS,
  app: { type: 'string', multiple: true },
  tag: { type: 'string' },
  from: { type: 'string' },
  to: { type: 'string' },
  mode: { type: 'string' },
  force: { type: 'boolean' },
  'check-digest': { type: 'boolean' },
  'dry-run': { type: 'boolean' },
} as const;

const ROLLBACK_OPTIONS = {
  ...TARGET_OPTIONS,
  app: { type: 'string' },
  env: { type: 'string' },
  tag: { type: 'string' },
  mode: { type: 'string' },
  force: { type: 'boolean' },
  'dry-run': { type: 'boolean' },
} as const;

function deliveryMode(value: string | undefined, local: boolean): DeliveryMode {
  const mode = value ?? 'direct';
  if (mode !== 'direct' && mode !== 'pull-request')
    throw new ConfigurationError('--mode', value, 'direct or pull-request');
  if (local && mode === 'pull-request')
    throw new ConfigurationError(
      '--mode',
      mode,
      'direct: pull requests need --repo (a local checkout gets a commit)',
    );
  return mode;
}

/** The parts of a gated request every command shares: force, who forces, the source commit. */
async function gateFields(values: { force?: boolean }, io: CliIo, opened: OpenTarget) {
  return {
    force: values.force ?? false,
    forcedBy: values.force ? await forcer(io, opened) : undefined,
    sourceCommit: sourceCommit(readRunnerContext(io.env)),
  };
}

/** Release options from the flags: branch, mode, dry run, the engine's log on stderr. */
function releaseOptions(io: CliIo, branch: string | undefined, mode: DeliveryMode, dryRun?: boolean) {
  return {
    branch,
    mode,
    dryRun: dryRun ?? false,
    engine: { log: (message: string) => io.stderr(`${message}\n`) },
  };
}

/** Who forces: the workflow's actor, else the local git user, else the login. */
async function forcer(io: CliIo, opened: OpenTarget): Promise<string> {
  return (
    io.env.GITHUB_ACTOR ||
    (await opened.local?.gitValue('config', '--get', 'user.name')) ||
    io.env.USER ||
    'unknown'
  );
}

function printOutcome(io: CliIo, outcome: ReleaseOutcome, lines: string[]): void {
  const commit = formatBumpOutcome(outcome).split('\n').slice(outcome.changeSet.apps.length).join('\n');
  io.stdout(`${[...lines, commit.trimEnd()].filter((line) => line !== '').join('\n')}\n`);
}

export async function promote(args: string[], io: CliIo): Promise<number> {
  const values = parseFlags(args, PROMOTE_OPTIONS);
  if (values.help) {
    io.stdout(PROMOTE_USAGE);
    return EXIT_OK;
  }
  const apps = parseAppList((values.app ?? []).join(','), '--app');
  const spec = targetSpec(values);
  const mode = deliveryMode(values.mode, spec.kind === 'local');
  if (values.to !== undefined) validateEnvironmentName(values.to, '--to');
  if (values.from !== undefined) validateEnvironmentName(values.from, '--from');
  const credentials = values['check-digest'] ? await registryCredentials(values, io) : undefined;
  const opened = await openTarget(spec, io);
  const registry = values['check-digest']
    ? openRegistryDigests({ credentials, userAgent: USER_AGENT, proxy: proxySettings(io) })
    : undefined;
  try {
    const outcome = await runPromotion(
      opened.target,
      {
        apps,
        to: values.to,
        from: values.from,
        tag: values.tag,
        ...(await gateFields(values, io, opened)),
      },
      {
        ...releaseOptions(io, spec.branch, mode, values['dry-run']),
        digestOf: registry?.digestOf,
      },
      opened.github,
    );
    printOutcome(
      io,
      outcome,
      outcome.verdicts.map((verdict) => describeVerdict(verdict, verdict.currentTag)),
    );
    return EXIT_OK;
  } catch (error) {
    if (error instanceof PromotionRefusedError) {
      for (const verdict of error.verdicts) io.stderr(`${describeVerdict(verdict)}\n`);
    }
    throw error;
  } finally {
    await registry?.close();
  }
}

export async function rollback(args: string[], io: CliIo): Promise<number> {
  const values = parseFlags(args, ROLLBACK_OPTIONS);
  if (values.help) {
    io.stdout(ROLLBACK_USAGE);
    return EXIT_OK;
  }
  const [app] = parseAppList(values.app ?? '', '--app');
  const spec = targetSpec(values);
  const mode = deliveryMode(values.mode, spec.kind === 'local');
  const opened = await openTarget(spec, io);
  const outcome = await runRollback(
    opened.target,
    {
      app: app as string,
      env: values.env === undefined ? undefined : validateEnvironmentName(values.env, '--env'),
      tag: values.tag,
      ...(await gateFields(values, io, opened)),
    },
    releaseOptions(io, spec.branch, mode, values['dry-run']),
    opened.github,
  );
  printOutcome(
    io,
    outcome,
    outcome.changeSet.apps.map(
      (entry) => `${entry.app}: ${entry.previous.tag ?? '(none)'} → ${entry.tag} (rollback)`,
    ),
  );
  return EXIT_OK;
}
