/**
 * reset: (a) the release reset — an environment takes the next one's release (dev
 * takes prod's tag), then, with Argo CD access, waits until the Application runs it;
 * (b) the drift reset — asks Argo CD to sync the Application (hard refresh, prune per
 * policy) so what hot development changed in the cluster is undone (dev runs with
 * selfHeal: false), then waits until it is Synced and Healthy. The seeds' "reset dev to
 * baseline" is both.
 */
import { readApplication, type ArgoApplication } from '../core/argocd.js';
import { ConflictError } from '../core/errors.js';
import {
  LAYOUT_CONFIG_PATH,
  DEFAULT_LAYOUT,
  applicationName,
  nextEnvironment,
  releaseFilePath,
} from '../core/layout.js';
import { planReset, type ResetRequest } from '../core/rollback.js';
import type { ReleaseOperation, ReleaseOutcome } from './release.js';

export function resetOperation(request: ResetRequest): ReleaseOperation {
  const next = nextEnvironment(DEFAULT_LAYOUT, request.env) ?? request.env;
  return {
    paths: [
      LAYOUT_CONFIG_PATH,
      ...request.apps.flatMap((app) => [
        releaseFilePath(DEFAULT_LAYOUT, request.env, app),
        releaseFilePath(DEFAULT_LAYOUT, next, app),
      ]),
    ],
    plan: (files) => planReset(request, files),
  };
}

/** What reset needs of Argo CD (src/smoke's ArgoCdClient). */
export interface ArgoCdPort {
  getApplication(name: string, refresh?: 'normal' | 'hard'): Promise<ArgoApplication>;
  sync(name: string, options?: { prune?: boolean }): Promise<ArgoApplication>;
}

export interface WaitOptions {
  timeoutMs: number;
  log: (message: string) => void;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

export type Readiness = (app: ArgoApplication) => { ready: boolean; detail: string };

/** Polls the Application (1 s, backing off to 5 s) until `ready`, logging changes; throws at the timeout. */
export async function waitForApplication(
  argocd: ArgoCdPort,
  name: string,
  ready: Readiness,
  options: WaitOptions,
): Promise<ArgoApplication> {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const now = options.now ?? Date.now;
  const started = now();
  let delay = 1000;
  let last = '';
  for (let first = true; ; first = false) {
    const app = await argocd.getApplication(name, first ? 'normal' : undefined);
    const state = ready(app);
    if (state.detail !== last) options.log(`${name}: ${state.detail}`);
    last = state.detail;
    if (state.ready) return app;
    const elapsed = now() - started;
    if (elapsed + delay > options.timeoutMs) {
      throw new ConflictError(
        `${name} did not get there within ${Math.round(options.timeoutMs / 1000)}s: last seen ${state.detail}`,
      );
    }
    await sleep(delay);
    delay = Math.min(delay * 1.5, 5000);
  }
}

/** The release reset is live: Synced at the reset commit (or later), Healthy, running the tag. */
export function runsRelease(tag: string, commit: string | undefined): Readiness {
  return (app) => {
    const reading = readApplication(app, {
      tag,
      revisionContainsCommit:
        commit === undefined ? undefined : (revision) => (revision === commit ? true : undefined),
    });
    return { ready: reading.live, detail: reading.detail };
  };
}

/** A sync is done: the operation Succeeded, the Application Synced and Healthy. */
export const settled: Readiness = (app) => {
  const sync = app.status?.sync?.status ?? 'Unknown';
  const health = app.status?.health?.status ?? 'Unknown';
  const phase = app.status?.operationState?.phase ?? 'none';
  return {
    ready: sync === 'Synced' && health === 'Healthy' && (phase === 'Succeeded' || phase === 'none'),
    detail: `${sync}, ${health}, last operation ${phase}`,
  };
};

/** The drift reset: hard refresh, sync (pruning), then wait until settled. */
export async function resetDrift(
  argocd: ArgoCdPort,
  name: string,
  options: WaitOptions,
): Promise<ArgoApplication> {
  await argocd.getApplication(name, 'hard');
  options.log(`${name}: hard refresh asked; syncing to undo drift in the cluster`);
  await argocd.sync(name, { prune: true });
  return waitForApplication(argocd, name, settled, options);
}

/**
 * After a reset commit, for every app: undo drift first when asked, then wait until its
 * Application runs the reset release. One line per Application, for the log.
 */
export async function settleReset(
  argocd: ArgoCdPort,
  outcome: ReleaseOutcome,
  options: WaitOptions & { drift: boolean },
): Promise<string[]> {
  const lines: string[] = [];
  for (const entry of outcome.changeSet.apps) {
    const name = applicationName(outcome.layout, entry.env, entry.app);
    if (options.drift) await resetDrift(argocd, name, options);
    await waitForApplication(argocd, name, runsRelease(entry.tag, outcome.commit?.oid), options);
    lines.push(`${name}: runs ${entry.tag}${options.drift ? ', drift undone' : ''}`);
  }
  return lines;
}
