/**
 * Verification records on GitHub, written and read back through the emulator: commit
 * statuses, deployments with their statuses, the release file's history.
 */
import { NotFoundError, PermissionError } from '../../src/core/errors.js';
import type { VerificationRecord } from '../../src/core/verification.js';
import { createGitHubClient } from '../../src/github/client.js';
import { GitHubRepository } from '../../src/github/repository.js';
import { buildRecordsQuery, GitHubVerificationStore } from '../../src/github/verification.js';
import { findNewestRecord, findTagCommit } from '../../src/operations/verification.js';
import {
  READ_TOKEN,
  startGitHubEmulator,
  WRITE_TOKEN,
  type GitHubEmulator,
} from '../support/github-emulator/index.js';

const OWNER = 'acme';
const NAME = 'gitops';
const PATH = 'deploy/env/release-dev/shop.yaml';
const release = (tag: string, comment = '') =>
  `image:\n  repository: ghcr.io/acme/shop\n  tag: ${tag}${comment}\n`;
const log = { debug: () => {}, info: () => {}, warning: () => {} };

let emulator: GitHubEmulator;
let commits: string[];

const client = (token = WRITE_TOKEN) =>
  createGitHubClient({ token, apiUrl: emulator.url, userAgent: 'test', log, retryBaseMs: 1, maxRetries: 1 });
const store = (token = WRITE_TOKEN) =>
  new GitHubVerificationStore(client(token), { owner: OWNER, name: NAME });

async function commit(
  repository: GitHubRepository,
  path: string,
  content: string,
  headline: string,
): Promise<string> {
  const snapshot = await repository.read('main', []);
  const result = await repository.commit({
    branch: 'main',
    expectedHeadOid: snapshot.headOid,
    message: { headline, body: '' },
    files: [{ path, content }],
  });
  return result.oid;
}

const record = (over: Partial<VerificationRecord> = {}): VerificationRecord => ({
  app: 'shop',
  env: 'dev',
  tag: 'sha-2',
  digest: 'sha256:' + 'd'.repeat(64),
  result: 'success',
  checkedAt: new Date().toISOString(),
  runUrl: 'https://github.com/acme/shop/actions/runs/42',
  url: 'https://shop.dev.synestra.tech',
  checks: [{ url: 'https://shop.dev.synestra.tech/', status: 200, result: 'pass' }],
  ...over,
});

beforeAll(async () => {
  emulator = await startGitHubEmulator({
    repos: [{ owner: OWNER, name: NAME, files: { [PATH]: release('sha-1') } }],
  });
  const repository = new GitHubRepository(client(), { owner: OWNER, name: NAME });
  commits = [
    await commit(repository, PATH, release('sha-2'), 'release(dev): shop sha-2'),
    await commit(repository, 'README.md', '# gitops\n', 'docs'),
    await commit(repository, PATH, release('sha-2', ' # pinned'), 'comment'),
    await commit(repository, PATH, release('sha-3'), 'release(dev): shop sha-3'),
  ];
});
afterAll(() => emulator.close());
afterEach(() => expect(emulator.violations).toEqual([]));

