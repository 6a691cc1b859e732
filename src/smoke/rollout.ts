/**
 * The rollout wait with real parts: asks Argo CD to refresh (so nobody waits for its
 * 3-minute poll), then runs the pure wait loop with the real clock, reading the version
 * from the site (header, JSON, body) or from the Argo CD Application.
 */
import { readApplication } from '../core/argocd.js';
import { formatDuration } from '../core/duration.js';
import { PermissionError } from '../core/errors.js';
import type { PollPolicy } from '../core/poll-schedule.js';
import { progressLine, timeoutMessage, waitForRollout, type RolloutClock } from '../core/rollout.js';
import { joinUrl, type SmokeConfig } from '../core/smoke-config.js';
import type { RolloutSummary } from '../core/smoke-report.js';
import { formatVersionSource, readVersion, type VersionReading } from '../core/version-source.js';
import { ArgoCdUnavailableError, type ArgoCdClient } from './argocd.js';
import type { HttpProber } from './http.js';

export const realClock: RolloutClock = {
  now: () => performance.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve) => {
      if (signal?.aborted) return resolve();
      const timer = setTimeout(resolve, ms);
      signal?.addEventListener(
        'abort',
        () => {
          clearTimeout(timer);
          resolve();
        },
        { once: true },
      );
    }),
};

export interface RolloutWaitInput {
  config: Pick<
    SmokeConfig,
    'tag' | 'baseUrl' | 'versionSource' | 'versionPath' | 'rolloutTimeoutMs' | 'requestTimeoutMs' | 'argocd'
  >;
  prober: HttpProber;
  argocd?: ArgoCdClient;
  /** Whether an Argo CD sync revision contains the GitOps commit (undefined: cannot tell). */
  revisionContainsCommit?: (revision: string) => Promise<boolean | undefined>;
  log(line: string): void;
  policy?: PollPolicy;
  progressEveryMs?: number;
  clock?: RolloutClock;
}

/** Waits until the version source reports the tag; never throws for a timeout, only for fatal errors (a refused token). */
export async function waitForVersion(input: RolloutWaitInput): Promise<RolloutSummary> {
  const { config, prober, argocd, log } = input;
  const clock = input.clock ?? realClock;
  const source = config.versionSource;
  const application = config.argocd?.application;
  let refreshPending = config.argocd?.refresh === true && argocd !== undefined;

  if (source.kind !== 'argocd' && refreshPending && argocd && application) {
    // The site is the version source; Argo CD is only asked to look at git now.
    await argocd.getApplication(application, 'normal').catch((error: unknown) => {
      if (error instanceof PermissionError) throw error;
      log(
        `Argo CD refresh of ${application} failed (${error instanceof Error ? error.message : String(error)}); waiting anyway`,
      );
    });
    log(`Asked Argo CD to refresh ${application}`);
    refreshPending = false;
  }
  if (source.kind === 'none') {
    log('version-source is none: not waiting for a rollout, checking what is live now');
    return { outcome: 'none', seconds: 0, detectedVersion: '' };
  }

  let probe: (timeoutMs: number) => Promise<VersionReading>;
  let where: string;
  if (source.kind === 'argocd') {
    if (!argocd || !application)
      throw new Error('version-source argocd needs an Argo CD client and application');
    where = `Argo CD application ${application}`;
    const contained = new Map<string, boolean | undefined>();
    probe = async (timeoutMs) => {
      let app;
      try {
        app = await argocd.getApplication(application, refreshPending ? 'normal' : undefined, timeoutMs);
        if (refreshPending) log(`Asked Argo CD to refresh ${application}`);
        refreshPending = false;
      } catch (error) {
        if (error instanceof ArgoCdUnavailableError) return { live: false, detail: error.message };
        throw error;
      }
      const revisions = [app.status?.sync?.revision, ...(app.status?.sync?.revisions ?? [])].filter(
        (revision): revision is string => typeof revision === 'string' && revision !== '',
      );
      if (input.revisionContainsCommit) {
        for (const revision of revisions) {
          if (!contained.has(revision)) contained.set(revision, await input.revisionContainsCommit(revision));
        }
      }
      return readApplication(app, {
        tag: config.tag,
        ...(input.revisionContainsCommit
          ? { revisionContainsCommit: (revision: string) => contained.get(revision) }
          : {}),
      });
    };
  } else {
    const url = joinUrl(config.baseUrl, config.versionPath ?? '/');
    where = `${url} (${formatVersionSource(source)})`;
    probe = async (timeoutMs) => {
      const attempt = await prober.once(url, timeoutMs);
      if (!attempt.answer) return { live: false, detail: attempt.failure?.message ?? 'no response' };
      return readVersion(source, attempt.answer, config.tag);
    };
  }

  const options = {
    expected: config.tag,
    where,
    timeoutMs: config.rolloutTimeoutMs,
    requestTimeoutMs: config.requestTimeoutMs,
    ...(input.policy ? { policy: input.policy } : {}),
    ...(input.progressEveryMs ? { progressEveryMs: input.progressEveryMs } : {}),
  };
  log(`Waiting up to ${formatDuration(config.rolloutTimeoutMs)} for ${where} to report ${config.tag}`);
  const result = await waitForRollout(options, {
    now: clock.now,
    sleep: clock.sleep,
    probe,
    onProgress: (progress) => log(progressLine(options, progress)),
  });
  const seconds = Math.round(result.elapsedMs / 100) / 10;
  if (result.outcome === 'live') {
    log(`${config.tag} is live after ${formatDuration(result.elapsedMs)} (${result.polls} polls)`);
    return { outcome: 'live', seconds, detectedVersion: result.version };
  }
  return {
    outcome: 'timeout',
    seconds,
    detectedVersion: result.lastVersion?.version ?? '',
    message: timeoutMessage(options, result),
  };
}
