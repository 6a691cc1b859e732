import { ConfigurationError } from '../../src/core/errors.js';
import {
  DEFAULT_LAYOUT,
  argoAppPath,
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

  it.each([
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
