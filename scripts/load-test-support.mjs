// The GitHub emulator lives with the tests, in TypeScript. Scripts outside jest (the
// demo, the benchmarks) bundle it once with esbuild into node_modules/.cache and import it.
import { build } from 'esbuild';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const ROOT = resolve(fileURLToPath(import.meta.url), '../..');

/**
 * The script an action's action.yml runs, dist/<entry>.cjs; dist/<entry>.js in a build from
 * before the CommonJS bundles (the bench measures one with BENCH_DIST).
 */
export function distScript(entry, dist = join(ROOT, 'dist')) {
  const selfContained = join(dist, `${entry}.cjs`);
  return existsSync(selfContained) ? selfContained : join(dist, `${entry}.js`);
}

export function loadEmulator() {
  return loadSupport('github-emulator/index');
}

/** Any module of __tests__/support (TypeScript), bundled like the emulator: `loadSupport('argocd-double')`. */
export async function loadSupport(name) {
  const outdir = join(ROOT, 'node_modules/.cache/tagrelay');
  mkdirSync(outdir, { recursive: true });
  const outfile = join(outdir, `${name.replaceAll('/', '-')}.mjs`);
  await build({
    entryPoints: [join(ROOT, `__tests__/support/${name}.ts`)],
    outfile,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    logLevel: 'warning',
  });
  return import(pathToFileURL(outfile).href);
}

/** The loopback dev site of the smoke tests (__tests__/support/dev-site.ts), bundled like the emulator. */
export function loadDevSite() {
  return loadSupport('dev-site');
}

/**
 * Runs a command asynchronously (never spawnSync: the emulator answers from this very
 * process) and resolves with its exit code, output and wall time.
 */
export function runProcess(command, args, env) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr, ms: performance.now() - started }));
  });
}
