/**
 * The actions run from dist/, not from src/: a change to the sources that was not
 * bundled would ship the old behaviour. Rebuild into a temporary folder and compare.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
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

  it('has an entry for every action folder and the CLI', () => {
    const actions = readdirSync(join(ROOT, 'actions'));
    for (const name of actions) expect(statSync(join(ROOT, 'dist', `${name}.js`)).isFile()).toBe(true);
    expect(readFileSync(join(ROOT, 'dist', 'cli.js'), 'utf8').startsWith('#!/usr/bin/env node')).toBe(true);
  });
});
