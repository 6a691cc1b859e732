/**
 * Checks c to g of `workflow-checks.ts`: the contract with tagrelay's own actions and reusable
 * workflows, pinning, script injection, job permissions and `concurrency.queue`. Each returns
 * findings as `<file> job "<id>", step "<id>": what is wrong` lines; none means the file holds.
 */
import { existsSync } from 'node:fs';
import { join, posix } from 'node:path';
import { load, readRepoFile, ROOT, type YamlFile } from './workflow-checks.js';

type Mapping = Record<string, unknown>;
const isMapping = (value: unknown): value is Mapping =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const asMapping = (value: unknown): Mapping => (isMapping(value) ? value : {});
const asList = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

// ---------------------------------------------------------------------------
// Where a `uses:` points
// ---------------------------------------------------------------------------

/** Reads files of the repository by path relative to its root; tests swap in their own. */
export type Resolve = (path: string) => YamlFile | undefined;

export const resolveFromRepo: Resolve = (path) => {
  const full = join(ROOT, path);
  if (!existsSync(full)) return undefined;
  return readRepoFile(full, path.includes('.github/workflows/') ? 'workflow' : 'action');
};

/** This project named as its users name it: `<owner>/tagrelay[/<path>]@<ref>`. */
export const FIRST_PARTY = /^[A-Za-z0-9-]+\/tagrelay(?:\/([^@]*))?@[^@\s]+$/;

const isLocal = (uses: string) => uses === '.' || uses.startsWith('./');
const isSelf = (uses: string) => uses.startsWith('$/');

/** Third party: whatever is neither this repository nor a container image. */
export const isThirdParty = (uses: string) =>
  !isLocal(uses) && !isSelf(uses) && !uses.startsWith('docker://') && !FIRST_PARTY.test(uses);

/**
 * What `./` and `$/` mean in a file: `examples/site-repo/.github/workflows/x.yml` belongs to the
 * repository `examples/site-repo`; everything else (fixtures included) to this one.
 */
function repositoryRootOf(file: YamlFile): string {
  const at = file.path.indexOf('/.github/workflows/');
  return at > 0 ? file.path.slice(0, at) : '';
}

/** `./a/b/`, `a//b`, `a/./b` → `a/b`; the root is ''. */
function normal(path: string): string {
  const normalized = posix.normalize(path);
  if (normalized === '.' || normalized === './') return '';
  return normalized.replace(/^\.?\/+/, '').replace(/\/+$/, '');
}

/**
 * The path in this repository a `uses:` names, or undefined for a third party:
 * `./x` and `$/x` relative to the file's repository root (the repository's, or an example's),
 * `<owner>/tagrelay/x@ref` relative to tagrelay's, and `./<dir>/x` where `<dir>` holds a checkout
 * of tagrelay (`checkouts`) relative to tagrelay's.
 */
export function ownPath(
  uses: string,
  root: string,
  checkouts: ReadonlySet<string> = new Set(),
): string | undefined {
  if (isSelf(uses)) return normal(join(root, uses.slice(2)));
  if (isLocal(uses)) {
    const path = normal(uses);
    for (const dir of checkouts) {
      if (path === dir || path.startsWith(`${dir}/`)) return normal(path.slice(dir.length));
    }
    return normal(join(root, path));
  }
  const match = FIRST_PARTY.exec(uses);
  return match ? normal(match[1] ?? '') : undefined;
}

interface Interface {
  /** What it is, for messages: `actions/bump-release-dev/action.yml`. */
  path: string;
  inputs: Mapping;
  outputs: Mapping;
  secrets: Mapping;
}

function actionAt(dir: string, resolveFile: Resolve): Interface | undefined {
  for (const name of ['action.yml', 'action.yaml']) {
    const file = resolveFile(dir ? `${dir}/${name}` : name);
    if (file) {
      const action = load(file);
      return {
        path: file.path,
        inputs: asMapping(action.inputs),
        outputs: asMapping(action.outputs),
        secrets: {},
      };
    }
  }
  return undefined;
}

