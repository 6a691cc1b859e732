/**
 * The facade that owns every GitHub API call tagrelay makes against the GitOps
 * repository. A one-file (or fifty-file) release is two requests: one GraphQL
 * query reads the branch head and every file at that exact commit, one
 * `createCommitOnBranch` mutation writes them with the head as expected parent.
 * API commits carry no custom author, so GitHub signs them and marks them verified.
 */
import { GraphqlResponseError } from '@octokit/graphql';
import { RequestError } from '@octokit/request-error';

import {
  ConnectionError,
  NotFoundError,
  PermissionError,
  RateLimitError,
  StaleHeadError,
  TransientError,
} from '../core/errors.js';
import {
  decodeFileText,
  encodeFileText,
  exactBlobText,
  gitBlobOid,
  requireEditableSize,
  requireRegularFile,
} from '../core/repository-file.js';
import type { RepositoryRef } from '../core/names.js';
import { createGitHubClient, type GitHubClient, type GitHubClientOptions } from './client.js';
import { answeredHtmlPage, ConnectionFailure } from './network.js';
import { isRateLimit } from './resilience.js';
import {
  AUTO_MERGE_MUTATION,
  COMMIT_MUTATION,
  buildReadQuery,
  type BlobNode,
  type CommitResponse,
  type FileEntry,
  type ReadResponse,
} from './queries.js';
import { USER_AGENT } from '../core/version.js';
import type { BranchSnapshot, CommitRequest, CommitResult } from '../operations/commit-engine.js';
import type { HistorySnapshot, ReleaseHistorySource } from '../operations/promote.js';
import type { PullRequestHost, PullRequestInfo } from '../operations/release.js';
import type { FolderLister } from '../operations/status.js';
import { historyRevisions, type HistoryField } from './history.js';

function errorTypes(error: GraphqlResponseError<unknown>): string[] {
  return error.errors?.map((entry) => (entry as { type?: string }).type ?? '') ?? [];
}

export class GitHubRepository implements ReleaseHistorySource, PullRequestHost, FolderLister {
  readonly description: string;

  constructor(
    private readonly client: GitHubClient,
    readonly repo: RepositoryRef,
  ) {
    this.description = `${repo.owner}/${repo.name}`;
  }

  async read(branch: string | undefined, paths: readonly string[]): Promise<BranchSnapshot> {
    return this.readWithHistory(branch, paths, [], 0);
  }

  /** Files at the head and, per history path, the last `depth` commits that changed it, in one request. */
  async readWithHistory(
    branch: string | undefined,
    paths: readonly string[],
    historyPaths: readonly string[],
    depth: number,
  ): Promise<HistorySnapshot> {
    const variables: Record<string, unknown> = { owner: this.repo.owner, name: this.repo.name };
    if (branch !== undefined) variables.qualifiedName = `refs/heads/${branch}`;
    paths.forEach((path, index) => (variables[`p${index}`] = path));
    historyPaths.forEach((path, index) => (variables[`h${index}`] = path));
    if (historyPaths.length > 0) variables.depth = depth;
    const query = buildReadQuery(paths.length, branch !== undefined, historyPaths.length);
    const data = await this.call('reading the branch', () =>
      this.client.graphql<ReadResponse>(query, variables),
    );
    const repository = data.repository;
    if (repository === null) throw this.repositoryNotFound();
    if (repository.branch === null) {
      throw new NotFoundError(
        branch === undefined
          ? `${this.description} has no default branch (an empty repository?)`
          : `Branch "${branch}" does not exist in ${this.description}`,
      );
    }
    const { name, target } = repository.branch;
    const where = `${this.description} at ${target.oid.slice(0, 12)}`;
    const files = new Map<string, string | null>();
    for (const [index, path] of paths.entries()) {
      const entry = (target[`f${index}`] as FileEntry | null | undefined) ?? null;
      if (entry === null) {
        files.set(path, null);
        continue;
      }
      requireRegularFile(path, entry.mode, where);
      files.set(path, await this.fileText(path, target.oid, entry.object, where));
    }
    const head = { url: target.url, message: target.message, parentOid: target.parents.nodes[0]?.oid };
    const history = new Map(
      historyPaths.map((path, index) => [
        path,
        historyRevisions(target[`h${index}`] as HistoryField | undefined),
      ]),
    );
    return { branch: name, headOid: target.oid, files, head, history };
  }

