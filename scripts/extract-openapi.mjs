// `npm run fixtures:openapi`: extracts the few operations tagrelay calls from GitHub's
// published OpenAPI description (@octokit/openapi) into a small committed fixture that the
// GitHub emulator validates requests and responses against.
//
// The package is ~385 MB unpacked, so it is never installed: `npm pack` fetches the
// tarball into a temporary directory and `tar` extracts the one JSON file we need.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { format, resolveConfig } from 'prettier';

const PACKAGE = '@octokit/openapi';
// Matches the "openapi-version" of the installed @octokit/openapi-types (used by @octokit/types).
const VERSION = '23.0.1';
const ROOT = resolve(fileURLToPath(import.meta.url), '../..');
const OUT = join(ROOT, '__tests__/support/github-emulator/openapi-fixture.json');

/** [method, path] of every operation the emulator serves. */
export const OPERATIONS = [
  ['get', '/repos/{owner}/{repo}'],
  ['get', '/repos/{owner}/{repo}/git/ref/{ref}'],
  ['post', '/repos/{owner}/{repo}/git/refs'],
  ['get', '/repos/{owner}/{repo}/pulls'],
  ['post', '/repos/{owner}/{repo}/pulls'],
  ['post', '/repos/{owner}/{repo}/statuses/{sha}'],
  ['get', '/repos/{owner}/{repo}/commits/{ref}/status'],
  ['post', '/repos/{owner}/{repo}/deployments'],
  ['get', '/repos/{owner}/{repo}/deployments'],
  ['post', '/repos/{owner}/{repo}/deployments/{deployment_id}/statuses'],
  ['get', '/repos/{owner}/{repo}/contents/{path}'],
];

const tmp = mkdtempSync(join(tmpdir(), 'tagrelay-openapi-'));
try {
  const tgz = execFileSync('npm', ['pack', `${PACKAGE}@${VERSION}`, '--pack-destination', tmp, '--silent'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  })
    .trim()
    .split('\n')
    .pop();
  const member = 'package/generated/api.github.com.json';
  execFileSync('tar', ['-xzf', join(tmp, tgz), '-C', tmp, member], {
    stdio: 'inherit',
  });
  const api = JSON.parse(readFileSync(join(tmp, member), 'utf8'));

  const paths = {};
  for (const [method, path] of OPERATIONS) {
    const operation = api.paths[path]?.[method];
    if (!operation) throw new Error(`${method.toUpperCase()} ${path} is not in ${PACKAGE}@${VERSION}`);
    paths[path] ??= {};
    if (api.paths[path].parameters) paths[path].parameters = api.paths[path].parameters;
    paths[path][method] = operation;
  }

  // Every component reached from those operations, transitively.
  const components = {};
  const seen = new Set();
  const visit = (node) => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!node || typeof node !== 'object') return;
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && typeof value === 'string') {
        if (seen.has(value)) continue;
        seen.add(value);
        const [, , section, name] = value.split('/'); // #/components/<section>/<name>
        const target = api.components?.[section]?.[name];
        if (!target) throw new Error(`unresolvable $ref ${value}`);
        (components[section] ??= {})[name] = target;
        visit(target);
      } else {
        visit(value);
      }
    }
  };
  visit(paths);
  for (const section of Object.values(components)) {
    const sorted = Object.fromEntries(Object.entries(section).sort(([a], [b]) => a.localeCompare(b)));
    for (const key of Object.keys(section)) delete section[key];
    Object.assign(section, sorted);
  }

  const fixture = {
    openapi: api.openapi,
    info: { ...api.info, 'x-extracted-from': `${PACKAGE}@${VERSION}` },
    paths,
    components,
  };
  // Response examples are large and unused by validation; drop them.
  const text = await format(
    JSON.stringify(fixture, (key, value) => (key === 'examples' ? undefined : value)),
    // The project's prettier settings when it has some, else its house style.
    {
      ...((await resolveConfig(OUT)) ?? { printWidth: 120, singleQuote: true }),
      parser: 'json',
      filepath: OUT,
    },
  );
  writeFileSync(OUT, text);
  console.log(
    `wrote ${OUT}: ${OPERATIONS.length} operations, ${seen.size} components, ${(text.length / 1024).toFixed(0)} KB`,
  );
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
