/**
 * The one rule for files tagrelay edits: regular files only, plain paths, UTF-8 bytes
 * kept exactly (BOM, CRLF, lone CR), anything else refused with the path and the offset.
 */
import { RepositoryFileError, TagrelayError } from '../../src/core/errors.js';
import {
  decodeFileText,
  describeEntry,
  encodeFileText,
  entryKind,
  exactBlobText,
  gitBlobOid,
  invalidUtf8Offset,
  MAX_FILE_BYTES,
  parentsOf,
  requireDirectory,
  requireRegularFile,
  validateRepositoryPath,
} from '../../src/core/repository-file.js';
import { editReleaseFile } from '../../src/core/release-file/edit.js';
import { thrownBy } from '../support/thrown.js';

const PATH = 'deploy/env/release-dev/web.yaml';
const bytes = (...parts: (string | number[])[]) =>
  Buffer.concat(
    parts.map((part) => (typeof part === 'string' ? Buffer.from(part, 'utf8') : Buffer.from(part))),
  );

describe('entry kinds', () => {
  it.each([
    ['100644', 'file'],
    [33188, 'file'],
    ['100755', 'executable'],
    [33261, 'executable'],
    ['120000', 'symlink'],
    [40960, 'symlink'],
    ['160000', 'submodule'],
    [57344, 'submodule'],
    ['040000', 'directory'],
    [16384, 'directory'],
    ['100664', 'unknown'],
    ['x', 'unknown'],
  ] as const)('mode %p is %s', (mode, kind) => {
    expect(entryKind(mode)).toBe(kind);
  });

  it.each([
    ['120000', 'a symbolic link (mode 120000)'],
    [40960, 'a symbolic link (mode 120000)'],
    [57344, 'a submodule (gitlink) (mode 160000)'],
    [16384, 'a directory (mode 040000)'],
  ] as const)('refuses mode %p as %s, naming the path', (mode, what) => {
    const error = thrownBy(RepositoryFileError, () => requireRegularFile(PATH, mode, 'main'));
    expect(error.message).toContain(`${PATH} is ${what} in main, not a regular file`);
    expect(error.file).toBe(PATH);
  });

  it.each(['100644', 33188, '100755', 33261])('accepts the regular file mode %p', (mode) => {
    expect(() => requireRegularFile(PATH, mode, 'main')).not.toThrow();
  });

  it('refuses a parent that is not a directory', () => {
    expect(() => requireDirectory(PATH, 'deploy/env', '120000', 'abc')).toThrow(
      'its parent deploy/env is a symbolic link (mode 120000) in abc, not a directory',
    );
    expect(() => requireDirectory(PATH, 'deploy', '040000', 'abc')).not.toThrow();
    expect(parentsOf(PATH)).toEqual(['deploy', 'deploy/env', 'deploy/env/release-dev']);
    expect(parentsOf('a.yaml')).toEqual([]);
    expect(describeEntry('100755')).toBe('an executable regular file (mode 100755)');
  });
});

describe('validateRepositoryPath', () => {
  it.each([
    '',
    '/etc/passwd',
    '../outside.yaml',
    'deploy/../../x.yaml',
    'deploy/./x.yaml',
    'deploy//x.yaml',
    'deploy/',
    '.git/config',
    'deploy/.GIT/hooks/pre-commit',
    'deploy\\x.yaml',
    'deploy/x\n.yaml',
    'deploy/x\u0000.yaml',
  ])('refuses %p', (path) => {
    expect(thrownBy(TagrelayError, () => validateRepositoryPath(path)).message).toMatch(
      /^refusing to write ".*": not a plain path inside the repository$/s,
    );
  });

  it.each([PATH, 'a.yaml', 'deploy/.gitkeep', 'deploy/x.git/y', 'déploy/é.yaml'])('accepts %p', (path) => {
    expect(validateRepositoryPath(path)).toBe(path);
  });
});

describe('UTF-8 validation', () => {
  it.each([
    ['ASCII', [0x61, 0x62], -1],
    ['é', [0xc3, 0xa9], -1],
    ['€ and 😀', [0xe2, 0x82, 0xac, 0xf0, 0x9f, 0x98, 0x80], -1],
    ['U+10FFFF', [0xf4, 0x8f, 0xbf, 0xbf], -1],
    ['Latin-1 é', [0x61, 0xe9, 0x62], 1],
    ['0xff', [0x61, 0x62, 0xff], 2],
    ['overlong /', [0xc0, 0xaf], 0],
    ['overlong 3-byte', [0xe0, 0x80, 0xaf], 0],
    ['surrogate D800', [0x61, 0xed, 0xa0, 0x80], 1],
    ['above U+10FFFF', [0xf4, 0x90, 0x80, 0x80], 0],
    ['truncated 4-byte at the end', [0x61, 0xf0, 0x9f, 0x98], 1],
    ['truncated 4-byte before ASCII', [0xf0, 0x9f, 0x98, 0x61], 0],
    ['lone continuation', [0x80], 0],
    ['F5 lead', [0xf5, 0x80, 0x80, 0x80], 0],
  ])('%s → %i', (_label, input, offset) => {
    expect(invalidUtf8Offset(Uint8Array.from(input))).toBe(offset);
  });

  it('agrees with a fatal TextDecoder on 20 000 seeded random byte strings', () => {
    const fatal = new TextDecoder('utf-8', { fatal: true });
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    // Bias towards bytes that make multi-byte sequences, so both answers are common.
    const pool = [0x41, 0x80, 0x9f, 0xa0, 0xbf, 0xc2, 0xdf, 0xe0, 0xed, 0xef, 0xf0, 0xf4, 0xf5, 0xff];
    let valid = 0;
    const disagreements: number[][] = [];
    for (let run = 0; run < 20_000; run++) {
      const input = Uint8Array.from({ length: 1 + Math.floor(random() * 6) }, () =>
        random() < 0.5 ? (pool[Math.floor(random() * pool.length)] as number) : Math.floor(random() * 256),
      );
      let decodes = true;
      try {
        fatal.decode(input);
      } catch {
        decodes = false;
      }
      if (decodes) valid++;
      if (invalidUtf8Offset(input) < 0 !== decodes) disagreements.push([...input]);
    }
    expect(disagreements).toEqual([]);
    expect(valid).toBeGreaterThan(1000);
    expect(valid).toBeLessThan(19_000);
  });
});

