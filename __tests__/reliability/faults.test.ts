/**
 * Faults: many bumps while the emulator answers a fixed, seeded share of requests
 * with 5xx, secondary rate limits (403 + retry-after) and 429s, or applies a
 * mutation and then answers 502. Every run lands or fails with one clear line;
 * nothing lands twice or half; the history stays linear.
 */
import {
  WRITE_TOKEN,
  startGitHubEmulator,
  type Faults,
  type GitHubEmulator,
} from '../support/github-emulator/index.js';
import { fileAt, git, isLinear } from '../support/git.js';
import type { ActionRun } from '../support/run-action.js';
import {
  OLD_TAG,
  OWNER,
  REPO,
  STACK_FRAME,
  errorLines,
  landedCommits,
  parsedTag,
  releaseFile,
  releaseText,
  spawnAction,
  withoutDebug,
} from './helpers.js';

const APPS = Array.from({ length: 50 }, (_, index) => `svc-${String(index).padStart(2, '0')}`);
const tagOf = (app: string) => `v2.0.${APPS.indexOf(app)}`;
/** Bumps in flight at once (a sliding window over the 50). */
const CONCURRENCY = 10;

let emulator: GitHubEmulator;
let gitDir: string;

beforeEach(async () => {
  const files = Object.fromEntries(APPS.map((app) => [releaseFile(app), releaseText(app, OLD_TAG)]));
  emulator = await startGitHubEmulator({ repos: [{ owner: OWNER, name: REPO, files }] });
  gitDir = emulator.repoDir(OWNER, REPO);
});

afterEach(async () => {
  expect(emulator.violations).toEqual([]);
  await emulator.close();
});

function bump(app: string): Promise<ActionRun> {
  return spawnAction(
    'bump-release-dev',
    { app, tag: tagOf(app), 'gitops-repository': `${OWNER}/${REPO}`, token: WRITE_TOKEN },
    { GITHUB_API_URL: emulator.url, GITHUB_GRAPHQL_URL: emulator.graphqlUrl },
  ).done;
}

/** Runs the bumps with at most `CONCURRENCY` in flight (a sliding window); returns the runs by app. */
async function bumpAll(apps: readonly string[]): Promise<Map<string, ActionRun>> {
  const runs = new Map<string, ActionRun>();
  const queue = [...apps];
  const worker = async () => {
    for (let app = queue.shift(); app !== undefined; app = queue.shift()) runs.set(app, await bump(app));
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, apps.length) }, worker));
  return runs;
}

/** A failed run says why in one `::error::` line, with no stack trace where the user looks. */
function expectCleanFailure(run: ActionRun): void {
  const errors = errorLines(run.stdout);
  expect(errors).toHaveLength(1);
  expect(errors[0]).toMatch(/^::error::\S.{10,}$/);
  expect(withoutDebug(run.stdout)).not.toMatch(STACK_FRAME);
  expect(run.stderr).not.toMatch(STACK_FRAME);
  expect(run.outputs['commit-sha'] ?? '').toBe('');
}

/** Checks the repository against the runs: one complete commit per landed app, none twice, linear. */
function expectConsistent(runs: Map<string, ActionRun>, base: string): void {
  const commits = landedCommits(gitDir, base);
  expect(isLinear(gitDir)).toBe(true);
  expect(git(gitDir, 'rev-list', '--min-parents=2', 'refs/heads/main').trim()).toBe('');
  for (const commit of commits) {
    expect(commit.parents).toHaveLength(1);
    // No partial commit: exactly the one file its trailers name, with the tag they name.
    expect(commit.app).toBeDefined();
    expect(commit.files).toEqual([releaseFile(commit.app as string)]);
    expect(commit.tag).toBe(tagOf(commit.app as string));
    expect(commit.subject).toBe(`release(dev): ${commit.app} ${commit.tag}`);
    expect(parsedTag(git(gitDir, 'show', `${commit.oid}:${releaseFile(commit.app as string)}`))).toBe(
      commit.tag,
    );
  }
  const perApp = new Map<string, number>();
  for (const commit of commits) perApp.set(commit.app as string, (perApp.get(commit.app as string) ?? 0) + 1);
  for (const [app, count] of perApp) expect({ app, count }).toEqual({ app, count: 1 });

  for (const [app, run] of runs) {
    const text = fileAt(gitDir, releaseFile(app));
    const tag = parsedTag(text);
    if (run.code === 0) {
      expect(tag).toBe(tagOf(app));
      expect(text).toBe(releaseText(app, tagOf(app)));
      if (run.outputs.changed === 'true') {
        const own = commits.find((commit) => commit.app === app);
        expect(own?.oid).toBe(run.outputs['commit-sha']);
      }
    } else {
      expectCleanFailure(run);
    }
    expect([OLD_TAG, tagOf(app)]).toContain(tag);
    if (!perApp.has(app)) expect(text).toBe(releaseText(app, OLD_TAG));
  }
}

const FAULTS: [string, Faults, number][] = [
  // name, faults, the least share of the 50 that must land. Server errors never stop a run (Octokit
  // retries each request, then the commit engine retries the whole read-plan-commit cycle); a rate
  // limit that outlasts the plugin's retries does, on purpose: hammering on is what GitHub bans for.
  [
    '20 % 5xx, 5 % secondary rate limits, 3 % 429',
    {
      errorRate: 0.2,
      secondaryRateLimitRate: 0.05,
      tooManyRequestsRate: 0.03,
      retryAfterSeconds: 1,
      latencyMs: 5,
      seed: 20_240_601,
    },
    0.9,
  ],
];

