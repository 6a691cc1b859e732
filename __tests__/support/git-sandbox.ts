/**
 * A scratch folder for tests that drive real git on local checkouts: a known identity in
 * a private global config (no system config), both restored and removed after the file.
 * Call at the top level of a test file; the returned function gives the folder.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function useGitSandbox(prefix: string): () => string {
  let scratch = '';
  const savedEnv = { ...process.env };
  beforeAll(() => {
    scratch = mkdtempSync(join(tmpdir(), prefix));
    const config = join(scratch, 'gitconfig');
    writeFileSync(config, '[user]\n\tname = Test User\n\temail = test@example.com\n');
    process.env.GIT_CONFIG_GLOBAL = config;
    process.env.GIT_CONFIG_NOSYSTEM = '1';
  });
  afterAll(() => {
    process.env = savedEnv;
    rmSync(scratch, { recursive: true, force: true });
  });
  return () => scratch;
}
