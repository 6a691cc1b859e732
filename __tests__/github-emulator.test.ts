/** The GitHub emulator itself: it must reject what GitHub rejects, and land real git history. */
import { execFileSync } from 'node:child_process';
import {
  READ_TOKEN,
  startGitHubEmulator,
  WRITE_TOKEN,
  type GitHubEmulator,
} from './support/github-emulator/index.js';

const OWNER = 'acme';
const REPO = 'gitops';
const FILE = 'deploy/env/release-dev/shop.yaml';
const SEED = { [FILE]: 'image:\n  tag: sha-old\n', 'README.md': '# gitops\n' };

const git = (dir: string, ...args: string[]) =>
  execFileSync('git', ['--git-dir', dir, ...args], { encoding: 'utf8' });
const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

const READ_QUERY = `query tagrelayRead($owner: String!, $name: String!, $qualifiedName: String!, $p0: String!, $p1: String!) {
  repository(owner: $owner, name: $name) {
    id
    nameWithOwner
    url
    defaultBranchRef { name }
    branch: ref(qualifiedName: $qualifiedName) {
      id
      name
      target {
        oid
        ... on Commit {
          message
          url
          f0: file(path: $p0) { object { ... on Blob { text isBinary isTruncated } } }
          f1: file(path: $p1) { object { ... on Blob { text isBinary isTruncated } } }
        }
      }
    }
  }
}`;

const COMMIT_MUTATION = `mutation tagrelayCommit($input: CreateCommitOnBranchInput!) {
  createCommitOnBranch(input: $input) { commit { oid url } }
}`;

interface GraphQLAnswer {
  status: number;
  message?: string;
  data?: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  errors?: Array<{
    type?: string;
    message: string;
    path?: Array<string | number>;
  }>;
}

let emu: GitHubEmulator;
let repoDir: string;

async function gql(
  query: string,
  variables: Record<string, unknown>,
  token = WRITE_TOKEN,
): Promise<GraphQLAnswer> {
  const res = await fetch(emu.graphqlUrl, {
    method: 'POST',
    headers: {
      authorization: `bearer ${token}`,
      'content-type': 'application/json',
    },
    body: JSON.stringify({ query, variables }),
  });
  return { ...((await res.json()) as object), status: res.status };
}

