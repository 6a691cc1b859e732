import { applicationImageTags, readApplication, type ArgoApplication } from '../../src/core/argocd.js';

const COMMIT = 'c'.repeat(40);
const LATER = 'd'.repeat(40);

function app(status: ArgoApplication['status']): ArgoApplication {
  return { apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name: 'shop-dev' }, status };
}

const synced = (images: string[], revision = COMMIT, health = 'Healthy', sync = 'Synced'): ArgoApplication =>
  app({
    sync: { status: sync, revision },
    health: { status: health },
    summary: { images },
    operationState: { phase: 'Succeeded' },
  });

describe('readApplication', () => {
  const contains = (revision: string) => (revision === COMMIT || revision === LATER ? true : false);

  it.each<[string, ArgoApplication, boolean, string | undefined, string]>([
    [
      'synced, healthy, the tag, at the commit',
      synced(['ghcr.io/acme/shop:sha-new']),
      true,
      'sha-new',
      'Synced',
    ],
    [
      'at a later revision that contains the commit',
      synced(['ghcr.io/acme/shop:sha-new'], LATER),
      true,
      'sha-new',
      'at dddddddddddd',
    ],
    [
      'at an older revision',
      synced(['ghcr.io/acme/shop:sha-new'], 'e'.repeat(40)),
      false,
      'sha-new',
      'not yet the GitOps commit',
    ],
    ['still the old image', synced(['ghcr.io/acme/shop:sha-old']), false, 'sha-old', 'images :sha-old'],
    [
      'no sync revision to hold the commit against',
      app({
        sync: { status: 'Synced' },
        health: { status: 'Healthy' },
        summary: { images: ['ghcr.io/acme/shop:sha-new'] },
      }),
      false,
      'sha-new',
      '(Synced, Healthy)',
    ],
    [
      'progressing',
      synced(['ghcr.io/acme/shop:sha-new'], COMMIT, 'Progressing'),
      false,
      'sha-new',
      'Progressing',
    ],
    [
      'out of sync',
      synced(['ghcr.io/acme/shop:sha-new'], COMMIT, 'Healthy', 'OutOfSync'),
      false,
      'sha-new',
      'OutOfSync',
    ],
    ['no status yet', app(undefined), false, undefined, 'no images (Unknown, Unknown)'],
    [
      'a sidecar beside the tag',
      synced(['docker.io/library/nginx:1.27', 'ghcr.io/acme/shop:sha-new@sha256:' + 'a'.repeat(64)]),
      true,
      'sha-new',
      ':1.27, :sha-new',
    ],
  ])('%s', (_name, application, live, version, detail) => {
    const reading = readApplication(application, { tag: 'sha-new', revisionContainsCommit: contains });
    expect(reading.live).toBe(live);
    expect(reading.version).toBe(version);
    expect(reading.detail).toContain(detail);
  });

  it('lets the images decide when the commit is not known', () => {
    expect(readApplication(synced(['shop:sha-new'], 'e'.repeat(40)), { tag: 'sha-new' }).live).toBe(true);
    expect(
      readApplication(synced(['shop:sha-new'], 'e'.repeat(40)), {
        tag: 'sha-new',
        revisionContainsCommit: () => undefined,
      }).live,
    ).toBe(true);
  });

  it('reads multi-source revisions and a running operation', () => {
    const application = app({
      sync: { status: 'Synced', revisions: ['x'.repeat(40), COMMIT] },
      health: { status: 'Healthy' },
      summary: { images: ['shop:sha-new'] },
      operationState: { phase: 'Running' },
    });
    const reading = readApplication(application, {
      tag: 'sha-new',
      revisionContainsCommit: (r) => r === COMMIT,
    });
    expect(reading.live).toBe(true);
    expect(reading.detail).toContain('operation Running');
  });

  it('lists image tags once each', () => {
    expect(applicationImageTags(synced(['a:1', 'b:1', 'c', 'd:2']))).toEqual(['1', '2']);
  });
});
