/**
 * Every workflow (`.github/workflows/*.yml`, `examples/<name>/.github/workflows/*.yml`) and
 * action (`action.yml`, `actions/<name>/action.yml`) of the repository, found by listing the
 * folders so new ones are covered without touching this file, passes the checks a to g of
 * `support/workflow-checks.ts` and `support/workflow-contract.ts`: the linters, the contract
 * with tagrelay's own actions and reusable workflows, SHA pinning, script injection, job
 * permissions and `concurrency.queue`.
 *
 * Each check can fail: the negative tests below feed it bad files, from strings and from
 * `fixtures/workflows-broken/` (one file per rule, with the findings it must produce), so a
 * check that silently stopped finding anything would fail.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import {
  actionlint,
  discover,
  forLinters,
  JOB_WORKFLOW_CONTEXT,
  readRepoFile,
  ROOT,
  runLint,
  schemaErrors,
  validator,
  YAML_NAME,
  type YamlFile,
} from './support/workflow-checks.js';
import {
  contractFindings,
  injectionFindings,
  ownPath,
  permissionFindings,
  policyFindings,
  queueFindings,
  unpinnedFindings,
  type Resolve,
} from './support/workflow-contract.js';

const FIXTURES = join(ROOT, '__tests__', 'fixtures', 'workflows');
const BROKEN = join(ROOT, '__tests__', 'fixtures', 'workflows-broken');

const fixturesIn = (dir: string) =>
  existsSync(dir)
    ? readdirSync(dir)
        .filter((name) => YAML_NAME.test(name))
        .sort()
        .map((name) => readRepoFile(join(dir, name), 'workflow'))
    : [];

const files = discover(ROOT);
const all = [...files, ...fixturesIn(FIXTURES)];
const table = all.map((file) => [file.path, file] as const);

describe('workflows and actions of the repository', () => {
  it('finds workflows, actions and the examples to check', () => {
    const paths = files.map((file) => file.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        '.github/workflows/ci.yml',
        '.github/workflows/release.yml',
        '.github/workflows/promote.yml',
        '.github/workflows/reset-dev.yml',
        'action.yml',
        'actions/bump-release-dev/action.yml',
        'examples/site-repo/.github/workflows/release.yml',
        'examples/site-repo/.github/workflows/promote.yml',
      ]),
    );
  });

  describe.each(table)('%s', (_path, file) => {
    it('a. passes actionlint', async () => {
      expect(await actionlint(file)).toEqual([]);
    });

    it('b. is valid against the action/workflow schema', () => {
      expect(schemaErrors(file)).toEqual([]);
    });

    it('c-g. keeps the contract with our actions and workflows, pins, permissions, no injection', () => {
      expect(policyFindings(file)).toEqual([]);
    });
  });
});

/**
 * The README's YAML examples that are workflows (a top-level `jobs:`), with `<owner>` as an
 * owner: what users copy keeps the same contract as the files.
 */
