/**
 * The wiring of the build-and-tag composite, checked without Docker (actionlint and
 * action-validator run on it in workflows.test.ts):
 *
 *  - each docker action is pinned at the commit the fixture records (with its version in a
 *    comment), and its `with:` keys are inputs that action declares there;
 *  - every `steps.<id>.outputs.<name>` names a real step id, and an output that step sets:
 *    declared by the docker action, or set by our code (`core.setOutput` in its source);
 *  - the docker steps run only when the plan step found the tag absent;
 *  - our run steps get their inputs through `env:` as INPUT_* names the code reads, and every
 *    input of the action reaches some step.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ROOT } from './support/run-action.js';

interface Recorded {
  commit: string;
  version: string;
  inputs: string[];
  outputs: string[] | null;
}
type Mapping = Record<string, unknown>;
interface Step {
  id?: string;
  name?: string;
  if?: string;
  uses?: string;
  run?: string;
  with?: Mapping;
  env?: Mapping;
}
interface Action {
  inputs: Mapping;
  outputs: Record<string, { value: string }>;
  runs: { using: string; steps: Step[] };
}

const ACTION_PATH = 'actions/build-and-tag/action.yml';
const fixture = JSON.parse(readFileSync(join(ROOT, '__tests__/fixtures/docker-actions.json'), 'utf8')) as {
  actions: Record<string, Recorded>;
};
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');
/** The sources of the code our run steps execute. */
const CODE = [
  'src/actions/steps/build-and-tag.ts',
  'src/actions/support/registry.ts',
  'src/actions/build-and-tag.ts',
];

/** Output names our code sets, and input names it reads, found in its source. */
function codeInterface(sources: string[]): { outputs: Set<string>; inputs: Set<string> } {
  const text = sources.join('\n');
  const names = (pattern: RegExp) => new Set([...text.matchAll(pattern)].map((match) => match[1] as string));
  return {
    outputs: names(/setOutput\(\s*'([a-z-]+)'/g),
    inputs: names(
      /(?:optionalInput|requiredInput|listInput|booleanInput|secretInput|choiceInput)\(\s*'([a-z-]+)'/g,
    ),
  };
}

function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value && typeof value === 'object') return Object.values(value).flatMap(strings);
  return [];
}

/** Everything wrong with the composite's wiring; [] when it is right. */
function wiringFindings(text: string, code = codeInterface(CODE.map(read))): string[] {
  const action = parse(text) as Action;
  const findings: string[] = [];
  const steps = action.runs.steps;
  const byId = new Map(steps.filter((step) => step.id).map((step) => [step.id as string, step]));
  const plan = byId.get('plan');
  if (!plan?.run) findings.push('the first step must be the run step with id "plan"');
  else if (steps[0] !== plan) findings.push('the plan step must come first');

  const outputsOf = (step: Step): string[] | null => {
    if (step.run) return [...code.outputs];
    const recorded = step.uses ? fixture.actions[step.uses.split('@')[0] as string] : undefined;
    return recorded?.outputs ?? null;
  };

  for (const [index, step] of steps.entries()) {
    const where = `step ${step.id ?? step.name ?? index + 1}`;
    if (step.uses) {
      const [name, commit] = step.uses.split('@') as [string, string];
      const recorded = fixture.actions[name];
      if (!recorded) {
        findings.push(`${where}: ${name} is not in the fixture`);
        continue;
      }
      if (commit !== recorded.commit)
        findings.push(`${where}: ${name} is pinned at ${commit}, the fixture at ${recorded.commit}`);
      const line = text.split('\n').find((candidate) => candidate.includes(`uses: ${step.uses}`)) ?? '';
      if (!line.endsWith(`# ${recorded.version}`))
        findings.push(`${where}: ${name} lacks the comment # ${recorded.version}`);
      for (const key of Object.keys(step.with ?? {})) {
        if (!recorded.inputs.includes(key)) findings.push(`${where}: ${name} declares no input "${key}"`);
      }
      if (!/steps\.plan\.outputs\.exists == 'false'/.test(step.if ?? '')) {
        findings.push(`${where}: runs without checking steps.plan.outputs.exists == 'false'`);
      }
    }
    if (step.run) {
      for (const key of Object.keys(step.env ?? {})) {
        const input = /^INPUT_(.+)$/.exec(key)?.[1]?.toLowerCase();
        if (input !== undefined && !code.inputs.has(input))
          findings.push(`${where}: env ${key} is read by no input reader`);
      }
    }
  }

  const references = [...strings(action.outputs), ...steps.flatMap((step) => strings(step))].flatMap(
    (value) =>
      [...value.matchAll(/steps\.([A-Za-z_][\w-]*)\.outputs\.([A-Za-z_][\w-]*)/g)].map((match) => ({
        id: match[1] as string,
        output: match[2] as string,
      })),
  );
  for (const { id, output } of references) {
    const step = byId.get(id);
    if (!step) {
      findings.push(`steps.${id}.outputs.${output}: there is no step with id "${id}"`);
      continue;
    }
    const declared = outputsOf(step);
    if (declared === null)
      findings.push(`steps.${id}.outputs.${output}: the outputs of ${step.uses} are not recorded`);
    else if (!declared.includes(output))
      findings.push(`steps.${id}.outputs.${output}: step "${id}" sets no output "${output}"`);
  }

  const used = new Set(
    steps
      .flatMap((step) => strings(step))
      .flatMap((value) =>
        [...value.matchAll(/inputs\.([A-Za-z_][\w-]*)/g)].map((match) => match[1] as string),
      ),
  );
  for (const input of Object.keys(action.inputs)) {
    if (!used.has(input)) findings.push(`input "${input}" reaches no step`);
  }
  return findings;
}

