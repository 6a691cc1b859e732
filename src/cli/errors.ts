/**
 * How the CLI reports: exit codes, usage mistakes, and errors worded with its flags
 * (the shared validators name action inputs; the CLI says `--app`, not "app").
 */
import { TagrelayError, describeError, quoteValue } from '../core/errors.js';

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

/** A mistake in how the command was called: exit code 2 with a usage hint. */
export class UsageError extends TagrelayError {
  override readonly name = 'UsageError';
  override readonly userMistake = true;
}

/** Input names of the shared validators and planner → the CLI's flags. */
const FLAG_FOR_INPUT: Record<string, string> = {
  app: '--app',
  tag: '--tag',
  image: '--image',
  digest: '--digest',
  environment: '--env',
  'gitops-repository': '--repo',
  branch: '--branch',
  mode: '--mode',
  from: '--from',
  to: '--to',
  force: '--force',
  url: '--url',
  paths: '--paths',
  'expect-status': '--expect-status',
  'expect-body': '--expect-body',
  'version-source': '--version-source',
  'rollout-timeout': '--rollout-timeout',
  'request-timeout': '--request-timeout',
  'argocd-server': '--argocd-server',
  'argocd-application': '--argocd-app',
  refresh: '--no-refresh',
};

/** How the CLI names an input in a message: its flag, an environment variable, or a file key as it is. */
export function flagLabel(input: string): string | undefined {
  const flag = FLAG_FOR_INPUT[input] ?? input;
  return flag.startsWith('--') || /^[A-Z_]+$/.test(flag) ? flag : undefined;
}

export function describeCliError(error: unknown): string {
  return describeError(error, flagLabel);
}

export function isUserMistake(error: unknown): boolean {
  return error instanceof TagrelayError && error.userMistake;
}

/** Node's parseArgs errors, reworded: they are usage errors. */
export function parseArgsError(error: unknown): UsageError | undefined {
  if (!(error instanceof Error)) return undefined;
  const code = (error as { code?: string }).code ?? '';
  if (!code.startsWith('ERR_PARSE_ARGS_')) return undefined;
  const unknown = /Unknown option '([^']+)'/.exec(error.message);
  if (unknown) return new UsageError(`unknown flag ${unknown[1]}`);
  const positional = /Unexpected argument '([^']*)'/.exec(error.message);
  if (positional) return new UsageError(`unexpected argument ${quoteValue(positional[1] ?? '')}`);
  const missing = /Option '(-\w, )?(--[\w-]+)[^']*' argument missing/.exec(error.message);
  if (missing) return new UsageError(`${missing[2]} needs a value`);
  return new UsageError(error.message.split('. ')[0] ?? error.message);
}