function workflowAt(path: string, resolveFile: Resolve): Interface | undefined {
  const file = resolveFile(path);
  const on = file && load(file).on;
  if (!file || !isMapping(on) || !('workflow_call' in on)) return undefined;
  const call = asMapping(on.workflow_call);
  return {
    path: file.path,
    inputs: asMapping(call.inputs),
    outputs: asMapping(call.outputs),
    secrets: asMapping(call.secrets),
  };
}

// ---------------------------------------------------------------------------
// c. The contract
// ---------------------------------------------------------------------------

const known = (names: Mapping) => Object.keys(names).join(', ') || 'none';

function checkWith(where: string, target: Interface, given: Mapping): string[] {
  const findings: string[] = [];
  for (const key of Object.keys(given)) {
    if (!(key in target.inputs))
      findings.push(
        `${where}: input "${key}" is not declared in ${target.path} (inputs: ${known(target.inputs)})`,
      );
  }
  for (const [name, spec] of Object.entries(target.inputs)) {
    const input = asMapping(spec);
    if (input.required === true && input.default === undefined && !(name in given)) {
      findings.push(`${where}: required input "${name}" of ${target.path} (no default) is not given`);
    }
  }
  return findings;
}

/** Secret names are case-insensitive on GitHub. */
function checkSecrets(where: string, target: Interface, given: unknown): string[] {
  if (given === 'inherit') return [];
  const declared = new Map(Object.entries(target.secrets).map(([name, spec]) => [name.toUpperCase(), spec]));
  const passed = new Set(Object.keys(asMapping(given)).map((name) => name.toUpperCase()));
  const findings: string[] = [];
  for (const name of passed) {
    if (!declared.has(name))
      findings.push(
        `${where}: secret "${name}" is not declared in ${target.path} (secrets: ${known(target.secrets)})`,
      );
  }
  for (const [name, spec] of declared) {
    if (asMapping(spec).required === true && !passed.has(name))
      findings.push(`${where}: required secret "${name}" of ${target.path} is not passed`);
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
function outputReferences(
  context: 'steps' | 'needs' | 'jobs',
  value: unknown,
): { id: string; output: string }[] {
  const pattern = new RegExp(
    `(?<![\\w.-])${context}\\.([A-Za-z_][\\w-]*)\\.outputs(?:\\.([A-Za-z_][\\w-]*)|\\[\\s*'([^']+)'\\s*\\]|\\[\\s*"([^"]+)"\\s*\\])`,
    'g',
  );
  return strings(value).flatMap((text) =>
    [...text.matchAll(pattern)].map((match) => ({
      id: match[1] as string,
      output: (match[2] ?? match[3] ?? match[4]) as string,
    })),
  );
}

const JOB_WORKFLOW_REPOSITORY = /^\$\{\{\s*job\.workflow_repository\s*\}\}$/;
const JOB_WORKFLOW_SHA = /^\$\{\{\s*job\.workflow_sha\s*\}\}$/;

/** Checks one list of steps (a job's, or a composite action's) and what may refer to it. */
function checkSteps(
  where: string,
  steps: unknown[],
  scope: unknown,
  root: string,
  resolveFile: Resolve,
): string[] {
  const findings: string[] = [];
  const byId = new Map<string, Interface>();
  const checkouts = new Set<string>();
  steps.forEach((raw, index) => {
    const step = asMapping(raw);
    if (typeof step.uses !== 'string') return;
    const stepName = `${where}, step ${typeof step.id === 'string' ? `"${step.id}"` : index + 1} (${step.uses})`;
    const options = asMapping(step.with);
    if (
      /^actions\/checkout@/.test(step.uses) &&
      JOB_WORKFLOW_REPOSITORY.test(String(options.repository ?? ''))
    ) {
      // tagrelay checked out at the commit of the workflow file that defines this job.
      if (!JOB_WORKFLOW_SHA.test(String(options.ref ?? '')))
        findings.push(
          `${stepName}: checks out job.workflow_repository at another ref than \${{ job.workflow_sha }}`,
        );
      checkouts.add(normal(String(options.path ?? '')));
      return;
    }
    const path = ownPath(step.uses, root, checkouts);
    if (path === undefined) return;
    const action = actionAt(path, resolveFile);
    if (!action) {
      findings.push(`${stepName}: \`uses: ${step.uses}\` names no action.yml (looked in ${path || '.'}/)`);
      return;
    }
    findings.push(...checkWith(stepName, action, options));
    if (typeof step.id === 'string') byId.set(step.id, action);
  });
  for (const { id, output } of outputReferences('steps', scope)) {
    const action = byId.get(id);
    if (action && !(output in action.outputs)) {
      findings.push(
        `${where}: steps.${id}.outputs.${output} is not declared in ${action.path} (outputs: ${known(action.outputs)})`,
      );
    }
  }
  return findings;
}

export function contractFindings(file: YamlFile, resolveFile: Resolve = resolveFromRepo): string[] {
  const data = load(file);
  const root = repositoryRootOf(file);
  if (file.kind === 'action') {
    const runs = asMapping(data.runs);
    if (runs.using !== 'composite') return [];
    // A composite action's outputs map `${{ steps.<id>.outputs.<name> }}` of its steps.
    return checkSteps(
      `${file.path} runs`,
      asList(runs.steps),
      { runs, outputs: data.outputs },
      root,
      resolveFile,
    );
  }
  const findings: string[] = [];
  const jobs = asMapping(data.jobs);
  /** What each job's outputs are: its `outputs:`, or the called workflow's; unknown for a third party. */
  const outputsOf = new Map<string, Interface>();
  for (const [jobId, raw] of Object.entries(jobs)) {
    const job = asMapping(raw);
    const where = `${file.path} job "${jobId}"`;
    if (typeof job.uses === 'string') {
      const path = ownPath(job.uses, root);
      if (path !== undefined) {
        const api = workflowAt(path.replace(/@.*$/, ''), resolveFile);
        if (!api) findings.push(`${where}: \`uses: ${job.uses}\` names no workflow with on.workflow_call`);
        else {
          findings.push(
            ...checkWith(where, api, asMapping(job.with)),
            ...checkSecrets(where, api, job.secrets),
          );
          outputsOf.set(jobId, api);
        }
      }
    } else {
      outputsOf.set(jobId, {
        path: `job "${jobId}"`,
        inputs: {},
        outputs: asMapping(job.outputs),
        secrets: {},
      });
    }
    findings.push(...checkSteps(where, asList(job.steps), job, root, resolveFile));
  }
  for (const [jobId, raw] of Object.entries(jobs)) {
    const job = asMapping(raw);
    const needs = new Set(typeof job.needs === 'string' ? [job.needs] : asList(job.needs).map(String));
    for (const { id, output } of outputReferences('needs', raw)) {
      const where = `${file.path} job "${jobId}"`;
      const api = outputsOf.get(id);
      if (!needs.has(id))
        findings.push(`${where}: reads needs.${id}.outputs.${output} but does not list "${id}" in needs:`);
      else if (api && !(output in api.outputs))
        findings.push(
          `${where}: needs.${id}.outputs.${output} is not declared in ${api.path} (outputs: ${known(api.outputs)})`,
        );
    }
  }
  const call = asMapping(asMapping(data.on).workflow_call);
  for (const [name, spec] of Object.entries(asMapping(call.outputs))) {
    for (const { id, output } of outputReferences('jobs', asMapping(spec).value)) {
      const where = `${file.path} on.workflow_call.outputs.${name}`;
      const api = outputsOf.get(id);
      if (!(id in jobs)) findings.push(`${where}: jobs.${id} is not a job of this workflow`);
      else if (api && !(output in api.outputs))
        findings.push(
          `${where}: jobs.${id}.outputs.${output} is not declared in ${api.path} (outputs: ${known(api.outputs)})`,
        );
    }
  }
  return findings;
}

// ---------------------------------------------------------------------------
// d and e. Pinned third-party actions; no interpolation of untrusted values into scripts
// ---------------------------------------------------------------------------

/** Every `uses:` with where it is, and every `run:` script, of a workflow or composite action. */
export function usesAndRuns(file: YamlFile): {
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
      const label =
        typeof step.id === 'string' ? step.id : typeof step.name === 'string' ? step.name : undefined;
      const name = `${where}, step ${label === undefined ? index + 1 : `"${label}"`}`;
      if (typeof step.uses === 'string') uses.push({ where: name, ref: step.uses });
      if (typeof step.run === 'string') runs.push({ where: name, script: step.run });
    });
  }
  return { uses, runs };
}

