/**
 * Bootstrapping a site (the seeds' "bootstrap a new site", step 2): for every environment
 * of the chain, the release layer, the env layer and the Argo CD Application, from
 * templates with the app's name, image and hosts. One commit, and only when none of the
 * files exists yet. Pure: the operation layer reads and commits.
 */
import type { CommitMessage } from './commit-message.js';
import { TagrelayError } from './errors.js';
import {
  applicationName,
  argoAppPath,
  destinationNamespace,
  envFilePath,
  firstEnvironment,
  LAYOUT_CONFIG_PATH,
  publicHost,
  releaseFilePath,
  type Layout,
} from './layout.js';
import type { ChangeSet, FileChange, FileSnapshot, PlanStep } from './plan.js';
import { layoutFrom } from './plan.js';

export interface BootstrapRequest {
  app: string;
  /** Image repository, e.g. ghcr.io/synestra/corporate. */
  image: string;
  /** The first release, written into every environment's release layer. */
  tag: string;
  /** Clone URL of the GitOps repository, for the Applications' `repoURL`. */
  repoURL: string;
}

/** What tagrelay leaves to people, from the seeds' bootstrap list. */
export function bootstrapNextSteps(layout: Layout, app: string): string[] {
  const namespaces = layout.environments.map((env) => destinationNamespace(layout, env, app));
  return [
    `the site itself: its code (apps/${app}, e.g. from the Payload website template) and the CI that builds it and calls the release workflow`,
    `the Secrets for ${namespaces.join(', ')} (SOPS in the platform repository): ${namespaces
      .map((ns) => `${ns}-env, ${ns}-db`)
      .join('; ')}`,
    `DNS for ${layout.environments.map((env) => publicHost(layout, env, app)).join(', ')}`,
    `Argo CD picking up ${layout.environments.map((env) => argoAppPath(layout, env, app)).join(', ')} (an app-of-apps, or kubectl apply once)`,
  ];
}

function releaseLayer(app: string, env: string, request: BootstrapRequest): string {
  return [
    `# Release layer for ${app} in ${env}: which image runs, nothing else.`,
    '# Written by tagrelay (bump, promote, reset, rollback); edit by hand only to fix a release.',
    'image:',
    `  repository: ${request.image}`,
    `  tag: ${request.tag} # immutable; never \`latest\``,
    '',
  ].join('\n');
}

function envLayer(layout: Layout, app: string, env: string): string {
  const host = publicHost(layout, env, app);
  const namespace = destinationNamespace(layout, env, app);
  const first = env === firstEnvironment(layout);
  return [
    `# Env layer for ${app} in ${env}: hosts, environment, resources, secret references.`,
    '# Maintained by people; tagrelay never writes here after init. No secret values in this file.',
    'ingress:',
    '  enabled: true',
    '  className: nginx',
    '  annotations:',
    '    cert-manager.io/cluster-issuer: letsencrypt-http',
    '  hosts:',
    `    - ${host}`,
    '  tls:',
    `    secretName: ${host.replaceAll('.', '-')}-tls`,
    '',
    'env:',
    '  - name: SYNESTRA_ENV',
    `    value: ${env}`,
    '  - name: NEXT_PUBLIC_SITE_URL',
    `    value: https://${host}`,
    '',
    'envFrom:',
    '  - secretRef:',
    `      name: ${namespace}-env`,
    '  - secretRef:',
    `      name: ${namespace}-db`,
    '',
    'resources:',
    '  requests:',
    `    cpu: ${first ? '100m' : '250m'}`,
    `    memory: ${first ? '256Mi' : '512Mi'}`,
    '  limits:',
    `    memory: ${first ? '512Mi' : '1Gi'}`,
    '',
    'features:',
    `  previewMode: ${first}`,
    '',
    `replicaCount: ${first ? 1 : 2}`,
    '',
  ].join('\n');
}

/** `../../env/release-dev/corporate.yaml` from the Application's folder to the values file. */
function relativeTo(from: string, to: string): string {
  const fromParts = from.split('/').slice(0, -1);
  const toParts = to.split('/');
  let common = 0;
  while (common < fromParts.length && fromParts[common] === toParts[common]) common++;
  return [...fromParts.slice(common).map(() => '..'), ...toParts.slice(common)].join('/');
}