function readmeSnippets(): YamlFile[] {
  const text = readFileSync(join(ROOT, 'README.md'), 'utf8');
  return [...text.matchAll(/^```yaml\n([\s\S]*?)^```/gm)].flatMap((match, index) => {
    const body = (match[1] as string).replace(/<owner>\//g, 'synestra/');
    const data: unknown = parse(body);
    const isWorkflow = typeof data === 'object' && data !== null && !Array.isArray(data) && 'jobs' in data;
    const line = text.slice(0, match.index).split('\n').length;
    return isWorkflow
      ? [{ path: `README.md:${line} (example ${index + 1})`, kind: 'workflow' as const, text: body }]
      : [];
  });
}

describe("the README's workflow examples", () => {
  const snippets = readmeSnippets();

  it('are found: the callers of release.yml, promote.yml and reset-dev.yml among them', () => {
    const uses = snippets.map((snippet) => /uses: synestra\/tagrelay\/(\S+)@/.exec(snippet.text)?.[1]);
    expect(uses).toEqual(
      expect.arrayContaining([
        '.github/workflows/release.yml',
        '.github/workflows/promote.yml',
        '.github/workflows/reset-dev.yml',
      ]),
    );
  });

  it.each(snippets.map((snippet) => [snippet.path, snippet] as const))(
    '%s keeps the contract, pins, permissions, no injection',
    (_path, snippet) => {
      expect(policyFindings(snippet)).toEqual([]);
    },
  );
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

/**
 * A broken fixture names the rule it breaks (`# rule: <name>`) and every finding it must
 * produce (`# expect: <regular expression>`), no more and no fewer.
 */
interface Broken {
  file: YamlFile;
  rule: string;
  expected: RegExp[];
}
const broken: Broken[] = fixturesIn(BROKEN).map((file) => ({
  file,
  rule: /^# rule: (\S+)/m.exec(file.text)?.[1] ?? '(none)',
  expected: [...file.text.matchAll(/^# expect: (.+)$/gm)].map((match) => new RegExp(match[1] as string)),
}));

/** The rules of issue 10's contract test; each has a fixture that breaks it. */
const RULES = [
  'unknown-input',
  'required-input',
  'unknown-secret',
  'required-secret',
  'step-output',
  'needs-output',
  'job-output',
  'first-party-remote',
  'self-repository',
  'tagrelay-checkout',
  'permissions',
  'pinned',
  'version-comment',
  'injection',
  'queue',
];

describe('the checks find problems', () => {
  it('has a broken fixture for every rule, and names only known rules', () => {
    const covered = new Set(broken.map(({ rule }) => rule));
    expect(RULES.filter((rule) => !covered.has(rule))).toEqual([]);
    expect([...covered].filter((rule) => !RULES.includes(rule))).toEqual([]);
  });

  it.each(broken.map((item) => [item.file.path, item] as const))(
    '%s produces exactly the findings it names',
    (_path, { file, expected }) => {
      expect(expected.length).toBeGreaterThan(0);
      const findings = policyFindings(file);
      const unmatched = [...findings];
      const missing: string[] = [];
      for (const pattern of expected) {
        const at = unmatched.findIndex((finding) => pattern.test(finding));
        if (at === -1) missing.push(pattern.source);
        else unmatched.splice(at, 1);
      }
      expect({ missing, unexpected: unmatched }).toEqual({ missing: [], unexpected: [] });
    },
  );

  it('ownPath: where a uses: points in this repository', () => {
    const tagrelay = new Set(['.tagrelay']);
    const cases: [string, string, string | undefined][] = [
      ['./actions/smoke-dev', '', 'actions/smoke-dev'],
      ['$/actions/smoke-dev', '', 'actions/smoke-dev'],
      ['$/.github/workflows/promote.yml', '', '.github/workflows/promote.yml'],
      ['./', '', ''],
      ['.', '', ''],
      ['synestra/tagrelay@v1', '', ''],
      [
        'acme/tagrelay/actions/promote-prod@0123456789abcdef0123456789abcdef01234567',
        '',
        'actions/promote-prod',
      ],
      [
        'synestra/tagrelay/.github/workflows/release.yml@v1',
        'examples/site-repo',
        '.github/workflows/release.yml',
      ],
      ['./actions/x', 'examples/site-repo', 'examples/site-repo/actions/x'],
      ['$/actions/x', 'examples/site-repo', 'examples/site-repo/actions/x'],
      ['./.tagrelay', '', ''],
      ['./.tagrelay/actions/promote-prod', '', 'actions/promote-prod'],
      ['./.tagrelayx', '', '.tagrelayx'],
      ['actions/checkout@v7', '', undefined],
      ['synestra/tagrelay-fork/actions/x@v1', '', undefined],
      ['docker://alpine:3', '', undefined],
    ];
    for (const [uses, root, expected] of cases) {
      expect([uses, root, ownPath(uses, root, tagrelay)]).toEqual([uses, root, expected]);
    }
  });

  it('forLinters rewrites $/ and concurrency.queue in place, keeping every line where it was', () => {
    const text = `on: push
jobs:
  a:
    runs-on: ubuntu-latest
    concurrency:
      group: g
      queue: max
      cancel-in-progress: false
    steps:
      - uses: $/actions/smoke-dev # self
      - uses: "$/actions/x"
      - run: echo '$/ stays'
        with: { queue: 1 }
`;
    const rewritten = forLinters(text);
    expect(rewritten.length).toBe(text.length);
    expect(rewritten.split('\n').map((line) => line.trimEnd())).toEqual([
      'on: push',
      'jobs:',
      '  a:',
      '    runs-on: ubuntu-latest',
      '    concurrency:',
      '      group: g',
      '',
      '      cancel-in-progress: false',
      '    steps:',
      '      - uses: ./actions/smoke-dev # self',
      '      - uses: "./actions/x"',
      "      - run: echo '$/ stays'",
      '        with: { queue: 1 }',
      '',
    ]);
  });

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

    it('reports unknown and missing inputs, and undeclared outputs', () => {
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
          git checkout "\${{ github.head_ref }}"
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
      expect.stringMatching(/step "bad": run: interpolates `\$\{\{ github\.head_ref \}\}`/),
    ]);
    expect(
      injectionFindings(
        action(
          'name: x\ndescription: x\nruns:\n  using: composite\n  steps:\n    - shell: bash\n      run: echo ${{ inputs.app }}\n',
        ),
      ),
    ).toHaveLength(1);
  });

  describe('syntax newer than the linters (canaries: when one fails, drop its entry in forLinters)', () => {
    const lint = async (text: string) => (await runLint(text, 'canary.yml')).map((result) => result.message);

    it('actionlint still refuses uses: $/ (self-repository references)', async () => {
      const text =
        'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: $/actions/x\n';
      expect((await lint(text)).join('\n')).toMatch(/ref is missing/);
      expect(await lint(forLinters(text))).toEqual([]);
    });

    it('actionlint and the schema still refuse concurrency.queue', async () => {
      const text =
        'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    permissions: {}\n' +
        '    concurrency: { group: g, queue: max }\n    steps: [{ run: "true" }]\n';
      expect((await lint(text)).join('\n')).toMatch(/unexpected key "queue"/);
      expect(validator.validateWorkflow(text).errors.length).toBeGreaterThan(0);
      expect(await lint(forLinters(text))).toEqual([]);
      expect(validator.validateWorkflow(forLinters(text)).errors).toEqual([]);
    });

    it('actionlint still lacks job.workflow_repository and job.workflow_sha', async () => {
      const text =
        'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n' +
        '      - run: echo "$R@$S"\n' +
        '        env: { R: "${{ job.workflow_repository }}", S: "${{ job.workflow_sha }}" }\n';
      const messages = await lint(text);
      expect(messages).toHaveLength(2);
      for (const message of messages) expect(message).toMatch(JOB_WORKFLOW_CONTEXT);
      // Only those: a misspelt property is still reported.
      expect(await actionlint(workflow(text.replace('workflow_sha', 'workflow_shaa')))).toEqual([
        expect.stringMatching(/property "workflow_shaa" is not defined/),
      ]);
    });
  });

  it('f and g. each rule, checked alone, reports its own finding', () => {
    expect(
      permissionFindings(
        workflow('on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps: [{ run: "true" }]\n'),
      ),
    ).toEqual([expect.stringMatching(/job "a": has no permissions:/)]);
    expect(
      queueFindings(
        workflow(
          'on: push\nconcurrency: { group: g, queue: max, cancel-in-progress: true }\njobs:\n' +
            '  a: { runs-on: x, permissions: {}, concurrency: { group: g, queue: all }, steps: [{ run: "true" }] }\n',
        ),
      ),
    ).toEqual([
      expect.stringMatching(/bad\.yml: concurrency.queue: max with cancel-in-progress: true/),
      expect.stringMatching(/job "a": concurrency.queue is "all": expected single or max/),
    ]);
  });
});
