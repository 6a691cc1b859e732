/**
 * Verification records in a local checkout: a JSON git note per GitOps commit under
 * `refs/notes/tagrelay`. Several records (apps, environments) share one commit's note
 * and are merged, the newest per app, env and tag winning. A write builds the new notes
 * commit with git's plumbing on a private index and moves the notes ref with a
 * compare-and-swap `git update-ref`, retrying when another writer got there first, so
 * concurrent writers never lose each other's records and a reader never sees half a note.
 */
import { mkdtemp, realpath, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ConfigurationError, ConflictError, NotFoundError } from '../core/errors.js';
import {
  mergeNote,
  NOTES_REF,
  noteText,
  parseNote,
  type ReleaseFileRevision,
  type VerificationRecord,
} from '../core/verification.js';
import type { ReleaseFileHistory, VerificationStore, WrittenRecord } from '../operations/verification.js';
import { commitOnPrivateIndex, parseCatFileBatch, runGit, text, type GitOptions } from './git.js';

const ZERO_OID = '0'.repeat(40);
const MAX_WRITE_ATTEMPTS = 20;

const pause = (ms: number) => new Promise((resolveSleep) => setTimeout(resolveSleep, ms));

export class LocalVerificationNotes implements VerificationStore, ReleaseFileHistory {
  readonly description: string;

  private constructor(readonly directory: string) {
    this.description = `${directory} (${NOTES_REF})`;
  }

  /** Opens DIR: any directory inside a git repository. */
  static async open(directory: string): Promise<LocalVerificationNotes> {
    let real: string;
    try {
      real = await realpath(resolve(directory));
    } catch {
      throw new ConfigurationError(
        '--local',
        directory,
        'an existing directory: a checkout of the GitOps repository',
      );
    }
    const inside = await runGit(real, ['rev-parse', '--git-dir'], { allow: [128] });
    if (inside.code !== 0) {
      throw new ConfigurationError(
        '--local',
        directory,
        'a checkout of the GitOps repository (git says it is not a git repository)',
      );
    }
    return new LocalVerificationNotes(real);
  }

  private git(args: readonly string[], options?: GitOptions) {
    return runGit(this.directory, args, options);
  }

  private async notesHead(): Promise<string | undefined> {
    const result = await this.git(['rev-parse', '--quiet', '--verify', `${NOTES_REF}^{commit}`], {
      allow: [1],
    });
    return result.code === 0 ? text(result) : undefined;
  }

  /** commit id → [path in the notes tree, blob id]; notes trees may fan out as ab/cdef…. */
  private async noteEntries(notesCommit: string): Promise<Map<string, { path: string; blob: string }>> {
    const result = await this.git(['ls-tree', '-r', '-z', notesCommit]);
    const entries = new Map<string, { path: string; blob: string }>();
    for (const line of result.stdout.toString('utf8').split('\0')) {
      const match = /^\d+ blob ([0-9a-f]+)\t(.+)$/s.exec(line);
      if (!match) continue;
      const [, blob, path] = match as unknown as [string, string, string];
      const object = path.replaceAll('/', '');
      if (/^[0-9a-f]{40}$|^[0-9a-f]{64}$/.test(object)) entries.set(object, { path, blob });
    }
    return entries;
  }

  private async blobs(ids: readonly string[]): Promise<(string | null)[]> {
    if (ids.length === 0) return [];
    const result = await this.git(['cat-file', '--batch'], { input: ids.map((id) => `${id}\n`).join('') });
    return parseCatFileBatch(result.stdout, ids).map((entry) =>
      Buffer.isBuffer(entry) ? entry.toString('utf8') : null,
    );
  }

  private async resolveCommit(commit: string): Promise<string> {
    const result = await this.git(['rev-parse', '--quiet', '--verify', `${commit}^{commit}`], {
      allow: [1, 128],
    });
    if (result.code !== 0 || text(result) === '') {
      throw new NotFoundError(`Commit ${commit} is not in ${this.directory}: check commit-sha`);
    }
    return text(result);
  }

