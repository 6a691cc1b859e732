/**
 * The layers of ARCHITECTURE.md hold: dependency-cruiser finds no forbidden import in
 * src/ and reports every rule on a fixture tree that breaks each one; files stay small
 * and every folder under src/ is described.
 */
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ROOT } from './support/run-action.js';

const DEPCRUISE = join(ROOT, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs');
const CONFIG = join(ROOT, '.dependency-cruiser.cjs');

function depcruise(cwd: string): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [DEPCRUISE, '--config', CONFIG, '--output-type', 'err', 'src'],
      { cwd },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, output: `${stdout}${stderr}` });
      },
    );
  });
}

function ruleNames(): string[] {
  const config = readFileSync(CONFIG, 'utf8');
  return [...config.matchAll(/name: '([a-z-]+)'/g)].map((match) => match[1] as string);
}

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? walk(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}

describe('layer rules', () => {
  it('finds no forbidden import in src/', async () => {
    const result = await depcruise(ROOT);
    expect(result.output).toContain('no dependency violations found');
    expect(result.code).toBe(0);
  }, 30_000);

  it('reports every rule on a tree that breaks each one', async () => {
    const result = await depcruise(join(ROOT, '__tests__/fixtures/layers'));
    expect(result.code).not.toBe(0);
    const reported = new Set([...result.output.matchAll(/error ([a-z-]+):/g)].map((match) => match[1]));
    expect(ruleNames().length).toBeGreaterThanOrEqual(10);
    for (const rule of ruleNames()) expect([rule, reported.has(rule)]).toEqual([rule, true]);
    expect(result.output).toContain('core-is-pure: src/core/names.ts → src/github/name.ts');
  }, 30_000);
});

describe('source tree', () => {
  const files = walk(join(ROOT, 'src')).filter((file) => file.endsWith('.ts'));

  it('keeps every file under src/ at 350 lines or fewer', () => {
    const long = files
      .map((file) => ({ file: relative(ROOT, file), lines: readFileSync(file, 'utf8').split('\n').length }))
      .filter(({ lines }) => lines > 350);
    expect(long).toEqual([]);
  });

  it('names every folder under src/ in ARCHITECTURE.md with what it may import', () => {
    const architecture = readFileSync(join(ROOT, 'ARCHITECTURE.md'), 'utf8');
    const folders = [...new Set(files.map((file) => relative(ROOT, join(file, '..'))))].sort();
    const missing = folders.filter((folder) => !architecture.includes(`\`${folder}/\``));
    expect(missing).toEqual([]);
  });
});