  /**
   * The exact text of a regular file: GitHub's `text` when it hashes to the blob, else
   * the blob's bytes fetched (one more request, only for such a file) and decoded
   * strictly, which refuses a file that is not UTF-8 with the byte offset.
   */
  private async fileText(path: string, commit: string, blob: BlobNode | null, where: string) {
    if (blob === null || blob.oid === undefined || blob.byteSize === undefined) {
      throw new Error(`GitHub answered ${path} in ${where} as a regular file without its blob`);
    }
    requireEditableSize(path, blob.byteSize, where);
    const exact =
      typeof blob.text === 'string' && !blob.isTruncated
        ? exactBlobText(blob.text, { oid: blob.oid, byteSize: blob.byteSize })
        : undefined;
    if (exact !== undefined) return exact;
    const response = await this.call(`reading the bytes of ${path}`, () =>
      this.client.octokit.request('GET /repos/{owner}/{repo}/contents/{path}', {
        owner: this.repo.owner,
        repo: this.repo.name,
        path,
        ref: commit,
      }),
    );
    const data = response.data as { type?: string; sha?: string; encoding?: string; content?: string };
    const bytes =
      data.type === 'file' && data.encoding === 'base64'
        ? Buffer.from(data.content ?? '', 'base64')
        : undefined;
    if (bytes === undefined || data.sha !== blob.oid || gitBlobOid(bytes, blob.oid.length) !== blob.oid) {
      throw new Error(
        `GitHub answered the contents of ${path} in ${where} with other bytes than blob ${blob.oid}`,
      );
    }
    return decodeFileText(path, bytes);
  }

  async commit(request: CommitRequest): Promise<CommitResult> {
    const input = {
      branch: { repositoryNameWithOwner: this.description, branchName: request.branch },
      expectedHeadOid: request.expectedHeadOid,
      message: { headline: request.message.headline, body: request.message.body },
      fileChanges: {
        additions: request.files.map(({ path, content }) => ({
          path,
          contents: Buffer.from(encodeFileText(content)).toString('base64'),
        })),
      },
    };
    const data = await this.call('committing (the commit may or may not have landed)', () =>
      this.client.graphql<CommitResponse>(COMMIT_MUTATION, { input }),
    );
    const commit = data.createCommitOnBranch?.commit;
    if (!commit)
      throw new Error(`GitHub answered createCommitOnBranch on ${this.description} without a commit`);
    return { oid: commit.oid, url: commit.url };
  }

  /** Entry names of folders at a commit, in one request (app discovery for status). */
  async listFolders(commit: string, folders: readonly string[]): Promise<Map<string, string[]>> {
    const variables: Record<string, unknown> = { owner: this.repo.owner, name: this.repo.name };
    const fields = folders.map((folder, index) => {
      variables[`e${index}`] = `${commit}:${folder}`;
      return `d${index}: object(expression: $e${index}) { ... on Tree { entries { name } } }`;
    });
    const declared = folders.map((_, index) => `, $e${index}: String!`).join('');
    const query = `query tagrelayList($owner: String!, $name: String!${declared}) {
  repository(owner: $owner, name: $name) { ${fields.join(' ')} }
}`;
    const data = await this.call('listing the release folders', () =>
      this.client.graphql<{ repository: Record<string, { entries?: { name: string }[] } | null> | null }>(
        query,
        variables,
      ),
    );
    if (data.repository === null) throw this.repositoryNotFound();
    const repository = data.repository;
    return new Map(
      folders.map((folder, index) => [
        folder,
        (repository[`d${index}`]?.entries ?? []).map((entry) => entry.name),
      ]),
    );
  }

