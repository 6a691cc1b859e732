// Keeps the inputs and outputs tables in the READMEs in step with the action.yml files (and the
// reusable workflows' workflow_call inputs, secrets and outputs).
// A README marks where a table goes:
//   <!-- action-docs: actions/bump-release-dev/action.yml -->
//   …generated table…
//   <!-- action-docs: end -->
//
//   node scripts/action-docs.mjs          rewrite the tables in README.md and actions/*/README.md
//   node scripts/action-docs.mjs --check  exit 1, naming the files, when a table is out of date
import { readdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

const root = resolve(fileURLToPath(import.meta.url), '../..');
const MARKED = /(<!-- action-docs: (\S+) -->\n)[\s\S]*?(<!-- action-docs: end -->)/g;

/** One table cell: one line, pipes escaped, `<name>` outside code spans shown rather than read as HTML. */
const cell = (text) =>
  String(text ?? '')
    .replace(/\s+/g, ' ')
    .trim()
    .split('`')
    .map((part, index) => (index % 2 === 0 ? part.replace(/</g, '&lt;').replace(/>/g, '&gt;') : part))
    .join('`')
    .replace(/\|/g, '\\|');

function defaultCell(input) {
  if (input.required) return '(required)';
  const value = input.default;
  if (value === undefined || value === '') return '';
  return `\`${cell(value)}\``;
}

/**
 * The Markdown tables of one action.yml, or of a reusable workflow's `on.workflow_call`
 * (inputs, secrets, outputs).
 */
export function renderTables(actionPath) {
  const file = parse(readFileSync(join(root, actionPath), 'utf8'));
  const api = file.on?.workflow_call ?? file;
  const lines = ['| input | default | description |', '| --- | --- | --- |'];
  for (const [name, input] of Object.entries(api.inputs ?? {})) {
    lines.push(`| \`${name}\` | ${defaultCell(input)} | ${cell(input.description)} |`);
  }
  const secrets = Object.entries(api.secrets ?? {});
  if (secrets.length > 0) {
    lines.push('', '| secret | required | description |', '| --- | --- | --- |');
    for (const [name, secret] of secrets)
      lines.push(`| \`${name}\` | ${secret.required ? 'yes' : 'no'} | ${cell(secret.description)} |`);
  }
  const outputs = Object.entries(api.outputs ?? {});
  if (outputs.length > 0) {
    lines.push('', '| output | description |', '| --- | --- |');
    for (const [name, output] of outputs) lines.push(`| \`${name}\` | ${cell(output.description)} |`);
  }
  return `${lines.join('\n')}\n`;
}

export function readmes() {
  const files = ['README.md'];
  for (const name of readdirSync(join(root, 'actions')).sort()) {
    const readme = join('actions', name, 'README.md');
    if (existsSync(join(root, readme))) files.push(readme);
  }
  return files;
}

/** The README with every marked table regenerated. */
export function regenerate(text) {
  return text.replace(
    MARKED,
    (_, open, actionPath, close) =>
      `${open}<!-- prettier-ignore-start -->\n${renderTables(actionPath)}<!-- prettier-ignore-end -->\n${close}`,
  );
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const check = process.argv.includes('--check');
  const stale = [];
  for (const file of readmes()) {
    const before = readFileSync(join(root, file), 'utf8');
    const after = regenerate(before);
    if (after === before) continue;
    stale.push(file);
    if (!check) writeFileSync(join(root, file), after);
  }
  if (check && stale.length > 0) {
    console.error(`Out of date with the action.yml files: ${stale.join(', ')}. Run: npm run docs`);
    process.exit(1);
  }
  console.log(stale.length === 0 ? 'action docs are up to date' : `rewrote ${stale.join(', ')}`);
}
