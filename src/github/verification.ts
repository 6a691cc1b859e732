/**
 * Verification records on GitHub: smoke-dev writes a commit status (context
 * `tagrelay/smoke/<env>/<app>`) and a Deployment for environment `<env>` with payload
 * `{app, tag, digest}` plus a deployment status, on the GitOps commit that set the tag.
 * Reading them back, for any number of commits, is one GraphQL query (the status context
 * and the deployments of each commit); finding the commit that set a tag is one more
 * (the release file's history with the file at each commit).
 */
import { GraphqlResponseError } from '@octokit/graphql';
import { RequestError } from '@octokit/request-error';
import { NotFoundError, PermissionError, RateLimitError, TransientError } from '../core/errors.js';
import type { RepositoryRef } from '../core/names.js';
import {
  deploymentPayload,
  recordDescription,
  recordFromDeployment,
  recordFromStatus,
  statusContext,
  type ReleaseFileRevision,
  type VerificationRecord,
} from '../core/verification.js';
import type { ReleaseFileHistory, VerificationStore, WrittenRecord } from '../operations/verification.js';
import { createGitHubClient, type GitHubClient, type GitHubClientOptions } from './client.js';
import { isRateLimit } from './resilience.js';
import { USER_AGENT } from '../core/version.js';

/** Commits per records query (aliases); more are read in further queries. */
const COMMITS_PER_QUERY = 50;
const DEPLOYMENTS_PER_COMMIT = 20;
const STATUSES_PER_DEPLOYMENT = 10;

interface StatusContextNode {
  context: string;
  state: string;
  description: string | null;
  targetUrl: string | null;
  createdAt: string;
}

interface DeploymentNode {
  environment: string | null;
  payload: string | null;
  createdAt: string;
  statuses: { nodes: ({ state: string; createdAt: string; logUrl: string | null } | null)[] | null } | null;
}

interface CommitRecordsNode {
  oid: string;
  status: { context: StatusContextNode | null } | null;
  deployments: { nodes: (DeploymentNode | null)[] | null } | null;
}

/** The query that reads the records of `count` commits: status context + deployments per commit. */
export function buildRecordsQuery(count: number): string {
  const variables = ['$owner: String!', '$name: String!', '$context: String!', '$environments: [String!]'];
  const commits: string[] = [];
  for (let index = 0; index < count; index++) {
    variables.push(`$c${index}: GitObjectID!`);
    commits.push(
      `c${index}: object(oid: $c${index}) { ... on Commit { oid ` +
        `status { context(name: $context) { context state description targetUrl createdAt } } ` +
        `deployments(environments: $environments, first: ${DEPLOYMENTS_PER_COMMIT}, orderBy: {field: CREATED_AT, direction: DESC}) ` +
        `{ nodes { environment payload createdAt statuses(first: ${STATUSES_PER_DEPLOYMENT}) { nodes { state createdAt logUrl } } } } } }`,
    );
  }
  return `query tagrelayRecords(${variables.join(', ')}) {
  repository(owner: $owner, name: $name) {
    ${commits.join('\n    ')}
  }
}`;
}

const HISTORY_FIELDS = `target { ... on Commit { history(first: $limit, path: $path) { nodes { oid file(path: $path) { object { ... on Blob { text } } } } } } }`;

const HISTORY_QUERY = `query tagrelayHistory($owner: String!, $name: String!, $qualifiedName: String!, $path: String!, $limit: Int!) {
  repository(owner: $owner, name: $name) { ref(qualifiedName: $qualifiedName) { ${HISTORY_FIELDS} } }
}`;

const DEFAULT_BRANCH_HISTORY_QUERY = `query tagrelayHistory($owner: String!, $name: String!, $path: String!, $limit: Int!) {
  repository(owner: $owner, name: $name) { ref: defaultBranchRef { ${HISTORY_FIELDS} } }
}`;

const CONTAINS_QUERY = `query tagrelayContains($owner: String!, $name: String!, $revision: GitObjectID!, $path: String!) {
  repository(owner: $owner, name: $name) {
    object(oid: $revision) { ... on Commit { history(first: 100, path: $path) { nodes { oid } pageInfo { hasNextPage } } } }
  }
}`;

interface HistoryResponse {
  repository: {
    ref: {
      target: {
        history?: {
          nodes: ({ oid: string; file: { object: { text?: string | null } | null } | null } | null)[];
        };
      } | null;
    } | null;
  } | null;
}

