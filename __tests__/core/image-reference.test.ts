import { ConfigurationError } from '../../src/core/errors.js';
import {
  formatImageReference,
  parseImageReference,
  parseImageRepository,
} from '../../src/core/image-reference.js';
import { thrownBy } from '../support/thrown.js';

const D256 = `sha256:${'ab'.repeat(32)}`;
const D512 = `sha512:${'cd'.repeat(64)}`;
const failure = (fn: () => unknown) => thrownBy(ConfigurationError, fn);

describe('parseImageReference', () => {
  it.each([
    // value, registry, apiHost, path, tag, digest
    ['ghcr.io/acme/web', 'ghcr.io', 'ghcr.io', 'acme/web', undefined, undefined],
    ['ghcr.io/acme/web:sha-0123456789ab', 'ghcr.io', 'ghcr.io', 'acme/web', 'sha-0123456789ab', undefined],
    [`ghcr.io/acme/web@${D256}`, 'ghcr.io', 'ghcr.io', 'acme/web', undefined, D256],
    [`ghcr.io/acme/web:v1@${D512}`, 'ghcr.io', 'ghcr.io', 'acme/web', 'v1', D512],
    ['127.0.0.1:5000/web', '127.0.0.1:5000', '127.0.0.1:5000', 'web', undefined, undefined],
    ['127.0.0.1:5000/web:V1.2_x', '127.0.0.1:5000', '127.0.0.1:5000', 'web', 'V1.2_x', undefined],
    ['localhost/web', 'localhost', 'localhost', 'web', undefined, undefined],
    ['localhost:5000/a/b/c:t', 'localhost:5000', 'localhost:5000', 'a/b/c', 't', undefined],
    ['[::1]:5000/web:t', '[::1]:5000', '[::1]:5000', 'web', 't', undefined],
    ['Registry.Example.COM/web', 'Registry.Example.COM', 'Registry.Example.COM', 'web', undefined, undefined],
    [
      'my-registry.io/a__b/c.d/e-f/g--h',
      'my-registry.io',
      'my-registry.io',
      'a__b/c.d/e-f/g--h',
      undefined,
      undefined,
    ],
    // Docker Hub: no host, or a first component without '.', ':' that is not localhost.
    ['alpine', 'docker.io', 'registry-1.docker.io', 'library/alpine', undefined, undefined],
    ['alpine:3.20', 'docker.io', 'registry-1.docker.io', 'library/alpine', '3.20', undefined],
    ['acme/web', 'docker.io', 'registry-1.docker.io', 'acme/web', undefined, undefined],
    ['acme/team/web:1', 'docker.io', 'registry-1.docker.io', 'acme/team/web', '1', undefined],
    ['docker.io/alpine', 'docker.io', 'registry-1.docker.io', 'library/alpine', undefined, undefined],
    ['docker.io/acme/web', 'docker.io', 'registry-1.docker.io', 'acme/web', undefined, undefined],
    ['index.docker.io/alpine', 'docker.io', 'registry-1.docker.io', 'library/alpine', undefined, undefined],
    // A port without a slash is a tag on Docker Hub, as distribution reads it.
    ['localhost:5000', 'docker.io', 'registry-1.docker.io', 'library/localhost', '5000', undefined],
  ])('%s', (value, registry, apiHost, path, tag, digest) => {
    const reference = parseImageReference(value);
    expect(reference).toEqual({
      registry,
      apiHost,
      path,
      repository: `${registry}/${path}`,
      ...(tag === undefined ? {} : { tag }),
      ...(digest === undefined ? {} : { digest }),
    });
  });

  it.each([
    ['', 'is required'],
    [' ghcr.io/acme/web', 'no surrounding spaces'],
    ['ghcr.io/Acme/web', 'must be lowercase'],
    ['Acme/web', 'must be lowercase'],
    ['ghcr.io/acme/web:', 'the tag after ":"'],
    ['ghcr.io/acme/web:.x', 'the tag after ":"'],
    [`ghcr.io/acme/web:${'a'.repeat(129)}`, 'the tag after ":"'],
    ['ghcr.io/acme/web@sha256:abc', 'not algorithm:hex'],
    [`ghcr.io/acme/web@md5:${'a'.repeat(32)}`, 'sha256: with 64'],
    [`ghcr.io/acme/web@sha256:${'A'.repeat(64)}`, 'lowercase hex'],
    ['ghcr.io//web', 'path components'],
    ['ghcr.io/acme/web/', 'path components'],
    ['ghcr.io/acme/-web', 'path components'],
    ['ghcr.io/acme/web..x', 'path components'],
    ['ghcr.io/', 'path components'],
    ['-bad.io/web', 'is not a host[:port]'],
    ['bad_host.io/web', 'is not a host[:port]'],
    ['host.io:port/web', 'is not a host[:port]'],
    [`ghcr.io/${'a'.repeat(250)}`, 'longer than 255'],
    ['ghcr.io/acme/web:v1\nlatest', 'the tag after ":"'],
  ])('refuses %j (%s), naming the input', (value, hint) => {
    const error = failure(() => parseImageReference(value, 'image'));
    expect(error.input).toBe('image');
    expect(error.message).toContain('Input "image"');
    expect(error.message).toContain(hint);
  });

  it('names the input it is given', () => {
    expect(failure(() => parseImageReference('UPPER/x', '--image')).message).toMatch(/^Input "--image"/);
  });
});

describe('parseImageRepository', () => {
  it('accepts a repository', () => {
    expect(parseImageRepository('ghcr.io/acme/web').repository).toBe('ghcr.io/acme/web');
    expect(parseImageRepository('127.0.0.1:5000/web').repository).toBe('127.0.0.1:5000/web');
  });

  it.each([
    ['ghcr.io/acme/web:v1', 'drop ":v1"'],
    [`ghcr.io/acme/web@${D256}`, `drop "@${D256}"`],
    [`ghcr.io/acme/web:v1@${D256}`, 'drop "@'],
    ['alpine:latest', 'drop ":latest"'],
  ])('refuses %j with a tag or digest, naming the input', (value, hint) => {
    const error = failure(() => parseImageRepository(value, 'image'));
    expect(error.input).toBe('image');
    expect(error.message).toContain('an image repository without tag or digest');
    expect(error.message).toContain(hint);
  });
});

describe('formatImageReference', () => {
  it.each([
    ['ghcr.io/acme/web', {}, 'ghcr.io/acme/web'],
    ['ghcr.io/acme/web', { tag: 'v1' }, 'ghcr.io/acme/web:v1'],
    ['alpine', { tag: 'v1', digest: D256 }, `docker.io/library/alpine:v1@${D256}`],
  ])('%s %j', (value, extra, expected) => {
    const formatted = formatImageReference({ ...parseImageRepository(value), ...extra });
    expect(formatted).toBe(expected);
    expect(formatImageReference(parseImageReference(formatted))).toBe(formatted);
  });
});