const text = read(ACTION_PATH);

describe('actions/build-and-tag/action.yml', () => {
  it('is a composite whose steps are wired to real inputs and outputs', () => {
    expect((parse(text) as Action).runs.using).toBe('composite');
    expect(wiringFindings(text)).toEqual([]);
  });

  it('declares the outputs the issue names, each mapped from a step', () => {
    const action = parse(text) as Action;
    expect(Object.keys(action.outputs).sort()).toEqual(['built', 'digest', 'image', 'ref', 'tag']);
    for (const output of Object.values(action.outputs))
      expect(output.value).toMatch(/steps\.(plan|verify)\.outputs\./);
  });

  it('finds the code interface it checks against', () => {
    const code = codeInterface(CODE.map(read));
    expect([...code.outputs]).toEqual(
      expect.arrayContaining(['tag', 'digest', 'ref', 'built', 'exists', 'tags', 'labels']),
    );
    expect([...code.inputs]).toEqual(
      expect.arrayContaining(['image', 'tag-format', 'registry-password', 'phase']),
    );
  });
});

describe('the wiring check finds problems', () => {
  const broken = (from: string, to: string) => {
    expect(text).toContain(from);
    return wiringFindings(text.replace(from, to));
  };

  it('an undeclared with: key of a docker action', () => {
    expect(
      broken('        tags: ${{ steps.plan.outputs.tags }}', '        tag: ${{ steps.plan.outputs.tags }}'),
    ).toEqual([expect.stringMatching(/docker\/build-push-action declares no input "tag"/)]);
  });

  it('an output of a docker action that it does not set, and a step id that does not exist', () => {
    expect(broken('steps.build.outputs.digest', 'steps.build.outputs.sha')).toEqual([
      expect.stringMatching(/steps\.build\.outputs\.sha: step "build" sets no output "sha"/),
    ]);
    expect(broken('steps.build.outputs.digest', 'steps.push.outputs.digest')).toEqual([
      expect.stringMatching(/there is no step with id "push"/),
    ]);
  });

  it('an output our code never sets, and an INPUT_ our code never reads', () => {
    expect(broken('${{ steps.plan.outputs.built }}', '${{ steps.plan.outputs.was-built }}')).toEqual([
      expect.stringMatching(/step "plan" sets no output "was-built"/),
    ]);
    expect(broken('INPUT_TAG-FORMAT:', 'INPUT_TAG_FORMAT:')).toEqual([
      expect.stringMatching(/env INPUT_TAG_FORMAT is read by no input reader/),
    ]);
  });

  it('a docker step that is not gated, pinned elsewhere, or without its version comment', () => {
    const findings = wiringFindings(
      text
        .replace(
          "      if: steps.plan.outputs.exists == 'false'\n      uses: docker/setup-buildx-action",
          '      uses: docker/setup-buildx-action',
        )
        .replace(
          '4907a6ddec9925e35a0a9e82d7399ccc52663121 # v4.1.0',
          '0000000000000000000000000000000000000000 # v4.1.0',
        )
        .replace('# v7.3.0', '# v7'),
    );
    expect(findings).toEqual([
      expect.stringMatching(/^step Set up Docker Buildx: runs without checking steps\.plan\.outputs\.exists/),
      expect.stringMatching(/login-action is pinned at 0{40}/),
      expect.stringMatching(/build-push-action lacks the comment # v7.3.0/),
    ]);
  });

  it('an input that reaches no step', () => {
    expect(broken('        target: ${{ inputs.target }}\n', '')).toEqual([
      expect.stringMatching(/input "target" reaches no step/),
    ]);
  });
});
