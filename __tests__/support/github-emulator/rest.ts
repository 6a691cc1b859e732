/** The REST endpoints tagrelay calls, validated against the OpenAPI fixture. */
import { catFile, createRef, isAncestor, isValidRefName, parseTree, revParse } from './git.js';
import {
  combinedState,
  latestStatuses,
  nodeId,
  now,
  numericId,
  type Permission,
  type PullRequestRecord,
  type RepoState,
  type State,
} from './state.js';

export interface RestResponse {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export interface RestRequest {
  method: string;
  params: Record<string, unknown>;
  body: unknown;
  permission: Permission;
  state: State;
}

type Handler = (req: RestRequest, repo: RepoState) => Promise<RestResponse> | RestResponse;

export interface Route {
  method: string;
  template: string;
  /** The last path parameter may span several segments (`git/ref/heads/main`). */
  greedyLast?: boolean;
  write: boolean;
  docs: string;
  handler: Handler;
}

const DOCS = 'https://docs.github.com/rest';

export function message(
  status: number,
  text: string,
  docs = DOCS,
  extra: Record<string, unknown> = {},
): RestResponse {
  return {
    status,
    body: {
      message: text,
      documentation_url: docs,
      status: String(status),
      ...extra,
    },
  };
}

const notFound = (docs: string) => message(404, 'Not Found', docs);

const user = (state: State, login: string, id: number, type: 'User' | 'Bot' | 'Organization' = 'User') => {
  const api = `${state.apiUrl}/users/${encodeURIComponent(login)}`;
  return {
    login,
    id,
    node_id: nodeId(type === 'Bot' ? 'BOT' : 'U', login),
    avatar_url: `https://avatars.githubusercontent.com/u/${id}?v=4`,
    gravatar_id: '',
    url: api,
    html_url: `${state.webUrl}/${encodeURIComponent(login)}`,
    followers_url: `${api}/followers`,
    following_url: `${api}/following{/other_user}`,
    gists_url: `${api}/gists{/gist_id}`,
    starred_url: `${api}/starred{/owner}{/repo}`,
    subscriptions_url: `${api}/subscriptions`,
    organizations_url: `${api}/orgs`,
    repos_url: `${api}/repos`,
    events_url: `${api}/events{/privacy}`,
    received_events_url: `${api}/received_events`,
    type,
    user_view_type: 'public',
    site_admin: false,
  };
};

const botUser = (state: State) => user(state, 'github-actions[bot]', 41898282, 'Bot');
const ownerUser = (state: State, repo: RepoState) => user(state, repo.owner, repo.ownerId);

function repoJson(
  state: State,
  repo: RepoState,
  permission: Permission,
  level: 'minimal' | 'repository' | 'full',
) {
  const api = state.apiRepoUrl(repo);
  const web = state.webRepoUrl(repo);
  const minimal = {
    id: repo.id,
    node_id: repo.nodeId,
    name: repo.name,
    full_name: `${repo.owner}/${repo.name}`,
    owner: ownerUser(state, repo),
    private: false,
    html_url: web,
    description: null,
    fork: false,
    url: api,
    archive_url: `${api}/{archive_format}{/ref}`,
    assignees_url: `${api}/assignees{/user}`,
    blobs_url: `${api}/git/blobs{/sha}`,
    branches_url: `${api}/branches{/branch}`,
    collaborators_url: `${api}/collaborators{/collaborator}`,
    comments_url: `${api}/comments{/number}`,
    commits_url: `${api}/commits{/sha}`,
    compare_url: `${api}/compare/{base}...{head}`,
    contents_url: `${api}/contents/{+path}`,
    contributors_url: `${api}/contributors`,
    deployments_url: `${api}/deployments`,
    downloads_url: `${api}/downloads`,
    events_url: `${api}/events`,
    forks_url: `${api}/forks`,
    git_commits_url: `${api}/git/commits{/sha}`,
    git_refs_url: `${api}/git/refs{/sha}`,
    git_tags_url: `${api}/git/tags{/sha}`,
    hooks_url: `${api}/hooks`,
    issue_comment_url: `${api}/issues/comments{/number}`,
    issue_events_url: `${api}/issues/events{/number}`,
    issues_url: `${api}/issues{/number}`,
    keys_url: `${api}/keys{/key_id}`,
    labels_url: `${api}/labels{/name}`,
    languages_url: `${api}/languages`,
    merges_url: `${api}/merges`,
    milestones_url: `${api}/milestones{/number}`,
    notifications_url: `${api}/notifications{?since,all,participating}`,
    pulls_url: `${api}/pulls{/number}`,
    releases_url: `${api}/releases{/id}`,
    stargazers_url: `${api}/stargazers`,
    statuses_url: `${api}/statuses/{sha}`,
    subscribers_url: `${api}/subscribers`,
    subscription_url: `${api}/subscription`,
    tags_url: `${api}/tags`,
    teams_url: `${api}/teams`,
    trees_url: `${api}/git/trees{/sha}`,
  };
  if (level === 'minimal') return minimal;
  const openIssues = repo.pulls.filter((p) => p.state === 'open').length;
  const repository = {
    ...minimal,
    clone_url: `${web}.git`,
    git_url: `${web.replace(/^https?/, 'git')}.git`,
    ssh_url: `git@127.0.0.1:${repo.owner}/${repo.name}.git`,
    svn_url: web,
    mirror_url: null,
    homepage: null,
    language: null,
    forks: 0,
    forks_count: 0,
    stargazers_count: 0,
    watchers_count: 0,
    watchers: 0,
    size: 1,
    default_branch: repo.defaultBranch,
    open_issues: openIssues,
    open_issues_count: openIssues,
    is_template: false,
    topics: [],
    has_issues: true,
    has_projects: false,
    has_wiki: false,
    has_pages: false,
    has_downloads: true,
    has_discussions: false,
    archived: false,
    disabled: false,
    visibility: 'public',
    pushed_at: repo.createdAt,
    created_at: repo.createdAt,
    updated_at: repo.createdAt,
    permissions: {
      admin: false,
      maintain: false,
      push: permission === 'write',
      triage: permission === 'write',
      pull: true,
    },
    allow_rebase_merge: true,
    allow_squash_merge: true,
    allow_merge_commit: true,
    allow_auto_merge: repo.allowAutoMerge,
    delete_branch_on_merge: false,
    allow_update_branch: false,
    allow_forking: true,
    web_commit_signoff_required: false,
    license: null,
  };
  if (level === 'repository') return repository;
  return { ...repository, network_count: 0, subscribers_count: 0 };
}

const gitRefJson = (state: State, repo: RepoState, ref: string, oid: string, type: string) => ({
  ref,
  node_id: state.refNodeId(repo, ref),
  url: `${state.apiRepoUrl(repo)}/git/${ref}`,
  object: {
    type,
    sha: oid,
    url: `${state.apiRepoUrl(repo)}/git/${type}s/${oid}`,
  },
});

async function pullJson(state: State, repo: RepoState, pull: PullRequestRecord, full: boolean) {
  const api = state.apiRepoUrl(repo);
  const web = state.webRepoUrl(repo);
  const [headSha, baseSha] = await Promise.all([
    revParse(repo.dir, `refs/heads/${pull.head}`),
    revParse(repo.dir, `refs/heads/${pull.base}`),
  ]);
  const repository = repoJson(state, repo, 'write', 'repository');
  const side = (ref: string, sha: string | null) => ({
    label: `${repo.owner}:${ref}`,
    ref,
    sha: sha ?? '0'.repeat(40),
    user: ownerUser(state, repo),
    repo: repository,
  });
  const link = (href: string) => ({ href });
  const simple = {
    url: `${api}/pulls/${pull.number}`,
    id: pull.id,
    node_id: pull.nodeId,
    html_url: `${web}/pull/${pull.number}`,
    diff_url: `${web}/pull/${pull.number}.diff`,
    patch_url: `${web}/pull/${pull.number}.patch`,
    issue_url: `${api}/issues/${pull.number}`,
    commits_url: `${api}/pulls/${pull.number}/commits`,
    review_comments_url: `${api}/pulls/${pull.number}/comments`,
    review_comment_url: `${api}/pulls/comments{/number}`,
    comments_url: `${api}/issues/${pull.number}/comments`,
    statuses_url: `${api}/statuses/${headSha ?? '0'.repeat(40)}`,
    number: pull.number,
    state: pull.state,
    locked: false,
    title: pull.title,
    user: botUser(state),
    body: pull.body === '' ? null : pull.body,
    labels: [],
    milestone: null,
    active_lock_reason: null,
    created_at: pull.createdAt,
    updated_at: pull.updatedAt,
    closed_at: pull.state === 'closed' ? pull.updatedAt : null,
    merged_at: null,
    merge_commit_sha: null,
    assignee: null,
    assignees: [],
    requested_reviewers: [],
    requested_teams: [],
    head: side(pull.head, headSha),
    base: side(pull.base, baseSha),
    _links: {
      self: link(`${api}/pulls/${pull.number}`),
      html: link(`${web}/pull/${pull.number}`),
      issue: link(`${api}/issues/${pull.number}`),
      comments: link(`${api}/issues/${pull.number}/comments`),
      review_comments: link(`${api}/pulls/${pull.number}/comments`),
      review_comment: link(`${api}/pulls/comments{/number}`),
      commits: link(`${api}/pulls/${pull.number}/commits`),
      statuses: link(`${api}/statuses/${headSha ?? '0'.repeat(40)}`),
    },
    author_association: 'CONTRIBUTOR',
    auto_merge: pull.autoMerge
      ? {
          enabled_by: botUser(state),
          merge_method: pull.autoMerge.mergeMethod.toLowerCase(),
          commit_title: pull.autoMerge.commitTitle,
          commit_message: pull.autoMerge.commitMessage,
        }
      : null,
    draft: pull.draft,
  };
  if (!full) return simple;
  return {
    ...simple,
    merged: false,
    mergeable: null,
    rebaseable: null,
    mergeable_state: 'unknown',
    merged_by: null,
    comments: 0,
    review_comments: 0,
    maintainer_can_modify: pull.maintainerCanModify,
    commits: 1,
    additions: 0,
    deletions: 0,
    changed_files: 0,
  };
}

const statusJson = (
  state: State,
  repo: RepoState,
  status: RepoState['statuses'][number],
  withCreator: boolean,
) => ({
  url: `${state.apiRepoUrl(repo)}/statuses/${status.sha}`,
  avatar_url: 'https://avatars.githubusercontent.com/in/15368?v=4',
  id: status.id,
  node_id: status.nodeId,
  state: status.state,
  description: status.description,
  target_url: status.targetUrl,
  context: status.context,
  created_at: status.createdAt,
  updated_at: status.createdAt,
  ...(withCreator ? { creator: botUser(state) } : {}),
});

const deploymentJson = (state: State, repo: RepoState, d: RepoState['deployments'][number]) => ({
  url: `${state.apiRepoUrl(repo)}/deployments/${d.id}`,
  id: d.id,
  node_id: d.nodeId,
  sha: d.sha,
  ref: d.ref,
  task: d.task,
  payload: d.payload,
  original_environment: d.originalEnvironment,
  environment: d.environment,
  description: d.description,
  creator: botUser(state),
  created_at: d.createdAt,
  updated_at: d.updatedAt,
  statuses_url: `${state.apiRepoUrl(repo)}/deployments/${d.id}/statuses`,
  repository_url: state.apiRepoUrl(repo),
  transient_environment: d.transientEnvironment,
  production_environment: d.productionEnvironment,
});

const validationFailed = (docs: string, errors: Array<Record<string, string>>): RestResponse =>
  message(422, 'Validation Failed', docs, { errors });

/** Resolves a branch name, tag name, full ref or (abbreviated) sha to a commit id. */
async function resolveCommitish(repo: RepoState, ref: string): Promise<string | null> {
  const candidates = ref.startsWith('refs/')
    ? [ref]
    : [`refs/heads/${ref}`, `refs/tags/${ref}`, ...(/^[0-9a-f]{4,40}$/.test(ref) ? [ref] : [])];
  for (const candidate of candidates) {
    const oid = await revParse(repo.dir, `${candidate}^{commit}`);
    if (oid) return oid;
  }
  return null;
}

export const ROUTES: Route[] = [
  {
    method: 'GET',
    template: '/repos/{owner}/{repo}',
    write: false,
    docs: `${DOCS}/repos/repos#get-a-repository`,
    handler: (req, repo) => ({
      status: 200,
      body: repoJson(req.state, repo, req.permission, 'full'),
    }),
  },
  {
    method: 'GET',
    template: '/repos/{owner}/{repo}/git/ref/{ref}',
    greedyLast: true,
    write: false,
    docs: `${DOCS}/git/refs#get-a-reference`,
    handler: async (req, repo) => {
      const ref = `refs/${String(req.params.ref).replace(/^refs\//, '')}`;
      const oid = await revParse(repo.dir, ref);
      if (!oid) return notFound(`${DOCS}/git/refs#get-a-reference`);
      const [object] = await catFile(repo.dir, [oid]);
      return {
        status: 200,
        body: gitRefJson(req.state, repo, ref, oid, object?.type ?? 'commit'),
      };
    },
  },
  {
    method: 'POST',
    template: '/repos/{owner}/{repo}/git/refs',
    write: true,
    docs: `${DOCS}/git/refs#create-a-reference`,
    handler: async (req, repo) => {
      const docs = `${DOCS}/git/refs#create-a-reference`;
      const { ref, sha } = req.body as { ref: string; sha: string };
      if (!ref.startsWith('refs/') || ref.split('/').length < 3 || !(await isValidRefName(ref))) {
        return message(422, 'Reference name is invalid', docs);
      }
      const [object] = /^[0-9a-f]{40}$/.test(sha) ? await catFile(repo.dir, [sha]) : [null];
      if (!object) return message(422, 'Object does not exist', docs);
      if (await revParse(repo.dir, ref)) return message(422, 'Reference already exists', docs);
      if (!(await createRef(repo.dir, ref, sha))) return message(422, 'Reference already exists', docs);
      return {
        status: 201,
        body: gitRefJson(req.state, repo, ref, sha, object.type),
      };
    },
  },
  {
    method: 'GET',
    template: '/repos/{owner}/{repo}/pulls',
    write: false,
    docs: `${DOCS}/pulls/pulls#list-pull-requests`,
    handler: async (req, repo) => {
      const state = (req.params.state as string | undefined) ?? 'open';
      const head = req.params.head as string | undefined;
      const base = req.params.base as string | undefined;
      let pulls = repo.pulls.filter((p) => state === 'all' || p.state === state);
      if (head) {
        const [owner, branch] = head.includes(':') ? head.split(/:(.*)/s) : [undefined, head];
        pulls = pulls.filter(
          (p) =>
            (owner === undefined || owner.toLowerCase() === p.headOwner.toLowerCase()) &&
            (branch === '' || p.head === branch),
        );
      }
      if (base) pulls = pulls.filter((p) => p.base === base);
      const direction = (req.params.direction as string | undefined) ?? 'desc';
      pulls = [...pulls].sort((a, b) => (direction === 'asc' ? a.number - b.number : b.number - a.number));
      const perPage = Math.min(Number(req.params.per_page ?? 30), 100);
      const page = Number(req.params.page ?? 1);
      const slice = pulls.slice((page - 1) * perPage, page * perPage);
      return {
        status: 200,
        body: await Promise.all(slice.map((p) => pullJson(req.state, repo, p, false))),
      };
    },
  },
  {
    method: 'POST',
    template: '/repos/{owner}/{repo}/pulls',
    write: true,
    docs: `${DOCS}/pulls/pulls#create-a-pull-request`,
    handler: async (req, repo) => {
      const docs = `${DOCS}/pulls/pulls#create-a-pull-request`;
      const body = req.body as {
        title?: string;
        head: string;
        base: string;
        body?: string;
        draft?: boolean;
        maintainer_can_modify?: boolean;
      };
      const [headOwner, head] = body.head.includes(':')
        ? (body.head.split(/:(.*)/s) as [string, string])
        : [repo.owner, body.head];
      if (body.title === undefined)
        return validationFailed(docs, [{ resource: 'Issue', field: 'title', code: 'missing_field' }]);
      const headSha =
        headOwner.toLowerCase() === repo.owner.toLowerCase()
          ? await revParse(repo.dir, `refs/heads/${head}`)
          : null;
      const baseSha = await revParse(repo.dir, `refs/heads/${body.base}`);
      const invalid: Array<Record<string, string>> = [];
      if (!baseSha)
        invalid.push({
          resource: 'PullRequest',
          field: 'base',
          code: 'invalid',
        });
      if (!headSha)
        invalid.push({
          resource: 'PullRequest',
          field: 'head',
          code: 'invalid',
        });
      if (invalid.length > 0) return validationFailed(docs, invalid);
      if (repo.pulls.some((p) => p.state === 'open' && p.head === head && p.base === body.base)) {
        return validationFailed(docs, [
          {
            resource: 'PullRequest',
            code: 'custom',
            message: `A pull request already exists for ${headOwner}:${head}.`,
          },
        ]);
      }
      if (await isAncestor(repo.dir, headSha!, baseSha!)) {
        return validationFailed(docs, [
          {
            resource: 'PullRequest',
            code: 'custom',
            message: `No commits between ${body.base} and ${head}`,
          },
        ]);
      }
      const number = repo.pulls.length + 1;
      const pull: PullRequestRecord = {
        id: numericId(repo.owner, repo.name, 'pull', number),
        nodeId: nodeId('PR', repo.owner, repo.name, number),
        number,
        head,
        headOwner,
        base: body.base,
        title: body.title,
        body: body.body ?? '',
        draft: body.draft ?? false,
        maintainerCanModify: body.maintainer_can_modify ?? true,
        state: 'open',
        createdAt: now(),
        updatedAt: now(),
        autoMerge: null,
      };
      repo.pulls.push(pull);
      return {
        status: 201,
        body: await pullJson(req.state, repo, pull, true),
        headers: { location: `${req.state.apiRepoUrl(repo)}/pulls/${number}` },
      };
    },
  },
  {
    method: 'POST',
    template: '/repos/{owner}/{repo}/statuses/{sha}',
    write: true,
    docs: `${DOCS}/commits/statuses#create-a-commit-status`,
    handler: async (req, repo) => {
      const docs = `${DOCS}/commits/statuses#create-a-commit-status`;
      const sha = String(req.params.sha);
      const body = req.body as {
        state: 'error' | 'failure' | 'pending' | 'success';
        target_url?: string | null;
        description?: string | null;
        context?: string;
      };
      const oid = /^[0-9a-f]{40}$/.test(sha) ? await revParse(repo.dir, `${sha}^{commit}`) : null;
      if (!oid) return message(422, `No commit found for SHA: ${sha}`, docs);
      const id = req.state.nextId();
      const status = {
        id,
        nodeId: nodeId('SC', repo.owner, repo.name, id),
        sha: oid,
        state: body.state,
        targetUrl: body.target_url ?? null,
        description: body.description ?? null,
        context: body.context ?? 'default',
        createdAt: now(),
      };
      repo.statuses.push(status);
      return { status: 201, body: statusJson(req.state, repo, status, true) };
    },
  },
  {
    method: 'GET',
    template: '/repos/{owner}/{repo}/commits/{ref}/status',
    write: false,
    docs: `${DOCS}/commits/statuses#get-the-combined-status-for-a-specific-reference`,
    handler: async (req, repo) => {
      const oid = await resolveCommitish(repo, String(req.params.ref));
      if (!oid)
        return message(
          422,
          `No commit found for SHA: ${String(req.params.ref)}`,
          `${DOCS}/commits/statuses#get-the-combined-status-for-a-specific-reference`,
        );
      const latest = latestStatuses(repo, oid);
      const combined = combinedState(latest);
      return {
        status: 200,
        body: {
          state: combined,
          statuses: latest.map((s) => statusJson(req.state, repo, s, false)),
          sha: oid,
          total_count: latest.length,
          repository: repoJson(req.state, repo, req.permission, 'minimal'),
          commit_url: `${req.state.apiRepoUrl(repo)}/commits/${oid}`,
          url: `${req.state.apiRepoUrl(repo)}/commits/${oid}/status`,
        },
      };
    },
  },
  {
    method: 'POST',
    template: '/repos/{owner}/{repo}/deployments',
    write: true,
    docs: `${DOCS}/deployments/deployments#create-a-deployment`,
    handler: async (req, repo) => {
      const docs = `${DOCS}/deployments/deployments#create-a-deployment`;
      const body = req.body as {
        ref: string;
        task?: string;
        payload?: Record<string, unknown> | string;
        environment?: string;
        description?: string | null;
        required_contexts?: string[];
        transient_environment?: boolean;
        production_environment?: boolean;
      };
      const sha = await resolveCommitish(repo, body.ref);
      if (!sha) return message(422, `No ref found for: ${body.ref}`, docs);
      const latest = latestStatuses(repo, sha);
      const required = body.required_contexts ?? [...new Set(latest.map((s) => s.context))];
      const failing = required.filter(
        (context) => latest.find((s) => s.context === context)?.state !== 'success',
      );
      if (failing.length > 0) {
        return message(409, `Conflict: Commit status checks failed for ${body.ref}.`, docs, {
          errors: [
            {
              contexts: failing.map((context) => ({
                context,
                state: latest.find((s) => s.context === context)?.state ?? 'missing',
              })),
              resource: 'Deployment',
              field: 'required_contexts',
              code: 'invalid',
            },
          ],
        });
      }
      const id = req.state.nextId();
      const environment = body.environment ?? 'production';
      let payload: Record<string, unknown> | string = body.payload ?? {};
      if (typeof payload === 'string') {
        try {
          payload = payload === '' ? {} : (JSON.parse(payload) as Record<string, unknown>);
        } catch {
          /* kept as a string */
        }
      }
      const deployment = {
        id,
        nodeId: nodeId('DE', repo.owner, repo.name, id),
        sha,
        ref: body.ref,
        task: body.task ?? 'deploy',
        payload,
        environment,
        originalEnvironment: environment,
        description: body.description ?? '',
        transientEnvironment: body.transient_environment ?? false,
        productionEnvironment: body.production_environment ?? environment === 'production',
        createdAt: now(),
        updatedAt: now(),
        statuses: [],
      };
      repo.deployments.push(deployment);
      return { status: 201, body: deploymentJson(req.state, repo, deployment) };
    },
  },
  {
    method: 'GET',
    template: '/repos/{owner}/{repo}/deployments',
    write: false,
    docs: `${DOCS}/deployments/deployments#list-deployments`,
    handler: (req, repo) => {
      const p = req.params as {
        sha?: string;
        ref?: string;
        task?: string;
        environment?: string | null;
        per_page?: number;
        page?: number;
      };
      const list = repo.deployments
        .filter(
          (d) =>
            (p.sha === undefined || d.sha === p.sha) &&
            (p.ref === undefined || d.ref === p.ref) &&
            (p.task === undefined || d.task === p.task) &&
            (p.environment === undefined || p.environment === null || d.environment === p.environment),
        )
        .sort((a, b) => b.id - a.id);
      const perPage = Math.min(Number(p.per_page ?? 30), 100);
      const page = Number(p.page ?? 1);
      return {
        status: 200,
        body: list.slice((page - 1) * perPage, page * perPage).map((d) => deploymentJson(req.state, repo, d)),
      };
    },
  },
  {
    method: 'POST',
    template: '/repos/{owner}/{repo}/deployments/{deployment_id}/statuses',
    write: true,
    docs: `${DOCS}/deployments/statuses#create-a-deployment-status`,
    handler: (req, repo) => {
      const docs = `${DOCS}/deployments/statuses#create-a-deployment-status`;
      const deployment = repo.deployments.find((d) => d.id === Number(req.params.deployment_id));
      if (!deployment) return notFound(docs);
      const body = req.body as {
        state: string;
        target_url?: string;
        log_url?: string;
        description?: string;
        environment?: string;
        environment_url?: string;
        auto_inactive?: boolean;
      };
      const id = req.state.nextId();
      const status = {
        id,
        nodeId: nodeId('DES', repo.owner, repo.name, id),
        state: body.state,
        description: body.description ?? '',
        environment: body.environment ?? deployment.environment,
        targetUrl: body.log_url ?? body.target_url ?? '',
        logUrl: body.log_url ?? body.target_url ?? '',
        environmentUrl: body.environment_url ?? '',
        createdAt: now(),
      };
      deployment.statuses.push(status);
      deployment.updatedAt = status.createdAt;
      if (body.environment) deployment.environment = body.environment;
      // auto_inactive (default true): a success marks earlier successful deployments to the same
      // non-transient, non-production environment inactive.
      if (body.state === 'success' && body.auto_inactive !== false) {
        for (const other of repo.deployments) {
          if (
            other === deployment ||
            other.environment !== deployment.environment ||
            other.transientEnvironment
          )
            continue;
          if (other.productionEnvironment) continue;
          const latest = [...other.statuses].sort((a, b) => b.id - a.id)[0];
          if (latest?.state !== 'success') continue;
          const inactiveId = req.state.nextId();
          other.statuses.push({
            ...latest,
            id: inactiveId,
            nodeId: nodeId('DES', repo.owner, repo.name, inactiveId),
            state: 'inactive',
            description: '',
            createdAt: now(),
          });
        }
      }
      const api = req.state.apiRepoUrl(repo);
      return {
        status: 201,
        body: {
          url: `${api}/deployments/${deployment.id}/statuses/${id}`,
          id,
          node_id: status.nodeId,
          state: status.state,
          creator: botUser(req.state),
          description: status.description,
          environment: status.environment,
          target_url: status.targetUrl,
          created_at: status.createdAt,
          updated_at: status.createdAt,
          deployment_url: `${api}/deployments/${deployment.id}`,
          repository_url: api,
          environment_url: status.environmentUrl,
          log_url: status.logUrl,
        },
      };
    },
  },
  {
    method: 'GET',
    template: '/repos/{owner}/{repo}/contents/{path}',
    greedyLast: true,
    write: false,
    docs: `${DOCS}/repos/contents#get-repository-content`,
    handler: async (req, repo) => {
      const docs = `${DOCS}/repos/contents#get-repository-content`;
      const ref = (req.params.ref as string | undefined) ?? repo.defaultBranch;
      const commit = await resolveCommitish(repo, ref);
      if (!commit) return message(404, `No commit found for the ref ${ref}`, docs);
      const path = String(req.params.path).replace(/^\/+|\/+$/g, '');
      const [object] = await catFile(repo.dir, [`${commit}:${path}`]);
      if (!object) return notFound(docs);
      const api = req.state.apiRepoUrl(repo);
      const web = req.state.webRepoUrl(repo);
      const entry = (name: string, entryPath: string, sha: string, type: 'file' | 'dir', size: number) => {
        const url = `${api}/contents/${entryPath}?ref=${encodeURIComponent(ref)}`;
        const gitUrl = `${api}/git/${type === 'dir' ? 'trees' : 'blobs'}/${sha}`;
        const htmlUrl = `${web}/${type === 'dir' ? 'tree' : 'blob'}/${ref}/${entryPath}`;
        return {
          name,
          path: entryPath,
          sha,
          size,
          url,
          html_url: htmlUrl,
          git_url: gitUrl,
          download_url: type === 'file' ? `${web}/raw/${ref}/${entryPath}` : null,
          type,
          _links: { self: url, git: gitUrl, html: htmlUrl },
        };
      };
      if (object.type === 'blob') {
        const name = path.split('/').pop() ?? path;
        const base64 = object.content.toString('base64').replace(/(.{60})/g, '$1\n');
        return {
          status: 200,
          body: {
            ...entry(name, path, object.oid, 'file', object.content.length),
            content: `${base64}\n`,
            encoding: 'base64',
          },
        };
      }
      if (object.type !== 'tree') return notFound(docs);
      const entries = parseTree(object.content).filter((e) => e.type !== 'commit');
      const blobs = await catFile(
        repo.dir,
        entries.map((e) => e.oid),
      );
      return {
        status: 200,
        body: entries.map((e, i) =>
          entry(
            e.name,
            path ? `${path}/${e.name}` : e.name,
            e.oid,
            e.type === 'tree' ? 'dir' : 'file',
            e.type === 'tree' ? 0 : (blobs[i]?.content.length ?? 0),
          ),
        ),
      };
    },
  },
];

export interface RouteMatch {
  route: Route;
  params: Record<string, string>;
}

/** Matches a request path against the route templates; parameters are decoded per segment. */
export function matchRoute(
  method: string,
  pathname: string,
): RouteMatch | { methodNotAllowed: true } | undefined {
  const segments = pathname.replace(/\/+$/, '').split('/').slice(1);
  let pathMatched = false;
  for (const route of ROUTES) {
    const parts = route.template.split('/').slice(1);
    const params: Record<string, string> = {};
    let ok = true;
    for (let i = 0; i < parts.length && ok; i++) {
      const part = parts[i]!;
      const segment = segments[i];
      if (segment === undefined || segment === '') {
        ok = false;
        break;
      }
      const param = /^\{(.+)\}$/.exec(part);
      if (param) {
        const last = i === parts.length - 1 && route.greedyLast;
        const raw = last ? segments.slice(i).join('/') : segment;
        try {
          params[param[1]!] = last
            ? raw.split('/').map(decodeURIComponent).join('/')
            : decodeURIComponent(raw);
        } catch {
          ok = false;
        }
      } else if (part !== segment) ok = false;
    }
    if (ok && !route.greedyLast && segments.length !== parts.length) ok = false;
    if (!ok) continue;
    if (route.method !== method) {
      pathMatched = true;
      continue;
    }
    return { route, params };
  }
  return pathMatched ? { methodNotAllowed: true } : undefined;
}
