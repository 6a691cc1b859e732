/**
 * `tagrelay bump --local` killed with SIGKILL at 50 seeded random instants (set
 * TAGRELAY_KILL_SEED to replay a run). After each kill: `git fsck` is clean; the checkout
 * is at the old commit with a clean tree, at the new commit with a clean tree, or holds
 * a journal that the next run (a plain re-run of the bump) settles, saying so, and then
 * succeeds; after that run no scratch file is left, neither under .git nor in the
 * process's temporary directory. Only the node process is killed, as the OOM killer or
 * `kill -9 <pid>` would: a git command it started runs to its end, and is waited for.
 */
import { spawn, spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  watch,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ROOT } from '../support/run-action.js';

const KILLS = 50;
const PARALLEL = 3;
const SEED = Number(process.env.TAGRELAY_KILL_SEED ?? 20261125);
const FILE = 'deploy/env/release-dev/web.yaml';
const releaseText = (tag: string) =>
  `# release layer\nimage:\n  repository: ghcr.io/x/web\n  tag: ${tag} # now\n`;

/** mulberry32: a small seeded generator, so a failing instant can be replayed. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

let scratch: string;
let gitConfig: string;

beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'tagrelay-kill-'));
  gitConfig = join(scratch, 'gitconfig');
  writeFileSync(gitConfig, '[user]\n\tname = Test User\n\temail = test@example.com\n');
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

interface Worker {
  repo: string;
  /** The subprocess's TMPDIR: os.tmpdir() of the CLI. */
  temp: string;
  env: Record<string, string>;
}

function git(repo: string, ...args: string[]) {
  const result = spawnSync('git', ['-C', repo, ...args], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', GIT_CONFIG_GLOBAL: gitConfig, GIT_CONFIG_NOSYSTEM: '1' },
  });
  return { code: result.status, out: `${result.stdout}${result.stderr}`, stdout: result.stdout.trim() };
}

function makeWorker(index: number): Worker {
  const repo = join(scratch, `repo-${index}`);
  const temp = join(scratch, `tmp-${index}`);
  mkdirSync(dirname(join(repo, FILE)), { recursive: true });
  mkdirSync(temp);
  writeFileSync(join(repo, FILE), releaseText('v0'));
  git(repo, 'init', '-q', '-b', 'main');
  git(repo, 'add', '-A');
  git(repo, 'commit', '-q', '-m', 'seed');
  mkdirSync(join(repo, '.git', 'tagrelay'));
  const env = {
    PATH: process.env.PATH ?? '',
    HOME: scratch,
    TMPDIR: temp,
    GIT_CONFIG_GLOBAL: gitConfig,
    GIT_CONFIG_NOSYSTEM: '1',
  };
  return { repo, temp, env };
}

/** Pids whose parent is `pid` (from /proc), to wait for what a killed process left running. */
function childrenOf(pid: number): number[] {
  const children: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[1]) === pid) children.push(Number(entry));
    } catch {
      // Gone meanwhile.
    }
  }
  return children;
}

function running(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
  /** From the first file the run made under .git/tagrelay (its commit starting) to its exit. */
  commitMs?: number;
}

/** When to kill: ms after the start, or ms after the run's commit starts (its first scratch file). */
type KillAt = { afterStartMs: number } | { afterCommitStartsMs: number };

