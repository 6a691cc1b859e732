/**
 * The one rule for every file tagrelay reads to edit or writes, on every target (GitHub
 * and a local checkout), whatever the operation (bump, promote, init, notes):
 *
 * - the path is a plain relative path inside the repository (no `..`, `.`, empty
 *   segments, `.git`, leading `/`, backslashes or control characters);
 * - at the base commit it is a regular file (mode 100644 or 100755) or absent; a
 *   symbolic link, a submodule or a directory is refused, naming the path and what it is;
 * - its bytes are UTF-8 text without NUL: anything else is refused with the byte offset,
 *   because editing a lossy decoding would change bytes outside the edited value.
 *
 * Bytes and text: a file is decoded with a fatal UTF-8 decoder that keeps a BOM, and
 * written back with the UTF-8 encoder. For well-formed UTF-8 that round trip is the
 * identity (UTF-8 is a bijection between well-formed byte sequences and scalar values,
 * and a fatal decode never yields a lone surrogate), so every byte the edit does not
 * change (a BOM, CRLF, a lone CR, any non-ASCII character) is written back as it was.
 */
import { createHash } from 'node:crypto';
import { RepositoryFileError, TagrelayError, quoteValue } from './errors.js';

/** What a tree entry is, from its git mode. */
export type EntryKind = 'file' | 'executable' | 'symlink' | 'submodule' | 'directory' | 'unknown';

const KINDS: Record<number, EntryKind> = {
  0o100644: 'file',
  0o100755: 'executable',
  0o120000: 'symlink',
  0o160000: 'submodule',
  0o040000: 'directory',
};

/** The kind of a tree entry from its mode: an octal string (`git ls-tree`) or a number (GraphQL `TreeEntry.mode`). */
export function entryKind(mode: string | number): EntryKind {
  const value = typeof mode === 'number' ? mode : /^[0-7]{1,7}$/.test(mode) ? parseInt(mode, 8) : NaN;
  return KINDS[value] ?? 'unknown';
}

function octal(mode: string | number): string {
  return typeof mode === 'number' ? mode.toString(8).padStart(6, '0') : mode;
}

const DESCRIPTIONS: Record<EntryKind, string> = {
  file: 'a regular file',
  executable: 'an executable regular file',
  symlink: 'a symbolic link',
  submodule: 'a submodule (gitlink)',
  directory: 'a directory',
  unknown: 'an entry of an unknown kind',
};

/** `a symbolic link (mode 120000)`. */
export function describeEntry(mode: string | number): string {
  return `${DESCRIPTIONS[entryKind(mode)]} (mode ${octal(mode)})`;
}

function isRegularFile(mode: string | number): boolean {
  const kind = entryKind(mode);
  return kind === 'file' || kind === 'executable';
}

/** Refuses an entry that is not a regular file; `where` names the commit or repository. */
export function requireRegularFile(path: string, mode: string | number, where: string): void {
  if (isRegularFile(mode)) return;
  throw new RepositoryFileError(
    path,
    `is ${describeEntry(mode)} in ${where}, not a regular file: tagrelay reads and writes only regular files ` +
      '(mode 100644 or 100755), so that a change cannot land outside the file or the repository',
  );
}

/** Refuses a parent of `path` that exists at the base commit but is not a directory. */
export function requireDirectory(path: string, parent: string, mode: string | number, where: string): void {
  if (entryKind(mode) === 'directory') return;
  throw new RepositoryFileError(
    path,
    `cannot be written: its parent ${parent} is ${describeEntry(mode)} in ${where}, not a directory`,
  );
}

/** Every parent directory of a path, outermost first: `a/b/c.yaml` → `a`, `a/b`. */
export function parentsOf(path: string): string[] {
  const parts = path.split('/');
  return parts.slice(0, -1).map((_, index) => parts.slice(0, index + 1).join('/'));
}

/** Throws unless `path` is a plain relative path inside the repository (checked before any write). */
export function validateRepositoryPath(path: string): string {
  const segments = path.split('/');
  const bad =
    path === '' ||
    path.startsWith('/') ||
    path.includes('\\') ||
    /[\p{Cc}]/u.test(path) ||
    segments.some((part) => part === '..' || part === '.' || part === '' || part.toLowerCase() === '.git');
  if (bad) {
    throw new TagrelayError(`refusing to write ${quoteValue(path)}: not a plain path inside the repository`);
  }
  return path;
}

/**
 * Offset of the first byte that does not belong to a well-formed UTF-8 sequence
 * (Unicode 15, table 3-7: no overlong forms, no surrogates, nothing above U+10FFFF),
 * or -1 when every byte does.
 */