  async write(record: VerificationRecord, commit: string): Promise<WrittenRecord> {
    const oid = await this.resolveCommit(commit);
    for (let attempt = 1; attempt <= MAX_WRITE_ATTEMPTS; attempt++) {
      const head = await this.notesHead();
      const existing = head ? (await this.noteEntries(head)).get(oid) : undefined;
      const [current] = existing ? await this.blobs([existing.blob]) : [null];
      const note = mergeNote(parseNote(current), record);
      const blob = text(await this.git(['hash-object', '-w', '--stdin'], { input: noteText(note) }));
      const scratch = await mkdtemp(join(tmpdir(), 'tagrelay-notes-'));
      let next: string;
      try {
        next = await commitOnPrivateIndex(this.directory, {
          index: join(scratch, 'index'),
          ...(head ? { parent: head } : {}),
          // Keep the note where it was (any fan-out); a new note goes at the top level, as git notes does for few notes.
          entries: [{ mode: '100644', oid: blob, path: existing?.path ?? oid }],
          message: `tagrelay: ${record.result} ${record.app} ${record.env} ${record.tag} on ${oid}\n`,
        });
      } finally {
        await rm(scratch, { recursive: true, force: true });
      }
      const swap = await this.git(
        ['update-ref', '-m', 'tagrelay: verification record', NOTES_REF, next, head ?? ZERO_OID],
        {
          allow: [1, 128],
        },
      );
      if (swap.code === 0) return { commit: oid, written: [`note ${NOTES_REF} on ${oid.slice(0, 12)}`] };
      // Another writer moved the notes ref: re-read, merge again.
      await pause(5 + Math.random() * 20 * attempt);
    }
    throw new ConflictError(
      `${NOTES_REF} in ${this.directory} kept changing while writing the verification record; try again`,
    );
  }

  async read(commits: string | readonly string[], app: string, env: string): Promise<VerificationRecord[]> {
    const head = await this.notesHead();
    if (!head) return [];
    const entries = await this.noteEntries(head);
    const wanted: { commit: string; blob: string }[] = [];
    for (const commit of new Set(typeof commits === 'string' ? [commits] : commits)) {
      let oid = commit;
      if (!/^[0-9a-f]{40}$/.test(commit)) {
        const resolved = await this.git(['rev-parse', '--quiet', '--verify', `${commit}^{commit}`], {
          allow: [1, 128],
        });
        if (resolved.code !== 0) continue;
        oid = text(resolved);
      }
      const entry = entries.get(oid);
      if (entry) wanted.push({ commit: oid, blob: entry.blob });
    }
    const texts = await this.blobs(wanted.map((entry) => entry.blob));
    return wanted.flatMap(({ commit }, index) =>
      parseNote(texts[index])
        .records.filter((record) => record.app === app && record.env === env)
        .map((record) => ({ ...record, commit, source: 'note' as const })),
    );
  }

  async fileHistory(branch: string | undefined, path: string, limit: number): Promise<ReleaseFileRevision[]> {
    const start = branch === undefined ? 'HEAD' : `refs/heads/${branch}`;
    const log = await this.git(
      ['log', '--format=%H', `--max-count=${limit}`, start, '--', `:(literal)${path}`],
      { allow: [128] },
    );
    if (log.code !== 0)
      throw new NotFoundError(
        `${branch === undefined ? 'HEAD' : `Branch "${branch}"`} does not exist in ${this.directory}`,
      );
    const oids = text(log).split('\n').filter(Boolean);
    if (oids.length === 0) return [];
    const requests = oids.map((oid) => `${oid}:${path}`);
    const result = await this.git(['cat-file', '--batch'], {
      input: requests.map((line) => `${line}\n`).join(''),
    });
    const contents = parseCatFileBatch(result.stdout, requests);
    return oids.map((oid, index) => {
      const entry = contents[index];
      return { oid, text: Buffer.isBuffer(entry) ? entry.toString('utf8') : null };
    });
  }

  async containsCommit(revision: string, commit: string): Promise<boolean | undefined> {
    if (revision === commit) return true;
    const result = await this.git(['merge-base', '--is-ancestor', commit, revision], { allow: [1, 128] });
    if (result.code === 0) return true;
    if (result.code === 1) return false;
    return undefined;
  }
}
