import { messageText } from '../src/core/commit-message.js';
import { ConflictError, StaleHeadError, TransientError } from '../src/core/errors.js';
import type { FileSnapshot, PlanStep } from '../src/core/plan.js';
import { planBump, initialPaths } from '../src/core/plan.js';
import { DEFAULT_LAYOUT } from '../src/core/layout.js';
import {
  CommitEngine,
  type BranchSnapshot,
  type CommitRequest,
  type CommitTarget,
} from '../src/operations/commit-engine.js';

const FILE = 'deploy/env/release-dev/shop.yaml';
const text = (tag: string) => `image:\n  repository: ghcr.io/x/shop\n  tag: ${tag}\n`;

/** An in-memory branch with compare-and-swap commits; `moveOnCommit` makes N commits lose the race. */
class MemoryBranch implements CommitTarget {
  readonly description = 'memory';
  head = 0;
  files = new Map<string, string>([[FILE, text('sha-old')]]);
  reads: string[][] = [];
  commits: CommitRequest[] = [];
  /** Message and parent of each commit, by oid, as GitHub would report the head. */
  log = new Map<string, { message: string; parentOid: string }>();
  /** Land the next commit but answer as if it had not (a 502, then a retry refused as stale). */
  loseNextAnswer = false;
  constructor(private moveOnCommit = 0) {}

  async read(branch: string | undefined, paths: readonly string[]): Promise<BranchSnapshot> {
    this.reads.push([...paths]);
    const files: Map<string, string | null> = new Map(
      paths.map((path) => [path, this.files.get(path) ?? null]),
    );
    const head = this.log.get(String(this.head));
    return { branch: branch ?? 'main', headOid: String(this.head), files: files as FileSnapshot, head };
  }

  async commit(request: CommitRequest) {
    if (this.moveOnCommit > 0) {
      // Someone else lands first, changing another file.
      this.moveOnCommit--;
      this.head++;
      this.files.set(`other-${this.head}`, 'x');
    }
    if (request.expectedHeadOid !== String(this.head))
      throw new StaleHeadError('Expected branch to point to …');
    this.commits.push(request);
    this.head++;
    this.log.set(String(this.head), {
      message: messageText(request.message),
      parentOid: request.expectedHeadOid,
    });
    for (const { path, content } of request.files) this.files.set(path, content);
    if (this.loseNextAnswer) {
      this.loseNextAnswer = false;
      throw new StaleHeadError('Expected branch to point to … (the retry of a commit that landed)');
    }
    return { oid: String(this.head) };
  }
}

const request = (tag: string) => ({ env: 'dev', apps: ['shop'], tag });
const planner = (tag: string) => (files: FileSnapshot) => planBump(request(tag), files);
const paths = initialPaths('dev', ['shop'], DEFAULT_LAYOUT);
const noSleep = { sleep: async () => {}, random: () => 0.5 };

