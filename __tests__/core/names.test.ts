import { ConfigurationError } from '../../src/core/errors.js';
import { thrownBy } from '../support/thrown.js';
import {
  parseAppList,
  parseRepository,
  validateAppName,
  validateBranchName,
  validateDigest,
  validateImageRepository,
  validateTag,
} from '../../src/core/names.js';

const failure = (fn: () => unknown) => thrownBy(ConfigurationError, fn);

describe('validateTag', () => {
  it.each(['sha-0123456789ab', 'v1.2.3', '1.10', '_x', 'A', 'a'.repeat(128), 'release_2026-11-23.1'])(
    'accepts %j',
    (tag) => {
      expect(validateTag(tag)).toBe(tag);
    },
  );

  it.each([
    ['latest', 'is mutable'],
    ['LATEST', 'is mutable'],
    ['a:b', 'immutable image tag'],
    ['a'.repeat(129), '129 characters'],
    ['sha-1\nlatest', 'immutable image tag'],
    ['.hidden', 'immutable image tag'],
    ['-x', 'immutable image tag'],
    ['a b', 'immutable image tag'],
    ['tag/with/slash', 'immutable image tag'],
  ])('refuses %j, naming the input and the expected form', (tag, hint) => {
    const error = failure(() => validateTag(tag));
    expect(error.input).toBe('tag');
    expect(error.message).toContain('Input "tag"');
    expect(error.message).toContain(hint);
  });

  it('reports an empty tag as missing', () => {
    expect(failure(() => validateTag('')).message).toMatch(/^Input "tag" is required/);
  });

  it('shows a newline in the value escaped, so the log line stays one line', () => {
    expect(failure(() => validateTag('a\nb')).message).toContain('"a\\nb"');
  });

  it.each([
    [['stable'], 'stable', true],
    [['*-snapshot'], 'v1-SNAPSHOT', true],
    [['*-snapshot'], 'v1-snap', false],
    // A glob matches the whole tag, and its dots are dots.
    [['latest'], 'latest-fix', false],
    [['stable'], 'v1-stable', false],
    [['v1.0*'], 'v1.0-rc1', true],
    [['v1.0*'], 'v100', false],
  ])('deny-list %j against %j refuses: %s', (denied, tag, refused) => {
    const check = () => validateTag(tag, { denied });
    if (refused) expect(check).toThrow(/deny-list/);
    else expect(check()).toBe(tag);
  });
});

describe('app names', () => {
  it.each(['corporate', 'shop', 'a', 'web-2', 'a'.repeat(63)])('accepts %j', (name) => {
    expect(validateAppName(name)).toBe(name);
  });

  it.each(['../x', 'A/B', 'Shop', '-x', 'x-', 'a_b', 'a.b', '..', '/', 'a'.repeat(64), 'a b'])(
    'refuses %j',
    (name) => {
      const error = failure(() => validateAppName(name));
      expect(error.input).toBe('app');
      expect(error.message).toContain('DNS label');
    },
  );

  it('reports an empty name as missing', () => {
    expect(failure(() => validateAppName('')).message).toMatch(/is required/);
  });

  it.each([
    ['corporate', ['corporate']],
    ['corporate, shop', ['corporate', 'shop']],
    ['corporate\nshop\n', ['corporate', 'shop']],
    ['shop,shop,corporate', ['shop', 'corporate']],
  ])('parses the list %j', (raw, expected) => {
    expect(parseAppList(raw)).toEqual(expected);
  });

  it.each(['', ' , \n', 'corporate,../etc'])('refuses the list %j', (raw) => {
    expect(() => parseAppList(raw)).toThrow(ConfigurationError);
  });
});

describe('repositories, branches, digests, images', () => {
  it('parses owner/name', () => {
    expect(parseRepository('synestra/gitops')).toEqual({ owner: 'synestra', name: 'gitops' });
  });

  it.each(['synestra', 'a/b/c', '/x', 'x/', 'own er/x', 'x/..', 'https://github.com/a/b'])(
    'refuses repository %j',
    (raw) => {
      expect(failure(() => parseRepository(raw)).input).toBe('gitops-repository');
    },
  );

  it.each(['main', 'release/2026', 'tagrelay/dev/shop/sha-1'])('accepts branch %j', (branch) => {
    expect(validateBranchName(branch)).toBe(branch);
  });

  it.each(['a..b', 'x y', '-x', 'x/', 'x.lock', 'a~1', 'a:b', '.x', 'x//y', 'a@{1}'])(
    'refuses branch %j',
    (branch) => {
      expect(failure(() => validateBranchName(branch)).input).toBe('branch');
    },
  );

  it('accepts a sha256 digest and refuses others', () => {
    expect(validateDigest(`sha256:${'a'.repeat(64)}`)).toMatch(/^sha256:/);
    expect(() => validateDigest('sha256:abc')).toThrow(/64 lowercase hex/);
    expect(() => validateDigest(`md5:${'a'.repeat(32)}`)).toThrow(ConfigurationError);
  });

  it.each(['ghcr.io/synestra/corporate', 'registry:5000/a/b', 'nginx', 'localhost:5000/shop'])(
    'accepts image %j',
    (image) => {
      expect(validateImageRepository(image)).toBe(image);
    },
  );

  it.each(['ghcr.io/Synestra/x', 'x:latest', 'x@sha256:abc', '', 'a//b', `ghcr.io/${'a'.repeat(248)}`])(
    'refuses image %j',
    (image) => {
      expect(failure(() => validateImageRepository(image)).input).toBe('image');
    },
  );
});