describe('GitHubVerificationStore', () => {
  it('writes a commit status, a deployment and its status on the commit', async () => {
    const written = await store().write(record(), commits[0]!);
    expect(written.written).toEqual([
      'commit status tagrelay/smoke/dev/shop',
      expect.stringMatching(/^deployment \d+ \(dev\)$/),
    ]);
    const status = emulator.statuses(OWNER, NAME).at(-1)!;
    expect(status).toMatchObject({
      sha: commits[0],
      state: 'success',
      context: 'tagrelay/smoke/dev/shop',
      description: 'passed: sha-2 (1 of 1 checks)',
      targetUrl: 'https://github.com/acme/shop/actions/runs/42',
    });
    const deployment = emulator.deployments(OWNER, NAME).at(-1)!;
    expect(deployment).toMatchObject({
      sha: commits[0],
      environment: 'dev',
      payload: { app: 'shop', tag: 'sha-2', digest: 'sha256:' + 'd'.repeat(64) },
    });
    expect(deployment.statuses.map((s) => [s.state, s.logUrl, s.environmentUrl])).toEqual([
      ['success', 'https://github.com/acme/shop/actions/runs/42', 'https://shop.dev.synestra.tech'],
    ]);
  });

  it('reads the records back in one GraphQL query: status and deployment, the digest included', async () => {
    emulator.resetCounts();
    const records = await store().read(commits, 'shop', 'dev');
    expect(emulator.requests.total).toBe(1);
    expect(records.map((r) => [r.source, r.commit, r.tag, r.result])).toEqual([
      ['status', commits[0], 'sha-2', 'success'],
      ['deployment', commits[0], 'sha-2', 'success'],
    ]);
    const newest = await findNewestRecord(store(), commits, 'shop', 'dev', 'sha-2');
    expect(newest).toMatchObject({
      result: 'success',
      digest: 'sha256:' + 'd'.repeat(64),
      runUrl: expect.stringContaining('/runs/42'),
    });
    expect(await findNewestRecord(store(), commits, 'shop', 'prod', 'sha-2')).toBeUndefined();
    expect(await findNewestRecord(store(), commits, 'blog', 'dev', 'sha-2')).toBeUndefined();
  });

  it('writes a failure too, and the newest record wins', async () => {
    await new Promise((resolve) => setTimeout(resolve, 1100)); // GitHub times have whole seconds
    await store().write(
      record({ result: 'failure', reason: 'rollout timed out', checkedAt: new Date().toISOString() }),
      commits[0]!,
    );
    expect(emulator.statuses(OWNER, NAME).at(-1)!.description).toBe('failed: sha-2 (rollout timed out)');
    const newest = await findNewestRecord(store(), commits[0]!, 'shop', 'dev', 'sha-2');
    expect(newest?.result).toBe('failure');
  });

  it('reads a success whose deployment GitHub has since marked inactive (auto_inactive)', async () => {
    await store().write(record({ tag: 'sha-3' }), commits[3]!);
    const first = emulator.deployments(OWNER, NAME)[0]!;
    expect(first.statuses.map((s) => s.state)).toEqual(['success', 'inactive']);
    const fromDeployment = (await store().read(commits[0]!, 'shop', 'dev')).filter(
      (r) => r.source === 'deployment',
    );
    expect(fromDeployment.map((r) => r.result).sort()).toEqual(['failure', 'success']);
    expect(await findNewestRecord(store(), commits, 'shop', 'dev', 'sha-3')).toMatchObject({
      result: 'success',
      commit: commits[3],
    });
  });

  it('reads many commits in chunks of at most 50 per query', async () => {
    emulator.resetCounts();
    const many = Array.from({ length: 51 }, (_, i) =>
      i < commits.length ? commits[i]! : i.toString(16).padStart(40, '0'),
    );
    await store().read(many, 'shop', 'dev');
    expect(emulator.requests.byRoute['graphql query tagrelayRecords']).toBe(2);
    expect(buildRecordsQuery(2)).toContain('c1: object(oid: $c1)');
  });

  it('finds the commit that set a tag in the release file history, and whether a revision contains it', async () => {
    const history = await store().fileHistory('main', PATH, 10);
    expect(history.map((h) => h.oid)).toEqual([commits[3], commits[2], commits[0], expect.any(String)]);
    expect(history[1]!.text).toBe(release('sha-2', ' # pinned'));
    expect(await findTagCommit(store(), 'main', PATH, 'sha-2')).toBe(commits[0]);
    expect(await findTagCommit(store(), undefined, PATH, 'sha-3')).toBe(commits[3]);
    expect(await store().containsCommit(commits[3]!, commits[0]!, PATH)).toBe(true);
    expect(await store().containsCommit(commits[0]!, commits[3]!, PATH)).toBe(false);
    expect(await store().containsCommit('e'.repeat(40), commits[0]!, PATH)).toBeUndefined();
    await expect(store().fileHistory('nope', PATH, 10)).rejects.toThrow('Branch "nope" does not exist');
  });

  it('maps refusals to messages naming what to fix', async () => {
    await expect(store(READ_TOKEN).write(record(), commits[0]!)).rejects.toThrow(PermissionError);
    await expect(store(READ_TOKEN).write(record(), commits[0]!)).rejects.toThrow(
      'statuses: write and deployments: write',
    );
    await expect(store().write(record(), 'f'.repeat(40))).rejects.toThrow(NotFoundError);
    await expect(store().write(record(), 'f'.repeat(40))).rejects.toThrow('check commit-sha');
    const missing = new GitHubVerificationStore(client(), { owner: OWNER, name: 'nope' });
    await expect(missing.read(commits[0]!, 'shop', 'dev')).rejects.toThrow('was not found');
    await expect(store('ghs_wrong').read(commits[0]!, 'shop', 'dev')).rejects.toThrow('rejected the token');
  });
});
