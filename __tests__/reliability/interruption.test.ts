/**
 * Interruption: a bump killed (SIGTERM, then SIGKILL after a short grace) at points
 * before, during and after its commit. Every time the branch is at the old head or
 * exactly one new commit holding the complete change, never in between, and which of
 * the two is known, not guessed: the emulator counts the commit mutations it received,
 * and one it received lands whether the client lives or not. The exit status agrees:
 * a run that ended by itself exited 0 with its release landed; a killed one has no code.
 */
import { WRITE_TOKEN, startGitHubEmulator, type GitHubEmulator } from '../support/github-emulator/index.js';
import { fileAt, git, isLinear } from '../support/git.js';
import {
  OLD_TAG,
  OWNER,
  REPO,
  landedCommits,
  parsedTag,
  releaseFile,
  releaseText,
  spawnAction,
} from './helpers.js';

/**
 * Every request waits this long in the emulator. A run sends its read ≈ 55 ms after it
 * starts (≈ 100 ms on a loaded machine), its commit once the read is answered (≈ 290 ms), and
 * the commit lands ≈ 240 ms later; the commit can never be sent before LATENCY_MS.
 */
const LATENCY_MS = 200;
const GRACE_MS = 100;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let emulator: GitHubEmulator;
let gitDir: string;
const APPS = Array.from({ length: 8 }, (_, index) => `web-${index}`);

beforeAll(async () => {
  const files = Object.fromEntries(APPS.map((app) => [releaseFile(app), releaseText(app, OLD_TAG)]));
  emulator = await startGitHubEmulator({ repos: [{ owner: OWNER, name: REPO, files }] });
  gitDir = emulator.repoDir(OWNER, REPO);
  emulator.setFaults({ latencyMs: LATENCY_MS });
});

afterAll(async () => {
  expect(emulator.violations).toEqual([]);
  await emulator.close();
});

// [kill after ms, what the branch must show where the timing makes it certain: 'old', 'new',
// or 'either' when the kill races the commit (the test then finds out which, and checks it)]
const KILL_POINTS: [number, 'old' | 'new' | 'either'][] = [
  [50, 'old'], // node is still starting
  [150, 'old'], // about when the read is sent
  [190, 'old'], // the read is in flight: no commit can have been sent before LATENCY_MS
  [290, 'either'], // around the commit request
  [400, 'either'], // the commit is in flight (the emulator finishes it without the client)
  [520, 'either'], // around the commit's answer
  [4000, 'new'], // after the run ended (slack for a loaded machine)
];

describe('a bump killed mid-flight', () => {
  it.each(KILL_POINTS.map(([after, expected], index) => [after, expected, APPS[index] as string] as const))(
    'killed after %i ms (%s): old or new as the commits the emulator received say, never in between',
    async (after, expected, app) => {
      const before = git(gitDir, 'rev-parse', 'refs/heads/main').trim();
      const tag = `v3.0.${after}`;
      emulator.resetCounts();
      const { child, done } = spawnAction(
        'bump-release-dev',
        { app, tag, 'gitops-repository': `${OWNER}/${REPO}`, token: WRITE_TOKEN },
        { GITHUB_API_URL: emulator.url, GITHUB_GRAPHQL_URL: emulator.graphqlUrl },
      );
      await sleep(after);
      child.kill('SIGTERM');
      const killed = await Promise.race([done, sleep(GRACE_MS).then(() => undefined)]);
      if (killed === undefined) child.kill('SIGKILL');
      const run = await done;
      // Requests the dead client left behind finish in the emulator: wait them out before looking.
      await sleep(2 * LATENCY_MS + 200);

      const commits = landedCommits(gitDir, before);
      const state = commits.length === 0 ? 'old' : 'new';
      // Which one it must be: new exactly when the emulator received the commit mutation.
      const sent = emulator.requests.byRoute['graphql mutation tagrelayCommit'] ?? 0;
      expect({ sent, state }).toEqual({ sent, state: sent > 0 ? 'new' : 'old' });
      expect(sent).toBeLessThanOrEqual(1);
      if (expected !== 'either') expect(state).toBe(expected);
      // The exit status: ended by itself → 0 with the release landed; killed → a signal and no code.
      if (run.signal === null) expect({ code: run.code, state }).toEqual({ code: 0, state: 'new' });
      else
        expect({ code: run.code, signal: run.signal }).toEqual({
          code: null,
          signal: expect.stringMatching(/^SIG(TERM|KILL)$/),
        });
      if (run.code === 0) expect(run.outputs['commit-sha']).toBe(commits[0]?.oid);
      expect(commits.length).toBeLessThanOrEqual(1);
      expect(isLinear(gitDir)).toBe(true);
      const text = fileAt(gitDir, releaseFile(app));
      if (state === 'old') {
        expect(git(gitDir, 'rev-parse', 'refs/heads/main').trim()).toBe(before);
        expect(text).toBe(releaseText(app, OLD_TAG));
      } else {
        const [commit] = commits;
        expect(commit?.parents).toEqual([before]);
        expect(commit?.files).toEqual([releaseFile(app)]);
        expect(commit?.subject).toBe(`release(dev): ${app} ${tag}`);
        expect(parsedTag(text)).toBe(tag);
        expect(text).toBe(releaseText(app, tag));
      }
      // A re-run completes the release either way, with at most the one commit.
      emulator.setFaults({});
      const again = await spawnAction(
        'bump-release-dev',
        { app, tag, 'gitops-repository': `${OWNER}/${REPO}`, token: WRITE_TOKEN },
        { GITHUB_API_URL: emulator.url, GITHUB_GRAPHQL_URL: emulator.graphqlUrl },
      ).done;
      emulator.setFaults({ latencyMs: LATENCY_MS });
      expect(again.code).toBe(0);
      expect(landedCommits(gitDir, before)).toHaveLength(1);
      expect(fileAt(gitDir, releaseFile(app))).toBe(releaseText(app, tag));
    },
    20_000,
  );
});
