#!/usr/bin/env node
/**
 * The `tagrelay` command: the release operations from a terminal, against GitHub
 * (`--repo owner/name`, token from GITHUB_TOKEN or GH_TOKEN) or a local checkout
 * (`--local DIR`), through the same plan → commit path the actions use.
 *
 * Exit codes: 0 done (also "already at tag"), 1 the operation failed or was refused,
 * 2 bad usage or input.
 */
import { parseArgs } from 'node:util';
import { quoteValue } from '../core/errors.js';
import { proxySecrets, readProxySettings } from '../core/proxy.js';
import { VERSION } from '../core/version.js';
import { isMainModule } from '../runtime/main-module.js';
import { bump, BUMP_USAGE } from './commands/bump.js';
import { digest, DIGEST_USAGE } from './commands/digest.js';
import { init, INIT_USAGE } from './commands/init.js';
import { promote, PROMOTE_USAGE, rollback, ROLLBACK_USAGE } from './commands/promote.js';
import { reset, RESET_USAGE } from './commands/reset.js';
import { SMOKE_USAGE } from './commands/smoke-usage.js';
import { status, STATUS_USAGE } from './commands/status.js';
import { tag, TAG_USAGE } from './commands/tag.js';
import {
  describeCliError,
  EXIT_FAILED,
  EXIT_OK,
  EXIT_USAGE,
  isUserMistake,
  parseArgsError,
  UsageError,
} from './errors.js';
import type { CliIo } from './target.js';

export const USAGE = `Usage: tagrelay <command> [flags]

Carry one immutable image tag dev → prod by committing small YAML edits
into a GitOps repository.

Commands:
  tag       Print the immutable tag build-and-tag gives a commit
  digest    Print the manifest digest a registry serves for an image tag
  bump      Set the image tag of apps in one environment's release layer
  smoke     Wait until an environment serves a tag, check its URLs, record the result
  status    Show the tag of every app in every environment
  promote   Write the tag verified in one environment into the next (dev → prod)
  reset     Give an environment the next one's release (dev takes prod's); Argo CD sync
  rollback  Take an environment back to the tag it had before
  init      Bootstrap a new app: release layers, env layers, Argo CD Applications

bump, promote, reset, rollback, status and init work on a GitOps repository, one of:
  --repo OWNER/NAME   a GitHub repository (token from GITHUB_TOKEN or GH_TOKEN;
                      GITHUB_API_URL and GITHUB_GRAPHQL_URL are honoured)
  --local DIR         a local git checkout (its checked-out branch)

Every request goes through HTTPS_PROXY / HTTP_PROXY when set, except to the
hosts NO_PROXY lists.

Flags:
  -h, --help          Show help (tagrelay <command> --help for a command's flags)
  -v, --version       Print the version

Exit codes: 0 done (also when already at the tag), 1 failed or refused,
2 bad usage or input.
`;

interface Command {
  usage: string;
  run: (args: string[], io: CliIo) => Promise<number>;
}

const COMMANDS: Record<string, Command> = {
  tag: { usage: TAG_USAGE, run: tag },
  digest: { usage: DIGEST_USAGE, run: digest },
  bump: { usage: BUMP_USAGE, run: bump },
  // Loaded on use: the HTTP probes and checks are needed by no other command.
  smoke: {
    usage: SMOKE_USAGE,
    run: async (args, io) => (await import('./commands/smoke.js')).smoke(args, io),
  },
  status: { usage: STATUS_USAGE, run: status },
  init: { usage: INIT_USAGE, run: init },
  promote: { usage: PROMOTE_USAGE, run: promote },
  reset: { usage: RESET_USAGE, run: reset },
  rollback: { usage: ROLLBACK_USAGE, run: rollback },
};

/** What a terminal gives the CLI; secrets are collected by main itself. */
export type Terminal = Omit<CliIo, 'secrets'>;

function redact(text: string, secrets: readonly string[]): string {
  return secrets
    .filter((secret) => secret.length >= 4)
    .reduce((out, secret) => out.split(secret).join('***'), text);
}

/** `tagrelay`, `tagrelay --help`, `tagrelay --version`, `tagrelay --help bump`: no command first. */
function topLevel(argv: readonly string[], io: CliIo): number {
  const { values, positionals } = (() => {
    try {
      return parseArgs({
        args: [...argv],
        options: { help: { type: 'boolean', short: 'h' }, version: { type: 'boolean', short: 'v' } },
        strict: true,
        allowPositionals: true,
      });
    } catch (error) {
      throw parseArgsError(error) ?? error;
    }
  })();
  if (values.version) {
    io.stdout(`tagrelay ${VERSION}\n`);
    return EXIT_OK;
  }
  const named = positionals[0] === undefined ? undefined : COMMANDS[positionals[0]];
  if (values.help) {
    io.stdout(named?.usage ?? USAGE);
    return EXIT_OK;
  }
  throw new UsageError(`expected a command first (${Object.keys(COMMANDS).join(', ')})`);
}

/** Runs the CLI; returns the exit code. Output goes through `io` only. */
export async function main(argv: readonly string[], terminal: Terminal): Promise<number> {
  // Every secret known now or later is redacted from everything written.
  const secrets: string[] = [];
  for (const name of ['GITHUB_TOKEN', 'GH_TOKEN', 'REGISTRY_PASSWORD', 'ARGOCD_AUTH_TOKEN']) {
    const value = terminal.env[name]?.trim();
    if (value) secrets.push(value);
  }
  try {
    secrets.push(...proxySecrets(readProxySettings(terminal.env)));
  } catch {
    // A malformed proxy variable is reported, its password hidden, by the command that reads it.
  }
  const io: CliIo = {
    env: terminal.env,
    secrets,
    stdout: (text) => terminal.stdout(redact(text, secrets)),
    stderr: (text) => terminal.stderr(redact(text, secrets)),
    ...(terminal.stdin ? { stdin: terminal.stdin } : {}),
  };

  const [first, ...rest] = argv;
  if (first === undefined) {
    io.stderr(USAGE);
    return EXIT_USAGE;
  }
  const command = first.startsWith('-') ? undefined : COMMANDS[first];
  try {
    if (command === undefined) {
      if (!first.startsWith('-'))
        throw new UsageError(
          `unknown command ${quoteValue(first)}: expected ${Object.keys(COMMANDS).join(' or ')}`,
        );
      return topLevel(argv, io);
    }
    return await command.run(rest, io);
  } catch (error) {
    io.stderr(`tagrelay: ${describeCliError(error)}\n`);
    if (isUserMistake(error)) {
      io.stderr(`Run 'tagrelay ${command ? `${first} ` : ''}--help' for usage.\n`);
      return EXIT_USAGE;
    }
    if (error instanceof Error && error.stack && terminal.env.TAGRELAY_DEBUG) io.stderr(`${error.stack}\n`);
    return EXIT_FAILED;
  }
}

/** The `tagrelay` process: main() on argv and the process's streams, its code the exit code. */
export function runCli(): void {
  // `tagrelay status | head -1`: a reader that went away is not an error worth a stack trace.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') throw error;
    });
  }
  void main(process.argv.slice(2), {
    env: process.env,
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    stdin: async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks).toString('utf8');
    },
  }).then((code) => {
    process.exitCode = code;
  });
}

if (isMainModule(import.meta.url)) runCli();
