/** POST /graphql: parsed, validated and executed by graphql-js against GitHub's published schema. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  buildSchema,
  execute,
  GraphQLError,
  type GraphQLSchema,
  Kind,
  type OperationDefinitionNode,
  parse,
  type DocumentNode,
  validate,
} from 'graphql';
import {
  catFile,
  commitOnBranch,
  countCommits,
  type GitObject,
  git,
  logCommits,
  parseCommit,
  parseTree,
  revParse,
} from './git.js';
import { locateFromRoot } from './locate.js';
import {
  combinedState,
  deploymentState,
  latestStatuses,
  nodeId,
  now,
  type DeploymentRecord,
  type Permission,
  type PullRequestRecord,
  type RepoState,
  type State,
  type StatusRecord,
} from './state.js';

const SCHEMA_FROM_ROOT = join('node_modules', '@octokit', 'graphql-schema', 'schema.graphql');

let cachedSchema: GraphQLSchema | undefined;
/** GitHub's GraphQL schema (@octokit/graphql-schema), built once per process (~150 ms). */
export function githubSchema(): GraphQLSchema {
  cachedSchema ??= buildSchema(readFileSync(locateFromRoot(SCHEMA_FROM_ROOT), 'utf8'), {
    assumeValidSDL: true,
  });
  return cachedSchema;
}

/** An error GitHub itself would answer (`type` at the top level of the error object). */
export class GitHubGraphQLError extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

export interface GraphQLContext {
  state: State;
  permission: Permission;
  violations: string[];
  /** Told about every commit createCommitOnBranch lands. */
  onPush?: (event: PushEvent) => void;
}

/** A commit that landed on a branch through the API. */
export interface PushEvent {
  owner: string;
  name: string;
  branch: string;
  before: string;
  after: string;
  files: { path: string; content: string }[];
  deleted: string[];
}

interface ParsedRequest {
  document?: DocumentNode;
  operation?: OperationDefinitionNode;
  syntaxError?: GraphQLError;
  query?: string;
  variables?: Record<string, unknown>;
  operationName?: string;
  malformed?: boolean;
}

/** Parses the body once: used for the route key (and fault decisions) before executing. */
export function parseGraphQLRequest(body: unknown): ParsedRequest {
  if (!body || typeof body !== 'object' || typeof (body as { query?: unknown }).query !== 'string') {
    return { malformed: true };
  }
  const { query, variables, operationName } = body as {
    query: string;
    variables?: unknown;
    operationName?: unknown;
  };
  const parsed: ParsedRequest = {
    query,
    variables:
      variables && typeof variables === 'object' ? (variables as Record<string, unknown>) : undefined,
    operationName: typeof operationName === 'string' ? operationName : undefined,
  };
  try {
    parsed.document = parse(query);
  } catch (error) {
    parsed.syntaxError = error as GraphQLError;
    return parsed;
  }
  const operations = parsed.document.definitions.filter(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  );
  parsed.operation = parsed.operationName
    ? operations.find((op) => op.name?.value === parsed.operationName)
    : operations.length === 1
      ? operations[0]
      : undefined;
  return parsed;
}

export function graphqlRouteKey(parsed: ParsedRequest): string {
  if (!parsed.operation) return 'graphql invalid';
  return `graphql ${parsed.operation.operation} ${parsed.operation.name?.value ?? '<anonymous>'}`;
}

export function isMutation(parsed: ParsedRequest): boolean {
  return parsed.operation?.operation === 'mutation';
}

interface ErrorJson {
  type?: string;
  path?: ReadonlyArray<string | number>;
  locations?: ReadonlyArray<{ line: number; column: number }>;
  message: string;
  extensions?: Record<string, unknown>;
}

function plainError(error: GraphQLError): ErrorJson {
  const out: ErrorJson = { message: error.message };
  if (error.path) out.path = error.path;
  if (error.locations) out.locations = error.locations;
  if (error.extensions && Object.keys(error.extensions).length > 0) out.extensions = { ...error.extensions };
  return out;
}