async function rest(method: string, path: string, body?: unknown, token: string | null = WRITE_TOKEN) {
  const headers: Record<string, string> = {
    accept: 'application/vnd.github+json',
  };
  if (token) headers.authorization = `token ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${emu.url}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return {
    status: res.status,
    headers: res.headers,
    body: (await res.json()) as any, // eslint-disable-line @typescript-eslint/no-explicit-any
  };
}

const head = () => git(repoDir, 'rev-parse', 'refs/heads/main').trim();
const commitInput = (
  expectedHeadOid: string | undefined,
  content: string,
  headline = 'chore: bump shop',
) => ({
  branch: { repositoryNameWithOwner: `${OWNER}/${REPO}`, branchName: 'main' },
  ...(expectedHeadOid === undefined ? {} : { expectedHeadOid }),
  message: { headline, body: 'Tagrelay-Tag: x' },
  fileChanges: { additions: [{ path: FILE, contents: b64(content) }] },
});

beforeAll(async () => {
  emu = await startGitHubEmulator({
    repos: [
      { owner: OWNER, name: REPO, files: SEED },
      {
        owner: OWNER,
        name: 'no-automerge',
        files: { 'a.txt': 'a\n' },
        allowAutoMerge: false,
      },
    ],
  });
  repoDir = emu.repoDir(OWNER, REPO);
});

afterAll(async () => {
  await emu?.close();
});

afterEach(() => {
  emu.setFaults({});
  // No response the emulator sent may contradict GitHub's published schemas.
  expect(emu.violations).toEqual([]);
});

describe('GraphQL', () => {
  it('reads file text and the head oid; missing files and refs are null', async () => {
    const answer = await gql(READ_QUERY, {
      owner: OWNER,
      name: REPO,
      qualifiedName: 'refs/heads/main',
      p0: FILE,
      p1: 'deploy/env/release-dev/absent.yaml',
    });
    expect(answer.errors).toBeUndefined();
    const repo = answer.data!.repository;
    expect(repo.nameWithOwner).toBe(`${OWNER}/${REPO}`);
    expect(repo.url).toBe(`${emu.url}/${OWNER}/${REPO}`);
    expect(repo.defaultBranchRef).toEqual({ name: 'main' });
    expect(repo.branch.target.oid).toBe(head());
    expect(repo.branch.target.url).toBe(`${emu.url}/${OWNER}/${REPO}/commit/${head()}`);
    expect(repo.branch.target.f0.object).toEqual({
      text: SEED[FILE],
      isBinary: false,
      isTruncated: false,
    });
    expect(repo.branch.target.f1).toBeNull();

    const noRef = await gql(READ_QUERY, {
      owner: OWNER,
      name: REPO,
      qualifiedName: 'refs/heads/nope',
      p0: FILE,
      p1: FILE,
    });
    expect(noRef.data!.repository.branch).toBeNull();

    const object = await gql(
      'query { repository(owner: "acme", name: "gitops") { object(expression: "main:README.md") { ... on Blob { text } } } }',
      {},
    );
    expect(object.data!.repository.object).toEqual({ text: SEED['README.md'] });
  });

  it('answers NOT_FOUND for an unknown repository and rejects invalid documents', async () => {
    const missing = await gql(READ_QUERY, {
      owner: OWNER,
      name: 'nope',
      qualifiedName: 'refs/heads/main',
      p0: FILE,
      p1: FILE,
    });
    expect(missing.status).toBe(200);
    expect(missing.data).toEqual({ repository: null });
    expect(missing.errors).toEqual([
      expect.objectContaining({
        type: 'NOT_FOUND',
        path: ['repository'],
        message: `Could not resolve to a Repository with the name '${OWNER}/nope'.`,
      }),
    ]);
    const invalid = await gql('query { repository(owner: "acme", name: "gitops") { noSuchField } }', {});
    expect(invalid.status).toBe(200);
    expect(invalid.data).toBeUndefined();
    expect(invalid.errors![0]!.message).toMatch(/Cannot query field "noSuchField"/);
    const missingArg = await gql('query { repository(owner: "acme") { id } }', {});
    expect(missingArg.errors![0]!.message).toMatch(/argument "name" of type "String!" is required/);
  });

  it('lands a commit as real, linear git history with GitHub as committer', async () => {
    const before = head();
    const answer = await gql(COMMIT_MUTATION, {
      input: commitInput(before, 'image:\n  tag: sha-new\n'),
    });
    expect(answer.errors).toBeUndefined();
    const oid = answer.data!.createCommitOnBranch.commit.oid as string;
    expect(oid).toBe(head());
    expect(answer.data!.createCommitOnBranch.commit.url).toBe(`${emu.url}/${OWNER}/${REPO}/commit/${oid}`);
    expect(git(repoDir, 'rev-parse', `${oid}^`).trim()).toBe(before);
    expect(git(repoDir, 'show', `${oid}:${FILE}`)).toBe('image:\n  tag: sha-new\n');
    expect(git(repoDir, 'log', '-1', '--format=%B', oid).trim()).toBe('chore: bump shop\n\nTagrelay-Tag: x');
    expect(git(repoDir, 'log', '-1', '--format=%an <%ae>|%cn <%ce>', oid).trim()).toBe(
      'github-actions[bot] <41898282+github-actions[bot]@users.noreply.github.com>|GitHub <noreply@github.com>',
    );
    expect(git(repoDir, 'rev-list', '--min-parents=2', 'main').trim()).toBe('');
  });

  it('rejects a mutation without the required expectedHeadOid, and commits nothing', async () => {
    const before = head();
    const answer = await gql(COMMIT_MUTATION, {
      input: commitInput(undefined, 'image:\n  tag: sha-x\n'),
    });
    expect(answer.status).toBe(200);
    expect(answer.data).toBeUndefined();
    expect(answer.errors![0]!.message).toMatch(/expectedHeadOid/);
    expect(head()).toBe(before);
  });

  it('answers STALE_DATA for an old expectedHeadOid and leaves history unchanged', async () => {
    const stale = git(repoDir, 'rev-list', '--max-parents=0', 'main').trim();
    const before = head();
    expect(stale).not.toBe(before);
    const count = git(repoDir, 'rev-list', '--count', 'main');
    const answer = await gql(COMMIT_MUTATION, {
      input: commitInput(stale, 'image:\n  tag: sha-stale\n'),
    });
    expect(answer.data).toEqual({ createCommitOnBranch: null });
    expect(answer.errors).toEqual([
      expect.objectContaining({
        type: 'STALE_DATA',
        path: ['createCommitOnBranch'],
        message: `Expected branch to point to "${stale}" but it did not. Pull and try again.`,
      }),
    ]);
    expect(head()).toBe(before);
    expect(git(repoDir, 'rev-list', '--count', 'main')).toBe(count);
  });

  it('answers NOT_FOUND for a missing branch', async () => {
    const input = {
      ...commitInput(head(), 'x\n'),
      branch: {
        repositoryNameWithOwner: `${OWNER}/${REPO}`,
        branchName: 'gone',
      },
    };
    const answer = await gql(COMMIT_MUTATION, { input });
    expect(answer.errors![0]).toMatchObject({
      type: 'NOT_FOUND',
      message: 'A ref named "refs/heads/gone" does not exist.',
    });
  });

  it('lets exactly one of 20 concurrent commits on the same head win', async () => {
    const before = head();
    const count = Number(git(repoDir, 'rev-list', '--count', 'main'));
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        gql(COMMIT_MUTATION, {
          input: commitInput(before, `image:\n  tag: sha-${i}\n`, `race ${i}`),
        }),
      ),
    );
    const winners = answers.filter((a) => a.data?.createCommitOnBranch);
    const losers = answers.filter((a) => a.errors?.[0]?.type === 'STALE_DATA');
    expect(winners).toHaveLength(1);
    expect(losers).toHaveLength(19);
    expect(head()).toBe(winners[0]!.data!.createCommitOnBranch.commit.oid);
    expect(Number(git(repoDir, 'rev-list', '--count', 'main'))).toBe(count + 1);
  });

  it('refuses mutations with the read-only token (FORBIDDEN) and unknown tokens (401)', async () => {
    const before = head();
    const forbidden = await gql(COMMIT_MUTATION, { input: commitInput(before, 'x\n') }, READ_TOKEN);
    expect(forbidden.status).toBe(200);
    expect(forbidden.data).toEqual({ createCommitOnBranch: null });
    expect(forbidden.errors![0]).toMatchObject({
      type: 'FORBIDDEN',
      path: ['createCommitOnBranch'],
      message: 'Resource not accessible by integration',
    });
    expect(head()).toBe(before);
    const readOk = await gql(
      READ_QUERY,
      { owner: OWNER, name: REPO, qualifiedName: 'main', p0: FILE, p1: FILE },
      READ_TOKEN,
    );
    expect(readOk.data!.repository.branch.target.oid).toBe(before);
    const bad = await gql(
      READ_QUERY,
      { owner: OWNER, name: REPO, qualifiedName: 'main', p0: FILE, p1: FILE },
      'ghs_nope',
    );
    expect(bad.status).toBe(401);
    expect(bad).toMatchObject({ message: 'Bad credentials' });
  });
  it('records a violation when its own answer breaks the schema (a non-null field it leaves empty)', async () => {
    // Commit.additions is `Int!` and the emulator does not compute it: graphql-js reports the
    // null, and the emulator must count that as its own bug rather than pass it off silently.
    const answer = await gql(
      'query { repository(owner: "acme", name: "gitops") { defaultBranchRef { target { ... on Commit { additions } } } } }',
      {},
    );
    expect(answer.errors![0]!.message).toMatch(/Cannot return null for non-nullable field Commit.additions/);
    expect(emu.violations).toHaveLength(1);
    expect(emu.violations[0]).toMatch(/Commit\.additions/);
    emu.violations.length = 0;
  });
});

describe('REST', () => {
  it('serves the repository and refs; Octokit-encoded ref paths work', async () => {
    const repo = await rest('GET', `/repos/${OWNER}/${REPO}`);
    expect(repo.status).toBe(200);
    expect(repo.body).toMatchObject({
      full_name: `${OWNER}/${REPO}`,
      default_branch: 'main',
      allow_auto_merge: true,
    });
    expect(repo.headers.get('x-ratelimit-remaining')).toMatch(/^\d+$/);
    const ref = await rest('GET', `/repos/${OWNER}/${REPO}/git/ref/heads%2Fmain`);
    expect(ref.status).toBe(200);
    expect(ref.body).toMatchObject({
      ref: 'refs/heads/main',
      object: { type: 'commit', sha: head() },
    });
    expect((await rest('GET', `/repos/${OWNER}/${REPO}/git/ref/heads/main`)).body.object.sha).toBe(head());
    expect((await rest('GET', `/repos/${OWNER}/${REPO}/git/ref/heads%2Fnope`)).status).toBe(404);
    expect((await rest('GET', `/repos/${OWNER}/nope`)).status).toBe(404);
  });

  it('answers 401 without or with a bad token, 403 for writes with the read token', async () => {
    const none = await rest('GET', `/repos/${OWNER}/${REPO}`, undefined, null);
    expect(none.status).toBe(401);
    expect(none.body).toEqual({
      message: 'Bad credentials',
      documentation_url: 'https://docs.github.com/rest',
      status: '401',
    });
    expect((await rest('GET', `/repos/${OWNER}/${REPO}`, undefined, 'ghs_bad')).status).toBe(401);
    expect((await rest('GET', `/repos/${OWNER}/${REPO}`, undefined, READ_TOKEN)).status).toBe(200);
    const write = await rest(
      'POST',
      `/repos/${OWNER}/${REPO}/git/refs`,
      { ref: 'refs/heads/ro', sha: head() },
      READ_TOKEN,
    );
    expect(write.status).toBe(403);
    expect(write.body.message).toBe('Resource not accessible by integration');
    expect(git(repoDir, 'for-each-ref', 'refs/heads/ro')).toBe('');
  });

  it('creates refs, refusing existing refs and unknown objects', async () => {
    const created = await rest('POST', `/repos/${OWNER}/${REPO}/git/refs`, {
      ref: 'refs/heads/release/x',
      sha: head(),
    });
    expect(created.status).toBe(201);
    expect(git(repoDir, 'rev-parse', 'refs/heads/release/x').trim()).toBe(head());
    const again = await rest('POST', `/repos/${OWNER}/${REPO}/git/refs`, {
      ref: 'refs/heads/release/x',
      sha: head(),
    });
    expect(again.status).toBe(422);
    expect(again.body.message).toBe('Reference already exists');
    const unknown = await rest('POST', `/repos/${OWNER}/${REPO}/git/refs`, {
      ref: 'refs/heads/y',
      sha: 'f'.repeat(40),
    });
    expect(unknown.status).toBe(422);
    expect(unknown.body.message).toBe('Object does not exist');
    const noSha = await rest('POST', `/repos/${OWNER}/${REPO}/git/refs`, {
      ref: 'refs/heads/z',
    });
    expect(noSha.status).toBe(422);
    expect(noSha.body.message).toMatch(/^Invalid request\.\n\n"sha" wasn't supplied\./);
  });

  it('opens pull requests, rejecting invalid and duplicate ones', async () => {
    const base = head();
    const branch = 'tagrelay/prod-shop';
    expect(
      (
        await rest('POST', `/repos/${OWNER}/${REPO}/git/refs`, {
          ref: `refs/heads/${branch}`,
          sha: base,
        })
      ).status,
    ).toBe(201);
    const commit = await gql(COMMIT_MUTATION, {
      input: {
        ...commitInput(base, 'image:\n  tag: sha-prod\n'),
        branch: {
          repositoryNameWithOwner: `${OWNER}/${REPO}`,
          branchName: branch,
        },
      },
    });
    expect(commit.errors).toBeUndefined();

    const noHead = await rest('POST', `/repos/${OWNER}/${REPO}/pulls`, {
      title: 't',
      base: 'main',
    });
    expect(noHead.status).toBe(422);
    expect(noHead.body.message).toContain(`"head" wasn't supplied.`);
    const badDraft = await rest('POST', `/repos/${OWNER}/${REPO}/pulls`, {
      title: 't',
      head: branch,
      base: 'main',
      draft: 'yes',
    });
    expect(badDraft.status).toBe(422);
    expect(badDraft.body.message).toMatch(/draft/);
    const missingHead = await rest('POST', `/repos/${OWNER}/${REPO}/pulls`, {
      title: 't',
      head: 'nope',
      base: 'main',
    });
    expect(missingHead.status).toBe(422);
    expect(missingHead.body).toMatchObject({
      message: 'Validation Failed',
      errors: [{ field: 'head', code: 'invalid' }],
    });

    const pr = await rest('POST', `/repos/${OWNER}/${REPO}/pulls`, {
      title: 'Promote shop',
      head: branch,
      base: 'main',
      body: 'b',
    });
    expect(pr.status).toBe(201);
    expect(pr.body).toMatchObject({
      number: 1,
      state: 'open',
      html_url: `${emu.url}/${OWNER}/${REPO}/pull/1`,
    });
    const dup = await rest('POST', `/repos/${OWNER}/${REPO}/pulls`, {
      title: 'again',
      head: `${OWNER}:${branch}`,
      base: 'main',
    });
    expect(dup.status).toBe(422);
    expect(dup.body.errors).toEqual([
      {
        resource: 'PullRequest',
        code: 'custom',
        message: `A pull request already exists for ${OWNER}:${branch}.`,
      },
    ]);

    const listed = await rest(
      'GET',
      `/repos/${OWNER}/${REPO}/pulls?head=${OWNER}:${encodeURIComponent(branch)}&base=main&state=open`,
    );
    expect(listed.body.map((p: { number: number }) => p.number)).toEqual([1]);
    expect((await rest('GET', `/repos/${OWNER}/${REPO}/pulls?head=${OWNER}:other`)).body).toEqual([]);
    expect((await rest('GET', `/repos/${OWNER}/${REPO}/pulls?state=bogus`)).status).toBe(422);

    const auto = await gql(
      'mutation enable($id: ID!) { enablePullRequestAutoMerge(input: { pullRequestId: $id, mergeMethod: SQUASH }) { pullRequest { number autoMergeRequest { enabledAt mergeMethod } } } }',
      { id: pr.body.node_id },
    );
    expect(auto.errors).toBeUndefined();
    expect(auto.data!.enablePullRequestAutoMerge.pullRequest).toMatchObject({
      number: 1,
      autoMergeRequest: { mergeMethod: 'SQUASH' },
    });
    expect(emu.pullRequests(OWNER, REPO)).toEqual([
      {
        number: 1,
        head: branch,
        base: 'main',
        title: 'Promote shop',
        body: 'b',
        autoMerge: true,
        state: 'open',
      },
    ]);
  });

  it('refuses auto-merge where the repository does not allow it', async () => {
    const dir = emu.repoDir(OWNER, 'no-automerge');
    const sha = git(dir, 'rev-parse', 'main').trim();
    await rest('POST', `/repos/${OWNER}/no-automerge/git/refs`, {
      ref: 'refs/heads/f',
      sha,
    });
    const ref = await gql(READ_QUERY, {
      owner: OWNER,
      name: 'no-automerge',
      qualifiedName: 'f',
      p0: 'a.txt',
      p1: 'a.txt',
    });
    expect(ref.data!.repository.branch.target.oid).toBe(sha);
    await gql(COMMIT_MUTATION, {
      input: {
        branch: {
          repositoryNameWithOwner: `${OWNER}/no-automerge`,
          branchName: 'f',
        },
        expectedHeadOid: sha,
        message: { headline: 'x' },
        fileChanges: { additions: [{ path: 'a.txt', contents: b64('b\n') }] },
      },
    });
    const pr = await rest('POST', `/repos/${OWNER}/no-automerge/pulls`, {
      title: 't',
      head: 'f',
      base: 'main',
    });
    expect(pr.status).toBe(201);
    const auto = await gql(
      'mutation { enablePullRequestAutoMerge(input: { pullRequestId: "' +
        pr.body.node_id +
        '" }) { clientMutationId } }',
      {},
    );
    expect(auto.errors![0]).toMatchObject({
      type: 'UNPROCESSABLE',
      message: 'Pull request Auto merge is not allowed for this repository',
    });
  });

  it('validates commit statuses and deployments', async () => {
    const sha = head();
    expect(
      (
        await rest('POST', `/repos/${OWNER}/${REPO}/statuses/${sha}`, {
          state: 'bogus',
        })
      ).status,
    ).toBe(422);
    const status = await rest('POST', `/repos/${OWNER}/${REPO}/statuses/${sha}`, {
      state: 'success',
      context: 'dev-site',
    });
    expect(status.status).toBe(201);
    const combined = await rest('GET', `/repos/${OWNER}/${REPO}/commits/main/status`);
    expect(combined.body).toMatchObject({
      state: 'success',
      sha,
      total_count: 1,
    });
    const deployment = await rest('POST', `/repos/${OWNER}/${REPO}/deployments`, {
      ref: 'main',
      environment: 'dev',
      auto_merge: false,
    });
    expect(deployment.status).toBe(201);
    const ds = await rest('POST', `/repos/${OWNER}/${REPO}/deployments/${deployment.body.id}/statuses`, {
      state: 'success',
    });
    expect(ds.status).toBe(201);
    expect(
      (
        await rest('POST', `/repos/${OWNER}/${REPO}/deployments/${deployment.body.id}/statuses`, {
          state: 'done',
        })
      ).status,
    ).toBe(422);
    const list = await rest('GET', `/repos/${OWNER}/${REPO}/deployments?environment=dev`);
    expect(list.body.map((d: { id: number }) => d.id)).toEqual([deployment.body.id]);
    const content = await rest(
      'GET',
      `/repos/${OWNER}/${REPO}/contents/${encodeURIComponent('README.md')}?ref=main`,
    );
    expect(Buffer.from(content.body.content, 'base64').toString('utf8')).toBe(SEED['README.md']);
  });
});

