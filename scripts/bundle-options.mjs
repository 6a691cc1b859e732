// esbuild options every tagrelay bundle shares: scripts/bundle.mjs builds dist/ with them,
// and `npm run bench` builds its hand-written floor (bench/floor-bump.mjs) with them too.
//
// Every bundle is CommonJS: on Node 20, a CommonJS file starts faster and with less memory
// than ES modules (no ES module loader to start, nothing to resolve and link); see
// bench/README.md.
import { join } from 'node:path';

/**
 * One CommonJS file for Node 20+, minified. Entries compare import.meta.url with the script
 * node runs (isMainModule): it becomes the file's own URL. The banner comes first, so it
 * carries the 'use strict' the sources (ES modules) are written for.
 */
export function bundleOptions(root) {
  const shim = (name) => join(root, 'scripts/shims', name);
  return {
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    minify: true,
    legalComments: 'linked',
    define: { 'import.meta.url': '__tagrelayModuleUrl' },
    banner: {
      js: "'use strict';const __tagrelayModuleUrl=require('node:url').pathToFileURL(__filename).href;",
    },
    alias: {
      '@actions/http-client/lib/auth': shim('actions-http-client.mjs'),
      '@actions/http-client': shim('actions-http-client.mjs'),
      // yaml's ES module build (the same sources as its CommonJS one, which esbuild cannot
      // tree-shake): only the parts tagrelay uses are bundled. It warns through console.warn
      // where the CommonJS build uses process.emitWarning.
      yaml: join(root, 'node_modules/yaml/browser/index.js'),
    },
    plugins: [
      {
        // fetch-blob (under node-fetch) imports it by a relative path, which an alias does not see.
        name: 'fetch-blob-streams-shim',
        setup(builder) {
          builder.onResolve({ filter: /^\.\/streams\.cjs$/ }, (args) =>
            /[\\/]fetch-blob[\\/]/.test(args.importer) ? { path: shim('fetch-blob-streams.cjs') } : undefined,
          );
        },
      },
    ],
  };
}

/**
 * The proxy agents (https-proxy-agent, http-proxy-agent) left out of a bundle: it requires
 * `./proxy-agents.cjs` (built from scripts/shims/proxy-agents.mjs) only when a proxy is set.
 */
export const proxyAgentsBesideBundle = {
  name: 'proxy-agents-beside-bundle',
  setup(builder) {
    builder.onResolve({ filter: /^https?-proxy-agent$/ }, () => ({
      path: './proxy-agents.cjs',
      external: true,
    }));
  },
};

/**
 * `undici` left out of a bundle: the bundle requires `./undici.cjs` (built from
 * scripts/shims/undici.mjs, next to it in dist/) when a module that uses it is first loaded.
 */
export const undiciBesideBundle = {
  name: 'undici-beside-bundle',
  setup(builder) {
    builder.onResolve({ filter: /^undici$/ }, () => ({ path: './undici.cjs', external: true }));
  },
};
