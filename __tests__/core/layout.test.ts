import { ConfigurationError } from '../../src/core/errors.js';
import {
  DEFAULT_LAYOUT,
  applicationName,
  argoAppPath,
  destinationNamespace,
  firstEnvironment,
  nextEnvironment,
  publicHost,
  envFilePath,
  parseLayoutConfig,
  releaseFilePath,
  requireEnvironment,
  sourceEnvironment,
} from '../../src/core/layout.js';

describe('layout', () => {
  it('uses the seeds layout by default', () => {
    const layout = parseLayoutConfig(null);
    expect(layout).toBe(DEFAULT_LAYOUT);
    expect(releaseFilePath(layout, 'dev', 'corporate')).toBe('deploy/env/release-dev/corporate.yaml');
    expect(envFilePath(layout, 'prod', 'shop')).toBe('deploy/env/prod/shop.yaml');
    expect(argoAppPath(layout, 'prod', 'shop')).toBe('deploy/argocd/apps/prod/shop.yaml');
    expect(sourceEnvironment(layout, 'prod')).toBe('dev');
    expect(sourceEnvironment(layout, 'dev')).toBeUndefined();
  });

  it('adds a stage with one config line, no code change', () => {
    const layout = parseLayoutConfig('environments: [dev, stage, prod]\n');
    expect(layout.environments).toEqual(['dev', 'stage', 'prod']);
    expect(sourceEnvironment(layout, 'stage')).toBe('dev');
    expect(sourceEnvironment(layout, 'prod')).toBe('stage');
    expect(releaseFilePath(layout, 'stage', 'shop')).toBe('deploy/env/release-stage/shop.yaml');
  });

  it('takes custom paths, keys and deny-list, keeping latest refused', () => {
    const layout = parseLayoutConfig(
      'paths:\n  release: gitops/{env}/{app}/release.yaml\nkeys:\n  tag: app.image.tag\ndeniedTags: [stable]\n',
    );
    expect(releaseFilePath(layout, 'dev', 'shop')).toBe('gitops/dev/shop/release.yaml');
    expect(layout.paths.env).toBe(DEFAULT_LAYOUT.paths.env);
    expect(layout.keys.tag).toEqual(['app', 'image', 'tag']);
    expect(layout.deniedTags).toEqual(['latest', 'stable']);
  });

  it('names Applications, namespaces and hosts as the seeds do, and takes other templates', () => {
    expect(applicationName(DEFAULT_LAYOUT, 'dev', 'corporate')).toBe('corporate-dev');
    expect(destinationNamespace(DEFAULT_LAYOUT, 'prod', 'corporate')).toBe('web-corporate-prod');
    expect(publicHost(DEFAULT_LAYOUT, 'prod', 'corporate')).toBe('corporate.synestra.io');
    expect(publicHost(DEFAULT_LAYOUT, 'dev', 'corporate')).toBe('corporate.dev.synestra.tech');
    expect(publicHost(DEFAULT_LAYOUT, 'stage', 'corporate')).toBe('corporate.stage.synestra.tech');
    const layout = parseLayoutConfig(
      'argocd:\n  application: web-{app}-{env}\n  project: sites\nhosts:\n  prod: www.{app}.example.com\n  "*": "{app}-{env}.preview.example.com"\n',
    );
    expect(applicationName(layout, 'dev', 'shop')).toBe('web-shop-dev');
    expect(layout.argocd.project).toBe('sites');
    expect(layout.argocd.namespace).toBe('web-{app}-{env}');
    expect(publicHost(layout, 'prod', 'shop')).toBe('www.shop.example.com');
    expect(publicHost(layout, 'dev', 'shop')).toBe('shop.dev.synestra.tech');
    expect(publicHost(layout, 'qa', 'shop')).toBe('shop-qa.preview.example.com');
  });

  it('knows the first and the next environment of the chain', () => {
    const layout = parseLayoutConfig('environments: [dev, stage, prod]\n');
    expect(firstEnvironment(layout)).toBe('dev');
    expect(nextEnvironment(layout, 'dev')).toBe('stage');
    expect(nextEnvironment(layout, 'prod')).toBeUndefined();
  });

  it.each([
    ['argocd:\n  application: "{app}"', 'argocd.application'],
    ['argocd:\n  application: "Web-{app}-{env}"', 'argocd.application'],
    ['argocd:\n  namespace: "{app}-{env}-{x}"', 'argocd.namespace'],
    ['argocd:\n  chart: ../charts/web', 'argocd.chart'],
    ['argocd:\n  server: x', 'argocd.server'],
    ['hosts:\n  prod: synestra.io', 'hosts.prod'],
    ['hosts:\n  prod: "{app}.synestra.io/x"', 'hosts.prod'],
    ['hosts: [a]', 'hosts'],
    ['environments: dev', 'environments'],
    ['environments: [dev, Dev]', 'environments'],
    ['environments: [dev, dev]', 'environments'],
    ['paths:\n  release: ../{env}/{app}.yaml', 'paths.release'],
    ['paths:\n  release: /abs/{env}/{app}.yaml', 'paths.release'],
    ['paths:\n  release: deploy/{app}.yaml', 'paths.release'],
    ['paths:\n  release: deploy/{env}/{app}-{other}.yaml', 'paths.release'],
    ['paths:\n  nope: x', 'paths.nope'],
    ['keys:\n  tag: "image tag"', 'keys.tag'],
    ['colour: blue', 'colour'],
    ['[unclosed', '(file)'],
    ['- a\n- b', '(file)'],
  ])('refuses %j naming %s', (text, key) => {
    try {
      parseLayoutConfig(text);
      throw new Error('expected a ConfigurationError');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigurationError);
      expect((error as ConfigurationError).input).toBe(`deploy/tagrelay.yaml: ${key}`);
    }
  });

  it('refuses an environment outside the chain', () => {
    expect(() => requireEnvironment(DEFAULT_LAYOUT, 'stage')).toThrow(/one of the environments dev, prod/);
    expect(() => requireEnvironment(DEFAULT_LAYOUT, '../prod')).toThrow(/DNS label/);
  });
});
