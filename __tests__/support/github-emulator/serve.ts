/**
 * Starts the GitHub emulator from the command line (for demos, after bundling with esbuild):
 *
 *   node serve.js <dir> [owner/name]
 *
 * seeds owner/name (default `tagrelay/gitops`) from <dir>, prints
 * `{"url","graphqlUrl","repoDir","owner","name","writeToken","readToken"}` as one JSON line
 * on stdout, and runs until SIGTERM/SIGINT.
 */
import { resolve } from 'node:path';
import { READ_TOKEN, startGitHubEmulator, WRITE_TOKEN } from './index.js';

async function main(): Promise<void> {
  const [dir, slug = 'tagrelay/gitops'] = process.argv.slice(2);
  if (!dir) {
    process.stderr.write('usage: serve <seed-directory> [owner/name]\n');
    process.exit(2);
  }
  const [owner = 'tagrelay', name = 'gitops'] = slug.split('/');
  const emulator = await startGitHubEmulator({
    repos: [{ owner, name, fromDir: resolve(dir) }],
  });
  process.stdout.write(
    `${JSON.stringify({
      url: emulator.url,
      graphqlUrl: emulator.graphqlUrl,
      repoDir: emulator.repoDir(owner, name),
      owner,
      name,
      writeToken: WRITE_TOKEN,
      readToken: READ_TOKEN,
    })}\n`,
  );
  const stop = () => {
    if (emulator.violations.length > 0)
      process.stderr.write(`emulator violations:\n${emulator.violations.join('\n')}\n`);
    void emulator.close().then(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

void main();
