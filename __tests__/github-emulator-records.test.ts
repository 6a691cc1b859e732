/**
 * The emulator's commit statuses, deployments and history in GraphQL (Commit.status,
 * Commit.history, Commit.deployments), GitHub's auto_inactive, and the push hook the
 * dev site listens to. Queries are validated against @octokit/graphql-schema.
 */
import { execFileSync } from 'node:child_process';
import {
  startGitHubEmulator,
  WRITE_TOKEN,
  type GitHubEmulator,
  type PushEvent,
} from './support/github-emulator/index.js';

const OWNER = 'acme';
const REPO = 'gitops';
const FILE = 'deploy/env/release-dev/shop.yaml';
const release = (tag: string) => `image:\n  repository: ghcr.io/acme/shop\n  tag: ${tag}\n`;
const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

let emu: GitHubEmulator;
let commits: string[];

async function gql(query: string, variables: Record<string, unknown> = {}) {
  const res = await fetch(emu.graphqlUrl, {
    method: 'POST',
    headers: { authorization: `bearer ${WRITE_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return (await res.json()) as { data?: any; errors?: { type?: string; message: string }[] };
}

async function rest(method: string, path: string, body?: unknown) {
  const res = await fetch(`${emu.url}${path}`, {
    method,
    headers: {
      authorization: `token ${WRITE_TOKEN}`,
      accept: 'application/vnd.github+json',
      'content-type': 'application/json',
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return { status: res.status, body: (await res.json()) as any };
}

const head = () =>
  execFileSync('git', ['--git-dir', emu.repoDir(OWNER, REPO), 'rev-parse', 'refs/heads/main'], {
    encoding: 'utf8',
  }).trim();

async function commitFile(path: string, content: string, headline: string): Promise<string> {
  const answer = await gql(
    `mutation($input: CreateCommitOnBranchInput!) { createCommitOnBranch(input: $input) { commit { oid } } }`,
    {
      input: {
        branch: { repositoryNameWithOwner: `${OWNER}/${REPO}`, branchName: 'main' },
        expectedHeadOid: head(),
        message: { headline },
        fileChanges: { additions: [{ path, contents: b64(content) }] },
      },
    },
  );
  return answer.data.createCommitOnBranch.commit.oid as string;
}

beforeAll(async () => {
  emu = await startGitHubEmulator({
    repos: [{ owner: OWNER, name: REPO, files: { [FILE]: release('sha-1') } }],
  });
  commits = [head()];
  commits.push(await commitFile(FILE, release('sha-2'), 'release(dev): shop sha-2'));
  commits.push(await commitFile('README.md', '# x\n', 'docs'));
  commits.push(await commitFile(FILE, release('sha-3'), 'release(dev): shop sha-3'));
});
afterAll(() => emu.close());
afterEach(() => expect(emu.violations).toEqual([]));

describe('Commit.history', () => {
  const HISTORY = `query($owner: String!, $name: String!, $path: String, $first: Int, $after: String) {
    repository(owner: $owner, name: $name) { ref(qualifiedName: "refs/heads/main") { target { ... on Commit {
      history(first: $first, path: $path, after: $after) {
        totalCount pageInfo { hasNextPage endCursor }
        nodes { oid messageHeadline file(path: "${FILE}") { object { ... on Blob { text } } } }
      }
    } } } }
  }`;

  it('lists the commits that touched a path, newest first, with the file at each', async () => {
    const answer = await gql(HISTORY, { owner: OWNER, name: REPO, path: FILE, first: 10 });
    const history = answer.data.repository.ref.target.history;
    expect(history.totalCount).toBe(3);
    expect(history.nodes.map((n: { oid: string }) => n.oid)).toEqual([commits[3], commits[1], commits[0]]);
    expect(history.nodes[1].file.object.text).toBe(release('sha-2'));
    expect(history.pageInfo.hasNextPage).toBe(false);
  });

  it('pages with first and after, and lists every commit without a path', async () => {
    const first = await gql(HISTORY, { owner: OWNER, name: REPO, first: 2 });
    const page = first.data.repository.ref.target.history;
    expect(page.totalCount).toBe(4);
    expect(page.nodes.map((n: { oid: string }) => n.oid)).toEqual([commits[3], commits[2]]);
    expect(page.pageInfo.hasNextPage).toBe(true);
    const second = await gql(HISTORY, { owner: OWNER, name: REPO, first: 2, after: page.pageInfo.endCursor });
    expect(second.data.repository.ref.target.history.nodes.map((n: { oid: string }) => n.oid)).toEqual([
      commits[1],
      commits[0],
    ]);
  });

  it('requires first or last, as GitHub does', async () => {
    const answer = await gql(HISTORY, { owner: OWNER, name: REPO, path: FILE });
    expect(answer.errors?.[0]).toMatchObject({ type: 'MISSING_PAGINATION_BOUNDARIES' });
  });
});

describe('Commit.status and Commit.deployments', () => {
  it('shows the latest status per context, a context by name, and null without statuses', async () => {
    for (const [state, description] of [
      ['failure', 'failed: sha-2 (rollout timed out)'],
      ['success', 'passed: sha-2 (3 of 3 checks)'],
    ]) {
      const answer = await rest('POST', `/repos/${OWNER}/${REPO}/statuses/${commits[1]}`, {
        state,
        description,
        context: 'tagrelay/smoke/dev/shop',
        target_url: 'https://github.com/acme/shop/actions/runs/1',
      });
      expect(answer.status).toBe(201);
    }
    await rest('POST', `/repos/${OWNER}/${REPO}/statuses/${commits[1]}`, {
      state: 'pending',
      context: 'ci/other',
    });
    const answer = await gql(
      `query($oid: GitObjectID!) { repository(owner: "${OWNER}", name: "${REPO}") {
      object(oid: $oid) { ... on Commit { status { state
        contexts { context state description targetUrl createdAt }
        mine: context(name: "tagrelay/smoke/dev/shop") { state description }
        none: context(name: "nope") { state } } } }
      other: object(oid: "${commits[2]}") { ... on Commit { status { state } } } } }`,
      { oid: commits[1] },
    );
    expect(answer.errors).toBeUndefined();
    const status = answer.data.repository.object.status;
    expect(status.state).toBe('PENDING');
    expect(status.contexts.map((c: { context: string; state: string }) => [c.context, c.state])).toEqual([
      ['ci/other', 'PENDING'],
      ['tagrelay/smoke/dev/shop', 'SUCCESS'],
    ]);
    expect(status.mine).toEqual({ state: 'SUCCESS', description: 'passed: sha-2 (3 of 3 checks)' });
    expect(status.none).toBeNull();
    expect(answer.data.repository.other.status).toBeNull();
  });

  it('lists deployments per environment with payload and statuses, and marks older successes inactive', async () => {
    const deploy = async (sha: string, environment: string, tag: string, state: string) => {
      const created = await rest('POST', `/repos/${OWNER}/${REPO}/deployments`, {
        ref: sha,
        environment,
        payload: { app: 'shop', tag, digest: null },
        auto_merge: false,
        required_contexts: [],
      });
      expect(created.status).toBe(201);
      expect(
        (await rest('POST', `/repos/${OWNER}/${REPO}/deployments/${created.body.id}/statuses`, { state }))
          .status,
      ).toBe(201);
      return created.body.id as number;
    };
    await deploy(commits[1]!, 'dev', 'sha-2', 'success');
    await deploy(commits[1]!, 'prod', 'sha-2', 'success');
    await deploy(commits[3]!, 'dev', 'sha-3', 'success');
    const query = `query($oid: GitObjectID!) { repository(owner: "${OWNER}", name: "${REPO}") { object(oid: $oid) { ... on Commit {
      deployments(environments: ["dev"], first: 10, orderBy: {field: CREATED_AT, direction: DESC}) {
        totalCount nodes { environment payload state createdAt latestStatus { state } statuses(first: 5) { nodes { state createdAt } } } } } } } }`;
    const answer = await gql(query, { oid: commits[1] });
    expect(answer.errors).toBeUndefined();
    const deployments = answer.data.repository.object.deployments;
    expect(deployments.totalCount).toBe(1);
    expect(JSON.parse(deployments.nodes[0].payload)).toEqual({ app: 'shop', tag: 'sha-2', digest: null });
    expect(deployments.nodes[0].state).toBe('INACTIVE');
    expect(deployments.nodes[0].statuses.nodes.map((s: { state: string }) => s.state)).toEqual([
      'INACTIVE',
      'SUCCESS',
    ]);
    const prod = await gql(query.replace('["dev"]', '["prod"]'), { oid: commits[1] });
    expect(prod.data.repository.object.deployments.nodes[0].state).toBe('ACTIVE');
  });

  it('answers the shape promote-prod asks in one query: files, the commits that set them, and their record', async () => {
    emu.resetCounts();
    const answer = await gql(
      `query($path: String!, $context: String!) { repository(owner: "${OWNER}", name: "${REPO}") {
      ref(qualifiedName: "refs/heads/main") { target { ... on Commit { oid
        f0: file(path: $path) { object { ... on Blob { text } } }
        h0: history(first: 20, path: $path) { nodes { oid
          file(path: $path) { object { ... on Blob { text } } }
          status { context(name: $context) { state description targetUrl createdAt } } } } } } } } }`,
      {
        path: FILE,
        context: 'tagrelay/smoke/dev/shop',
      },
    );
    expect(answer.errors).toBeUndefined();
    expect(emu.requests.total).toBe(1);
    const target = answer.data.repository.ref.target;
    expect(target.f0.object.text).toBe(release('sha-3'));
    const setSha2 = target.h0.nodes.find((n: { oid: string }) => n.oid === commits[1]);
    expect(setSha2.status.context).toMatchObject({
      state: 'SUCCESS',
      description: 'passed: sha-2 (3 of 3 checks)',
    });
  });
});

describe('push hook', () => {
  it('tells listeners about every landed commit with its files', async () => {
    const events: PushEvent[] = [];
    const off = emu.onPush((event) => events.push(event));
    const before = head();
    const oid = await commitFile(FILE, release('sha-4'), 'release(dev): shop sha-4');
    off();
    await commitFile(FILE, release('sha-5'), 'release(dev): shop sha-5');
    expect(events).toEqual([
      {
        owner: OWNER,
        name: REPO,
        branch: 'main',
        before,
        after: oid,
        files: [{ path: FILE, content: release('sha-4') }],
        deleted: [],
      },
    ]);
  });
});
