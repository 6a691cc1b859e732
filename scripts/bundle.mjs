// Builds every entry (src/actions/*.ts and src/cli/main.ts) into dist/, as CommonJS:
//
// - dist/bump-release-dev.cjs: the hot path (it runs after every build), self-contained:
//   only what a bump uses, ≈ 210 KB.
// - dist/tagrelay.cjs: every other entry in one file. Each entry's modules are evaluated
//   only when that entry is started, so an action pays for compiling the file, not for
//   running the others' code. dist/promote-prod.cjs, smoke-dev.cjs, build-and-tag.cjs,
//   main.cjs (the actions' `main`) and cli.js (the `tagrelay` bin) only start their entry.
// - dist/undici.cjs: the HTTP client of the registry, dev-site and Argo CD code, required
//   when one of those is first used: a promotion without a digest to check, a status or
//   a bump never load it.
// - dist/proxy-agents.cjs: the agents that take GitHub's requests through HTTP(S)_PROXY,
//   required only when a proxy is set.
//
// One copy of the shared code keeps dist/ under 1 MB; bench/README.md has the figures.
//
//   node scripts/bundle.mjs            rebuild dist/
//   node scripts/bundle.mjs --out DIR  build into DIR (the staleness test uses it)
import { build } from 'esbuild';
import { readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleOptions, proxyAgentsBesideBundle, undiciBesideBundle } from './bundle-options.mjs';

const root = resolve(fileURLToPath(import.meta.url), '../..');
const outIndex = process.argv.indexOf('--out');
const outdir = outIndex > 0 ? resolve(process.argv[outIndex + 1]) : join(root, 'dist');

const HOT_PATH = 'bump-release-dev';
const actions = readdirSync(join(root, 'src/actions'))
  .filter((name) => name.endsWith('.ts'))
  .map((name) => name.replace(/\.ts$/, ''))
  .sort();
const libraryEntries = [
  ...actions.filter((name) => name !== HOT_PATH).map((name) => [name, `./src/actions/${name}.ts`]),
  ['cli', './src/cli/main.ts'],
];

const options = bundleOptions(root);
const common = { ...options, absWorkingDir: root, metafile: true, logLevel: 'warning' };

rmSync(outdir, { recursive: true, force: true });
const results = await Promise.all([
  build({
    ...common,
    entryPoints: [join(root, `src/actions/${HOT_PATH}.ts`)],
    outfile: join(outdir, `${HOT_PATH}.cjs`),
    plugins: [proxyAgentsBesideBundle, ...options.plugins],
  }),
  build({
    ...common,
    // A dynamic import() keeps each entry's modules unevaluated until the entry starts.
    stdin: {
      contents: `export const entries = {\n${libraryEntries
        .map(([name, path]) => `  ${JSON.stringify(name)}: () => import(${JSON.stringify(path)}),`)
        .join('\n')}\n};\n`,
      resolveDir: root,
      sourcefile: 'tagrelay-entries.js',
      loader: 'js',
    },
    outfile: join(outdir, 'tagrelay.cjs'),
    plugins: [undiciBesideBundle, proxyAgentsBesideBundle, ...options.plugins],
  }),
  build({
    ...common,
    entryPoints: [join(root, 'scripts/shims/undici.mjs')],
    outfile: join(outdir, 'undici.cjs'),
  }),
  build({
    ...common,
    entryPoints: [join(root, 'scripts/shims/proxy-agents.mjs')],
    outfile: join(outdir, 'proxy-agents.cjs'),
    // Optional requires the bundle never needs: Kerberos (Negotiate proxy auth, not offered)
    // and debug's colours (it catches their absence).
    external: ['kerberos', 'supports-color'],
  }),
]);

for (const [name] of libraryEntries.filter(([name]) => name !== 'cli')) {
  writeFileSync(
    join(outdir, `${name}.cjs`),
    `'use strict';\n// ${name}: its code is in tagrelay.cjs (scripts/bundle.mjs).\n` +
      `require('./tagrelay.cjs').entries[${JSON.stringify(name)}]().then((entry) => entry.run());\n`,
  );
}
// The bin: package.json makes .js files ES modules.
writeFileSync(
  join(outdir, 'cli.js'),
  "#!/usr/bin/env node\n// tagrelay's CLI: its code is in tagrelay.cjs (scripts/bundle.mjs).\nimport { createRequire } from 'node:module';\n\n" +
    "const { entries } = createRequire(import.meta.url)('./tagrelay.cjs');\n(await entries.cli()).runCli();\n",
  { mode: 0o755 },
);

const outputs = results
  .flatMap((result) => Object.entries(result.metafile.outputs))
  .filter(([file]) => file.endsWith('.cjs'));
const total = outputs.reduce((sum, [, meta]) => sum + meta.bytes, 0);
console.log(
  `bundled ${actions.length + 1} entries: ${outputs.map(([file, meta]) => `${file.split('/').pop()} ${(meta.bytes / 1024).toFixed(1)} KiB`).join(', ')}; ${(total / 1024).toFixed(1)} KiB in all`,
);