interface ContainsResponse {
  repository: {
    object: { history?: { nodes: ({ oid: string } | null)[]; pageInfo: { hasNextPage: boolean } } } | null;
  } | null;
}

function newestDeploymentStatus(deployment: DeploymentNode) {
  const statuses = (deployment.statuses?.nodes ?? []).filter(
    (status): status is { state: string; createdAt: string; logUrl: string | null } =>
      status !== null && status.state.toUpperCase() !== 'INACTIVE',
  );
  // GitHub marks earlier successful deployments inactive (auto_inactive): the result is the newest other status.
  return statuses.sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt))[0];
}

export class GitHubVerificationStore implements VerificationStore, ReleaseFileHistory {
  readonly description: string;

  constructor(
    private readonly client: GitHubClient,
    readonly repo: RepositoryRef,
  ) {
    this.description = `${repo.owner}/${repo.name}`;
  }

  async write(record: VerificationRecord, commit: string): Promise<WrittenRecord> {
    const context = statusContext(record.env, record.app);
    const description = recordDescription(record, record.result === 'failure' ? record.reason : undefined);
    const state = record.result === 'success' ? 'success' : 'failure';
    const base = { owner: this.repo.owner, repo: this.repo.name };
    await this.call('writing the commit status', commit, () =>
      this.client.octokit.request('POST /repos/{owner}/{repo}/statuses/{sha}', {
        ...base,
        sha: commit,
        state,
        context,
        description,
        ...(record.runUrl ? { target_url: record.runUrl } : {}),
      }),
    );
    const deployment = await this.call('creating the deployment', commit, () =>
      this.client.octokit.request('POST /repos/{owner}/{repo}/deployments', {
        ...base,
        ref: commit,
        task: 'deploy',
        environment: record.env,
        payload: deploymentPayload(record),
        description: `tagrelay smoke: ${record.app} ${record.tag}`.slice(0, 140),
        auto_merge: false,
        // The record is written on failure too: no status check may block it.
        required_contexts: [],
      }),
    );
    const id = (deployment.data as { id?: number }).id;
    if (typeof id !== 'number') {
      throw new Error(
        `GitHub did not create a deployment on ${this.description} (${JSON.stringify(deployment.data).slice(0, 120)})`,
      );
    }
    await this.call('writing the deployment status', commit, () =>
      this.client.octokit.request('POST /repos/{owner}/{repo}/deployments/{deployment_id}/statuses', {
        ...base,
        deployment_id: id,
        state,
        description,
        ...(record.runUrl ? { log_url: record.runUrl } : {}),
        ...(record.url ? { environment_url: record.url } : {}),
      }),
    );
    return { commit, written: [`commit status ${context}`, `deployment ${id} (${record.env})`] };
  }

  async read(commits: string | readonly string[], app: string, env: string): Promise<VerificationRecord[]> {
    const list = [...new Set(typeof commits === 'string' ? [commits] : commits)];
    const records: VerificationRecord[] = [];
    for (let start = 0; start < list.length; start += COMMITS_PER_QUERY) {
      const chunk = list.slice(start, start + COMMITS_PER_QUERY);
      const variables: Record<string, unknown> = {
        owner: this.repo.owner,
        name: this.repo.name,
        context: statusContext(env, app),
        environments: [env],
      };
      chunk.forEach((commit, index) => (variables[`c${index}`] = commit));
      const data = await this.call('reading verification records', chunk[0] as string, () =>
        this.client.graphql<{ repository: Record<string, CommitRecordsNode | null> | null }>(
          buildRecordsQuery(chunk.length),
          variables,
        ),
      );
      if (data.repository === null) throw this.repositoryNotFound();
      chunk.forEach((commit, index) => {
        const node = data.repository?.[`c${index}`];
        if (!node) return;
        const status = node.status?.context;
        const fromStatus = status ? recordFromStatus(status, commit) : undefined;
        if (fromStatus && fromStatus.app === app && fromStatus.env === env) records.push(fromStatus);
        for (const deployment of node.deployments?.nodes ?? []) {
          if (!deployment) continue;
          const latest = newestDeploymentStatus(deployment);
          const record = recordFromDeployment(
            {
              environment: deployment.environment,
              payload: deployment.payload,
              state: latest?.state ?? null,
              createdAt: latest?.createdAt ?? deployment.createdAt,
              logUrl: latest?.logUrl ?? null,
            },
            commit,
          );
          if (record && record.app === app && record.env === env) records.push(record);
        }
      });
    }
    return records;
  }