describe('50 bumps of 50 apps under injected faults', () => {
  it.each(FAULTS)(
    '%s',
    async (_name, faults, minLanded) => {
      const base = git(gitDir, 'rev-parse', 'refs/heads/main').trim();
      emulator.setFaults(faults);
      emulator.resetCounts();
      const started = Date.now();
      const runs = await bumpAll(APPS);
      const wall = Date.now() - started;
      emulator.setFaults({});

      const landed = [...runs.values()].filter((run) => run.code === 0);
      const failed = [...runs.entries()].filter(([, run]) => run.code !== 0);
      console.log(
        `faults: ${landed.length}/50 landed in ${wall} ms, ${emulator.requests.total} requests; failures: ` +
          JSON.stringify(failed.map(([app, run]) => [app, errorLines(run.stdout)[0]])),
      );
      expectConsistent(runs, base);
      // Every run that exited 0 changed its file (each app started at OLD_TAG), and made exactly one commit.
      for (const run of landed) expect(run.outputs.changed).toBe('true');
      expect(landedCommits(gitDir, base)).toHaveLength(landed.length);
      expect(landed.length).toBeGreaterThanOrEqual(Math.ceil(minLanded * APPS.length));
      for (const [, run] of failed) expect(errorLines(run.stdout)[0]).toMatch(/GitHub kept rate-limiting/);
      // The faults really happened: more requests than the fault-free minimum, and rate limits were seen.
      expect(emulator.requests.total).toBeGreaterThan(2 * APPS.length * 1.2);
      expect([...runs.values()].some((run) => /secondary rate limit/.test(run.stdout))).toBe(true);
    },
    120_000,
  );
});

describe('a mutation that lands but is answered 502', () => {
  const MUTATION = 'graphql mutation tagrelayCommit';

  /** One run whose first createCommitOnBranch lands and is answered 502 (seed 2: the retry is answered). */
  async function ambiguousCommit(): Promise<{ run: ActionRun; base: string }> {
    const base = git(gitDir, 'rev-parse', 'refs/heads/main').trim();
    emulator.setFaults({ failAfterApplyRate: 0.5, seed: 2 });
    emulator.resetCounts();
    const [run] = (await bumpAll(['svc-00'])).values();
    emulator.setFaults({});
    // The precondition of the case: the mutation was sent twice (a 502, then Octokit's retry).
    expect(emulator.requests.byRoute[MUTATION]).toBe(2);
    return { run: run as ActionRun, base };
  }

  it('one run: the tag lands in exactly one commit and the run exits 0', async () => {
    const { run, base } = await ambiguousCommit();
    expect(run.code).toBe(0);
    expect(errorLines(run.stdout)).toEqual([]);
    const commits = landedCommits(gitDir, base);
    expect(commits.map(({ app, files }) => ({ app, files }))).toEqual([
      { app: 'svc-00', files: [releaseFile('svc-00')] },
    ]);
    expect(fileAt(gitDir, releaseFile('svc-00'))).toBe(releaseText('svc-00', tagOf('svc-00')));
  });

  // The retried mutation is refused as stale (our own commit moved the head); the engine must
  // recognise the head as its own commit, or a workflow gated on `changed` would skip smoke and
  // promotion for a release that did land.
  it('one run: its outputs say it committed (changed, commit-sha, previous-tags)', async () => {
    const { run, base } = await ambiguousCommit();
    const [commit] = landedCommits(gitDir, base);
    expect(run.outputs).toMatchObject({
      changed: 'true',
      'commit-sha': commit?.oid,
      'previous-tags': JSON.stringify({ 'svc-00': OLD_TAG }),
    });
  });

  it('5 concurrent runs, 30 % of the commit answers 502: never twice, never partial; failures are clean', async () => {
    const base = git(gitDir, 'rev-parse', 'refs/heads/main').trim();
    emulator.setFaults({ failAfterApplyRate: 0.3, latencyMs: 5, seed: 7 });
    const apps = APPS.slice(0, 5);
    const runs = await bumpAll(apps);
    emulator.setFaults({});

    const commits = landedCommits(gitDir, base);
    expect(isLinear(gitDir)).toBe(true);
    const perApp = (app: string) => commits.filter((commit) => commit.app === app).length;
    for (const commit of commits) expect(commit.files).toEqual([releaseFile(commit.app as string)]);
    for (const [app, run] of runs) {
      expect(perApp(app)).toBeLessThanOrEqual(1);
      if (run.code === 0) {
        expect(perApp(app)).toBe(1);
        expect(fileAt(gitDir, releaseFile(app))).toBe(releaseText(app, tagOf(app)));
      } else {
        expectCleanFailure(run);
      }
      expect(run.visible).not.toContain(WRITE_TOKEN);
    }

    // Re-running every app: all exit 0, and still at most one commit per app.
    const again = await bumpAll(apps);
    for (const run of again.values()) expect(run.code).toBe(0);
    const after = landedCommits(gitDir, base);
    for (const app of apps) expect(after.filter((commit) => commit.app === app)).toHaveLength(1);
  }, 60_000);
});

describe('a rate limit that outlasts the retries', () => {
  // A 403 that is a rate limit must not send the user to fix the token's scopes.
  it('says it was rate-limited, not that the token lacks a scope', async () => {
    emulator.setFaults({ secondaryRateLimitRate: 1, retryAfterSeconds: 1, seed: 1 });
    const [run] = (await bumpAll(['svc-00'])).values();
    emulator.setFaults({});
    expect(run?.code).not.toBe(0);
    expectCleanFailure(run as ActionRun);
    expect(errorLines((run as ActionRun).stdout)[0]).toMatch(/rate limit/i);
    expect(errorLines((run as ActionRun).stdout)[0]).not.toMatch(/contents: write|token/i);
  }, 20_000);
});
