/** `tagrelay init`: bootstrap a site's release layers, env layers and Argo CD Applications. */
import { bootstrapNextSteps } from '../../core/bootstrap.js';
import { ConfigurationError } from '../../core/errors.js';
import { validateAppName, validateImageRepository, validateTag } from '../../core/names.js';
import { readRunnerContext } from '../../github/runner-context.js';
import { initOperation } from '../../operations/init.js';
import { runRelease } from '../../operations/release.js';
import { EXIT_OK, UsageError } from '../errors.js';
import { openTarget, parseFlags, TARGET_OPTIONS, targetSpec, type CliIo } from '../target.js';

export const INIT_USAGE = `Usage: tagrelay init --app APP --image REPOSITORY --tag TAG
                    (--repo OWNER/NAME [--branch BRANCH] | --local DIR)
                    [--repo-url URL] [--dry-run]

Bootstrap a site: for every environment of the chain (dev, prod unless
deploy/tagrelay.yaml says otherwise) write its release layer, env layer and
Argo CD Application, in one commit. Refuses, changing nothing, when any of
the files exists. Hosts, Application names and namespaces follow
deploy/tagrelay.yaml (default <app>.dev.synestra.tech, <app>.synestra.io,
<app>-<env>, web-<app>-<env>).

Flags:
  --app APP            The new app's name (a DNS label) (required)
  --image REPOSITORY   Its image repository, e.g. ghcr.io/synestra/corporate (required)
  --tag TAG            The first release, written into every environment (required)
  --repo OWNER/NAME    GitOps repository on GitHub; token from GITHUB_TOKEN or GH_TOKEN
  --branch BRANCH      Branch to commit to and the Applications track (default: the
                       default branch, tracked as HEAD)
  --local DIR          Commit in a local git checkout instead
  --repo-url URL       The GitOps repository's clone URL for the Applications
                       (default: https://github.com/OWNER/NAME.git, or the checkout's origin)
  --dry-run            Print the files that would be written; change nothing
  -h, --help           Show this help
`;

const INIT_OPTIONS = {
  ...TARGET_OPTIONS,
  app: { type: 'string' },
  image: { type: 'string' },
  tag: { type: 'string' },
  'repo-url': { type: 'string' },
  'dry-run': { type: 'boolean' },
} as const;

function repoUrlFlag(value: string): string {
  if (!/^(https:\/\/|ssh:\/\/|git@)[^\s]+$/.test(value))
    throw new ConfigurationError(
      '--repo-url',
      value,
      'a clone URL such as https://github.com/synestra/gitops.git',
    );
  return value;
}

export async function init(args: string[], io: CliIo): Promise<number> {
  const values = parseFlags(args, INIT_OPTIONS);
  if (values.help) {
    io.stdout(INIT_USAGE);
    return EXIT_OK;
  }
  const app = validateAppName(values.app ?? '', '--app');
  const image = validateImageRepository(values.image ?? '', '--image');
  const tag = validateTag(values.tag ?? '', { input: '--tag' });
  const spec = targetSpec(values);
  const { target, local } = await openTarget(spec, io);
  let repoURL = values['repo-url'] === undefined ? undefined : repoUrlFlag(values['repo-url']);
  if (repoURL === undefined && spec.kind === 'github') {
    const { serverUrl } = readRunnerContext(io.env);
    repoURL = `${serverUrl}/${spec.repository.owner}/${spec.repository.name}.git`;
  }
  repoURL ??= await local?.gitValue('remote', 'get-url', 'origin');
  if (repoURL === undefined)
    throw new UsageError(
      `${spec.kind === 'local' ? spec.dir : 'the checkout'} has no origin remote: give --repo-url URL`,
    );

  const outcome = await runRelease(target, initOperation({ app, image, tag, repoURL }, spec.branch), {
    branch: spec.branch,
    mode: 'direct',
    dryRun: values['dry-run'] ?? false,
    engine: { log: (message) => io.stderr(`${message}\n`) },
  });
  const lines = outcome.changeSet.files.map((file) => `created ${file.path}`);
  if (outcome.dryRun) lines.push(outcome.diff.trimEnd(), 'dry run: nothing committed');
  else if (outcome.commit)
    lines.push(`committed ${outcome.commit.oid}${outcome.commit.url ? ` ${outcome.commit.url}` : ''}`);
  lines.push('', 'Not done by tagrelay (the rest of the bootstrap):');
  for (const step of bootstrapNextSteps(outcome.layout, app)) lines.push(`  - ${step}`);
  io.stdout(`${lines.join('\n')}\n`);
  return EXIT_OK;
}
