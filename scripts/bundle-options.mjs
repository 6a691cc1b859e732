// esbuild options every tagrelay bundle shares: scripts/bundle.mjs builds dist/ with them,
// and `npm run bench` builds its hand-written floor (bench/floor-bump.mjs) with them too.
import { join } from 'node:path';

/** What every bundle shares: Node 20+, minified, the shims below. */
export function bundleOptions(root) {
  const shim = (name) => join(root, 'scripts/shims', name);
  return {
    bundle: true,
    platform: 'node',
    target: 'node20',
    minify: true,
    legalComments: 'linked',
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
        // Only the bare 'undici' (an alias would also rewrite the shim's undici/lib/… imports).
        name: 'undici-shim',
        setup(builder) {
          builder.onResolve({ filter: /^undici$/ }, () => ({ path: shim('undici.mjs') }));
        },
      },
      {
        // fetch-blob imports it by a relative path, which an alias does not see.
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
 * One self-contained CommonJS file per entry (`<name>.cjs`): Node 20 loads it ≈ 16 ms
 * faster than an ES module over shared chunks (no ES module loader to start, nothing to
 * link). Entries compare import.meta.url with the script node runs (isMainModule); the
 * banner comes first, so it carries the 'use strict' the sources (ES modules) assume.
 */
export const selfContainedOptions = {
  format: 'cjs',
  outExtension: { '.js': '.cjs' },
  define: { 'import.meta.url': '__tagrelayModuleUrl' },
  banner: {
    js: "'use strict';const __tagrelayModuleUrl=require('node:url').pathToFileURL(__filename).href;",
  },
};