function application(layout: Layout, app: string, env: string, request: BootstrapRequest, branch: string) {
  const chartDir = layout.argocd.chart;
  // Helm value files are relative to the chart's path.
  const values = [releaseFilePath(layout, env, app), envFilePath(layout, env, app)].map((path) =>
    relativeTo(`${chartDir}/Chart.yaml`, path),
  );
  const selfHeal = env !== firstEnvironment(layout);
  return [
    `# Argo CD Application for ${app} in ${env}. Loads the release layer (written by tagrelay)`,
    '# and the env layer (written by people), in that order, on top of the shared chart.',
    'apiVersion: argoproj.io/v1alpha1',
    'kind: Application',
    'metadata:',
    `  name: ${applicationName(layout, env, app)}`,
    '  namespace: argocd',
    '  labels:',
    `    synestra.io/app: ${app}`,
    `    synestra.io/env: ${env}`,
    '  finalizers:',
    '    - resources-finalizer.argocd.argoproj.io',
    'spec:',
    `  project: ${layout.argocd.project}`,
    '  source:',
    `    repoURL: ${request.repoURL}`,
    `    targetRevision: ${branch}`,
    `    path: ${chartDir}`,
    '    helm:',
    `      releaseName: ${app}`,
    '      valueFiles:',
    ...values.map((path) => `        - ${path}`),
    '  destination:',
    '    server: https://kubernetes.default.svc',
    `    namespace: ${destinationNamespace(layout, env, app)}`,
    '  syncPolicy:',
    '    automated:',
    '      prune: true',
    selfHeal
      ? '      selfHeal: true # GitOps-strict: drift is reverted.'
      : `      selfHeal: false # ${env} tolerates drift (hot development patches the workload), so no self-heal.`,
    '    syncOptions:',
    '      - CreateNamespace=true',
    '',
  ].join('\n');
}

/** Every file init writes, for every environment of the chain, in a stable order. */
export function bootstrapFiles(
  layout: Layout,
  request: BootstrapRequest,
  branch: string,
): { path: string; content: string }[] {
  return layout.environments.flatMap((env) => [
    { path: releaseFilePath(layout, env, request.app), content: releaseLayer(request.app, env, request) },
    { path: envFilePath(layout, env, request.app), content: envLayer(layout, request.app, env) },
    {
      path: argoAppPath(layout, env, request.app),
      content: application(layout, request.app, env, request, branch),
    },
  ]);
}

/** Paths to read first: the layout config, then every file init would write. */
export function initPaths(layout: Layout, app: string): string[] {
  return [
    LAYOUT_CONFIG_PATH,
    ...layout.environments.flatMap((env) => [
      releaseFilePath(layout, env, app),
      envFilePath(layout, env, app),
      argoAppPath(layout, env, app),
    ]),
  ];
}

/** Some of the files already exist: init never overwrites. */
export class AlreadyBootstrappedError extends TagrelayError {
  override readonly name = 'AlreadyBootstrappedError';
  constructor(
    readonly app: string,
    readonly existing: readonly string[],
  ) {
    super(
      `App "${app}" is already (partly) bootstrapped: ${existing.join(', ')} ${existing.length === 1 ? 'exists' : 'exist'}; ` +
        'init writes only into an empty place and changed nothing',
    );
  }
}

export function planInit(request: BootstrapRequest, branch: string, files: FileSnapshot): PlanStep {
  const layout = layoutFrom(files);
  if ('need' in layout) return { kind: 'need-files', paths: [layout.need] };
  const wanted = bootstrapFiles(layout, request, branch);
  const unread = wanted.map((file) => file.path).filter((path) => !files.has(path));
  if (unread.length > 0) return { kind: 'need-files', paths: unread };
  const existing = wanted.map((file) => file.path).filter((path) => files.get(path) !== null);
  if (existing.length > 0) throw new AlreadyBootstrappedError(request.app, existing);

  const changes: FileChange[] = wanted.map(({ path, content }) => ({ path, before: '', after: content }));
  const chain = layout.environments.join(', ');
  const message: CommitMessage = {
    headline: `init: ${request.app} in ${chain} at ${request.tag}`,
    body: [
      ...changes.map((change) => `- ${change.path}`),
      '',
      `Release-App: ${request.app}`,
      ...layout.environments.map((env) => `Release-Env: ${env}`),
      `Release-Tag: ${request.tag}`,
      '',
    ].join('\n'),
  };
  const changeSet: ChangeSet = {
    env: layout.environments.join(','),
    tag: request.tag,
    apps: layout.environments.map((env) => ({
      app: request.app,
      env,
      path: releaseFilePath(layout, env, request.app),
      previous: {},
      next: { repository: request.image, tag: request.tag },
      tag: request.tag,
      changed: true,
    })),
    files: changes,
    message,
  };
  return { kind: 'ready', layout, changeSet };
}
