/** Finding the emulator's data files whether it runs from source (jest) or bundled elsewhere (demo, bench). */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** `relative` (a path from the project root) looked for upwards from this module and from the cwd. */
export function locateFromRoot(relative: string): string {
  const starts: string[] = [];
  try {
    starts.push(dirname(fileURLToPath(import.meta.url)));
  } catch {
    /* not an ES module URL */
  }
  starts.push(process.cwd());
  for (const start of starts) {
    for (let dir = start; ; dir = dirname(dir)) {
      if (existsSync(join(dir, relative))) return join(dir, relative);
      if (dirname(dir) === dir) break;
    }
  }
  throw new Error(`github-emulator: cannot find ${relative}`);
}
