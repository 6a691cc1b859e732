/**
 * The actions run from dist/, not from src/: a change to the sources that was not
 * bundled would ship the old behaviour. Rebuild into a temporary folder and compare.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isBuiltin } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { parse } from 'yaml';
import { ROOT } from './support/run-action.js';

function listFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? listFiles(path) : [path];
  });
}

describe('dist/', () => {
  it('is what `npm run bundle` builds from the current sources', () => {
    const fresh = mkdtempSync(join(tmpdir(), 'tagrelay-dist-'));
    try {
      execFileSync(process.execPath, [join(ROOT, 'scripts/bundle.mjs'), '--out', fresh], { cwd: ROOT });
      const committed = join(ROOT, 'dist');
      const freshFiles = listFiles(fresh)
        .map((path) => relative(fresh, path))
        .sort();
      const committedFiles = listFiles(committed)
        .map((path) => relative(committed, path))
        .sort();
      const stale = 'dist/ is stale: run `npm run bundle` and commit dist/';
      expect({ files: committedFiles, hint: stale }).toEqual({ files: freshFiles, hint: stale });
      for (const file of freshFiles) {
        const same = readFileSync(join(fresh, file)).equals(readFileSync(join(committed, file)));
        expect({ file, same, hint: stale }).toEqual({ file, same: true, hint: stale });
      }
    } finally {
      rmSync(fresh, { recursive: true, force: true });
    }
  });

  it('runs the hot path from one self-contained CommonJS file, in strict mode', () => {
    // dist/bump-release-dev.cjs loads without the ES module loader or shared chunks (see
    // scripts/bundle.mjs): it may require Node's built-ins only, and its first statement
    // must be the 'use strict' its sources (ES modules) were written for.
    const bundles = listFiles(join(ROOT, 'dist')).filter((file) => file.endsWith('.cjs'));
    expect(bundles.map((file) => relative(ROOT, file))).toEqual(['dist/bump-release-dev.cjs']);
    for (const file of bundles) {
      const text = readFileSync(file, 'utf8');
      expect(text.startsWith("'use strict';")).toBe(true);
      const required = [...text.matchAll(/\brequire\(\s*["'`]([^"'`]+)["'`]\s*\)/g)].map((match) => match[1]);
      expect(required.length).toBeGreaterThan(0);
      expect(required.filter((name) => !isBuiltin(name as string))).toEqual([]);
    }
  });

  it('has the script every action.yml runs, and the CLI', () => {
    const actionFiles = [
      join(ROOT, 'action.yml'),
      ...readdirSync(join(ROOT, 'actions')).map((name) => join(ROOT, 'actions', name, 'action.yml')),
    ];
    for (const file of actionFiles) {
      const runs = parse(readFileSync(file, 'utf8')).runs as {
        using: string;
        main: string;
        steps?: { run?: string }[];
      };
      if (runs.using === 'composite') {
        // A composite runs our bundles from its steps: node "$GITHUB_ACTION_PATH/../../dist/<entry>.js".
        const scripts = (runs.steps ?? []).flatMap((step) =>
          [...(step.run ?? '').matchAll(/node "\$GITHUB_ACTION_PATH\/([^"]+)"/g)].map(
            (match) => match[1] as string,
          ),
        );
        expect({ file: relative(ROOT, file), scripts: scripts.length > 0 }).toEqual({
          file: relative(ROOT, file),
          scripts: true,
        });
        for (const script of scripts) {
          const main = resolve(dirname(file), script);
          expect(relative(ROOT, main)).toMatch(/^dist\/[a-z-]+\.js$/);
          expect(statSync(main).isFile()).toBe(true);
        }
        continue;
      }
      expect({ file: relative(ROOT, file), using: runs.using }).toEqual({
        file: relative(ROOT, file),
        using: 'node24',
      });
      const main = resolve(dirname(file), runs.main);
      expect(relative(ROOT, main)).toMatch(/^dist\/[a-z-]+\.c?js$/);
      expect(statSync(main).isFile()).toBe(true);
    }
    expect(readFileSync(join(ROOT, 'dist', 'cli.js'), 'utf8').startsWith('#!/usr/bin/env node')).toBe(true);
  });
});
