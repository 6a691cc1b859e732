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

  it('is CommonJS in strict mode; the hot path is self-contained, the rest shares tagrelay.cjs', () => {
    // See scripts/bundle.mjs: each file's first statement is the 'use strict' its sources (ES
    // modules) were written for; bump-release-dev.cjs requires Node's built-ins only, and
    // the proxy agents when a proxy is set; the entries' code is in tagrelay.cjs, which
    // requires undici.cjs and the proxy agents besides the built-ins.
    const dist = join(ROOT, 'dist');
    const bundles = ['bump-release-dev.cjs', 'tagrelay.cjs', 'undici.cjs', 'proxy-agents.cjs'];
    const localRequires = (file: string) => {
      const text = readFileSync(join(dist, file), 'utf8');
      expect({ file, strict: text.startsWith("'use strict';") }).toEqual({ file, strict: true });
      const required = [...text.matchAll(/\brequire\(\s*["'`]([^"'`]+)["'`]\s*\)/g)].map(
        (match) => match[1] as string,
      );
      expect(required.length).toBeGreaterThan(0);
      // node:sqlite (undici's cache store, never used here) is a built-in from Node 22 on.
      return [...new Set(required.filter((name) => !isBuiltin(name) && !name.startsWith('node:')))];
    };
    expect(bundles.map(localRequires)).toEqual([
      ['./proxy-agents.cjs'],
      ['./undici.cjs', './proxy-agents.cjs'],
      [],
      // debug's colours: optional, its absence caught (and Kerberos, for Negotiate proxy
      // authentication, is an import() on a path tagrelay never takes).
      ['supports-color'],
    ]);
    const stubs = readdirSync(dist).filter((file) => file.endsWith('.cjs') && !bundles.includes(file));
    expect(stubs.sort()).toEqual(['build-and-tag.cjs', 'main.cjs', 'promote-prod.cjs', 'smoke-dev.cjs']);
    for (const stub of stubs) {
      expect(readFileSync(join(dist, stub), 'utf8')).toContain(
        `require('./tagrelay.cjs').entries[${JSON.stringify(stub.replace(/\.cjs$/, ''))}]()`,
      );
    }
  });

  it('loads undici only for the entries that reach a registry, a dev site or Argo CD', () => {
    // Whether starting an entry (loading its modules, not running it) loads dist/undici.cjs:
    // a promotion, the CLI and the root action load it only on the way to a registry or Argo
    // CD. No entry loads the proxy agents at start (only a run with a proxy set does).
    const loaded = (start: string) =>
      execFileSync(
        process.execPath,
        [
          '-e',
          `Promise.resolve(${start}).then(() => {
             const files = Object.keys(require.cache);
             console.log(['undici.cjs', 'proxy-agents.cjs'].filter((name) => files.some((file) => file.endsWith(name))).join(' '));
           })`,
        ],
        { cwd: ROOT, encoding: 'utf8' },
      ).trim();
    const entries = ['build-and-tag', 'cli', 'main', 'promote-prod', 'smoke-dev'];
    expect(
      Object.fromEntries(
        entries.map((entry) => [
          entry,
          loaded(`require('./dist/tagrelay.cjs').entries[${JSON.stringify(entry)}]()`),
        ]),
      ),
    ).toEqual({
      'build-and-tag': 'undici.cjs',
      cli: '',
      main: '',
      'promote-prod': '',
      'smoke-dev': 'undici.cjs',
    });
    expect(loaded("require('./dist/bump-release-dev.cjs')")).toBe('');
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
          expect(relative(ROOT, main)).toMatch(/^dist\/[a-z-]+\.cjs$/);
          expect(statSync(main).isFile()).toBe(true);
        }
        continue;
      }
      expect({ file: relative(ROOT, file), using: runs.using }).toEqual({
        file: relative(ROOT, file),
        using: 'node24',
      });
      const main = resolve(dirname(file), runs.main);
      expect(relative(ROOT, main)).toMatch(/^dist\/[a-z-]+\.cjs$/);
      expect(statSync(main).isFile()).toBe(true);
    }
    expect(readFileSync(join(ROOT, 'dist', 'cli.js'), 'utf8').startsWith('#!/usr/bin/env node')).toBe(true);
  });
});
