/** `tagrelay reset`: an environment takes the next one's release; with Argo CD, the drift reset too. */
import { parseDuration } from '../../core/duration.js';
import { parseArgoCdServer } from '../../core/smoke-config.js';
import { parseAppList, validateEnvironmentName } from '../../core/names.js';
import { readRunnerContext, sourceCommit } from '../../github/runner-context.js';
import { runRelease } from '../../operations/release.js';
import { resetOperation, settleReset } from '../../operations/reset.js';
import { EXIT_OK, UsageError } from '../errors.js';
import { openTarget, parseFlags, proxySettings, TARGET_OPTIONS, targetSpec, type CliIo } from '../target.js';
import { formatBumpOutcome } from './bump.js';
import { argocdToken } from '../argocd-token.js';

export const RESET_USAGE = `Usage: tagrelay reset --app APP[,APP...] [--env ENV]
                     (--repo OWNER/NAME [--branch BRANCH] | --local DIR)
                     [--argocd-server URL [--argocd-token-stdin] [--drift] [--timeout 5m]]
                     [--dry-run]

Undo an environment that ran ahead: its release layer takes the tag (and image) of
the next environment in the chain (dev takes prod's), in one commit.

With --argocd-server (token from ARGOCD_AUTH_TOKEN, or --argocd-token-stdin), then
wait until each Application runs that release. With --drift, first ask Argo CD to
sync each Application (hard refresh, prune) so changes made in the cluster by hot
development are undone (dev runs with selfHeal: false), and wait until it is Synced
and Healthy. Application names follow deploy/tagrelay.yaml (argocd.application).

Flags:
  --app APP[,APP...]     Apps to reset (required)
  --env ENV              The environment to reset (default: dev, the first)
  --repo, --branch, --local  Where the GitOps repository is (see tagrelay --help)
  --argocd-server URL    Argo CD's address, e.g. https://argocd.example.com
  --argocd-token-stdin   Read the Argo CD token from the first line of standard input
  --drift                Also sync the Applications to undo drift in the cluster
  --timeout DURATION     How long to wait for Argo CD (default 5m)
  --dry-run              Print the diff; change nothing
  -h, --help             Show this help
`;

const RESET_OPTIONS = {
  ...TARGET_OPTIONS,
  app: { type: 'string', multiple: true },
  env: { type: 'string' },
  'argocd-server': { type: 'string' },
  'argocd-token-stdin': { type: 'boolean' },
  drift: { type: 'boolean' },
  timeout: { type: 'string' },
  'dry-run': { type: 'boolean' },
} as const;

export async function reset(args: string[], io: CliIo): Promise<number> {
  const values = parseFlags(args, RESET_OPTIONS);
  if (values.help) {
    io.stdout(RESET_USAGE);
    return EXIT_OK;
  }
  const apps = parseAppList((values.app ?? []).join(','), '--app');
  const env = validateEnvironmentName(values.env ?? 'dev', '--env');
  const timeoutMs = parseDuration(values.timeout ?? '5m', '--timeout', { minMs: 1000 });
  if ((values.drift || values['argocd-token-stdin']) && values['argocd-server'] === undefined)
    throw new UsageError('--drift and --argocd-token-stdin need --argocd-server');
  const server =
    values['argocd-server'] === undefined
      ? undefined
      : parseArgoCdServer(values['argocd-server'], '--argocd-server');
  const token =
    server === undefined ? undefined : await argocdToken(values['argocd-token-stdin'] === true, io);
  const spec = targetSpec(values);
  const opened = await openTarget(spec, io);
  const log = (message: string) => io.stderr(`${message}\n`);

  const outcome = await runRelease(
    opened.target,
    resetOperation({ env, apps, sourceCommit: sourceCommit(readRunnerContext(io.env)) }),
    { branch: spec.branch, mode: 'direct', dryRun: values['dry-run'] ?? false, engine: { log } },
  );
  io.stdout(formatBumpOutcome(outcome));
  if (server === undefined || token === undefined || outcome.dryRun) return EXIT_OK;

  // Loaded here: a reset without --argocd-server never loads the client (and undici).
  const { ArgoCdClient } = await import('../../smoke/argocd.js');
  const argocd = new ArgoCdClient({ server, token, requestTimeoutMs: 10_000, proxy: proxySettings(io) });
  try {
    const lines = await settleReset(argocd, outcome, { timeoutMs, log, drift: values.drift ?? false });
    io.stdout(lines.map((line) => `${line}\n`).join(''));
  } finally {
    await argocd.close();
  }
  return EXIT_OK;
}