  async fileHistory(branch: string | undefined, path: string, limit: number): Promise<ReleaseFileRevision[]> {
    const variables: Record<string, unknown> = {
      owner: this.repo.owner,
      name: this.repo.name,
      path,
      limit: Math.min(100, limit),
    };
    if (branch !== undefined) variables.qualifiedName = `refs/heads/${branch}`;
    const data = await this.call('reading the release file history', undefined, () =>
      this.client.graphql<HistoryResponse>(
        branch === undefined ? DEFAULT_BRANCH_HISTORY_QUERY : HISTORY_QUERY,
        variables,
      ),
    );
    if (data.repository === null) throw this.repositoryNotFound();
    if (data.repository.ref === null) {
      throw new NotFoundError(
        branch === undefined
          ? `${this.description} has no default branch`
          : `Branch "${branch}" does not exist in ${this.description}`,
      );
    }
    return (data.repository.ref.target?.history?.nodes ?? [])
      .filter((node): node is NonNullable<typeof node> => node !== null)
      .map((node) => ({ oid: node.oid, text: node.file?.object?.text ?? null }));
  }

  async containsCommit(revision: string, commit: string, path: string): Promise<boolean | undefined> {
    if (revision === commit) return true;
    if (!/^[0-9a-f]{40}$/.test(revision)) return undefined;
    const data = await this.call('reading the synced revision', undefined, () =>
      this.client.graphql<ContainsResponse>(CONTAINS_QUERY, {
        owner: this.repo.owner,
        name: this.repo.name,
        revision,
        path,
      }),
    );
    const history = data.repository?.object?.history;
    if (!history) return undefined;
    if (history.nodes.some((node) => node?.oid === commit)) return true;
    return history.pageInfo.hasNextPage ? undefined : false;
  }

  private repositoryNotFound(): NotFoundError {
    return new NotFoundError(
      `Repository ${this.description} was not found, or the token cannot see it (check gitops-repository and the token's repository access)`,
    );
  }

  /** Maps GitHub's answers to the error kinds the entries report. */
  private async call<T>(doing: string, commit: string | undefined, request: () => Promise<T>): Promise<T> {
    try {
      return await request();
    } catch (error) {
      if (error instanceof GraphqlResponseError) {
        const types = (error.errors ?? []).map((entry) => (entry as { type?: string }).type ?? '');
        const message = error.errors?.[0]?.message ?? error.message;
        if (types.includes('NOT_FOUND') && /repository/i.test(message)) throw this.repositoryNotFound();
        if (types.includes('FORBIDDEN'))
          throw new PermissionError(`The token cannot read ${this.description} (${message})`);
        throw new Error(`GitHub refused ${doing} on ${this.description}: ${message}`);
      }
      if (error instanceof RequestError) {
        if (isRateLimit(error)) {
          throw new RateLimitError(
            `GitHub kept rate-limiting ${this.description} while ${doing} (${error.status}); re-run later`,
          );
        }
        if (error.status >= 500) {
          throw new TransientError(
            `GitHub answered ${error.status} while ${doing} on ${this.description}, also after the retries; re-run`,
          );
        }
        if (error.status === 401) {
          throw new PermissionError(
            `GitHub rejected the token for ${this.description} (401 ${error.message}): the token is wrong, expired or revoked`,
          );
        }
        if (error.status === 403) {
          throw new PermissionError(
            `The token was refused while ${doing} on ${this.description} (403 ${error.message}): ` +
              'it needs statuses: write and deployments: write on that repository',
          );
        }
        if (error.status === 404) throw this.repositoryNotFound();
        if (error.status === 422 && commit !== undefined && /commit|sha|ref/i.test(error.message)) {
          throw new NotFoundError(
            `Commit ${commit} is not in ${this.description} (${error.message}): check commit-sha`,
          );
        }
      }
      throw error;
    }
  }
}

/** A store over a fresh client, as the actions and the CLI open it. */
export function openGitHubVerificationStore(
  repository: RepositoryRef,
  options: Omit<GitHubClientOptions, 'userAgent'>,
): GitHubVerificationStore {
  return new GitHubVerificationStore(createGitHubClient({ userAgent: USER_AGENT, ...options }), repository);
}
