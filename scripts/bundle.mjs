// Builds every entry (src/actions/*.ts and src/cli/main.ts) into dist/ in one esbuild
// pass. Code splitting puts what entries share into dist/chunks/ once, instead of
// copying the core, Octokit and yaml into every action's bundle.
//
//   node scripts/bundle.mjs            rebuild dist/
//   node scripts/bundle.mjs --out DIR  build into DIR (the staleness test uses it)
import { build } from 'esbuild';
import { readdirSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(import.meta.url), '../..');
const outIndex = process.argv.indexOf('--out');
const outdir = outIndex > 0 ? resolve(process.argv[outIndex + 1]) : join(root, 'dist');

// dist/<action>.js for every src/actions/<action>.ts, and dist/cli.js.
const entryPoints = Object.fromEntries([
  ...readdirSync(join(root, 'src/actions'))
    .filter((name) => name.endsWith('.ts'))
    .sort()
    .map((name) => [name.replace(/\.ts$/, ''), join(root, 'src/actions', name)]),
  ['cli', join(root, 'src/cli/main.ts')],
]);

/** Exact edits of bottleneck/light.js (2.19.5); the build fails when one no longer applies. */
const BOTTLENECK_PATCHES = [
  ['return setTimeout(resolve, t);', 'return t > 0 ? setTimeout(resolve, t) : setImmediate(resolve);'],
  ['timeout: setTimeout(() => {', 'timeout: (wait > 0 ? setTimeout : setImmediate)(() => {'],
  ['clearTimeout(v.timeout);', 'clearTimeout(v.timeout);\n              clearImmediate(v.timeout);'],
];

rmSync(outdir, { recursive: true, force: true });
const result = await build({
  absWorkingDir: root,
  entryPoints,
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  minify: true,
  legalComments: 'linked',
  chunkNames: 'chunks/[name]-[hash]',
  outExtension: { '.js': '.js' },
  // CommonJS dependencies bundled into ESM still call require() for Node built-ins.
  banner: { js: "import{createRequire as __cr}from'node:module';const require=__cr(import.meta.url);" },
  alias: {
    '@actions/http-client/lib/auth': join(root, 'scripts/shims/actions-http-client.mjs'),
    '@actions/http-client': join(root, 'scripts/shims/actions-http-client.mjs'),
    'web-streams-polyfill/dist/ponyfill.es2018.js': join(root, 'scripts/shims/web-streams-polyfill.cjs'),
  },
  plugins: [
    {
      // Bottleneck's in-process datastore yields to the event loop with setTimeout(0), a 1 ms
      // timer, and starts every job with setTimeout(run, 0) when nothing holds it back: about
      // 20 timers per Octokit request (the retry and throttling plugins each schedule through
      // it), ≈ 15 ms a request spent waiting on timers. setImmediate yields to the event loop
      // just the same, without the timer; non-zero waits (minTime, rate limits) are unchanged.
      name: 'bottleneck-yield',
      setup(builder) {
        builder.onLoad({ filter: /[\\/]bottleneck[\\/]light\.js$/ }, async ({ path }) => {
          let source = await readFile(path, 'utf8');
          for (const [from, to] of BOTTLENECK_PATCHES) {
            if (!source.includes(from)) throw new Error(`bottleneck-yield: ${from} not found in ${path}`);
            source = source.replace(from, to);
          }
          return { contents: source, loader: 'js' };
        });
      },
    },
    {
      // Only the bare 'undici' (an alias would also rewrite the shim's undici/lib/… imports).
      name: 'undici-shim',
      setup(builder) {
        builder.onResolve({ filter: /^undici$/ }, () => ({ path: join(root, 'scripts/shims/undici.mjs') }));
      },
    },
  ],
  metafile: true,
  logLevel: 'warning',
});
const outputs = Object.entries(result.metafile.outputs).filter(([file]) => file.endsWith('.js'));
const total = outputs.reduce((sum, [, meta]) => sum + meta.bytes, 0);
console.log(
  `bundled ${Object.keys(entryPoints).length} entries into ${outputs.length} files, ${(total / 1024).toFixed(1)} KiB`,
);
