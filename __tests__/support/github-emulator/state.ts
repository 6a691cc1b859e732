/** In-memory state beside the git repositories: pull requests, statuses, deployments, node ids. */
import { createHash } from 'node:crypto';

export type Permission = 'write' | 'read';

export interface PullRequestRecord {
  id: number;
  nodeId: string;
  number: number;
  head: string;
  headOwner: string;
  base: string;
  title: string;
  body: string;
  draft: boolean;
  maintainerCanModify: boolean;
  state: 'open' | 'closed';
  createdAt: string;
  updatedAt: string;
  autoMerge: null | {
    mergeMethod: string;
    enabledAt: string;
    commitTitle: string;
    commitMessage: string;
  };
}

export interface StatusRecord {
  id: number;
  nodeId: string;
  sha: string;
  state: 'error' | 'failure' | 'pending' | 'success';
  targetUrl: string | null;
  description: string | null;
  context: string;
  createdAt: string;
}

export interface DeploymentRecord {
  id: number;
  nodeId: string;
  sha: string;
  ref: string;
  task: string;
  payload: Record<string, unknown> | string;
  environment: string;
  originalEnvironment: string;
  description: string | null;
  transientEnvironment: boolean;
  productionEnvironment: boolean;
  createdAt: string;
  updatedAt: string;
  statuses: DeploymentStatusRecord[];
}

export interface DeploymentStatusRecord {
  id: number;
  nodeId: string;
  state: string;
  description: string;
  environment: string;
  targetUrl: string;
  logUrl: string;
  environmentUrl: string;
  createdAt: string;
}

export interface RepoState {
  owner: string;
  name: string;
  id: number;
  nodeId: string;
  ownerId: number;
  dir: string;
  defaultBranch: string;
  allowAutoMerge: boolean;
  createdAt: string;
  pulls: PullRequestRecord[];
  statuses: StatusRecord[];
  deployments: DeploymentRecord[];
}

/** The latest status per context of a commit, newest first (what the combined status shows). */
export function latestStatuses(repo: RepoState, sha: string): StatusRecord[] {
  const byContext = new Map<string, StatusRecord>();
  for (const status of repo.statuses) if (status.sha === sha) byContext.set(status.context, status);
  return [...byContext.values()].sort((a, b) => b.id - a.id);
}

/** GitHub's combined state: failure if any failed or errored, pending if any pending (or none), else success. */
export function combinedState(latest: readonly StatusRecord[]): 'failure' | 'pending' | 'success' {
  if (latest.length === 0) return 'pending';
  if (latest.some((s) => s.state === 'error' || s.state === 'failure')) return 'failure';
  if (latest.some((s) => s.state === 'pending')) return 'pending';
  return 'success';
}

/** GraphQL `Deployment.state` from its latest status (`success` shows as ACTIVE). */
export function deploymentState(deployment: DeploymentRecord): string {
  const latest = [...deployment.statuses].sort((a, b) => b.id - a.id)[0];
  if (!latest) return 'PENDING';
  return latest.state === 'success' ? 'ACTIVE' : latest.state.toUpperCase();
}

export function nodeId(prefix: string, ...parts: Array<string | number>): string {
  const digest = createHash('sha1').update(parts.join('\0')).digest('base64url').slice(0, 16);
  return `${prefix}_kwDO${digest}`;
}

export function numericId(...parts: Array<string | number>): number {
  return (createHash('sha1').update(parts.join('\0')).digest().readUInt32BE(0) % 900_000_000) + 100_000_000;
}

export const now = (): string => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');

export class State {
  readonly repos = new Map<string, RepoState>();
  private sequence = 1000;
  constructor(
    readonly apiUrl: string,
    readonly webUrl: string,
  ) {}

  nextId(): number {
    return ++this.sequence;
  }

  key(owner: string, name: string): string {
    return `${owner}/${name}`.toLowerCase();
  }

  repo(owner: string, name: string): RepoState | undefined {
    return this.repos.get(this.key(owner, name));
  }

  repoByNodeId(id: string): RepoState | undefined {
    return [...this.repos.values()].find((repo) => repo.nodeId === id);
  }

  refNodeId(repo: RepoState, qualifiedName: string): string {
    return nodeId('REF', repo.owner, repo.name, qualifiedName);
  }

  /** A Ref node id → repository + qualified ref name (ids are derived, so search). */
  refByNodeId(
    id: string,
    candidates: (repo: RepoState) => string[],
  ): { repo: RepoState; ref: string } | undefined {
    for (const repo of this.repos.values()) {
      for (const ref of candidates(repo)) if (this.refNodeId(repo, ref) === id) return { repo, ref };
    }
    return undefined;
  }

  pullByNodeId(id: string): { repo: RepoState; pull: PullRequestRecord } | undefined {
    for (const repo of this.repos.values()) {
      const pull = repo.pulls.find((p) => p.nodeId === id);
      if (pull) return { repo, pull };
    }
    return undefined;
  }

  webRepoUrl(repo: RepoState): string {
    return `${this.webUrl}/${repo.owner}/${repo.name}`;
  }

  apiRepoUrl(repo: RepoState): string {
    return `${this.apiUrl}/repos/${repo.owner}/${repo.name}`;
  }
}