  /** Creates `refs/heads/<name>` at `sha`; false when it already exists. */
  async createBranch(name: string, sha: string): Promise<boolean> {
    try {
      await this.call('creating the pull request branch', () =>
        this.client.octokit.request('POST /repos/{owner}/{repo}/git/refs', {
          owner: this.repo.owner,
          repo: this.repo.name,
          ref: `refs/heads/${name}`,
          sha,
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof RequestError && error.status === 422 && /already exists/i.test(error.message))
        return false;
      throw error;
    }
  }

  async findOpenPullRequest(head: string, base: string): Promise<PullRequestInfo | undefined> {
    const response = await this.call('listing pull requests', () =>
      this.client.octokit.request('GET /repos/{owner}/{repo}/pulls', {
        owner: this.repo.owner,
        repo: this.repo.name,
        head: `${this.repo.owner}:${head}`,
        base,
        state: 'open',
        per_page: 1,
      }),
    );
    const pull = response.data[0];
    return pull && { number: pull.number, url: pull.html_url, nodeId: pull.node_id };
  }

  async createPullRequest(head: string, base: string, title: string, body: string): Promise<PullRequestInfo> {
    const response = await this.call('opening the pull request', () =>
      this.client.octokit.request('POST /repos/{owner}/{repo}/pulls', {
        owner: this.repo.owner,
        repo: this.repo.name,
        head,
        base,
        title,
        body,
      }),
    );
    return { number: response.data.number, url: response.data.html_url, nodeId: response.data.node_id };
  }

  /** Turns on auto-merge; returns why not when the repository does not allow it. */
  async enableAutoMerge(pullRequestNodeId: string): Promise<string | undefined> {
    try {
      await this.client.graphql(AUTO_MERGE_MUTATION, {
        input: { pullRequestId: pullRequestNodeId, mergeMethod: 'SQUASH' },
      });
      return undefined;
    } catch (error) {
      if (error instanceof GraphqlResponseError) return error.errors?.[0]?.message ?? error.message;
      throw error;
    }
  }

  private repositoryNotFound(): NotFoundError {
    return new NotFoundError(
      `Repository ${this.description} was not found, or the token cannot see it (check gitops-repository and the token's repository access)`,
    );
  }

  /** Maps GitHub's answers to the error kinds the entries report; `doing` says which call failed. */
  private async call<T>(doing: string, request: () => Promise<T>): Promise<T> {
    try {
      return await request();
    } catch (error) {
      if (error instanceof GraphqlResponseError) {
        const types = errorTypes(error);
        const message = error.errors?.[0]?.message ?? error.message;
        if (types.includes('STALE_DATA')) throw new StaleHeadError(message);
        if (types.includes('RATE_LIMITED')) {
          throw new RateLimitError(
            `GitHub kept rate-limiting ${this.description} while ${doing} (${message}): ` +
              'gave up after the retries; wait a few minutes and re-run (re-running is safe)',
          );
        }
        if (types.includes('FORBIDDEN')) {
          throw new PermissionError(
            `The token cannot write to ${this.description} (${message}): it needs contents: write` +
              ' (and pull-requests: write for pull requests) on that repository',
          );
        }
        if (types.includes('NOT_FOUND')) {
          if (/repository/i.test(message)) throw this.repositoryNotFound();
          throw new NotFoundError(`${message} (${this.description})`);
        }
        throw error;
      }
      if (error instanceof RequestError && error.cause instanceof ConnectionFailure) {
        const { cause } = error;
        throw new ConnectionError(
          `${cause.message} while ${doing} on ${this.description} (tried ${cause.attempts} time${cause.attempts === 1 ? '' : 's'}): ` +
            (cause.proxy
              ? 'check the proxy (HTTPS_PROXY, HTTP_PROXY, NO_PROXY) and the network; re-running is safe'
              : 'check GITHUB_API_URL (and GITHUB_GRAPHQL_URL) and the network; re-running is safe'),
        );
      }
      if (error instanceof RequestError && error.status === 407) {
        throw new ConnectionError(`${error.message} (while ${doing} on ${this.description})`);
      }
      if (error instanceof RequestError) {
        // The resilience hook (resilience.ts) has already waited and retried by now.
        if (isRateLimit(error)) {
          throw new RateLimitError(
            `GitHub kept rate-limiting ${this.description} while ${doing} (${error.status} ${error.message}): ` +
              'gave up after the retries; wait a few minutes and re-run (re-running is safe)',
          );
        }
        if (error.status >= 500) {
          const page = answeredHtmlPage(error);
          throw new TransientError(
            page
              ? `${error.request.url.split('?')[0]} answered ${error.message} while ${doing} on ${this.description}: ` +
                  'a proxy or web server, not the GitHub API, answered; check GITHUB_API_URL, or re-run later'
              : `GitHub answered ${error.status} (${error.message}) while ${doing} on ${this.description}, ` +
                  'also after the retries; re-run (re-running is safe: a landed change is not made twice)',
          );
        }
        if (error.status === 401) {
          throw new PermissionError(
            `GitHub rejected the token for ${this.description} (401 ${error.message}): the token is wrong, expired or revoked`,
          );
        }
        if (error.status === 403) {
          throw new PermissionError(
            `The token was refused by ${this.description} (403 ${error.message}): it needs contents: write` +
              ' (and pull-requests: write for pull requests)',
          );
        }
        if (error.status === 404) throw this.repositoryNotFound();
      }
      throw error;
    }
  }
}

/** A facade over a fresh client: what the actions and the CLI open once per run. */
export function openGitHubRepository(
  repository: RepositoryRef,
  options: Omit<GitHubClientOptions, 'userAgent'>,
): GitHubRepository {
  return new GitHubRepository(createGitHubClient({ userAgent: USER_AGENT, ...options }), repository);
}