describe('faults and counting', () => {
  it('counts every request by route, faulted ones included', async () => {
    emu.resetCounts();
    await rest('GET', `/repos/${OWNER}/${REPO}`);
    await rest('GET', `/repos/${OWNER}/${REPO}/git/ref/heads%2Fmain`, undefined, null);
    await gql(READ_QUERY, {
      owner: OWNER,
      name: REPO,
      qualifiedName: 'main',
      p0: FILE,
      p1: FILE,
    });
    emu.setFaults({ errorRate: 1, seed: 1 });
    await gql(COMMIT_MUTATION, { input: commitInput(head(), 'x\n') });
    expect(emu.requests).toEqual({
      total: 4,
      byRoute: {
        'GET /repos/{owner}/{repo}': 1,
        'GET /repos/{owner}/{repo}/git/ref/{ref}': 1,
        'graphql query tagrelayRead': 1,
        'graphql mutation tagrelayCommit': 1,
      },
      serverMs: expect.any(Number),
    });
    expect(emu.requests.serverMs).toBeGreaterThan(0);
    emu.resetCounts();
    expect(emu.requests).toEqual({ total: 0, byRoute: {}, serverMs: 0 });
  });

  it('injects 5xx, secondary rate limits and 429 at the configured rates, deterministically', async () => {
    const run = async () => {
      emu.setFaults({
        errorRate: 0.2,
        secondaryRateLimitRate: 0.1,
        tooManyRequestsRate: 0.1,
        retryAfterSeconds: 7,
        seed: 42,
      });
      const statuses: number[] = [];
      for (let i = 0; i < 200; i++) {
        const res = await rest('GET', `/repos/${OWNER}/${REPO}`);
        statuses.push(res.status);
        if (res.status === 403) {
          expect(res.headers.get('retry-after')).toBe('7');
          expect(res.body.message).toMatch(/secondary rate limit/);
        }
        if (res.status === 429) expect(res.headers.get('retry-after')).toBe('7');
      }
      return statuses;
    };
    const first = await run();
    const count = (pred: (s: number) => boolean) => first.filter(pred).length;
    expect(count((s) => s >= 500)).toBeGreaterThan(20);
    expect(count((s) => s >= 500)).toBeLessThan(60);
    expect(count((s) => s === 403)).toBeGreaterThan(8);
    expect(count((s) => s === 403)).toBeLessThan(35);
    expect(count((s) => s === 429)).toBeGreaterThan(8);
    expect(count((s) => s === 429)).toBeLessThan(35);
    expect(count((s) => s === 200)).toBeGreaterThan(100);
    expect(await run()).toEqual(first);
  });

  it('fails after applying a mutation when asked to', async () => {
    const before = head();
    emu.setFaults({ failAfterApplyRate: 1, seed: 3 });
    const res = await fetch(emu.graphqlUrl, {
      method: 'POST',
      headers: { authorization: `token ${WRITE_TOKEN}` },
      body: JSON.stringify({
        query: COMMIT_MUTATION,
        variables: { input: commitInput(before, 'image:\n  tag: sha-ghost\n') },
      }),
    });
    expect(res.status).toBe(502);
    expect(git(repoDir, 'rev-parse', `${head()}^`).trim()).toBe(before);
    expect(git(repoDir, 'show', `main:${FILE}`)).toBe('image:\n  tag: sha-ghost\n');
  });
});
