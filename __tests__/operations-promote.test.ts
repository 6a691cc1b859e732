/**
 * runPromotion when the branch moves under it, on a real local checkout: the retry after a
 * stale answer promotes the tag the gate judged on the first read, never one that reached
 * dev in the meantime (which nothing verified).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { LocalCheckout } from '../src/local/git-checkout.js';
import { runPromotion } from '../src/operations/promote.js';
import { useGitSandbox } from './support/git-sandbox.js';

const DEV = 'deploy/env/release-dev/shop.yaml';
const PROD = 'deploy/env/release-prod/shop.yaml';
const release = (tag: string) => `image:\n  repository: ghcr.io/synestra/shop\n  tag: ${tag} # immutable\n`;

const sandbox = useGitSandbox('tagrelay-promote-');
const git = (dir: string, ...args: string[]) => execFileSync('git', args, { cwd: dir, encoding: 'utf8' });

function commitFile(dir: string, path: string, text: string, message: string): string {
  mkdirSync(dirname(join(dir, path)), { recursive: true });
  writeFileSync(join(dir, path), text);
  git(dir, 'add', path);
  git(dir, 'commit', '-q', '-m', message);
  return git(dir, 'rev-parse', 'HEAD').trim();
}

it('a retry after dev moved promotes the tag the gate judged, not the one that arrived', async () => {
  const dir = mkdtempSync(join(sandbox(), 'gitops-'));
  git(dir, 'init', '-q', '-b', 'main');
  commitFile(dir, PROD, release('sha-000000000000'), 'seed prod');
  const verified = commitFile(dir, DEV, release('sha-111111111111'), 'release(dev): shop sha-111111111111');
  const note = {
    tagrelay: 1,
    records: [
      {
        app: 'shop',
        env: 'dev',
        tag: 'sha-111111111111',
        result: 'success',
        checkedAt: '2026-11-25T10:00:00Z',
        checks: [],
        runUrl: 'local smoke',
      },
    ],
  };
  git(dir, 'notes', '--ref=refs/notes/tagrelay', 'add', '-m', JSON.stringify(note), verified);

  const checkout = await LocalCheckout.open(dir);
  // Between the promotion's read and its commit, a bump lands a new, unverified tag in dev.
  const commit = checkout.commit.bind(checkout);
  let raced = false;
  checkout.commit = async (request) => {
    if (!raced) {
      raced = true;
      commitFile(dir, DEV, release('sha-222222222222'), 'release(dev): shop sha-222222222222');
    }
    return commit(request);
  };
  const outcome = await runPromotion(
    checkout,
    { apps: ['shop'], force: false },
    { mode: 'direct', dryRun: false, engine: { sleep: async () => {} } },
  );

  expect(outcome.attempts).toBe(2);
  expect(readFileSync(join(dir, PROD), 'utf8')).toBe(release('sha-111111111111'));
  expect(git(dir, 'log', '-1', '--format=%s').trim()).toBe('release(prod): shop sha-111111111111');
  expect(git(dir, 'log', '-1', '--format=%(trailers:key=Promoted-From,valueonly)').trim()).toBe(verified);
});
