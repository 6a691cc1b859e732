// Builds every entry (src/actions/*.ts and src/cli/main.ts) into dist/ in one esbuild
// pass. Code splitting puts what entries share into dist/chunks/ once, instead of
// copying the core, Octokit and yaml into every action's bundle.
//
//   node scripts/bundle.mjs            rebuild dist/
//   node scripts/bundle.mjs --out DIR  build into DIR (the staleness test uses it)
import { build } from 'esbuild';
import { readdirSync, rmSync } from 'node:fs';
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
