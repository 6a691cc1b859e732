import { ConfigurationError } from '../../src/core/errors.js';
import {
  appTrailer,
  formatReleaseMessage,
  messageText,
  trailerValues,
} from '../../src/core/commit-message.js';
import { thrownBy } from '../support/thrown.js';

describe('release commit messages', () => {
  it('names env, app and tag in the headline and carries the trailers', () => {
    const message = formatReleaseMessage({
      env: 'dev',
      tag: 'sha-0123456789ab',
      apps: [{ app: 'corporate', previousTag: 'sha-aaaaaaaaaaaa' }],
      trailers: { sourceCommit: 'synestra/web@abc', digest: `sha256:${'1'.repeat(64)}` },
    });
    expect(message.headline).toBe('release(dev): corporate sha-0123456789ab');
    expect(messageText(message)).toBe(
      [
        'release(dev): corporate sha-0123456789ab',
        '',
        '- corporate: sha-aaaaaaaaaaaa → sha-0123456789ab',
        '',
        'Release-App: corporate',
        'Release-Env: dev',
        'Release-Tag: sha-0123456789ab',
        `Release-Digest: sha256:${'1'.repeat(64)}`,
        'Source-Commit: synestra/web@abc',
        '',
      ].join('\n'),
    );
  });

  it.each([
    [['a', 'b'], 'release(prod): a, b v1'],
    [['a', 'b', 'c'], 'release(prod): a, b, c v1'],
    [['a', 'b', 'c', 'd'], 'release(prod): 4 apps v1'],
  ])('headline for %j', (apps, headline) => {
    const message = formatReleaseMessage({ env: 'prod', tag: 'v1', apps: apps.map((app) => ({ app })) });
    expect(message.headline).toBe(headline);
    expect(message.body.match(/^Release-App: /gm)).toHaveLength(apps.length);
  });

  it('pairs each app with its own tag, digest and evidence when the tags differ', () => {
    const body = formatReleaseMessage({
      env: 'prod',
      tag: 'v1',
      apps: [
        { app: 'shop', tag: 'v1', digest: 'sha256:1', promotedFrom: 'c1', verifiedBy: 'https://ci/run/1' },
        { app: 'admin', tag: 'v2', promotedFrom: 'c2', sourceCommit: 'synestra/admin@9' },
      ],
    }).body;
    expect(body.split('\n\n')[1]).toBe(
      [
        'Release-Env: prod',
        'Release-App: shop',
        'Release-Tag: v1',
        'Release-Digest: sha256:1',
        'Promoted-From: c1',
        'Verified-By: https://ci/run/1',
        'Release-App: admin',
        'Release-Tag: v2',
        'Source-Commit: synestra/admin@9',
        'Promoted-From: c2',
        '',
      ].join('\n'),
    );
  });

  it('groups the trailers when several apps of one tag carry values of their own, shared ones first', () => {
    const body = formatReleaseMessage({
      env: 'dev',
      tag: 'v1',
      apps: [
        { app: 'shop', digest: 'sha256:1' },
        { app: 'admin', digest: 'sha256:2' },
      ],
      trailers: { sourceCommit: 'synestra/site@9', forcedBy: 'alice' },
    }).body;
    expect(body.split('\n\n')[1]).toBe(
      [
        'Release-Env: dev',
        'Source-Commit: synestra/site@9',
        'Forced-By: alice',
        'Release-App: shop',
        'Release-Tag: v1',
        'Release-Digest: sha256:1',
        'Release-App: admin',
        'Release-Tag: v1',
        'Release-Digest: sha256:2',
        '',
      ].join('\n'),
    );
  });

  it('reads trailers from the last paragraph only, as git does: a body line is not a trailer', () => {
    const message =
      'fix: notes\n\nRelease-Digest: sha256:forged\nRelease-Tag: v9\n\nSigned-off-by: a <a@b>\n';
    expect(trailerValues(message, 'Release-Digest')).toEqual([]);
    expect(trailerValues(message, 'Signed-off-by')).toEqual(['a <a@b>']);
  });

  it('writes promotion, verification and override trailers only when given', () => {
    const body = formatReleaseMessage({
      env: 'prod',
      tag: 'v1',
      apps: [{ app: 'shop' }],
      trailers: { promotedFrom: 'abc', verifiedBy: 'https://ci/run/1', forcedBy: 'alice' },
    }).body;
    expect(body).toContain('Promoted-From: abc\nVerified-By: https://ci/run/1\nForced-By: alice\n');
    expect(formatReleaseMessage({ env: 'dev', tag: 'v1', apps: [{ app: 'shop' }] }).body).not.toMatch(
      /Promoted-From|Verified-By|Forced-By|Release-Digest|Source-Commit/,
    );
  });
});

