/**
 * An Argo CD API double for tests, answering the way Argo CD's API server does:
 *
 * - `GET /api/v1/applications/{name}[?refresh=normal|hard]` → the whole Application
 *   (metadata, spec, status.sync/health/summary/operationState/history…), as
 *   `ApplicationService_Get` returns a `v1alpha1Application` (swagger.json);
 * - `POST /api/v1/applications/{name}/sync` with an `ApplicationSyncRequest` → the
 *   Application with the operation it started;
 * - a bearer token is required: none → 401 `no session information`, a wrong one →
 *   401 `invalid session: …` (codes.Unauthenticated = 16);
 * - an application that does not exist (or that the token may not see) → 403
 *   `permission denied` (codes.PermissionDenied = 7): Argo CD does not say which;
 * - errors in grpc-gateway v1's body `{error, code, message}`.
 *
 * Like Argo CD, it notices a change in git only when asked to refresh (or sync), or
 * after its poll interval (3 minutes by default), then rolls it out after `rolloutMs`:
 * OutOfSync + Running → Synced + Progressing → Healthy.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { ArgoApplication } from '../../src/core/argocd.js';

export const ARGOCD_TOKEN = 'argocd-double-token-' + 'eyJhbGciOiJIUzI1NiJ9'.slice(0, 16);

export interface ArgoAppSeed {
  name: string;
  project?: string;
  repoURL?: string;
  /** Helm chart path in the GitOps repository. */
  path?: string;
  valueFiles?: string[];
  destinationNamespace?: string;
  images: string[];
  revision: string;
  selfHeal?: boolean;
}

export interface ArgoRequest {
  method: string;
  path: string;
  refresh?: string;
  status: number;
  at: number;
  authorized: boolean;
}

export interface ArgoCdDoubleOptions {
  token?: string;
  apps: ArgoAppSeed[];
  /** How long until Argo CD notices a git change on its own (default 180 s). */
  pollIntervalMs?: number;
  /** From noticing to Synced (default 200 ms); Healthy follows after `healthyAfterMs` more (default 100 ms). */
  rolloutMs?: number;
  healthyAfterMs?: number;
  /** Called when an application has rolled out (Synced + Healthy) with its images. */
  onRolledOut?(name: string, images: string[], revision: string): void;
}

export interface ArgoCdDouble {
  url: string;
  requests: ArgoRequest[];
  /** Refresh requests (`?refresh=`) per application. */
  refreshes(name: string): string[];
  syncs: { name: string; body: Record<string, unknown> }[];
  /** git changed: the application's desired images and revision; noticed on refresh/sync or after the poll interval. */
  deploy(name: string, change: { images: string[]; revision: string }): void;
  /** The cluster drifted from git (hot development): OutOfSync until a sync. */
  drift(name: string, images: string[]): void;
  application(name: string): ArgoApplication;
  /** Answer every request with this status (e.g. 502) until cleared with undefined. */
  failWith(status: number | undefined): void;
  close(): Promise<void>;
}

interface AppState {
  seed: ArgoAppSeed;
  uid: string;
  resourceVersion: number;
  created: string;
  live: { images: string[]; revision: string };
  desired: { images: string[]; revision: string };
  /** git has a change Argo CD has not noticed yet. */
  unnoticed: boolean;
  /** The revision of the last comparison with git (status.sync.revision). */
  compared: string;
  /** The cluster was changed by hand since the last sync. */
  drifted: boolean;
  sync: 'Synced' | 'OutOfSync' | 'Unknown';
  health: 'Healthy' | 'Progressing' | 'Degraded' | 'Missing';
  operation?: {
    phase: 'Running' | 'Succeeded' | 'Failed';
    startedAt: string;
    finishedAt?: string;
    revision: string;
    automated: boolean;
  };
  history: { id: number; revision: string; deployedAt: string; deployStartedAt: string }[];
  reconciledAt: string;
  pollTimer?: NodeJS.Timeout;
}

const iso = () => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');

