/**
 * The root action.yml declares exactly what its commands read: every input a command's
 * reader asks for is declared, every declared input is read by some command, and only
 * `command` is required (status needs no app, init no tag of a running release).
 */
import { jest } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { coreFixture, resetRunner } from './support/actions-core-fixture.js';
import { ROOT } from './support/run-action.js';

jest.unstable_mockModule('@actions/core', () => coreFixture);

const { readBumpInputs } = await import('../src/actions/steps/bump.js');
const { readPromoteInputs, readRollbackInputs } = await import('../src/actions/steps/promote.js');
const { readInitInputs, readResetInputs } = await import('../src/actions/steps/reset.js');
const { readStatusInputs } = await import('../src/actions/steps/status.js');
const { readRunnerContext } = await import('../src/github/runner-context.js');

const context = readRunnerContext({ GITHUB_REPOSITORY: 'synestra/site', GITHUB_ACTOR: 'octocat' });
const READERS: Record<string, (c: typeof context) => unknown> = {
  bump: readBumpInputs,
  promote: readPromoteInputs,
  reset: readResetInputs,
  rollback: readRollbackInputs,
  status: readStatusInputs,
  init: readInitInputs,
};

// A valid value for every input, so each reader reads all of its inputs.
const VALUES: Record<string, string> = {
  app: 'corporate',
  tag: 'sha-0123456789ab',
  image: 'ghcr.io/synestra/corporate',
  digest: `sha256:${'a'.repeat(64)}`,
  'gitops-repository': 'synestra/gitops',
  branch: 'main',
  token: 'ghs_rootActionInputs0123456789abcdef',
  mode: 'direct',
  force: 'false',
  drift: 'false',
  'rollout-timeout': '5m',
  'argocd-server': 'https://argocd.example.com',
  'argocd-token': 'argocd-token-value',
  'dry-run': 'false',
};

const action = parse(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as {
  inputs: Record<string, { required?: boolean }>;
};

function inputsReadBy(command: string): Set<string> {
  resetRunner(VALUES);
  coreFixture.getInput.mockClear();
  READERS[command]?.(context);
  return new Set(coreFixture.getInput.mock.calls.map((call) => call[0] as string));
}

describe('root action.yml', () => {
  const declared = new Set(Object.keys(action.inputs).filter((name) => name !== 'command'));
  const readBy = Object.fromEntries(Object.keys(READERS).map((command) => [command, inputsReadBy(command)]));

  it.each(Object.keys(READERS))('declares every input `%s` reads', (command) => {
    expect([...(readBy[command] ?? [])].filter((name) => !declared.has(name))).toEqual([]);
  });

  it('declares no input that no command reads', () => {
    const read = new Set(Object.values(readBy).flatMap((names) => [...names]));
    expect([...declared].filter((name) => !read.has(name))).toEqual([]);
  });

  it('requires only `command`', () => {
    expect(
      Object.entries(action.inputs)
        .filter(([, input]) => input.required)
        .map(([name]) => name),
    ).toEqual(['command']);
  });

  it('describes every command it dispatches', () => {
    const description = JSON.stringify(action.inputs.command);
    for (const command of Object.keys(READERS)) expect(description).toContain(`\`${command}\``);
  });
});
