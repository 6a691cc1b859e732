/**
 * `npm run demo` end to end: the release flow in the order of release.yml against the
 * emulator, the dev site and (when installed) Debian's registry. The GitOps repository it
 * leaves behind holds one dev commit and one prod commit of the same tag, with the
 * verification record and the trailers; the unverified manual promotion committed nothing.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { git } from './support/git.js';
import { ROOT } from './support/run-action.js';

let scratch: string;
beforeAll(() => (scratch = mkdtempSync(join(tmpdir(), 'tagrelay-demo-test-'))));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

it('runs the whole flow and leaves the history release.yml promises', async () => {
  const kept = join(scratch, 'gitops.git');
  const started = Date.now();
  const run = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    const child = execFile(
      process.execPath,
      [join(ROOT, 'scripts/demo.mjs')],
      { env: { ...process.env, TAGRELAY_DEMO_KEEP: kept }, timeout: 60_000, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => resolve({ code: error ? (child.exitCode ?? 1) : 0, stdout, stderr }),
    );
  });
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  // 10 s is the target on an idle machine (npm run bench measures it); here other suites share the CPU.
  expect(Date.now() - started).toBeLessThan(20_000);
  expect(run.stdout).toMatch(/demo: done in \d+\.\d s/);

  // Newest first: shop's bump (its promotion was refused), the promotion, smoke's nothing, corporate's bump.
  const subjects = git(kept, 'log', '--format=%s', '-3', 'main').trim().split('\n');
  const tag = /^release\(prod\): corporate (sha-[0-9a-f]{12})$/.exec(subjects[1] ?? '')?.[1];
  expect(subjects).toEqual([
    'release(dev): shop sha-0badc0ffee00',
    `release(prod): corporate ${tag}`,
    `release(dev): corporate ${tag}`,
  ]);
  const devCommit = git(kept, 'rev-parse', 'main~2').trim();
  const trailers = git(kept, 'log', '-1', '--format=%(trailers:only,unfold)', 'main~1');
  expect(trailers).toContain(`Promoted-From: ${devCommit}\n`);
  expect(trailers).toContain('Verified-By: https://github.com/synestra/web/actions/runs/4242\n');
  expect(trailers).toContain('Source-Commit: synestra/web@5e1f0c2d9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d\n');
  expect(run.stdout).toContain(`Recorded success of ${tag} in dev on ${devCommit.slice(0, 12)}`);
  expect(run.stdout).toMatch(new RegExp(`│ corporate\\s+${tag}\\s+${tag}\\s*\\n`));
  expect(run.stdout).toContain(
    '::error::Promotion refused, nothing committed: shop sha-0badc0ffee00 failed verified',
  );
}, 60_000);