export async function handleGraphQL(
  parsed: ParsedRequest,
  ctx: GraphQLContext,
): Promise<{ status: number; body: Record<string, unknown> }> {
  if (parsed.malformed) {
    return {
      status: 400,
      body: {
        message: 'Problems parsing JSON',
        documentation_url: 'https://docs.github.com/graphql',
      },
    };
  }
  if (parsed.syntaxError) return { status: 200, body: { errors: [plainError(parsed.syntaxError)] } };
  const schema = githubSchema();
  const document = parsed.document!;
  const validationErrors = validate(schema, document);
  if (validationErrors.length > 0) return { status: 200, body: { errors: validationErrors.map(plainError) } };

  const loader = new ObjectLoader(ctx.state);
  const result = await execute({
    schema,
    document,
    rootValue: rootValue(ctx, loader),
    contextValue: ctx,
    variableValues: parsed.variables,
    operationName: parsed.operationName,
  });
  const body: Record<string, unknown> = {};
  if (result.data !== undefined) body.data = result.data;
  if (result.errors?.length) {
    body.errors = result.errors.map((error) => {
      const original = error.originalError;
      if (original instanceof GitHubGraphQLError) {
        return {
          type: original.type,
          path: error.path,
          locations: error.locations,
          message: original.message,
        };
      }
      if (error.path) {
        // Raised while resolving: an emulator bug (a non-null field left empty, a thrown exception…).
        ctx.violations.push(
          `graphql ${graphqlRouteKey(parsed)}: ${error.message} at ${error.path.join('.')}`,
        );
      }
      return plainError(error);
    });
  }
  return { status: 200, body };
}

/** Batches `git cat-file --batch` look-ups made in the same tick into one process. */
class ObjectLoader {
  private pending = new Map<string, Array<{ spec: string; done: (o: GitObject | null) => void }>>();
  private scheduled = false;
  constructor(readonly state: State) {}

  load(repo: RepoState, spec: string): Promise<GitObject | null> {
    return new Promise((done) => {
      const list = this.pending.get(repo.dir) ?? [];
      list.push({ spec, done });
      this.pending.set(repo.dir, list);
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => void this.flush());
      }
    });
  }

  private async flush(): Promise<void> {
    this.scheduled = false;
    const batches = [...this.pending.entries()];
    this.pending.clear();
    await Promise.all(
      batches.map(async ([dir, list]) => {
        try {
          const objects = await catFile(
            dir,
            list.map((item) => item.spec),
          );
          list.forEach((item, i) => item.done(objects[i] ?? null));
        } catch {
          list.forEach((item) => item.done(null));
        }
      }),
    );
  }
}

const b64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');

/**
 * Git's own test (a NUL in the first 8000 bytes), as GitHub answers `isBinary`. Text that
 * is not UTF-8 is not binary: GitHub hands it out as `text` decoded lossily (U+FFFD for
 * each bad sequence), which is what `text` answers here too.
 */
function isBinary(content: Buffer): boolean {
  return content.subarray(0, 8000).includes(0);
}

