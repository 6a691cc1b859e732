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

describe('parseBumpRequest: an image and a digest per app', () => {
  const A = `sha256:${'a'.repeat(64)}`;
  const B = `sha256:${'b'.repeat(64)}`;
  const apps = 'corporate, shop';

  it.each([
    ['app=digest entries, comma-separated', `corporate=${A}, shop=${B}`],
    ['app=digest entries, one a line', `shop = ${B}\ncorporate=${A}\n`],
    ['a JSON object, as release.yml’s digests output', JSON.stringify({ shop: B, corporate: A })],
  ])('takes %s', (_form, digest) => {
    expect(parseBumpRequest({ app: apps, tag: 'v1', digest })).toMatchObject({
      digest: undefined,
      perApp: { corporate: { digest: A }, shop: { digest: B } },
    });
  });

  it('replaces {app} in the image for each app', () => {
    expect(
      parseBumpRequest({
        app: apps,
        tag: 'v1',
        image: 'ghcr.io/synestra/{app}',
        digest: `corporate=${A},shop=${B}`,
      }),
    ).toMatchObject({
      repository: undefined,
      perApp: {
        corporate: { repository: 'ghcr.io/synestra/corporate', digest: A },
        shop: { repository: 'ghcr.io/synestra/shop', digest: B },
      },
    });
  });

  it('takes one digest for several apps only with one image for all', () => {
    expect(
      parseBumpRequest({ app: apps, tag: 'v1', image: 'ghcr.io/synestra/site', digest: A }),
    ).toMatchObject({
      repository: 'ghcr.io/synestra/site',
      digest: A,
    });
  });

  it.each([
    ['one digest for several images', { digest: A }, '2 apps are 2 images'],
    ['one digest for {app} images', { image: 'ghcr.io/x/{app}', digest: A }, '2 apps are 2 images'],
    ['an app left out', { digest: `corporate=${A}` }, 'for every app bumped (none for shop)'],
    ['an app not bumped', { digest: `corporate=${A},shop=${B},admin=${A}` }, '"admin" is not one'],
    ['an app twice', { digest: `corporate=${A},shop=${B},shop=${A}` }, 'each app once (shop has two)'],
    ['an entry without an app', { digest: `${A},${B}` }, 'this entry names no app'],
    ['a JSON array', { digest: `[${JSON.stringify(A)}]` }, 'one digest per app'],
    ['broken JSON', { digest: '{"shop":' }, 'one digest per app'],
    ['a bad digest among good ones', { digest: `corporate=${A},shop=sha256:1` }, 'sha256: followed by 64'],
    [
      'a template that makes no repository',
      { image: 'ghcr.io/X/{app}' },
      'for corporate it reads "ghcr.io/X/corporate"',
    ],
  ])('refuses %s, naming the input', (_case, raw, words) => {
    const error = thrownBy(ConfigurationError, () => parseBumpRequest({ app: apps, tag: 'v1', ...raw }));
    expect(error.input).toBe('image' in raw && !('digest' in raw) ? 'image' : 'digest');
    expect(error.message).toContain(words);
  });
});
