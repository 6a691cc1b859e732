/**
 * tagrelay's scratch space in a local checkout: `<git dir>/tagrelay/`, never the
 * system's temporary directory, so a killed run leaves nothing outside the repository
 * and the next run finds what it left. It holds, per run, a private index (to build a
 * commit without touching the user's) and the journal of a commit in progress.
 *
 * Every file is named after its owner: `<kind>-<pid>.<start>.<run>-<n>`, where start is
 * the process's start time (Linux: /proc) and run a random id of this process. A file
 * whose owner is gone is stale: the next run settles its journal and removes it. A
 * live owner's files (another tagrelay at work on the same checkout) are left alone.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, rm } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** One file the commit changes: its mode, and its blob before (null: new file) and after. */
export interface JournalFile {
  path: string;
  mode: string;
  oldBlob: string | null;
  newBlob: string;
}

/**
 * Written (atomically) after the commit object exists and before the index, the work
 * tree or the branch change; removed once they all agree. Finding one whose owner is
 * gone means a run died in between.
 */
export interface Journal {
  version: 1;
  branch: string;
  oldOid: string;
  newOid: string;
  files: JournalFile[];
}

const SCRATCH_DIR = 'tagrelay';

/** This process's start time in clock ticks since boot (Linux), or 0 where /proc is missing. */
function startTicks(pid: number | 'self'): string {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Field 22; the command name (field 2) may hold spaces and parentheses, so count after the last ')'.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? '0';
  } catch {
    return '0';
  }
}

const RUN_ID = randomBytes(4).toString('hex');
let ownToken: string | undefined;
function owner(): string {
  ownToken ??= `${process.pid}.${startTicks('self')}.${RUN_ID}`;
  return ownToken;
}

const NAME = /^(index|journal|tmp)-(\d+)\.(\d+)\.([0-9a-f]+)-\d+(\.json)?$/;

/** Whether the process that owns a scratch file (by its name) is still running. */
function ownerAlive(name: string): boolean {
  const match = NAME.exec(name);
  if (!match) return false;
  const [, , pidText, start, run] = match as unknown as [string, string, string, string, string];
  const pid = Number(pidText);
  // Same pid: this process, or an earlier one that had its pid (pid 1 in a container).
  if (pid === process.pid) return run === RUN_ID;
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  // A recycled pid: a different process now, unless the start times agree.
  return start === '0' || startTicks(pid) === '0' || startTicks(pid) === start;
}

let counter = 0;

export class Scratch {
  private constructor(readonly dir: string) {}

  static async open(gitDir: string): Promise<Scratch> {
    const dir = join(gitDir, SCRATCH_DIR);
    // A checkout that cannot be written still reads (status); a commit then fails on the journal.
    await mkdir(dir, { recursive: true }).catch(() => {});
    return new Scratch(dir);
  }

  /** A fresh path owned by this run. */
  path(kind: 'index' | 'journal' | 'tmp'): string {
    counter += 1;
    return join(this.dir, `${kind}-${owner()}-${counter}${kind === 'journal' ? '.json' : ''}`);
  }

  /** Writes the journal durably: a temporary file, fsync, rename, fsync of the directory. */
  async writeJournal(journal: Journal): Promise<string> {
    const target = this.path('journal');
    const temporary = this.path('tmp');
    const handle = await open(temporary, 'wx', 0o600);
    try {
      await handle.writeFile(`${JSON.stringify(journal)}\n`);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, target);
    await this.syncDirectory();
    return target;
  }

  async remove(path: string): Promise<void> {
    await rm(path, { force: true });
  }

  private async syncDirectory(): Promise<void> {
    const handle = await open(this.dir, 'r');
    try {
      await handle.sync();
    } catch {
      // Some filesystems refuse fsync on a directory; the rename is still atomic.
    } finally {
      await handle.close();
    }
  }

  private async names(): Promise<string[]> {
    return readdir(this.dir).catch(() => []);
  }

  /** Journals whose owner is gone; an unreadable one (cut short) is `undefined`. */
  async staleJournals(): Promise<{ path: string; journal: Journal | undefined }[]> {
    const stale: { path: string; journal: Journal | undefined }[] = [];
    for (const name of await this.names()) {
      if (!name.startsWith('journal-') || ownerAlive(name)) continue;
      const path = join(this.dir, name);
      let journal: Journal | undefined;
      try {
        const parsed = JSON.parse(await readFile(path, 'utf8')) as Journal;
        journal = parsed.version === 1 && Array.isArray(parsed.files) ? parsed : undefined;
      } catch {
        journal = undefined;
      }
      stale.push({ path, journal });
    }
    return stale;
  }

  /** Paths that a live run other than this object's commit is changing in this checkout. */
  async pathsInFlight(): Promise<Set<string>> {
    const busy = new Set<string>();
    for (const name of await this.names()) {
      const path = join(this.dir, name);
      if (!name.startsWith('journal-') || !ownerAlive(name)) continue;
      try {
        const journal = JSON.parse(await readFile(path, 'utf8')) as Journal;
        for (const file of journal.files) busy.add(file.path);
      } catch {
        // Being removed as we read it: that run is done.
      }
    }
    return busy;
  }

  /** Removes every scratch file whose owner is gone (journals only once settled: call after). */
  async removeStale(): Promise<void> {
    for (const name of await this.names()) {
      if (ownerAlive(name)) continue;
      await rm(join(this.dir, name), { force: true, recursive: true });
    }
  }
}