function rootValue(ctx: GraphQLContext, loader: ObjectLoader) {
  const { state } = ctx;
  const web = (repo: RepoState) => state.webRepoUrl(repo);
  const resource = (repo: RepoState) => `/${repo.owner}/${repo.name}`;

  const requireWrite = () => {
    if (ctx.permission !== 'write')
      throw new GitHubGraphQLError('FORBIDDEN', 'Resource not accessible by integration');
  };

  const actor = () => ({
    __typename: 'Bot',
    login: 'github-actions',
    id: 'BOT_kgDOAAAAAA',
    databaseId: 41898282,
    avatarUrl: 'https://avatars.githubusercontent.com/in/15368?v=4',
    resourcePath: '/apps/github-actions',
    url: 'https://github.com/apps/github-actions',
    createdAt: '2018-07-30T09:30:16Z',
    updatedAt: '2018-07-30T09:30:16Z',
  });

  const ownerNode = (repo: RepoState) => ({
    __typename: 'User',
    login: repo.owner,
    id: nodeId('U', repo.owner),
    databaseId: repo.ownerId,
    url: `${state.webUrl}/${repo.owner}`,
    resourcePath: `/${repo.owner}`,
    avatarUrl: `https://avatars.githubusercontent.com/u/${repo.ownerId}?v=4`,
  });

  const repoNode = (repo: RepoState): Record<string, unknown> => ({
    __typename: 'Repository',
    id: repo.nodeId,
    databaseId: repo.id,
    name: repo.name,
    nameWithOwner: `${repo.owner}/${repo.name}`,
    owner: ownerNode(repo),
    url: web(repo),
    resourcePath: resource(repo),
    description: null,
    isPrivate: false,
    isArchived: false,
    isDisabled: false,
    isFork: false,
    isEmpty: false,
    isLocked: false,
    isTemplate: false,
    autoMergeAllowed: repo.allowAutoMerge,
    mergeCommitAllowed: true,
    squashMergeAllowed: true,
    rebaseMergeAllowed: true,
    deleteBranchOnMerge: false,
    visibility: 'PUBLIC',
    viewerPermission: ctx.permission === 'write' ? 'WRITE' : 'READ',
    createdAt: repo.createdAt,
    updatedAt: repo.createdAt,
    defaultBranchRef: () => refNode(repo, `refs/heads/${repo.defaultBranch}`),
    ref: async ({ qualifiedName }: { qualifiedName: string }) => {
      const candidates = qualifiedName.startsWith('refs/')
        ? [qualifiedName]
        : [`refs/heads/${qualifiedName}`, `refs/tags/${qualifiedName}`];
      for (const candidate of candidates) {
        const node = await refNode(repo, candidate);
        if (node) return node;
      }
      return null;
    },
    object: async ({ expression, oid }: { expression?: string; oid?: string }) => {
      const spec = oid ?? expression;
      if (!spec) return null;
      const object = await loader.load(repo, spec);
      return object ? objectNode(repo, object) : null;
    },
    pullRequest: ({ number }: { number: number }) => {
      const pull = repo.pulls.find((p) => p.number === number);
      if (!pull)
        throw new GitHubGraphQLError(
          'NOT_FOUND',
          `Could not resolve to a PullRequest with the number of ${number}.`,
        );
      return pullNode(repo, pull);
    },
    pullRequests: (args: {
      states?: string[];
      headRefName?: string;
      baseRefName?: string;
      first?: number;
    }) => {
      const pulls = repo.pulls.filter(
        (p) =>
          (!args.states || args.states.includes(p.state.toUpperCase())) &&
          (!args.headRefName || p.head === args.headRefName) &&
          (!args.baseRefName || p.base === args.baseRefName),
      );
      const nodes = pulls.slice(0, args.first ?? 100).map((p) => pullNode(repo, p));
      return connection(nodes, pulls.length);
    },
  });

  const connection = (nodes: unknown[], totalCount: number) => ({
    totalCount,
    nodes,
    edges: nodes.map((node, i) => ({ cursor: b64(`cursor:${i + 1}`), node })),
    pageInfo: {
      hasNextPage: totalCount > nodes.length,
      hasPreviousPage: false,
      startCursor: nodes.length ? b64('cursor:1') : null,
      endCursor: nodes.length ? b64(`cursor:${nodes.length}`) : null,
    },
  });

  const refNode = async (repo: RepoState, qualifiedName: string) => {
    const oid = await revParse(repo.dir, qualifiedName);
    if (!oid) return null;
    const prefix = qualifiedName.startsWith('refs/heads/')
      ? 'refs/heads/'
      : qualifiedName.startsWith('refs/tags/')
        ? 'refs/tags/'
        : 'refs/';
    return {
      __typename: 'Ref',
      id: state.refNodeId(repo, qualifiedName),
      name: qualifiedName.slice(prefix.length),
      prefix,
      repository: () => repoNode(repo),
      target: async () => {
        const object = await loader.load(repo, oid);
        return object ? objectNode(repo, object) : null;
      },
      associatedPullRequests: (args: { states?: string[]; first?: number }) => {
        const name = qualifiedName.slice(prefix.length);
        const pulls = repo.pulls.filter(
          (p) => p.head === name && (!args.states || args.states.includes(p.state.toUpperCase())),
        );
        return connection(
          pulls.slice(0, args.first ?? 100).map((p) => pullNode(repo, p)),
          pulls.length,
        );
      },
    };
  };

  const objectNode = (repo: RepoState, object: GitObject): Record<string, unknown> => {
    const common = {
      id: nodeId(object.type.toUpperCase(), repo.owner, repo.name, object.oid),
      oid: object.oid,
      abbreviatedOid: object.oid.slice(0, 7),
      commitUrl: `${web(repo)}/commit/${object.oid}`,
      commitResourcePath: `${resource(repo)}/commit/${object.oid}`,
      repository: () => repoNode(repo),
    };
    switch (object.type) {
      case 'commit':
        return commitNode(repo, object, common);
      case 'blob': {
        const binary = isBinary(object.content);
        return {
          __typename: 'Blob',
          ...common,
          byteSize: object.content.length,
          isBinary: binary,
          isTruncated: false,
          text: binary ? null : object.content.toString('utf8'),
        };
      }
      case 'tree':
        return {
          __typename: 'Tree',
          ...common,
          entries: () =>
            parseTree(object.content).map((entry) =>
              treeEntryNode(repo, entry.name, null, entry.oid, entry.mode),
            ),
        };
      default:
        return {
          __typename: 'Tag',
          ...common,
          name: '',
          message: null,
          target: null,
        };
    }
  };

  const treeEntryNode = (
    repo: RepoState,
    name: string,
    path: string | null,
    oid: string,
    mode: string | (() => Promise<string>),
  ) => {
    const modeValue = async () => parseInt(typeof mode === 'string' ? mode : await mode(), 8);
    const object = () => loader.load(repo, oid).then((o) => (o ? objectNode(repo, o) : null));
    const dot = name.lastIndexOf('.');
    return {
      __typename: 'TreeEntry',
      name,
      nameRaw: b64(name),
      path,
      pathRaw: path === null ? null : b64(path),
      oid,
      mode: modeValue,
      type: async () => {
        const m = await modeValue();
        return m === 0o40000 ? 'tree' : m === 0o160000 ? 'commit' : 'blob';
      },
      extension: dot > 0 ? name.slice(dot) : null,
      isGenerated: false,
      language: null,
      submodule: null,
      size: async () => {
        const o = await loader.load(repo, oid);
        return o && o.type === 'blob' ? o.content.length : 0;
      },
      lineCount: async () => {
        const o = await loader.load(repo, oid);
        if (!o || o.type !== 'blob' || isBinary(o.content)) return null;
        const text = o.content.toString('utf8');
        return text === '' ? 0 : text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
      },
      object,
      repository: () => repoNode(repo),
    };
  };

  const commitNode = (repo: RepoState, object: GitObject, common: Record<string, unknown>) => {
    const commit = parseCommit(object.content);
    const newline = commit.message.indexOf('\n');
    const headline = newline < 0 ? commit.message : commit.message.slice(0, newline);
    const body = newline < 0 ? '' : commit.message.slice(newline + 1).replace(/^\n+/, '');
    const gitActor = (who: typeof commit.author) => ({
      name: who.name,
      email: who.email,
      date: who.date.toISOString().replace(/\.\d{3}Z$/, 'Z'),
      avatarUrl: 'https://avatars.githubusercontent.com/u/0?v=4',
      user: null,
    });
    const url = `${web(repo)}/commit/${object.oid}`;
    return {
      __typename: 'Commit',
      ...common,
      url,
      resourcePath: `${resource(repo)}/commit/${object.oid}`,
      message: commit.message,
      messageHeadline: headline,
      messageBody: body,
      committedDate: gitActor(commit.committer).date,
      authoredDate: gitActor(commit.author).date,
      author: gitActor(commit.author),
      committer: gitActor(commit.committer),
      authoredByCommitter: commit.author.email === commit.committer.email,
      committedViaWeb: commit.committer.email === 'noreply@github.com',
      treeUrl: `${web(repo)}/tree/${object.oid}`,
      treeResourcePath: `${resource(repo)}/tree/${object.oid}`,
      tarballUrl: `${web(repo)}/tarball/${object.oid}`,
      zipballUrl: `${web(repo)}/zipball/${object.oid}`,
      tree: async () => {
        const tree = await loader.load(repo, commit.tree);
        return tree ? objectNode(repo, tree) : null;
      },
      parents: async ({ first }: { first?: number }) => {
        const parents = await Promise.all(commit.parents.map((oid) => loader.load(repo, oid)));
        const nodes = parents.filter((p): p is GitObject => p !== null).map((p) => objectNode(repo, p));
        return connection(nodes.slice(0, first ?? 100), nodes.length);
      },
      status: () => statusNode(repo, object.oid),
      history: (args: HistoryArgs) => historyConnection(repo, object.oid, args),
      deployments: (args: DeploymentsArgs) => {
        let list = repo.deployments.filter(
          (d) => d.sha === object.oid && (!args.environments || args.environments.includes(d.environment)),
        );
        list = [...list].sort((a, b) => a.id - b.id);
        if (args.orderBy?.direction === 'DESC') list.reverse();
        const nodes = (
          args.last !== undefined ? list.slice(-args.last) : list.slice(0, args.first ?? 100)
        ).map((d) => deploymentNode(repo, d));
        return connection(nodes, list.length);
      },
      file: async ({ path }: { path: string }) => {
        const clean = path.replace(/^\/+|\/+$/g, '');
        if (clean === '') return null;
        const slash = clean.lastIndexOf('/');
        const dir = slash < 0 ? '' : clean.slice(0, slash);
        const name = clean.slice(slash + 1);
        const found = await loader.load(repo, `${object.oid}:${clean}`);
        if (!found) {
          // A submodule's commit is not in this repository, but GitHub still answers its
          // entry (mode 57344) with a null object.
          const parent = await loader.load(repo, `${object.oid}:${dir}`);
          const entry =
            parent?.type === 'tree' ? parseTree(parent.content).find((e) => e.name === name) : undefined;
          if (entry?.mode !== '160000') return null;
          return treeEntryNode(repo, name, clean, entry.oid, entry.mode);
        }
        const mode = async () => {
          const parent = await loader.load(repo, `${object.oid}:${dir}`);
          const entry = parent ? parseTree(parent.content).find((e) => e.name === name) : undefined;
          return entry?.mode ?? '100644';
        };
        return treeEntryNode(repo, name, clean, found.oid, mode);
      },
    };
  };

  const statusContextNode = (repo: RepoState, status: StatusRecord) => ({
    __typename: 'StatusContext',
    id: status.nodeId,
    context: status.context,
    state: status.state.toUpperCase(),
    description: status.description,
    targetUrl: status.targetUrl,
    createdAt: status.createdAt,
    avatarUrl: 'https://avatars.githubusercontent.com/in/15368?v=4',
    creator: actor(),
    isRequired: false,
    commit: async () => {
      const object = await loader.load(repo, status.sha);
      return object ? objectNode(repo, object) : null;
    },
  });

  /** `Commit.status`: the latest status per context, or null when the commit has none (as on GitHub). */
  const statusNode = (repo: RepoState, oid: string) => {
    const latest = latestStatuses(repo, oid);
    if (latest.length === 0) return null;
    const contexts = latest.map((status) => statusContextNode(repo, status));
    return {
      __typename: 'Status',
      id: nodeId('SC', repo.owner, repo.name, oid),
      state: combinedState(latest).toUpperCase(),
      contexts,
      context: ({ name }: { name: string }) => contexts.find((context) => context.context === name) ?? null,
      combinedContexts: ({ first }: { first?: number }) =>
        connection(contexts.slice(0, first ?? 100), contexts.length),
      commit: async () => {
        const object = await loader.load(repo, oid);
        return object ? objectNode(repo, object) : null;
      },
    };
  };

  /** `Commit.history`: `git log` from the commit, optionally limited to a path, paged by offset cursors. */
  const historyConnection = async (repo: RepoState, oid: string, args: HistoryArgs) => {
    if (args.first === undefined && args.last === undefined) {
      throw new GitHubGraphQLError(
        'MISSING_PAGINATION_BOUNDARIES',
        'You must provide a `first` or `last` value to properly paginate the `history` connection.',
      );
    }
    if ((args.first ?? 0) > 100 || (args.last ?? 0) > 100) {
      throw new GitHubGraphQLError(
        'EXCESSIVE_PAGINATION',
        'Requesting 101 records on the `history` connection exceeds the `first` limit of 100 records.',
      );
    }
    const skip = args.after
      ? Number(/^cursor:(\d+)$/.exec(Buffer.from(args.after, 'base64').toString('utf8'))?.[1] ?? 0)
      : 0;
    const path = args.path?.replace(/^\/+|\/+$/g, '') || undefined;
    const limit = args.first ?? args.last ?? 100;
    const [oids, total] = await Promise.all([
      logCommits(repo.dir, oid, { skip, max: limit, path, since: args.since, until: args.until }),
      countCommits(repo.dir, oid, { path, since: args.since, until: args.until }),
    ]);
    const objects = await Promise.all(oids.map((commit) => loader.load(repo, commit)));
    const nodes = objects.filter((o): o is GitObject => o !== null).map((o) => objectNode(repo, o));
    return {
      totalCount: total,
      nodes,
      edges: nodes.map((node, i) => ({ cursor: b64(`cursor:${skip + i + 1}`), node })),
      pageInfo: {
        hasNextPage: skip + nodes.length < total,
        hasPreviousPage: skip > 0,
        startCursor: nodes.length ? b64(`cursor:${skip + 1}`) : null,
        endCursor: nodes.length ? b64(`cursor:${skip + nodes.length}`) : null,
      },
    };
  };

  const deploymentStatusNode = (
    repo: RepoState,
    deployment: DeploymentRecord,
    status: DeploymentRecord['statuses'][number],
  ) => ({
    __typename: 'DeploymentStatus',
    id: status.nodeId,
    state: status.state.toUpperCase(),
    description: status.description === '' ? null : status.description,
    environment: status.environment,
    environmentUrl: status.environmentUrl === '' ? null : status.environmentUrl,
    logUrl: status.logUrl === '' ? null : status.logUrl,
    createdAt: status.createdAt,
    updatedAt: status.createdAt,
    creator: actor(),
    deployment: () => deploymentNode(repo, deployment),
  });

  const deploymentNode = (repo: RepoState, deployment: DeploymentRecord): Record<string, unknown> => {
    const statuses = [...deployment.statuses].sort((a, b) => b.id - a.id);
    const latest = statuses[0];
    return {
      __typename: 'Deployment',
      id: deployment.nodeId,
      databaseId: deployment.id,
      commitOid: deployment.sha,
      environment: deployment.environment,
      originalEnvironment: deployment.originalEnvironment,
      latestEnvironment: latest?.environment ?? deployment.environment,
      description: deployment.description,
      task: deployment.task,
      payload:
        typeof deployment.payload === 'string' ? deployment.payload : JSON.stringify(deployment.payload),
      state: deploymentState(deployment),
      createdAt: deployment.createdAt,
      updatedAt: deployment.updatedAt,
      creator: actor(),
      repository: () => repoNode(repo),
      commit: async () => {
        const object = await loader.load(repo, deployment.sha);
        return object ? objectNode(repo, object) : null;
      },
      ref: () =>
        refNode(repo, deployment.ref.startsWith('refs/') ? deployment.ref : `refs/heads/${deployment.ref}`),
      latestStatus: latest ? deploymentStatusNode(repo, deployment, latest) : null,
      statuses: ({ first, last }: { first?: number; last?: number }) => {
        const nodes = (last !== undefined ? statuses.slice(-last) : statuses.slice(0, first ?? 100)).map(
          (status) => deploymentStatusNode(repo, deployment, status),
        );
        return connection(nodes, statuses.length);
      },
    };
  };

  const pullNode = (repo: RepoState, pull: PullRequestRecord) => ({
    __typename: 'PullRequest',
    id: pull.nodeId,
    databaseId: pull.id,
    number: pull.number,
    title: pull.title,
    body: pull.body,
    url: `${web(repo)}/pull/${pull.number}`,
    permalink: `${web(repo)}/pull/${pull.number}`,
    resourcePath: `${resource(repo)}/pull/${pull.number}`,
    state: pull.state === 'open' ? 'OPEN' : 'CLOSED',
    closed: pull.state === 'closed',
    merged: false,
    isDraft: pull.draft,
    headRefName: pull.head,
    baseRefName: pull.base,
    createdAt: pull.createdAt,
    updatedAt: pull.updatedAt,
    repository: () => repoNode(repo),
    headRef: () => refNode(repo, `refs/heads/${pull.head}`),
    baseRef: () => refNode(repo, `refs/heads/${pull.base}`),
    autoMergeRequest: pull.autoMerge
      ? {
          __typename: 'AutoMergeRequest',
          enabledAt: pull.autoMerge.enabledAt,
          mergeMethod: pull.autoMerge.mergeMethod,
          commitHeadline: pull.autoMerge.commitTitle,
          commitBody: pull.autoMerge.commitMessage,
          authorEmail: null,
          enabledBy: actor(),
          pullRequest: () => pullNode(repo, pull),
        }
      : null,
  });

  const resolveNode = async (id: string): Promise<unknown> => {
    const repo = state.repoByNodeId(id);
    if (repo) return repoNode(repo);
    const pull = state.pullByNodeId(id);
    if (pull) return pullNode(pull.repo, pull.pull);
    for (const candidate of state.repos.values()) {
      const refs = (await git(candidate.dir, ['for-each-ref', '--format=%(refname)']))
        .split('\n')
        .filter(Boolean);
      const ref = refs.find((r) => state.refNodeId(candidate, r) === id);
      if (ref) return refNode(candidate, ref);
    }
    return null;
  };

  return {
    repository: ({ owner, name }: { owner: string; name: string }) => {
      const repo = state.repo(owner, name);
      if (!repo) {
        throw new GitHubGraphQLError(
          'NOT_FOUND',
          `Could not resolve to a Repository with the name '${owner}/${name}'.`,
        );
      }
      return repoNode(repo);
    },
    node: async ({ id }: { id: string }) => {
      const node = await resolveNode(id);
      if (!node)
        throw new GitHubGraphQLError(
          'NOT_FOUND',
          `Could not resolve to a node with the global id of '${id}'`,
        );
      return node;
    },
    nodes: ({ ids }: { ids: string[] }) => Promise.all(ids.map(resolveNode)),
    viewer: () => ({ ...actor(), __typename: 'User' }),

    createCommitOnBranch: async ({ input }: { input: CreateCommitOnBranchInput }) => {
      requireWrite();
      let repo: RepoState | undefined;
      let branchName: string | undefined;
      if (input.branch.id) {
        const node = (await resolveNode(input.branch.id)) as {
          __typename?: string;
          prefix?: string;
          name?: string;
        } | null;
        if (!node || node.__typename !== 'Ref' || node.prefix !== 'refs/heads/') {
          throw new GitHubGraphQLError(
            'NOT_FOUND',
            `Could not resolve to a node with the global id of '${input.branch.id}'`,
          );
        }
        repo = [...state.repos.values()].find(
          (r) => state.refNodeId(r, `refs/heads/${node.name}`) === input.branch.id,
        );
        branchName = node.name;
      } else {
        if (!input.branch.repositoryNameWithOwner || !input.branch.branchName) {
          throw new GitHubGraphQLError(
            'UNPROCESSABLE',
            'A branch must be specified by either its id or its repositoryNameWithOwner and branchName.',
          );
        }
        const [owner = '', name = ''] = input.branch.repositoryNameWithOwner.split('/');
        repo = state.repo(owner, name);
        if (!repo) {
          throw new GitHubGraphQLError(
            'NOT_FOUND',
            `Could not resolve to a Repository with the name '${input.branch.repositoryNameWithOwner}'.`,
          );
        }
        branchName = input.branch.branchName.replace(/^refs\/heads\//, '');
      }
      if (!repo || !branchName) throw new GitHubGraphQLError('NOT_FOUND', 'Could not resolve the branch.');
      if (!/^[0-9a-f]{40}$/.test(input.expectedHeadOid)) {
        throw new GitHubGraphQLError(
          'UNPROCESSABLE',
          `Expected head oid "${input.expectedHeadOid}" is not a valid object id.`,
        );
      }
      const additions = (input.fileChanges?.additions ?? []).map((a) => ({
        path: checkPath(a.path),
        contents: decodeBase64(a.contents, a.path),
      }));
      const deletions = (input.fileChanges?.deletions ?? []).map((d) => checkPath(d.path));
      const headline = input.message.headline;
      if (headline.trim() === '')
        throw new GitHubGraphQLError('UNPROCESSABLE', 'A commit message headline is required.');
      const message = input.message.body ? `${headline}\n\n${input.message.body}` : headline;
      const result = await commitOnBranch(
        repo.dir,
        branchName,
        input.expectedHeadOid,
        { additions, deletions },
        message,
      );
      if (!result.ok) {
        switch (result.reason) {
          case 'no-branch':
            throw new GitHubGraphQLError(
              'NOT_FOUND',
              `A ref named "refs/heads/${branchName}" does not exist.`,
            );
          case 'missing-deletion':
            throw new GitHubGraphQLError(
              'UNPROCESSABLE',
              `A path was requested for deletion which does not exist as of commit oid \`${input.expectedHeadOid}\``,
            );
          default:
            throw new GitHubGraphQLError(
              'STALE_DATA',
              `Expected branch to point to "${input.expectedHeadOid}" but it did not. Pull and try again.`,
            );
        }
      }
      const target = repo;
      ctx.onPush?.({
        owner: repo.owner,
        name: repo.name,
        branch: branchName,
        before: input.expectedHeadOid,
        after: result.oid,
        files: additions.map(({ path, contents }) => ({ path, content: contents.toString('utf8') })),
        deleted: deletions,
      });
      return {
        clientMutationId: input.clientMutationId ?? null,
        commit: async () => {
          const object = await loader.load(target, result.oid);
          return object ? objectNode(target, object) : null;
        },
        ref: () => refNode(target, `refs/heads/${branchName}`),
      };
    },

    enablePullRequestAutoMerge: ({
      input,
    }: {
      input: {
        pullRequestId: string;
        mergeMethod?: string;
        commitHeadline?: string;
        commitBody?: string;
        clientMutationId?: string;
      };
    }) => {
      requireWrite();
      const found = state.pullByNodeId(input.pullRequestId);
      if (!found) {
        throw new GitHubGraphQLError(
          'NOT_FOUND',
          `Could not resolve to a node with the global id of '${input.pullRequestId}'`,
        );
      }
      if (!found.repo.allowAutoMerge) {
        throw new GitHubGraphQLError(
          'UNPROCESSABLE',
          'Pull request Auto merge is not allowed for this repository',
        );
      }
      if (found.pull.state !== 'open')
        throw new GitHubGraphQLError('UNPROCESSABLE', 'Pull request is closed');
      found.pull.autoMerge ??= {
        mergeMethod: input.mergeMethod ?? 'MERGE',
        enabledAt: now(),
        commitTitle: input.commitHeadline ?? `${found.pull.title} (#${found.pull.number})`,
        commitMessage: input.commitBody ?? '',
      };
      found.pull.updatedAt = now();
      return {
        clientMutationId: input.clientMutationId ?? null,
        actor: actor(),
        pullRequest: pullNode(found.repo, found.pull),
      };
    },
  };
}

interface HistoryArgs {
  first?: number;
  last?: number;
  after?: string;
  path?: string;
  since?: string;
  until?: string;
}

interface DeploymentsArgs {
  environments?: string[];
  first?: number;
  last?: number;
  orderBy?: { field: string; direction: 'ASC' | 'DESC' };
}

interface CreateCommitOnBranchInput {
  branch: {
    repositoryNameWithOwner?: string;
    branchName?: string;
    id?: string;
  };
  expectedHeadOid: string;
  clientMutationId?: string;
  message: { headline: string; body?: string };
  fileChanges?: {
    additions?: Array<{ path: string; contents: string }>;
    deletions?: Array<{ path: string }>;
  };
}

function checkPath(path: string): string {
  const parts = path.split('/');
  if (
    path === '' ||
    parts.some((p) => p === '' || p === '.' || p === '..' || p === '.git') ||
    /[\0\n\r\t]/.test(path)
  ) {
    throw new GitHubGraphQLError('UNPROCESSABLE', `Path "${path}" is not valid.`);
  }
  return path;
}

function decodeBase64(contents: string, path: string): Buffer {
  const compact = contents.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(compact) || compact.length % 4 === 1) {
    throw new GitHubGraphQLError('UNPROCESSABLE', `The contents of "${path}" are not valid Base64.`);
  }
  return Buffer.from(compact, 'base64');
}