export function invalidUtf8Offset(bytes: Uint8Array): number {
  const length = bytes.length;
  let index = 0;
  const continuation = (at: number, low = 0x80, high = 0xbf) =>
    at < length && (bytes[at] as number) >= low && (bytes[at] as number) <= high;
  while (index < length) {
    const lead = bytes[index] as number;
    if (lead < 0x80) {
      index += 1;
      continue;
    }
    let size = 0;
    if (lead >= 0xc2 && lead <= 0xdf) size = continuation(index + 1) ? 2 : 0;
    else if (lead >= 0xe0 && lead <= 0xef) {
      const low = lead === 0xe0 ? 0xa0 : 0x80;
      const high = lead === 0xed ? 0x9f : 0xbf;
      size = continuation(index + 1, low, high) && continuation(index + 2) ? 3 : 0;
    } else if (lead >= 0xf0 && lead <= 0xf4) {
      const low = lead === 0xf0 ? 0x90 : 0x80;
      const high = lead === 0xf4 ? 0x8f : 0xbf;
      size = continuation(index + 1, low, high) && continuation(index + 2) && continuation(index + 3) ? 4 : 0;
    }
    if (size === 0) return index;
    index += size;
  }
  return -1;
}

/** Largest file tagrelay edits: far above any values file, far below what would strain memory. */
export const MAX_FILE_BYTES = 1024 * 1024;

export function requireEditableSize(path: string, size: number, where?: string): void {
  if (size <= MAX_FILE_BYTES) return;
  throw new RepositoryFileError(
    path,
    `is ${size} bytes${where ? ` in ${where}` : ''}: too large for a release file (at most ${MAX_FILE_BYTES})`,
  );
}

const strictDecoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const encoder = new TextEncoder();

function lineAt(bytes: Uint8Array, offset: number): number {
  let line = 1;
  for (let index = 0; index < offset; index++) if (bytes[index] === 0x0a) line++;
  return line;
}

/**
 * The text of a file's bytes, byte-exact (a BOM is kept as U+FEFF); a file that is not
 * UTF-8, or holds a NUL, is refused with the byte offset of the first offending byte.
 */
export function decodeFileText(path: string, bytes: Uint8Array): string {
  requireEditableSize(path, bytes.length);
  const nul = bytes.indexOf(0);
  const invalid = invalidUtf8Offset(bytes);
  if (nul >= 0 && (invalid < 0 || nul < invalid)) {
    throw new RepositoryFileError(
      path,
      `holds a NUL byte at byte offset ${nul} (line ${lineAt(bytes, nul)}): it is binary, not a text file tagrelay can edit`,
      lineAt(bytes, nul),
    );
  }
  if (invalid >= 0) {
    const shown = Array.from(bytes.subarray(invalid, invalid + 4), (byte) =>
      byte.toString(16).padStart(2, '0'),
    ).join(' ');
    throw new RepositoryFileError(
      path,
      `is not valid UTF-8 at byte offset ${invalid} (line ${lineAt(bytes, invalid)}, bytes ${shown}): ` +
        'tagrelay edits UTF-8 text only, so that no byte outside the changed value is altered; convert the file to UTF-8',
      lineAt(bytes, invalid),
    );
  }
  return strictDecoder.decode(bytes);
}

/** The bytes to write for a file's text (the inverse of decodeFileText). */
export function encodeFileText(text: string): Uint8Array {
  return encoder.encode(text);
}

/** Git's object id of a blob holding `bytes`: SHA-1, or SHA-256 for a repository whose ids are 64 hex. */
export function gitBlobOid(bytes: Uint8Array, oidLength = 40): string {
  const hash = createHash(oidLength === 64 ? 'sha256' : 'sha1');
  hash.update(`blob ${bytes.length}\0`);
  hash.update(bytes);
  return hash.digest('hex');
}

/**
 * A service's decoded text of a blob (GitHub's GraphQL `Blob.text`), when it is exactly
 * the blob: its UTF-8 encoding hashes to the blob's id. A service may decode lossily
 * (U+FFFD for invalid bytes), transcode or drop a BOM; then this answers undefined and
 * the caller fetches the bytes. A dropped BOM is put back when that makes it exact.
 */
export function exactBlobText(text: string, blob: { oid: string; byteSize: number }): string | undefined {
  for (const candidate of [text, `\uFEFF${text}`]) {
    const bytes = encoder.encode(candidate);
    if (bytes.length === blob.byteSize && gitBlobOid(bytes, blob.oid.length) === blob.oid) return candidate;
  }
  return undefined;
}
