/** `tagrelay smoke`: wait until an environment serves a tag, check its URLs, record the verification. */
import { ConfigurationError } from '../../core/errors.js';
import { formatDuration } from '../../core/duration.js';
import { parseSmokeConfig } from '../../core/smoke-config.js';
import { reportJson, type SmokeReport } from '../../core/smoke-report.js';
import { openGitHubVerificationStore } from '../../github/verification.js';
import { LocalVerificationNotes } from '../../local/verification-notes.js';
import { failureMessage, locateRecord, runSmoke, type SmokeRecordTarget } from '../../operations/smoke.js';
import type { ReleaseFileHistory } from '../../operations/verification.js';
import { openSmokeProbes } from '../../smoke/probes.js';
import { EXIT_FAILED, EXIT_OK } from '../errors.js';
import {
  githubClientOptions,
  openTarget,
  parseFlags,
  proxySettings,
  TARGET_OPTIONS,
  targetSpec,
  type CliIo,
} from '../target.js';
import { SMOKE_USAGE } from './smoke-usage.js';
import { validateCommitSha } from '../../core/names.js';
import { argocdToken } from '../argocd-token.js';

const SMOKE_OPTIONS = {
  ...TARGET_OPTIONS,
  app: { type: 'string' },
  tag: { type: 'string' },
  url: { type: 'string' },
  env: { type: 'string' },
  paths: { type: 'string', multiple: true },
  'expect-status': { type: 'string', multiple: true },
  'expect-body': { type: 'string', multiple: true },
  'version-source': { type: 'string' },
  'rollout-timeout': { type: 'string' },
  'request-timeout': { type: 'string' },
  'argocd-server': { type: 'string' },
  'argocd-app': { type: 'string' },
  'argocd-token-stdin': { type: 'boolean' },
  'no-refresh': { type: 'boolean' },
  'commit-sha': { type: 'string' },
  json: { type: 'boolean' },
} as const;

/** The result as a terminal table: URL, status, latency, attempts, result. */
function formatSmokeReport(report: SmokeReport): string {
  const { rollout } = report;
  const lines = [
    `${report.passed ? 'PASSED' : 'FAILED'}: ${report.app} ${report.tag} in ${report.env} at ${report.url}`,
    rollout.outcome === 'none'
      ? 'rollout: not awaited (version-source none)'
      : rollout.outcome === 'live'
        ? `rollout: ${rollout.detectedVersion} live after ${formatDuration(rollout.seconds * 1000)} (${report.versionSource})`
        : `rollout: ${rollout.message ?? 'not seen'}`,
  ];
  const rows = [
    ['URL', 'STATUS', 'LATENCY', 'ATTEMPTS', 'RESULT'],
    ...report.checks.map((check) => [
      check.url + (check.finalUrl ? ` → ${check.finalUrl}` : ''),
      check.status === null ? '-' : String(check.status),
      formatDuration(check.latencyMs),
      String(check.attempts),
      check.result === 'pass' ? 'pass' : `${check.result}: ${check.reason}`,
    ]),
  ];
  if (report.checks.length > 0) {
    const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length)));
    for (const row of rows)
      lines.push(
        row
          .map((cell, i) => cell.padEnd(widths[i] ?? 0))
          .join('  ')
          .trimEnd(),
      );
  }
  return `${lines.join('\n')}\n`;
}

export async function smoke(args: string[], io: CliIo): Promise<number> {
  const values = parseFlags(args, SMOKE_OPTIONS);
  if (values.help) {
    io.stdout(SMOKE_USAGE);
    return EXIT_OK;
  }
  // Everything is validated before the first request.
  const raw = {
    app: values.app ?? '',
    tag: values.tag ?? '',
    url: values.url ?? '',
    environment: values.env ?? '',
    paths: (values.paths ?? []).join(','),
    expectStatus: (values['expect-status'] ?? []).join(','),
    expectBody: (values['expect-body'] ?? []).join('\n'),
    versionSource: values['version-source'] ?? '',
    rolloutTimeout: values['rollout-timeout'] ?? '',
    requestTimeout: values['request-timeout'] ?? '',
    argocdServer: values['argocd-server'] ?? '',
    argocdApplication: values['argocd-app'] ?? '',
    refresh: values['no-refresh'] ? 'false' : '',
  };
  let config = parseSmokeConfig(raw);
  const commitSha = values['commit-sha'];
  if (commitSha !== undefined) validateCommitSha(commitSha, '--commit-sha');
  const spec = values.repo !== undefined || values.local !== undefined ? targetSpec(values) : undefined;
  if (spec === undefined && (values.branch !== undefined || commitSha !== undefined)) {
    throw new ConfigurationError(
      '--repo',
      undefined,
      '--repo OWNER/NAME or --local DIR with --branch or --commit-sha',
    );
  }
  const token = config.argocd ? await argocdToken(values['argocd-token-stdin'] === true, io) : undefined;
  const log = (line: string) => io.stderr(`${line}\n`);

  let record: SmokeRecordTarget | undefined;
  let history: ReleaseFileHistory | undefined;
  let located: Awaited<ReturnType<typeof locateRecord>> | undefined;
  if (spec) {
    const { target } = await openTarget(spec, io);
    const store =
      spec.kind === 'local'
        ? await LocalVerificationNotes.open(spec.dir)
        : openGitHubVerificationStore(spec.repository, githubClientOptions(io));
    history = store;
    located = await locateRecord(target, store, config, {
      ...(spec.branch !== undefined ? { branch: spec.branch } : {}),
      ...(commitSha !== undefined ? { commitSha } : {}),
    });
    config = located.config;
    record = { store, commit: located.commit };
    log(`${located.releasePath} on ${located.branch}: the record goes on ${located.commit}`);
  } else {
    io.stderr(
      'tagrelay: no verification record is written (give --repo OWNER/NAME or --local DIR to record the result)\n',
    );
  }

  const where = located;
  const probes = openSmokeProbes(config, {
    ...(token !== undefined ? { argocdToken: token } : {}),
    proxy: proxySettings(io),
    ...(history && where
      ? {
          revisionContainsCommit: (revision: string) =>
            history.containsCommit(revision, where.commit, where.releasePath),
        }
      : {}),
    log,
  });
  try {
    const outcome = await runSmoke({
      config,
      probes,
      ...(record ? { record } : {}),
      ...(located?.digest !== undefined ? { digest: located.digest } : {}),
      now: () => new Date(),
      log,
    });
    io.stdout(values.json ? `${reportJson(outcome.report)}\n` : formatSmokeReport(outcome.report));
    if (outcome.recordError) {
      io.stderr(`tagrelay: the verification record was not written: ${outcome.recordError.message}\n`);
      return EXIT_FAILED;
    }
    if (!outcome.report.passed) {
      io.stderr(`tagrelay: ${failureMessage(outcome.report)}\n`);
      return EXIT_FAILED;
    }
    return EXIT_OK;
  } finally {
    await probes.close();
  }
}
