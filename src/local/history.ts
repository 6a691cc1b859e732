/**
 * The history of release files in a local checkout, for promote, rollback and status:
 * for each path the last commits that changed it, with the file at each commit and the
 * verification records (git notes under refs/notes/tagrelay) on them. A fixed number of
 * git processes whatever the number of paths: one log, one batch read of the files,
 * one notes listing and one batch read of the notes.
 */
import type { FileRevision } from '../core/release-history.js';
import { NOTES_REF, parseNote } from '../core/verification.js';
import { parseCatFileBatch, runGit, text } from './git.js';

/** Record and unit separators: they cannot occur in an object id, and commit messages do not hold them. */
const RECORD = '\u001e';
const UNIT = '\u001f';

/** Every note on the notes ref: commit → note blob. */
async function noteBlobs(directory: string): Promise<Map<string, string>> {
  const result = await runGit(directory, ['notes', `--ref=${NOTES_REF}`, 'list'], { allow: [1, 128] });
  const notes = new Map<string, string>();
  if (result.code !== 0) return notes;
  for (const line of text(result).split('\n')) {
    const [blob, commit] = line.split(' ');
    if (blob && commit) notes.set(commit, blob);
  }
  return notes;
}

async function catFiles(directory: string, requests: readonly string[]): Promise<(string | null)[]> {
  if (requests.length === 0) return [];
  const result = await runGit(directory, ['cat-file', '--batch'], {
    input: requests.map((request) => `${request}\n`).join(''),
  });
  return parseCatFileBatch(result.stdout, requests).map((entry) =>
    Buffer.isBuffer(entry) ? entry.toString('utf8') : null,
  );
}

export async function readLocalHistory(
  directory: string,
  headOid: string,
  paths: readonly string[],
  depth: number,
): Promise<Map<string, FileRevision[]>> {
  const history = new Map<string, FileRevision[]>(paths.map((path) => [path, []]));
  if (paths.length === 0) return history;
  // One walk over the commits that touched any of the paths, newest first.
  const log = await runGit(directory, [
    'log',
    '-z',
    `--format=${RECORD}%H${UNIT}%cI${UNIT}%B${RECORD}`,
    '--name-only',
    headOid,
    '--',
    ...paths.map((path) => `:(literal)${path}`),
  ]);
  const wanted = new Set(paths);
  const entries: { oid: string; date: string; message: string; path: string }[] = [];
  const counts = new Map<string, number>();
  // RECORD splits the output into: '', header, names, header, names, …
  const pieces = log.stdout.toString('utf8').split(RECORD);
  for (let index = 1; index + 1 < pieces.length; index += 2) {
    const header = pieces[index] as string;
    const [oid = '', date = '', ...rest] = header.split(UNIT);
    const message = rest.join(UNIT);
    const names = (pieces[index + 1] as string)
      .split('\0')
      .map((name) => name.replace(/^\n/, ''))
      .filter((name) => wanted.has(name));
    for (const path of names) {
      const count = counts.get(path) ?? 0;
      if (count >= depth) continue;
      counts.set(path, count + 1);
      entries.push({ oid, date, message, path });
    }
  }
  const texts = await catFiles(
    directory,
    entries.map((entry) => `${entry.oid}:${entry.path}`),
  );
  const notes = await noteBlobs(directory);
  const commits = [...new Set(entries.map((entry) => entry.oid))].filter((oid) => notes.has(oid));
  const noteTexts = await catFiles(
    directory,
    commits.map((oid) => notes.get(oid) as string),
  );
  const records = new Map(commits.map((oid, index) => [oid, parseNote(noteTexts[index]).records]));
  entries.forEach((entry, index) => {
    history.get(entry.path)?.push({
      oid: entry.oid,
      date: entry.date,
      message: entry.message,
      text: texts[index] ?? null,
      records: records.get(entry.oid) ?? [],
    });
  });
  return history;
}
