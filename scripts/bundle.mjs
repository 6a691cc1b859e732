// Builds every entry (src/actions/*.ts and src/cli/main.ts) into dist/.
//
// - The hot path, bump-release-dev (it runs after every build), is one self-contained
//   CommonJS file, dist/bump-release-dev.cjs: Node 20 loads it ≈ 16 ms faster than an
//   ES module spread over shared chunks (no ES module loader to start, no chunks to
//   resolve and link). See bench/README.md.
// - The other entries are ES modules in one esbuild pass with code splitting: what they
//   share goes into dist/chunks/ once, instead of copying the core, Octokit and yaml into
//   every bundle (all of dist/ stays under 1 MB).
//
//   node scripts/bundle.mjs            rebuild dist/
//   node scripts/bundle.mjs --out DIR  build into DIR (the staleness test uses it)
import { build } from 'esbuild';
import { bundleOptions, selfContainedOptions } from './bundle-options.mjs';
import { readdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(import.meta.url), '../..');
const outIndex = process.argv.indexOf('--out');
const outdir = outIndex > 0 ? resolve(process.argv[outIndex + 1]) : join(root, 'dist');

/** Entries bundled on their own as CommonJS (`dist/<name>.cjs`); action.yml names that file. */
const SELF_CONTAINED = ['bump-release-dev'];

// dist/<action>.js for every src/actions/<action>.ts, and dist/cli.js.
const entryPoints = Object.fromEntries([
  ...readdirSync(join(root, 'src/actions'))
    .filter((name) => name.endsWith('.ts'))
    .sort()
    .map((name) => [name.replace(/\.ts$/, ''), join(root, 'src/actions', name)]),
  ['cli', join(root, 'src/cli/main.ts')],
]);
const split = Object.fromEntries(
  Object.entries(entryPoints).filter(([name]) => !SELF_CONTAINED.includes(name)),
);
const alone = Object.fromEntries(
  Object.entries(entryPoints).filter(([name]) => SELF_CONTAINED.includes(name)),
);

const common = { ...bundleOptions(root), absWorkingDir: root, outdir, metafile: true, logLevel: 'warning' };

rmSync(outdir, { recursive: true, force: true });
const results = await Promise.all([
  build({
    ...common,
    entryPoints: split,
    splitting: true,
    format: 'esm',
    chunkNames: 'chunks/[name]-[hash]',
    outExtension: { '.js': '.js' },
    // CommonJS dependencies bundled into ESM still call require() for Node built-ins.
    banner: { js: "import{createRequire as __cr}from'node:module';const require=__cr(import.meta.url);" },
  }),
  build({ ...common, ...selfContainedOptions, entryPoints: alone }),
]);
const outputs = results.flatMap((result) =>
  Object.entries(result.metafile.outputs).filter(([file]) => /\.c?js$/.test(file)),
);
const total = outputs.reduce((sum, [, meta]) => sum + meta.bytes, 0);
console.log(
  `bundled ${Object.keys(entryPoints).length} entries into ${outputs.length} files, ${(total / 1024).toFixed(1)} KiB`,
);