describe('decodeFileText / encodeFileText', () => {
  it.each([
    ['a BOM', bytes([0xef, 0xbb, 0xbf], 'image:\n  tag: v1\n')],
    ['CRLF', bytes('image:\r\n  tag: v1\r\n')],
    ['a lone CR in a comment', bytes('# a\rb\nimage:\n  tag: v1\n')],
    ['non-ASCII UTF-8', bytes('# café ☕ 😀\nimage:\n  tag: v1\n')],
    ['no final newline', bytes('image:\n  tag: v1')],
  ])('round-trips %s byte for byte', (_label, input) => {
    const text = decodeFileText(PATH, input);
    expect(Buffer.from(encodeFileText(text)).equals(input)).toBe(true);
  });

  it.each([
    ['Latin-1 é in a comment', bytes('image:\n  tag: v1 # caf', [0xe9], '\n'), 22, 2, 'e9 0a'],
    ['0xff on line 3', bytes('a: 1\nb: 2\nc: ', [0xff], '\n'), 13, 3, 'ff 0a'],
    ['a truncated sequence at the end', bytes('a: ', [0xe2, 0x82]), 3, 1, 'e2 82'],
  ])('refuses %s with its byte offset', (_label, input, offset, line, shown) => {
    const error = thrownBy(RepositoryFileError, () => decodeFileText(PATH, input));
    expect(error.message).toContain(
      `${PATH} is not valid UTF-8 at byte offset ${offset} (line ${line}, bytes ${shown})`,
    );
    expect(error.line).toBe(line);
  });

  it('refuses a file over 1 MiB by its size, before reading it', () => {
    expect(() => decodeFileText(PATH, new Uint8Array(MAX_FILE_BYTES).fill(0x61))).not.toThrow();
    expect(() => decodeFileText(PATH, new Uint8Array(MAX_FILE_BYTES + 1).fill(0x61))).toThrow(
      `${PATH} is ${MAX_FILE_BYTES + 1} bytes: too large for a release file (at most ${MAX_FILE_BYTES})`,
    );
  });

  it('refuses a NUL byte with its offset, before an invalid byte after it', () => {
    const error = thrownBy(RepositoryFileError, () =>
      decodeFileText(PATH, bytes('image:\n  tag: v1\n', [0x00, 0xff])),
    );
    expect(error.message).toContain(`${PATH} holds a NUL byte at byte offset 17 (line 3)`);
  });

  it('keeps every byte but the tag through an edit: BOM, CRLF, lone CR, non-ASCII', () => {
    const before = bytes(
      [0xef, 0xbb, 0xbf],
      '# Café release\r\nimage:\r\n  repository: r # a\rb\r\n  tag: "v1" # ☕\r\n',
    );
    const edited = editReleaseFile(PATH, decodeFileText(PATH, before), { tag: 'v2' });
    const after = Buffer.from(encodeFileText(edited.text));
    const start = before.indexOf('"v1"');
    expect(after.subarray(0, start + 1).equals(before.subarray(0, start + 1))).toBe(true);
    expect(after.subarray(start + 3).equals(before.subarray(start + 3))).toBe(true);
    expect(after.subarray(start, start + 4).toString()).toBe('"v2"');
  });
});

describe('exactBlobText: a service’s decoded text is used only when it is the blob', () => {
  const blob = (content: Buffer) => ({ oid: gitBlobOid(content), byteSize: content.length });

  it('hashes like git', () => {
    // `printf 'hello\n' | git hash-object --stdin`
    expect(gitBlobOid(Buffer.from('hello\n'))).toBe('ce013625030ba8dba906f756967f9e9ca394464a');
    expect(gitBlobOid(Buffer.from('hello\n'), 64)).toHaveLength(64);
  });

  it.each([
    ['UTF-8 text', bytes('image:\n  tag: v1 # café\n'), 'image:\n  tag: v1 # café\n', true],
    ['U+FFFD for a Latin-1 byte', bytes('# caf', [0xe9], '\n'), '# caf\uFFFD\n', false],
    ['Latin-1 transcoded', bytes('# caf', [0xe9], '\n'), '# café\n', false],
    // A truncated 4-byte sequence is 3 bytes, as is the one U+FFFD replacing it: same size.
    ['U+FFFD of the same size', bytes('# ', [0xf0, 0x9f, 0x98], 'x\n'), '# \uFFFDx\n', false],
    ['truncated text', bytes('image:\n  tag: v1\n'), 'image:\n', false],
  ])('%s', (_label, content, text, exact) => {
    expect(exactBlobText(text, blob(content))).toBe(exact ? text : undefined);
  });

  it('puts back a BOM the service dropped', () => {
    const content = bytes([0xef, 0xbb, 0xbf], 'image:\n  tag: v1\n');
    expect(exactBlobText('image:\n  tag: v1\n', blob(content))).toBe('\uFEFFimage:\n  tag: v1\n');
  });
});