const PINNED = /^[^@\s]+@[0-9a-f]{40}$/;
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export function unpinnedFindings(file: YamlFile): string[] {
  return usesAndRuns(file)
    .uses.filter(({ ref }) => isThirdParty(ref))
    .flatMap(({ where, ref }) => {
      if (!PINNED.test(ref)) return [`${where}: \`uses: ${ref}\` is not pinned to a full 40-hex commit SHA`];
      // The SHA says what runs, the comment says which release that is (and lets Dependabot update both).
      const line = new RegExp(`^\\s*(?:-\\s+)?uses:\\s*['"]?${escape(ref)}['"]?(?=\\s|$)`);
      const commented = new RegExp(`${escape(ref)}['"]?\\s+#\\s*v?\\d+(?:\\.\\d+)*\\b`);
      const lines = file.text.split('\n').filter((text) => line.test(text));
      return lines.every((line) => commented.test(line))
        ? []
        : [`${where}: \`uses: ${ref}\` has no version comment (\`# v1.2.3\`) after the SHA`];
    });
}

/** `${{ … }}` blocks of a script that read `inputs`, `github.event` or `github.head_ref`. */
const UNTRUSTED =
  /(?<![\w.-])(?:inputs\s*[.[]|github\s*\.\s*(?:event|head_ref)\b|github\s*\[\s*['"](?:event|head_ref)['"]\s*\])/;

export function injectionFindings(file: YamlFile): string[] {
  return usesAndRuns(file).runs.flatMap(({ where, script }) =>
    [...script.matchAll(/\$\{\{([\s\S]*?)\}\}/g)]
      .filter((match) => UNTRUSTED.test(match[1] as string))
      .map((match) => `${where}: run: interpolates \`${match[0]}\`; pass it through env: and use "$VAR"`),
  );
}

// ---------------------------------------------------------------------------
// f and g. Job permissions; concurrency.queue
// ---------------------------------------------------------------------------

export function permissionFindings(file: YamlFile): string[] {
  if (file.kind !== 'workflow') return [];
  return Object.entries(asMapping(load(file).jobs))
    .filter(([, job]) => !('permissions' in asMapping(job)))
    .map(([jobId]) => `${file.path} job "${jobId}": has no permissions: (give each job only what it needs)`);
}

export function queueFindings(file: YamlFile): string[] {
  if (file.kind !== 'workflow') return [];
  const data = load(file);
  const places: [string, unknown][] = [
    [file.path, data.concurrency],
    ...Object.entries(asMapping(data.jobs)).map(([id, job]): [string, unknown] => [
      `${file.path} job "${id}"`,
      asMapping(job).concurrency,
    ]),
  ];
  return places.flatMap(([where, raw]) => {
    const concurrency = asMapping(raw);
    if (!('queue' in concurrency)) return [];
    if (concurrency.queue !== 'single' && concurrency.queue !== 'max')
      return [`${where}: concurrency.queue is ${JSON.stringify(concurrency.queue)}: expected single or max`];
    if (concurrency.queue === 'max' && concurrency['cancel-in-progress'] === true)
      return [`${where}: concurrency.queue: max with cancel-in-progress: true is refused by GitHub`];
    return [];
  });
}

/** Every check but the linters (a, b), for one file. */
export function policyFindings(file: YamlFile, resolveFile: Resolve = resolveFromRepo): string[] {
  return [
    ...contractFindings(file, resolveFile),
    ...unpinnedFindings(file),
    ...injectionFindings(file),
    ...permissionFindings(file),
    ...queueFindings(file),
  ];
}