describe('trailer values are one line of printable text', () => {
  const base = { env: 'dev', tag: 'v1', apps: [{ app: 'shop' }] };
  const forged = 'synestra/web@0123\nRelease-Env: prod';
  it.each([
    ['Source-Commit', { trailers: { sourceCommit: forged } }],
    ['Source-Commit', { trailers: { sourceCommit: 'a@b\r' } }],
    ['Release-Digest', { trailers: { digest: 'sha256:1\u0000' } }],
    ['Promoted-From', { trailers: { promotedFrom: 'abc\u001b[31m' } }],
    ['Verified-By', { trailers: { verifiedBy: 'https://ci/run/1\u2028Forced-By: x' } }],
    ['Forced-By', { trailers: { forcedBy: 'alice\tbob' } }],
    ['Forced-By', { trailers: { forcedBy: ' alice' } }],
    ['Forced-By', { trailers: { forcedBy: 'alice\u0085' } }],
    ['Release-Env', { env: 'dev\nRelease-Env: prod' }],
    ['Release-Tag', { tag: 'v1\u007f' }],
    ['Release-Tag', { tag: '' }],
    ['Release-App', { apps: [{ app: 'shop\nRelease-App: admin' }] }],
  ])('refuses a %s value with a control character', (key, change) => {
    const error = thrownBy(ConfigurationError, () => formatReleaseMessage({ ...base, ...change }));
    expect(error.input).toBe(`${key} trailer`);
    expect(error.message).toContain('control character');
  });

  it('shows a previous tag with a newline escaped in the body, never as a line of its own', () => {
    const body = formatReleaseMessage({
      ...base,
      apps: [{ app: 'shop', previousTag: 'a\nRelease-Env: prod' }],
    }).body;
    expect(body).toContain('- shop: "a\\nRelease-Env: prod" → v1');
    expect(body.match(/^Release-Env: /gm)).toEqual(['Release-Env: ']);
  });
});

describe("appTrailer: one app's value in a release commit", () => {
  const grouped = messageText(
    formatReleaseMessage({
      env: 'prod',
      tag: 'v1',
      apps: [
        { app: 'shop', digest: 'sha256:1', sourceCommit: 'synestra/shop@1' },
        { app: 'admin', digest: 'sha256:2' },
        { app: 'api' },
      ],
      trailers: { sourceCommit: 'synestra/site@9' },
    }),
  );
  const shared = messageText(
    formatReleaseMessage({
      env: 'dev',
      tag: 'v1',
      apps: [{ app: 'shop' }, { app: 'admin' }],
      trailers: { digest: 'sha256:0', sourceCommit: 'synestra/site@9' },
    }),
  );
  const single = messageText(
    formatReleaseMessage({
      env: 'prod',
      tag: 'v1',
      apps: [{ app: 'shop', sourceCommit: 'synestra/shop@1', promotedFrom: 'c1' }],
      trailers: { sourceCommit: 'synestra/site@9' },
    }),
  );
  // Written before grouping: two apps' digests one after the other, unpaired.
  const unpaired =
    'release(prod): shop, admin v1\n\nRelease-App: shop\nRelease-App: admin\nRelease-Env: prod\n' +
    'Release-Tag: v1\nRelease-Digest: sha256:1\nRelease-Digest: sha256:2\n';
  it.each<[string, string, string, string, string | undefined]>([
    ['grouped: the app’s own', grouped, 'admin', 'Release-Digest', 'sha256:2'],
    ['grouped: the first app’s own', grouped, 'shop', 'Release-Digest', 'sha256:1'],
    ['grouped: none of its own, none shared', grouped, 'api', 'Release-Digest', undefined],
    ['grouped: its own over the shared one', grouped, 'shop', 'Source-Commit', 'synestra/shop@1'],
    ['grouped: the shared one', grouped, 'admin', 'Source-Commit', 'synestra/site@9'],
    [
      'grouped: the last app gets no shared value by position',
      grouped,
      'api',
      'Source-Commit',
      'synestra/site@9',
    ],
    ['grouped: an app not in the commit', grouped, 'web', 'Source-Commit', undefined],
    ['shared: every app', shared, 'admin', 'Release-Digest', 'sha256:0'],
    ['shared: an app not in the commit', shared, 'web', 'Release-Digest', undefined],
    ['one app: its own first', single, 'shop', 'Source-Commit', 'synestra/shop@1'],
    ['one app: promotion evidence', single, 'shop', 'Promoted-From', 'c1'],
    ['unpaired values of several apps: unknown', unpaired, 'admin', 'Release-Digest', undefined],
    ['unpaired, but one value', unpaired, 'admin', 'Release-Tag', 'v1'],
  ])('%s', (_case, message, app, key, expected) => {
    expect(appTrailer(message, app, key)).toBe(expected);
  });
});
