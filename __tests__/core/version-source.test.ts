import { ConfigurationError } from '../../src/core/errors.js';
import {
  evaluateJsonPointer,
  formatVersionSource,
  normalizeVersion,
  parseVersionSource,
  readVersion,
  tagOfImageReference,
  versionProbePath,
  type VersionResponse,
  type VersionSource,
} from '../../src/core/version-source.js';
import { thrownBy } from '../support/thrown.js';

describe('parseVersionSource', () => {
  it.each<[string, VersionSource]>([
    ['none', { kind: 'none' }],
    ['argocd', { kind: 'argocd' }],
    ['header:X-App-Version', { kind: 'header', name: 'x-app-version' }],
    ['json:/api/health#/version', { kind: 'json', path: '/api/health', pointer: '/version' }],
    ['json:/v#/build/a~1b', { kind: 'json', path: '/v', pointer: '/build/a~1b' }],
    [
      'body:<meta name="version" content="([^"]+)"',
      { kind: 'body', pattern: '<meta name="version" content="([^"]+)"' },
    ],
    ['body:version (?:is )?(\\S+)', { kind: 'body', pattern: 'version (?:is )?(\\S+)' }],
  ])('%j', (raw, parsed) => {
    expect(parseVersionSource(raw)).toEqual(parsed);
    expect(parseVersionSource(formatVersionSource(parsed))).toEqual(parsed);
  });

  it.each([
    ['git', 'one of none, header'],
    ['header:', 'header:<name>'],
    ['header:x y', 'header:<name>'],
    ['json:/api/health', 'a JSON pointer after # is required'],
    ['json:/api/health#', 'a JSON pointer after # is required'],
    ['json:api/health#/version', 'the path starts with /'],
    ['json:/h#version', 'a JSON pointer starts with /'],
    ['json:/h#/a~2', 'escapes ~'],
    ['body:version \\S+', 'this one has 0'],
    ['body:(a)(b)', 'this one has 2'],
    ['body:(unclosed', 'does not compile'],
    ['Header:x', 'one of none'],
  ])('refuses %j: %s', (raw, hint) => {
    const error = thrownBy(ConfigurationError, () => parseVersionSource(raw));
    expect(error.input).toBe('version-source');
    expect(error.message).toContain(hint);
  });

  it('says the input is required when empty', () => {
    expect(thrownBy(ConfigurationError, () => parseVersionSource(' ')).message).toMatch(
      /^Input "version-source" is required/,
    );
  });
});

describe('versionProbePath', () => {
  it.each<[string, string | undefined]>([
    ['header:x-version', '/shop'],
    ['body:v(\\d+)', '/shop'],
    ['json:/api/health#/version', '/api/health'],
    ['argocd', undefined],
    ['none', undefined],
  ])('%s reads %s', (source, path) => {
    expect(versionProbePath(parseVersionSource(source), ['/shop', '/admin'])).toBe(path);
  });
});

describe('evaluateJsonPointer', () => {
  const doc = { version: 'v1', build: { 'a/b': 1, 'm~n': 2, list: ['x', 'y'] }, '': 'empty' };
  it.each<[string, unknown]>([
    ['', doc],
    ['/version', 'v1'],
    ['/build/a~1b', 1],
    ['/build/m~0n', 2],
    ['/build/list/1', 'y'],
    ['/build/list/01', undefined],
    ['/build/list/2', undefined],
    ['/missing', undefined],
    ['/', 'empty'],
    ['/version/length', undefined],
    ['/constructor', undefined],
  ])('%j', (pointer, value) => {
    expect(evaluateJsonPointer(doc, pointer)).toEqual(value);
  });
});

describe('tagOfImageReference and normalizeVersion', () => {
  it.each<[string, string | undefined]>([
    ['ghcr.io/acme/web:sha-1', 'sha-1'],
    ['localhost:5000/web:v2', 'v2'],
    ['localhost:5000/web', undefined],
    ['web:v3@sha256:' + 'a'.repeat(64), 'v3'],
    ['web@sha256:' + 'a'.repeat(64), undefined],
    ['web:', undefined],
  ])('%s → %s', (reference, tag) => {
    expect(tagOfImageReference(reference)).toBe(tag);
  });

  it.each([
    [' sha-1 \n', 'sha-1'],
    ['ghcr.io/acme/web:sha-1', 'sha-1'],
    ['v1.2.3', 'v1.2.3'],
  ])('%j reads as %j', (raw, version) => {
    expect(normalizeVersion(raw)).toBe(version);
  });
});

describe('readVersion', () => {
  const response = (over: Partial<VersionResponse> = {}): VersionResponse => ({
    status: 200,
    headers: { 'x-app-version': 'sha-new' },
    body: '{"status":"ok","version":"sha-new"}',
    ...over,
  });
  const source = (raw: string) => parseVersionSource(raw);

  it.each<[string, Partial<VersionResponse>, string | undefined, boolean, string]>([
    ['header:x-app-version', {}, 'sha-new', true, 'header x-app-version'],
    ['header:x-app-version', { headers: { 'x-app-version': 'sha-old' } }, 'sha-old', false, '"sha-old"'],
    // Exactly the tag: a version that starts with it, or that it starts with, is another build.
    ['header:x-app-version', { headers: { 'x-app-version': 'sha-new2' } }, 'sha-new2', false, '"sha-new2"'],
    ['header:x-app-version', { headers: { 'x-app-version': 'sha-ne' } }, 'sha-ne', false, '"sha-ne"'],
    ['header:x-app-version', { headers: { 'x-app-version': 'SHA-NEW' } }, 'SHA-NEW', false, '"SHA-NEW"'],
    [
      'header:x-app-version',
      { headers: { 'x-app-version': ['sha-new', 'sha-old'] } },
      'sha-new',
      true,
      'header',
    ],
    ['header:x-app-version', { headers: {} }, undefined, false, 'no x-app-version header'],
    ['header:x-app-version', { status: 502 }, undefined, false, 'HTTP 502'],
    ['json:/api/health#/version', {}, 'sha-new', true, '/api/health#/version'],
    ['json:/api/health#/version', { body: '{"version": 42}' }, '42', false, '"42"'],
    ['json:/api/health#/version', { body: '<html>' }, undefined, false, 'did not answer JSON'],
    ['json:/api/health#/build', {}, undefined, false, 'nothing at /build'],
    ['body:data-version="([^"]+)"', { body: '<body data-version="sha-new">' }, 'sha-new', true, 'body'],
    ['body:data-version="([^"]+)"', { body: '<body>' }, undefined, false, 'did not match'],
  ])('%s on %j → %j live=%s', (raw, over, version, live, detail) => {
    const reading = readVersion(source(raw), response(over), 'sha-new');
    expect(reading.version).toBe(version);
    expect(reading.live).toBe(live);
    expect(reading.detail).toContain(detail);
  });

  it('cuts a long version in the detail', () => {
    const reading = readVersion(
      source('header:x-v'),
      response({ headers: { 'x-v': 'v'.repeat(500) } }),
      'sha-new',
    );
    expect(reading.detail.length).toBeLessThan(100);
  });
});
