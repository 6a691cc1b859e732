/**
 * What the runner says through the environment (runner-context.ts), read once per run:
 * a proxy's password is masked before anything can print it, and the proxy in use is
 * logged once.
 */
import * as core from '@actions/core';
import { proxySecrets, redactProxy, usesProxy } from '../../core/proxy.js';
import { readRunnerContext, type RunnerContext } from '../../github/runner-context.js';

export function readActionContext(env: NodeJS.ProcessEnv = process.env): RunnerContext {
  const context = readRunnerContext(env);
  const { proxy } = context;
  for (const secret of proxySecrets(proxy)) core.setSecret(secret);
  if (usesProxy(proxy)) {
    const through = (url: string) => (url ? `through ${redactProxy(url)}` : 'directly');
    core.info(
      `Proxy: https:// ${through(proxy.httpsProxy)}, http:// ${through(proxy.httpProxy)}` +
        (proxy.noProxy ? `; not for ${proxy.noProxy}` : ''),
    );
  }
  return context;
}