/** Runs the bump; when `kill` is given, SIGKILLs node then and waits out its git children. */
function bump(worker: Worker, tag: string, kill?: KillAt): Promise<Run> {
  const started = Date.now();
  const child = spawn(
    process.execPath,
    [join(ROOT, 'dist', 'cli.js'), 'bump', '--local', worker.repo, '--app', 'web', '--tag', tag],
    { env: worker.env },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  let orphans: number[] = [];
  let timer: NodeJS.Timeout | undefined;
  const killNow = () => {
    orphans = childrenOf(child.pid as number);
    child.kill('SIGKILL');
  };
  if (kill !== undefined && 'afterStartMs' in kill) timer = setTimeout(killNow, kill.afterStartMs);
  let commitStarted: number | undefined;
  const watcher = watch(join(worker.repo, '.git', 'tagrelay'), () => {
    if (commitStarted !== undefined) return;
    commitStarted = Date.now();
    if (kill !== undefined && 'afterCommitStartsMs' in kill)
      timer = setTimeout(killNow, kill.afterCommitStartsMs);
  });
  return new Promise((resolve) => {
    child.on('close', async (code, signal) => {
      clearTimeout(timer);
      watcher.close();
      const ended = Date.now();
      const deadline = ended + 5_000;
      while (orphans.some(running) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
      const commitMs = commitStarted === undefined ? undefined : ended - commitStarted;
      resolve({ code, signal, stdout, stderr, ms: ended - started, commitMs });
    });
  });
}

const scratchFiles = (worker: Worker) => {
  const dir = join(worker.repo, '.git', 'tagrelay');
  return existsSync(dir) ? readdirSync(dir) : [];
};

type Outcome =
  'killed before landing' | 'killed after landing' | 'settled by the next run' | 'ran to the end';

it(`stays consistent through ${KILLS} SIGKILLs at seeded random instants (seed ${SEED})`, async () => {
  const random = seeded(SEED);
  const fractions = Array.from({ length: KILLS }, () => random());
  const workers = Array.from({ length: PARALLEL }, (_, index) => makeWorker(index));
  // One full run per checkout: how long a bump takes here and now, to spread the kills over it.
  const warm = await Promise.all(workers.map((worker) => bump(worker, 'v0-warm')));
  expect(warm.map((run) => run.code)).toEqual(workers.map(() => 0));
  // Full runs so far (whole run, and its commit phase): kills spread over the medians, as the load changes.
  const durations = warm.map((run) => run.ms);
  const commitPhases = warm.map((run) => run.commitMs ?? 0);
  const median = (values: number[]) =>
    [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;

  const outcomes: Record<Outcome, number> = {
    'killed before landing': 0,
    'killed after landing': 0,
    'settled by the next run': 0,
    'ran to the end': 0,
  };
  const queue = fractions.map((fraction, index) => ({ index, fraction }));
  const work = async (worker: Worker) => {
    for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
      const { index, fraction } = next;
      // Even kills: anywhere in the run. Odd kills: anywhere in its commit phase, where the state changes.
      const kill: KillAt =
        index % 2 === 0
          ? { afterStartMs: Math.round(median(durations) * fraction * 1.05) }
          : { afterCommitStartsMs: Math.round(median(commitPhases) * fraction * 1.05) };
      const killAfterMs = 'afterStartMs' in kill ? kill.afterStartMs : kill.afterCommitStartsMs;
      const label = `kill ${index} after ${killAfterMs} ms${'afterStartMs' in kill ? '' : ' into the commit'} (seed ${SEED})`;
      const tag = `v${index + 1}`;
      const old = git(worker.repo, 'rev-parse', 'HEAD').stdout;

      const killed = await bump(worker, tag, kill);
      const fsck = git(worker.repo, 'fsck', '--no-progress', '--no-dangling');
      expect({ label, fsck: fsck.code, out: fsck.out }).toEqual({ label, fsck: 0, out: '' });
      const head = git(worker.repo, 'rev-parse', 'HEAD').stdout;
      const landed = head !== old;
      if (landed) {
        // The new commit: one commit on the old one, holding the tag.
        expect({ label, parent: git(worker.repo, 'rev-parse', 'HEAD~1').stdout }).toEqual({
          label,
          parent: old,
        });
        expect({ label, file: git(worker.repo, 'show', `HEAD:${FILE}`).stdout }).toEqual({
          label,
          file: releaseText(tag).trim(),
        });
      }
      const clean = git(worker.repo, 'status', '--porcelain', '--untracked-files=all').stdout === '';
      const journal = scratchFiles(worker).some((name) => name.startsWith('journal-'));
      // Not clean: only ever with a journal the next run recognises.
      expect({ label, clean, journal: clean || journal }).toEqual({ label, clean, journal: true });

      const again = await bump(worker, tag);
      if (!landed) {
        durations.push(again.ms);
        commitPhases.push(again.commitMs ?? 0);
      }
      expect({ label, code: again.code, stderr: again.stderr }).toMatchObject({ label, code: 0 });
      if (!clean) expect(again.stderr).toContain('an earlier run was interrupted');
      expect(again.stdout).toContain(landed ? `web: already at ${tag}` : ` → ${tag}`);
      expect({
        label,
        status: git(worker.repo, 'status', '--porcelain', '--untracked-files=all').stdout,
        commits: git(worker.repo, 'rev-list', '--count', `${old}..HEAD`).stdout,
        file: readFileSync(join(worker.repo, FILE), 'utf8'),
        scratch: scratchFiles(worker),
        temp: readdirSync(worker.temp),
      }).toEqual({ label, status: '', commits: '1', file: releaseText(tag), scratch: [], temp: [] });

      const outcome: Outcome =
        killed.signal !== 'SIGKILL'
          ? 'ran to the end'
          : !clean
            ? 'settled by the next run'
            : landed
              ? 'killed after landing'
              : 'killed before landing';
      outcomes[outcome] += 1;
      if (process.env.TAGRELAY_KILL_TRACE)
        process.stderr.write(`${label}: ${outcome} (ran ${killed.ms} ms)\n`);
    }
  };
  await Promise.all(workers.map(work));
  // The kills reached every phase: some before, some after the commit, some in between.
  process.stderr.write(
    `kill-local (seed ${SEED}, median run ${median(durations)} ms, commit ${median(commitPhases)} ms): ${JSON.stringify(outcomes)}\n`,
  );
  expect(Object.values(outcomes).reduce((a, b) => a + b, 0)).toBe(KILLS);
  expect(outcomes['killed before landing']).toBeGreaterThan(0);
  expect(outcomes['killed after landing'] + outcomes['settled by the next run']).toBeGreaterThan(0);
}, 60_000);
