/** The READMEs document every action from its action.yml, and stay in step with it. */
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './support/run-action.js';

const actions = readdirSync(join(ROOT, 'actions')).filter((name) =>
  existsSync(join(ROOT, 'actions', name, 'action.yml')),
);

describe('action docs', () => {
  it.each(actions)('actions/%s has a README with an example step and its generated tables', (name) => {
    const readme = readFileSync(join(ROOT, 'actions', name, 'README.md'), 'utf8');
    expect(readme).toContain(`<!-- action-docs: actions/${name}/action.yml -->`);
    expect(readme).toContain(`uses: <owner>/tagrelay/actions/${name}@v1`);
  });

  it('the inputs and outputs tables match the action.yml files (npm run docs rewrites them)', async () => {
    const result = await new Promise<{ code: number; stderr: string }>((resolve) =>
      execFile(process.execPath, [join(ROOT, 'scripts/action-docs.mjs'), '--check'], (error, _out, stderr) =>
        resolve({ code: error ? 1 : 0, stderr }),
      ),
    );
    expect(result).toEqual({ code: 0, stderr: '' });
  });
});
