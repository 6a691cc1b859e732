/**
 * Reading a local checkout with git: tree entries and file contents at a commit (only
 * regular UTF-8 files), the folders under a path, and the paths with uncommitted changes.
 */
import { decodeFileText, parentsOf, requireRegularFile } from '../core/repository-file.js';
import { parseCatFileBatch, runGit } from './git.js';

/** A tree entry at a commit. */
export interface Entry {
  mode: string;
  oid: string;
}

/**
 * Tree entries at `oid` of `paths` and of their parents: a parent shows up only when it
 * is not a directory (ls-tree descends into directories), an absent path not at all.
 */
export async function entriesAt(
  top: string,
  oid: string,
  paths: readonly string[],
): Promise<Map<string, Entry>> {
  const wanted = [...new Set(paths.flatMap((path) => [...parentsOf(path), path]))];
  const entries = new Map<string, Entry>();
  if (wanted.length === 0) return entries;
  const result = await runGit(top, [
    'ls-tree',
    '-z',
    oid,
    '--',
    ...wanted.map((path) => `:(literal)${path}`),
  ]);
  for (const line of result.stdout.toString('utf8').split('\0')) {
    const match = /^(\d+) \w+ ([0-9a-f]+)\t(.*)$/s.exec(line);
    if (match) entries.set(match[3] as string, { mode: match[1] as string, oid: match[2] as string });
  }
  return entries;
}

/** Files at a commit, refused unless regular UTF-8 files; absent → null. */
export async function readFilesAt(
  top: string,
  oid: string,
  paths: readonly string[],
): Promise<Map<string, string | null>> {
  const files = new Map<string, string | null>();
  const entries = await entriesAt(top, oid, paths);
  const where = `${top} at ${oid.slice(0, 12)}`;
  const present: { path: string; oid: string }[] = [];
  for (const path of paths) {
    const entry = entries.get(path);
    files.set(path, null);
    if (entry === undefined) continue;
    requireRegularFile(path, entry.mode, where);
    present.push({ path, oid: entry.oid });
  }
  if (present.length === 0) return files;
  const requests = present.map((entry) => entry.oid);
  const result = await runGit(top, ['cat-file', '--batch'], {
    input: requests.map((line) => `${line}\n`).join(''),
  });
  parseCatFileBatch(result.stdout, requests).forEach((content, index) => {
    const { path } = present[index] as { path: string };
    if (!Buffer.isBuffer(content)) throw new Error(`git cat-file did not answer the blob of ${path}`);
    files.set(path, decodeFileText(path, content));
  });
  return files;
}

/** Paths among `paths` whose working tree or index differs from HEAD (untracked included). */
export async function dirtyPaths(top: string, paths: readonly string[]): Promise<string[]> {
  // No optional locks: status then never writes back the index it read.
  const result = await runGit(
    top,
    [
      'status',
      '--porcelain=v1',
      '-z',
      '--untracked-files=all',
      '--',
      ...paths.map((path) => `:(literal)${path}`),
    ],
    { env: { GIT_OPTIONAL_LOCKS: '0' } },
  );
  const entries = result.stdout.toString('utf8').split('\0');
  const dirty: string[] = [];
  for (let index = 0; index < entries.length; index++) {
    const entry = entries[index] as string;
    if (entry.length < 4) continue;
    dirty.push(entry.slice(3));
    // A rename or copy is followed by its source path.
    if (entry[0] === 'R' || entry[0] === 'C') index++;
  }
  return dirty;
}

/** Entry names of folders at a commit; a missing folder lists nothing. */
export async function listLocalFolders(
  directory: string,
  commit: string,
  folders: readonly string[],
): Promise<Map<string, string[]>> {
  const listing = new Map<string, string[]>();
  for (const folder of folders) {
    const result = await runGit(directory, ['ls-tree', '-z', '--name-only', `${commit}:${folder}`], {
      allow: [128],
    });
    listing.set(
      folder,
      result.code === 0
        ? result.stdout
            .toString('utf8')
            .split('\0')
            .filter((name) => name !== '')
        : [],
    );
  }
  return listing;
}
