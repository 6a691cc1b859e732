import { describeAppChange, type AppChange } from '../../src/core/plan.js';

const DIGEST_A = `sha256:${'a'.repeat(64)}`;
const DIGEST_B = `sha256:${'b'.repeat(64)}`;

function entry(previous: AppChange['previous'], next: AppChange['next'], changed = true): AppChange {
  return { app: 'corporate', env: 'dev', path: 'p', previous, next, tag: next.tag ?? '', changed };
}

describe('describeAppChange', () => {
  it.each<[string, AppChange, string]>([
    ['a new tag', entry({ tag: 'v1' }, { tag: 'v2' }), 'corporate: v1 → v2'],
    ['a first tag', entry({}, { tag: 'v2' }), 'corporate: (none) → v2'],
    ['nothing to do', entry({ tag: 'v2' }, { tag: 'v2' }, false), 'corporate: already at v2'],
    [
      'only the digest',
      entry({ tag: 'v2', digest: DIGEST_A }, { tag: 'v2', digest: DIGEST_B }),
      `corporate: v2 unchanged; digest ${DIGEST_A} → ${DIGEST_B}`,
    ],
    [
      'a first digest and a new repository',
      entry(
        { tag: 'v2', repository: 'ghcr.io/a/x' },
        { tag: 'v2', repository: 'ghcr.io/b/x', digest: DIGEST_B },
      ),
      `corporate: v2 unchanged; repository ghcr.io/a/x → ghcr.io/b/x, digest (none) → ${DIGEST_B}`,
    ],
  ])('%s', (_name, change, line) => {
    expect(describeAppChange(change)).toBe(line);
  });
});