export async function startArgoCdDouble(options: ArgoCdDoubleOptions): Promise<ArgoCdDouble> {
  const token = options.token ?? ARGOCD_TOKEN;
  const pollIntervalMs = options.pollIntervalMs ?? 180_000;
  const rolloutMs = options.rolloutMs ?? 200;
  const healthyAfterMs = options.healthyAfterMs ?? 100;
  const timers = new Set<NodeJS.Timeout>();
  const requests: ArgoRequest[] = [];
  const syncs: ArgoCdDouble['syncs'] = [];
  let forcedStatus: number | undefined;
  const apps = new Map<string, AppState>();
  let sequence = 0;

  const later = (ms: number, fn: () => void) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      fn();
    }, ms);
    timers.add(timer);
    return timer;
  };

  for (const seed of options.apps) {
    apps.set(seed.name, {
      seed,
      uid: `0b6e${(++sequence).toString(16).padStart(4, '0')}-7d3a-4c1e-9a57-1f2e3d4c5b6a`,
      resourceVersion: 1000 + sequence,
      created: iso(),
      live: { images: seed.images, revision: seed.revision },
      desired: { images: seed.images, revision: seed.revision },
      unnoticed: false,
      compared: seed.revision,
      drifted: false,
      sync: 'Synced',
      health: 'Healthy',
      history: [{ id: 0, revision: seed.revision, deployedAt: iso(), deployStartedAt: iso() }],
      reconciledAt: iso(),
    });
  }

  const touch = (state: AppState) => {
    state.resourceVersion++;
    state.reconciledAt = iso();
  };

  /** Argo CD compares git with the cluster and starts an (automated) sync. */
  const notice = (state: AppState, automated: boolean) => {
    if (state.pollTimer) {
      clearTimeout(state.pollTimer);
      timers.delete(state.pollTimer);
      state.pollTimer = undefined;
    }
    state.unnoticed = false;
    state.compared = state.desired.revision;
    touch(state);
    if (
      automated &&
      state.drifted &&
      state.live.revision === state.desired.revision &&
      !state.seed.selfHeal
    ) {
      // selfHeal: false leaves a drifted cluster OutOfSync until someone syncs.
      state.sync = 'OutOfSync';
      return;
    }
    const same =
      state.live.revision === state.desired.revision &&
      state.live.images.join() === state.desired.images.join();
    if (same) {
      state.sync = 'Synced';
      return;
    }
    state.sync = 'OutOfSync';
    const target = { ...state.desired };
    state.operation = { phase: 'Running', startedAt: iso(), revision: target.revision, automated };
    later(rolloutMs, () => {
      state.live = target;
      state.drifted = false;
      state.sync = 'Synced';
      state.health = 'Progressing';
      touch(state);
      later(healthyAfterMs, () => {
        state.health = 'Healthy';
        const finishedAt = iso();
        if (state.operation) Object.assign(state.operation, { phase: 'Succeeded', finishedAt });
        state.history.push({
          id: state.history.length,
          revision: target.revision,
          deployedAt: finishedAt,
          deployStartedAt: state.operation?.startedAt ?? finishedAt,
        });
        touch(state);
        options.onRolledOut?.(state.seed.name, target.images, target.revision);
      });
    });
  };

  const applicationJson = (state: AppState): Record<string, unknown> => {
    const { seed } = state;
    const source = {
      repoURL: seed.repoURL ?? 'https://github.com/acme/gitops.git',
      path: seed.path ?? 'charts/web',
      targetRevision: 'main',
      helm: { valueFiles: seed.valueFiles ?? [] },
    };
    const destination = {
      server: 'https://kubernetes.default.svc',
      namespace: seed.destinationNamespace ?? seed.name,
    };
    const status: Record<string, unknown> = {
      sync: { status: state.sync, revision: state.compared, comparedTo: { source, destination } },
      health: { status: state.health, lastTransitionTime: state.reconciledAt },
      summary: { images: [...state.live.images] },
      history: state.history.map((entry) => ({ ...entry, source, initiatedBy: { automated: true } })),
      reconciledAt: state.reconciledAt,
      sourceType: 'Helm',
      controllerNamespace: 'argocd',
      resources: [
        {
          version: 'v1',
          kind: 'Service',
          namespace: destination.namespace,
          name: seed.name,
          status: state.sync,
          health: { status: 'Healthy' },
        },
        {
          group: 'apps',
          version: 'v1',
          kind: 'Deployment',
          namespace: destination.namespace,
          name: seed.name,
          status: state.sync,
          health: { status: state.health },
        },
      ],
    };
    if (state.operation) {
      status.operationState = {
        operation: {
          sync: { revision: state.operation.revision, syncStrategy: { hook: {} } },
          initiatedBy: state.operation.automated ? { automated: true } : { username: 'admin' },
          retry: {},
        },
        phase: state.operation.phase,
        message:
          state.operation.phase === 'Running'
            ? 'waiting for healthy state of apps/Deployment/' + seed.name
            : 'successfully synced (all tasks run)',
        startedAt: state.operation.startedAt,
        ...(state.operation.finishedAt ? { finishedAt: state.operation.finishedAt } : {}),
        syncResult: { revision: state.operation.revision, source, resources: [] },
      };
    }
    return {
      metadata: {
        name: seed.name,
        namespace: 'argocd',
        uid: state.uid,
        resourceVersion: String(state.resourceVersion),
        generation: state.history.length + 1,
        creationTimestamp: state.created,
      },
      spec: {
        source,
        destination,
        project: seed.project ?? 'default',
        syncPolicy: { automated: { prune: true, selfHeal: seed.selfHeal ?? false } },
      },
      status,
    };
  };

  const send = (res: ServerResponse, status: number, body: unknown) => {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  };
  const grpcError = (res: ServerResponse, status: number, code: number, message: string) =>
    send(res, status, { error: message, code, message });

  async function readBody(req: IncomingMessage): Promise<string> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  }

  async function handle(req: IncomingMessage, res: ServerResponse, entry: ArgoRequest) {
    const url = new URL(req.url ?? '/', 'http://argocd');
    const body = await readBody(req);
    const auth = /^Bearer (.+)$/.exec(req.headers.authorization ?? '');
    if (!auth) return grpcError(res, 401, 16, 'no session information');
    if (auth[1] !== token) return grpcError(res, 401, 16, 'invalid session: token signature is invalid');
    entry.authorized = true;
    if (forcedStatus !== undefined)
      return send(res, forcedStatus, { error: 'upstream', code: 14, message: 'upstream' });
    const match = /^\/api\/v1\/applications\/([^/]+)(\/sync)?$/.exec(url.pathname);
    if (!match) return send(res, 404, { error: 'Not Found', code: 5, message: 'Not Found' });
    const name = decodeURIComponent(match[1] as string);
    const state = apps.get(name);
    // RBAC is enforced before existence is revealed.
    if (!state) return grpcError(res, 403, 7, 'permission denied');
    if (match[2]) {
      if (req.method !== 'POST') return send(res, 404, { error: 'Not Found', code: 5, message: 'Not Found' });
      let request: Record<string, unknown> = {};
      try {
        request = body === '' ? {} : (JSON.parse(body) as Record<string, unknown>);
      } catch {
        return grpcError(res, 400, 3, 'invalid character in request body');
      }
      syncs.push({ name, body: request });
      if (typeof request.revision === 'string' && request.revision !== '')
        state.desired = { ...state.desired, revision: request.revision };
      // A sync re-reads git and applies it: a drifted cluster goes back to git.
      notice(state, false);
      return send(res, 200, applicationJson(state));
    }
    if (req.method !== 'GET') return send(res, 404, { error: 'Not Found', code: 5, message: 'Not Found' });
    const refresh = url.searchParams.get('refresh');
    if (refresh !== null) {
      entry.refresh = refresh;
      notice(state, true);
    }
    return send(res, 200, applicationJson(state));
  }

  const server = createServer((req, res) => {
    const entry: ArgoRequest = {
      method: req.method ?? 'GET',
      path: (req.url ?? '/').split('?')[0] as string,
      status: 0,
      at: performance.now(),
      authorized: false,
    };
    requests.push(entry);
    res.on('finish', () => (entry.status = res.statusCode));
    handle(req, res, entry).catch(() => grpcError(res, 500, 13, 'internal error'));
  });
  const sockets = new Set<Socket>();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    refreshes: (name) =>
      requests
        .filter((r) => r.refresh !== undefined && r.authorized && r.path === `/api/v1/applications/${name}`)
        .map((r) => r.refresh as string),
    syncs,
    deploy(name, change) {
      const state = apps.get(name);
      if (!state) throw new Error(`argocd-double: no application ${name}`);
      state.desired = { images: [...change.images], revision: change.revision };
      state.unnoticed = true;
      if (state.pollTimer) clearTimeout(state.pollTimer);
      state.pollTimer = later(pollIntervalMs, () => notice(state, true));
    },
    drift(name, images) {
      const state = apps.get(name);
      if (!state) throw new Error(`argocd-double: no application ${name}`);
      state.live = { ...state.live, images: [...images] };
      state.drifted = true;
      state.sync = 'OutOfSync';
      touch(state);
    },
    application(name) {
      const state = apps.get(name);
      if (!state) throw new Error(`argocd-double: no application ${name}`);
      return applicationJson(state) as unknown as ArgoApplication;
    },
    failWith(status) {
      forcedStatus = status;
    },
    async close() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      });
    },
  };
}
