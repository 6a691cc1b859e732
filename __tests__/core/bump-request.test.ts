import { parseBumpRequest } from '../../src/core/bump-request.js';
import { ConfigurationError } from '../../src/core/errors.js';
import { thrownBy } from '../support/thrown.js';

describe('parseBumpRequest', () => {
  it('validates every field once and fills the defaults', () => {
    expect(
      parseBumpRequest({ app: 'corporate,\nshop', tag: 'sha-0123456789ab' }, { sourceCommit: 'a/b@c' }),
    ).toEqual({
      env: 'dev',
      apps: ['corporate', 'shop'],
      tag: 'sha-0123456789ab',
      repository: undefined,
      digest: undefined,
      trailers: { sourceCommit: 'a/b@c' },
    });
  });

  it('keeps image and digest when given', () => {
    const digest = `sha256:${'a'.repeat(64)}`;
    expect(
      parseBumpRequest({ app: 'shop', tag: 'v1', image: 'ghcr.io/x/shop', digest, environment: 'prod' }),
    ).toMatchObject({ env: 'prod', repository: 'ghcr.io/x/shop', digest });
  });

  it.each([
    [{ app: '', tag: 'v1' }, 'app'],
    [{ app: 'shop', tag: '' }, 'tag'],
    [{ app: 'shop', tag: 'latest' }, 'tag'],
    [{ app: 'shop', tag: 'v1', image: 'Not/Valid' }, 'image'],
    [{ app: 'shop', tag: 'v1', digest: 'sha256:1' }, 'digest'],
    [{ app: 'shop', tag: 'v1', environment: 'Prod' }, 'environment'],
  ])('%j is refused, naming %s', (raw, input) => {
    expect(thrownBy(ConfigurationError, () => parseBumpRequest(raw)).input).toBe(input);
  });
});