describe('CommitEngine', () => {
  it('commits the planned files with the head it read as the expected parent', async () => {
    const branch = new MemoryBranch();
    const outcome = await new CommitEngine(branch, noSleep).apply(planner('sha-new'), undefined, paths);
    expect(outcome.commit).toEqual({ oid: '1' });
    expect(outcome.attempts).toBe(1);
    expect(branch.reads).toHaveLength(1);
    expect(branch.commits[0]?.expectedHeadOid).toBe('0');
    expect(branch.files.get(FILE)).toBe(text('sha-new'));
  });

  it('makes no commit when the file already holds the tag', async () => {
    const branch = new MemoryBranch();
    const outcome = await new CommitEngine(branch, noSleep).apply(planner('sha-old'), undefined, paths);
    expect(outcome.commit).toBeUndefined();
    expect(outcome.changeSet.apps[0]).toMatchObject({ app: 'shop', changed: false });
    expect(branch.commits).toHaveLength(0);
  });

  it('re-reads and re-plans when the branch moved, then lands', async () => {
    const branch = new MemoryBranch(2);
    const delays: number[] = [];
    const engine = new CommitEngine(branch, { sleep: async (ms) => void delays.push(ms), random: () => 1 });
    const outcome = await engine.apply(planner('sha-new'), undefined, paths);
    expect(outcome.attempts).toBe(3);
    expect(branch.reads).toHaveLength(3);
    expect(branch.commits).toHaveLength(1);
    expect(branch.commits[0]?.expectedHeadOid).toBe('2');
    // Exponential ceiling: base 50 ms, then 100 ms.
    expect(delays).toEqual([50, 100]);
  });

  it('gives up with a ConflictError after the bounded attempts', async () => {
    const branch = new MemoryBranch(100);
    const engine = new CommitEngine(branch, { ...noSleep, retry: { maxAttempts: 4 } });
    const failure = engine.apply(planner('sha-new'), undefined, paths);
    await expect(failure).rejects.toThrow(ConflictError);
    await expect(failure).rejects.toThrow(/main of memory kept moving: gave up after 4 attempts/);
    expect(branch.reads).toHaveLength(4);
    expect(branch.files.get(FILE)).toBe(text('sha-old'));
  });

  it('gives up when the time budget is spent, whatever the attempts left', async () => {
    let clock = 0;
    const engine = new CommitEngine(new MemoryBranch(100), {
      sleep: async (ms) => void (clock += ms),
      now: () => (clock += 1000),
      random: () => 1,
      retry: { maxAttempts: 1000, maxElapsedMs: 5000 },
    });
    await expect(engine.apply(planner('sha-new'), undefined, paths)).rejects.toThrow(
      /gave up after [2-5] attempts/,
    );
  });

  it('reads the files a custom layout names, in one more read', async () => {
    const branch = new MemoryBranch();
    branch.files.set('deploy/tagrelay.yaml', 'paths:\n  release: apps/{app}/{env}.yaml\n');
    branch.files.set('apps/shop/dev.yaml', text('sha-old'));
    const outcome = await new CommitEngine(branch, noSleep).apply(planner('sha-new'), undefined, paths);
    expect(branch.reads).toEqual([paths, [...paths, 'apps/shop/dev.yaml']]);
    expect(outcome.changeSet.files.map((file) => file.path)).toEqual(['apps/shop/dev.yaml']);
  });

  it('recognises its own commit when the answer was lost and the retry was refused as stale', async () => {
    const branch = new MemoryBranch();
    branch.loseNextAnswer = true;
    const outcome = await new CommitEngine(branch, noSleep).apply(planner('sha-new'), undefined, paths);
    expect(branch.commits).toHaveLength(1);
    expect(outcome.commit).toEqual({ oid: '1', url: undefined });
    expect(outcome.changeSet.apps[0]).toMatchObject({ changed: true, previous: { tag: 'sha-old' } });
  });

  it('does not claim a commit someone else made with the same result', async () => {
    const branch = new MemoryBranch();
    // Another pipeline sets the same tag first; our commit is refused as stale.
    const original = branch.commit.bind(branch);
    branch.commit = async (request) => {
      branch.commit = original;
      await original({ ...request, message: { headline: 'someone else', body: '' } });
      throw new StaleHeadError('Expected branch to point to …');
    };
    const outcome = await new CommitEngine(branch, noSleep).apply(planner('sha-new'), undefined, paths);
    expect(outcome.commit).toBeUndefined();
    expect(outcome.changeSet.apps[0]).toMatchObject({ changed: false });
  });

  it('retries a read and a commit that failed transiently, and lands once', async () => {
    const branch = new MemoryBranch();
    const read = branch.read.bind(branch);
    const commit = branch.commit.bind(branch);
    let readFailures = 1;
    let commitFailures = 1;
    branch.read = async (...args) => {
      if (readFailures-- > 0) throw new TransientError('GitHub answered 502');
      return read(...args);
    };
    branch.commit = async (request) => {
      if (commitFailures-- > 0) throw new TransientError('GitHub answered 503');
      return commit(request);
    };
    const logs: string[] = [];
    const outcome = await new CommitEngine(branch, { ...noSleep, log: (line) => logs.push(line) }).apply(
      planner('sha-new'),
      undefined,
      paths,
    );
    expect(outcome.commit).toEqual({ oid: '1' });
    expect(branch.commits).toHaveLength(1);
    expect(logs).toEqual([
      expect.stringMatching(/^reading the default branch failed; re-reading in \d+ ms \(attempt 2\)$/),
      expect.stringMatching(/^committing failed \(GitHub answered 503\); re-reading/),
    ]);
  });

  it('gives the transient error back when the attempts run out', async () => {
    const branch = new MemoryBranch();
    branch.read = async () => {
      throw new TransientError('GitHub answered 502 while reading');
    };
    const engine = new CommitEngine(branch, { ...noSleep, retry: { maxAttempts: 3 } });
    await expect(engine.apply(planner('sha-new'), undefined, paths)).rejects.toThrow(
      'GitHub answered 502 while reading',
    );
  });

  it('stops after 3 transient failures of the whole operation, long before the attempts for a moving branch', async () => {
    const branch = new MemoryBranch();
    let reads = 0;
    branch.read = async () => {
      reads++;
      throw new TransientError('GitHub answered 502 while reading');
    };
    await expect(
      new CommitEngine(branch, noSleep).apply(planner('sha-new'), undefined, paths),
    ).rejects.toThrow(TransientError);
    expect(reads).toBe(3);
  });

  it('does not claim a commit with its message that landed on another parent', async () => {
    const branch = new MemoryBranch();
    // Our commit is lost; a twin run (same app, same tag, same message) lands after another
    // pipeline's commit, so the head carries our message on a parent we never read.
    const original = branch.commit.bind(branch);
    branch.commit = async (request) => {
      branch.commit = original;
      branch.head++;
      branch.files.set('other', 'x');
      await original({ ...request, expectedHeadOid: String(branch.head) });
      throw new StaleHeadError('Expected branch to point to …');
    };
    const outcome = await new CommitEngine(branch, noSleep).apply(planner('sha-new'), undefined, paths);
    expect(branch.log.get(String(branch.head))).toMatchObject({ parentOid: '1' });
    expect(outcome.commit).toBeUndefined();
    expect(outcome.changeSet.apps[0]).toMatchObject({ changed: false });
  });

  it('re-reads the branch it read first after a stale answer, not whatever is default then', async () => {
    const branch = new MemoryBranch(1);
    const asked: (string | undefined)[] = [];
    const read = branch.read.bind(branch);
    branch.read = async (name, wanted) => {
      asked.push(name);
      return read(name, wanted);
    };
    await new CommitEngine(branch, noSleep).apply(planner('sha-new'), undefined, paths);
    expect(asked).toEqual([undefined, 'main']);
  });

  it.each([
    [
      'a file it did not read',
      'deploy/env/release-dev/other.yaml',
      /the plan writes .*other\.yaml, which it did not read first/,
    ],
    ['a path out of the repository', '../escape.yaml', /refusing to write .*escape\.yaml.*not a plain path/],
  ])('commits nothing when a plan writes %s', async (_name, path, refused) => {
    const branch = new MemoryBranch();
    const stray = (files: FileSnapshot): PlanStep => {
      const step = planBump(request('sha-new'), files);
      if (step.kind !== 'ready') return step;
      const [file] = step.changeSet.files;
      return { ...step, changeSet: { ...step.changeSet, files: [{ ...file!, path }] } };
    };
    await expect(new CommitEngine(branch, noSleep).apply(stray, undefined, paths)).rejects.toThrow(refused);
    expect(branch.commits).toHaveLength(0);
  });

  it('lets other errors through at once', async () => {
    const branch = new MemoryBranch();
    branch.commit = async () => {
      throw new Error('boom');
    };
    await expect(
      new CommitEngine(branch, noSleep).apply(planner('sha-new'), undefined, paths),
    ).rejects.toThrow('boom');
  });
});
