/**
 * The smoke probes of one run, as the smoke operation asks for them: one HTTP pool and
 * rate gate shared by the rollout wait and the checks (so no URL sees more than 2
 * requests a second, whoever sends them), and the Argo CD client when a server is given.
 */
import type { ProxySettings } from '../core/proxy.js';
import type { SmokeConfig } from '../core/smoke-config.js';
import type { SmokeProbes } from '../operations/smoke.js';
import { ArgoCdClient } from './argocd.js';
import { runChecks } from './checks.js';
import { HttpProber } from './http.js';
import { waitForVersion } from './rollout.js';

export interface SmokeProbeOptions {
  argocdToken?: string;
  /** The runner's HTTP(S)_PROXY and NO_PROXY, for the dev site and Argo CD. */
  proxy?: ProxySettings;
  /** Whether an Argo CD sync revision contains the GitOps commit (absent: the images decide). */
  revisionContainsCommit?: (revision: string) => Promise<boolean | undefined>;
  log(line: string): void;
}

export interface OpenProbes extends SmokeProbes {
  close(): Promise<void>;
}

export function openSmokeProbes(config: SmokeConfig, options: SmokeProbeOptions): OpenProbes {
  const proxy = options.proxy ? { proxy: options.proxy } : {};
  const prober = new HttpProber({ requestTimeoutMs: config.requestTimeoutMs, ...proxy });
  const argocd = config.argocd
    ? new ArgoCdClient({
        server: config.argocd.server,
        token: options.argocdToken ?? '',
        requestTimeoutMs: config.requestTimeoutMs,
        gate: prober.gate,
        ...proxy,
      })
    : undefined;
  return {
    waitForRollout: () =>
      waitForVersion({
        config,
        prober,
        ...(argocd ? { argocd } : {}),
        ...(options.revisionContainsCommit ? { revisionContainsCommit: options.revisionContainsCommit } : {}),
        log: options.log,
      }),
    runChecks: () => runChecks(prober, config.baseUrl, config.checks),
    close: async () => {
      await Promise.all([prober.close(), argocd?.close()]);
    },
  };
}
