// Bundled in place of undici's index (see the plugin in scripts/bundle.mjs). The index loads
// all of undici (fetch, WebSocket, EventSource, caches, mocks, proxies: ~535 KB minified) where
// tagrelay's edges use `request` with their own dispatcher, `Agent`, `EnvHttpProxyAgent` (when
// a proxy is set) and `errors`.
// Source files import 'undici' as usual and get its types; when an edge needs another export,
// add it here (a missing one fails the bundle, not a run).
import Agent from 'undici/lib/dispatcher/agent.js';
import Dispatcher from 'undici/lib/dispatcher/dispatcher.js';
import EnvHttpProxyAgent from 'undici/lib/dispatcher/env-http-proxy-agent.js';
import api from 'undici/lib/api/index.js';
import errors from 'undici/lib/core/errors.js';
import util from 'undici/lib/core/util.js';

// As undici's index does: every dispatcher gets request(), connect() and the rest as methods
// (ProxyAgent tunnels with its client's connect()).
Object.assign(Dispatcher.prototype, api);

export { Agent, EnvHttpProxyAgent, errors };

/** undici's `request(url, opts)`, for callers that pass `opts.dispatcher` (there is no global one here). */
export function request(url, opts = {}) {
  if (!opts.dispatcher) {
    throw new errors.InvalidArgumentError(
      'tagrelay bundles undici without a global dispatcher: pass opts.dispatcher',
    );
  }
  const parsed = util.parseURL(url);
  return api.request.call(opts.dispatcher, {
    ...opts,
    origin: parsed.origin,
    path: parsed.search ? `${parsed.pathname}${parsed.search}` : parsed.pathname,
    method: opts.method || (opts.body ? 'PUT' : 'GET'),
  });
}
