/**
 * Every way a release file can fail to parse is a release-file error naming the file,
 * and no message quotes more than 80 characters of it: stack depth included (a file
 * nested thousands of levels deep), long scalars, anchors and tags.
 */
import { ReleaseFileError } from '../../src/core/errors.js';
import { editReleaseFile, readReleaseImage } from '../../src/core/release-file/edit.js';
import { thrownBy } from '../support/thrown.js';

const PATH = 'deploy/env/release-dev/shop.yaml';
const fileError = (fn: () => unknown) => thrownBy(ReleaseFileError, fn);

describe('every parse failure is a release-file error that quotes at most 80 characters', () => {
  const nested = (depth: number, line: (level: number) => string) =>
    Array.from({ length: depth }, (_, level) => line(level)).join('');
  const binary = String.fromCharCode(...Array.from({ length: 2700 }, (_, index) => 1 + ((index * 37) % 250)));
  const cases: [name: string, input: string, reason: RegExp][] = [
    [
      '3000-level nested block mappings',
      'image:\n  tag: v1\n' + nested(3000, (level) => `${' '.repeat(level)}k:\n`),
      /is (not valid YAML: it is )?nested too deeply to read/,
    ],
    [
      '3000-level nested block sequences',
      'image:\n  tag: v1\nx:\n' + nested(3000, (level) => `${' '.repeat(level + 1)}- \n`),
      /is (not valid YAML: it is )?nested too deeply to read/,
    ],
    [
      '5000-level nested flow sequences',
      `image: {tag: v1}\nx: ${'['.repeat(5000)}${']'.repeat(5000)}\n`,
      /is (not valid YAML: it is )?nested too deeply to read/,
    ],
    ['a 2.7 KB binary blob', binary, /./],
    ['a 3000-character tag value in a map', `image:\n  tag:\n    ${'x'.repeat(3000)}: 1\n`, /./],
    ['a 3000-character anchor', `a: &${'n'.repeat(3000)} 1\nimage: *${'n'.repeat(3000)}\n`, /./],
    ['a 3000-character explicit tag', `image:\n  tag: !${'t'.repeat(3000)} v1\n`, /./],
  ];
  it.each(cases)('%s', (_name, input, reason) => {
    for (const run of [
      () => readReleaseImage(PATH, input),
      () => editReleaseFile(PATH, input, { tag: 'v2' }),
    ]) {
      const error = fileError(run);
      expect(error.message).toMatch(reason);
      // The message names the file and says what is wrong; no more than 80 characters of it are quoted.
      expect(error.message.startsWith(`Release file ${PATH} `)).toBe(true);
      expect(error.message.length).toBeLessThan(PATH.length + 400);
      const longestRun = Math.max(...(error.message.match(/(.)\1*/g) ?? ['']).map((part) => part.length));
      expect(longestRun).toBeLessThanOrEqual(80);
    }
  });

  it('a RangeError while walking a parsed file becomes a release-file error', () => {
    // Deep enough for the parser to succeed only when the stack is large; either way no RangeError escapes.
    for (const depth of [500, 900, 1200, 2000]) {
      const input = 'image:\n  tag: v1\n' + nested(depth, (level) => `${' '.repeat(level)}k:\n`);
      try {
        editReleaseFile(PATH, input, { tag: 'v2' });
      } catch (error) {
        expect(error).toBeInstanceOf(ReleaseFileError);
      }
    }
  });
});
