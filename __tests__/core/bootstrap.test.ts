import { Application } from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1/Application';
import { parse } from 'yaml';
import {
  AlreadyBootstrappedError,
  bootstrapFiles,
  bootstrapNextSteps,
  planInit,
  type BootstrapRequest,
} from '../../src/core/bootstrap.js';
import { DEFAULT_LAYOUT, LAYOUT_CONFIG_PATH, parseLayoutConfig } from '../../src/core/layout.js';
import { readReleaseImage } from '../../src/core/release-file/edit.js';
import { thrownBy } from '../support/thrown.js';

const REQUEST: BootstrapRequest = {
  app: 'blog',
  image: 'ghcr.io/synestra/blog',
  tag: 'sha-0123456789ab',
  repoURL: 'https://github.com/synestra/gitops.git',
};

const byPath = (files: { path: string; content: string }[]) =>
  Object.fromEntries(files.map((file) => [file.path, file.content]));

describe('bootstrapFiles', () => {
  const files = byPath(bootstrapFiles(DEFAULT_LAYOUT, REQUEST, 'main'));

  it('writes the six files of the seeds: release and env layers and an Application per environment', () => {
    expect(Object.keys(files).sort()).toEqual([
      'deploy/argocd/apps/dev/blog.yaml',
      'deploy/argocd/apps/prod/blog.yaml',
      'deploy/env/dev/blog.yaml',
      'deploy/env/prod/blog.yaml',
      'deploy/env/release-dev/blog.yaml',
      'deploy/env/release-prod/blog.yaml',
    ]);
  });

  it.each(['dev', 'prod'])('gives %s a release layer tagrelay can read back', (env) => {
    const path = `deploy/env/release-${env}/blog.yaml`;
    expect(readReleaseImage(path, files[path] as string)).toEqual({
      repository: 'ghcr.io/synestra/blog',
      tag: 'sha-0123456789ab',
    });
  });

  it.each([
    ['dev', 'blog.dev.synestra.tech', false],
    ['prod', 'blog.synestra.io', true],
  ])('gives %s its host, SYNESTRA_ENV, secret references and self-heal policy', (env, host, selfHeal) => {
    const values = parse(files[`deploy/env/${env}/blog.yaml`] as string);
    expect(values.ingress.hosts).toEqual([host]);
    expect(values.env).toContainEqual({ name: 'SYNESTRA_ENV', value: env });
    expect(values.env).toContainEqual({ name: 'NEXT_PUBLIC_SITE_URL', value: `https://${host}` });
    expect(values.envFrom).toEqual([
      { secretRef: { name: `web-blog-${env}-env` } },
      { secretRef: { name: `web-blog-${env}-db` } },
    ]);
    const app = parse(files[`deploy/argocd/apps/${env}/blog.yaml`] as string);
    expect(app.metadata.name).toBe(`blog-${env}`);
    expect(app.spec.destination.namespace).toBe(`web-blog-${env}`);
    expect(app.spec.source.helm.valueFiles).toEqual([
      `../../env/release-${env}/blog.yaml`,
      `../../env/${env}/blog.yaml`,
    ]);
    expect(app.spec.source.targetRevision).toBe('main');
    expect(app.spec.syncPolicy.automated).toEqual({ prune: true, selfHeal });
  });

  it.each(['dev', 'prod'])('writes a %s Application that validates against the Argo CD schema', (env) => {
    const app = new Application(parse(files[`deploy/argocd/apps/${env}/blog.yaml`] as string));
    expect(() => app.validate()).not.toThrow();
  });

  it('uses a schema check that does fail on a broken Application', () => {
    const app = parse(files['deploy/argocd/apps/dev/blog.yaml'] as string);
    app.spec.syncPolicy.automated.prune = 'yes';
    expect(() => new Application(app).validate()).toThrow();
  });

  it('follows deploy/tagrelay.yaml: a stage, the seeds names, other hosts', () => {
    const layout = parseLayoutConfig(
      'environments: [dev, stage, prod]\nargocd:\n  application: web-{app}-{env}\nhosts:\n  stage: "{app}.stage.example.com"\n',
    );
    const staged = byPath(bootstrapFiles(layout, REQUEST, 'main'));
    expect(Object.keys(staged)).toHaveLength(9);
    const app = parse(staged['deploy/argocd/apps/stage/blog.yaml'] as string);
    expect(app.metadata.name).toBe('web-blog-stage');
    expect(app.spec.syncPolicy.automated.selfHeal).toBe(true);
    expect(() => new Application(app).validate()).not.toThrow();
    expect(parse(staged['deploy/env/stage/blog.yaml'] as string).ingress.hosts).toEqual([
      'blog.stage.example.com',
    ]);
  });

  it('lists what the seeds bootstrap needs besides the files', () => {
    const steps = bootstrapNextSteps(DEFAULT_LAYOUT, 'blog').join('\n');
    expect(steps).toContain('web-blog-dev-env, web-blog-dev-db; web-blog-prod-env, web-blog-prod-db');
    expect(steps).toContain('apps/blog');
  });
});

describe('planInit', () => {
  const empty = (extra: Record<string, string | null> = {}) =>
    new Map<string, string | null>([
      [LAYOUT_CONFIG_PATH, null],
      ...bootstrapFiles(DEFAULT_LAYOUT, REQUEST, 'main').map((file) => [file.path, null] as [string, null]),
      ...Object.entries(extra),
    ]);

  it('creates every file in one change set with an init message', () => {
    const step = planInit(REQUEST, 'main', empty());
    if (step.kind !== 'ready') throw new Error('expected a plan');
    expect(step.changeSet.files).toHaveLength(6);
    expect(step.changeSet.files.every((file) => file.before === '')).toBe(true);
    expect(step.changeSet.message.headline).toBe('init: blog in dev, prod at sha-0123456789ab');
    expect(step.changeSet.message.body).toContain('Release-App: blog\nRelease-Env: dev\nRelease-Env: prod\n');
  });

  it('asks for the layout and the files first', () => {
    expect(planInit(REQUEST, 'main', new Map())).toEqual({ kind: 'need-files', paths: [LAYOUT_CONFIG_PATH] });
  });

  it('refuses, naming them, when any file already exists', () => {
    const error = thrownBy(AlreadyBootstrappedError, () =>
      planInit(REQUEST, 'main', empty({ 'deploy/env/prod/blog.yaml': 'x: 1\n' })),
    );
    expect(error.existing).toEqual(['deploy/env/prod/blog.yaml']);
    expect(error.message).toContain('deploy/env/prod/blog.yaml exists');
  });
});
