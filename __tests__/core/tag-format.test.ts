import { ConfigurationError } from '../../src/core/errors.js';
import { renderTagFormat, slugBranch, utcDate } from '../../src/core/tag-format.js';
import { thrownBy } from '../support/thrown.js';

const SHA = '0123456789abcdef0123456789abcdef01234567';
const failure = (fn: () => unknown) => thrownBy(ConfigurationError, fn);

describe('renderTagFormat', () => {
  it.each([
    [undefined, {}, 'sha-0123456789ab'],
    ['', {}, 'sha-0123456789ab'],
    ['sha-{sha12}', {}, 'sha-0123456789ab'],
    ['{sha}', {}, SHA],
    ['v{sha7}', {}, 'v0123456'],
    ['{sha7}-{run_number}', { runNumber: 42 }, '0123456-42'],
    ['{date}.{run_number}', { date: '20280229', runNumber: '7' }, '20280229.7'],
    ['{branch}-{sha12}', { branch: 'main' }, 'main-0123456789ab'],
    ['{branch}-{sha7}', { branch: 'refs/heads/feature/Login Page' }, 'feature-Login-Page-0123456'],
    ['release_{date}', { date: '20241231' }, 'release_20241231'],
    ['literal-only', {}, 'literal-only'],
  ])('%j with %j gives %j', (format, values, expected) => {
    expect(renderTagFormat(format, { sha: SHA, ...values })).toBe(expected);
  });

  it.each([
    ['0123456', '{sha}', '0123456'],
    ['0123456', '{sha7}', '0123456'],
    ['ABCDEF0123456', '{sha12}', 'abcdef012345'],
  ])('takes a short or uppercase SHA %j for %j', (sha, format, expected) => {
    expect(renderTagFormat(format, { sha })).toBe(expected);
  });

  it.each([
    // format, values, input at fault, hint
    ['latest', {}, 'tag-format', 'is mutable'],
    ['LATEST', {}, 'tag-format', 'is mutable'],
    ['{nope}', {}, 'tag-format', '{nope} is unknown'],
    ['{sha:12}', {}, 'tag-format', '{sha:12} is unknown'],
    ['{SHA}', {}, 'tag-format', '{SHA} is unknown'],
    ['sha-{sha12', {}, 'tag-format', 'braces enclose placeholders'],
    ['sha}-{sha12}', {}, 'tag-format', 'braces enclose placeholders'],
    ['.{sha7}', {}, 'tag-format', 'immutable image tag'],
    ['a/{sha7}', {}, 'tag-format', 'immutable image tag'],
    ['{sha}{sha}{sha}{sha}', {}, 'tag-format', 'immutable image tag'],
    ['{run_number}', {}, 'run-number', 'uses {run_number}'],
    ['{run_number}', { runNumber: '0' }, 'run-number', 'positive whole number'],
    ['{run_number}', { runNumber: '1e3' }, 'run-number', 'positive whole number'],
    ['{date}', {}, 'date', 'uses {date}'],
    ['{date}', { date: '2026-01-01' }, 'date', 'YYYYMMDD'],
    ['{date}', { date: '20250229' }, 'date', 'YYYYMMDD'],
    ['{date}', { date: '20261301' }, 'date', 'YYYYMMDD'],
    ['{branch}', {}, 'branch', 'uses {branch}'],
    ['{branch}', { branch: '///' }, 'branch', 'a letter or digit'],
  ])('refuses %j with %j, naming input %j', (format, values, input, hint) => {
    const error = failure(() => renderTagFormat(format, { sha: SHA, ...values }));
    expect(error.input).toBe(input);
    expect(error.message).toContain(`Input "${input}"`);
    expect(error.message).toContain(hint);
  });

  it.each([
    ['', 'is required'],
    ['012345', '7-40 hex'],
    ['0123456789abcdef0123456789abcdef012345678', '7-40 hex'],
    ['g123456', '7-40 hex'],
    [` ${SHA}`, '7-40 hex'],
  ])('refuses the sha %j', (sha, hint) => {
    const error = failure(() => renderTagFormat(undefined, { sha }));
    expect(error.input).toBe('sha');
    expect(error.message).toContain(hint);
  });

  it('refuses {sha12} of a SHA shorter than 12', () => {
    const error = failure(() => renderTagFormat('{sha12}', { sha: '0123456' }));
    expect(error.input).toBe('sha');
    expect(error.message).toContain('at least 12 hex digits');
  });

  it('applies a configured deny-list and input names', () => {
    const error = failure(() =>
      renderTagFormat('dev-{sha7}', { sha: SHA }, { denied: ['dev-*'], inputs: { format: '--format' } }),
    );
    expect(error.input).toBe('--format');
    expect(error.message).toContain('deny-list');
    expect(
      failure(() => renderTagFormat('{x}', { sha: SHA }, { inputs: { format: '--format' } })).input,
    ).toBe('--format');
  });
});

describe('slugBranch', () => {
  it.each([
    ['main', 'main'],
    ['refs/heads/main', 'main'],
    ['feature/x', 'feature-x'],
    ['dependabot/npm_and_yarn/undici-7.1.0', 'dependabot-npm_and_yarn-undici-7.1.0'],
    ['a//b', 'a-b'],
    ['-x-', 'x'],
    ['.hidden', 'hidden'],
    ['ünïcode', 'n-code'],
    ['release/1.0.', 'release-1.0'],
    ['x'.repeat(100), 'x'.repeat(63)],
    [`${'a'.repeat(62)}/b`, 'a'.repeat(62)],
  ])('%j → %j', (branch, slug) => {
    expect(slugBranch(branch)).toBe(slug);
    expect(slug).toMatch(/^$|^[A-Za-z0-9_][A-Za-z0-9._-]*$/);
  });
});

describe('utcDate', () => {
  it('formats in UTC', () => {
    expect(utcDate(new Date('2026-03-01T23:30:00-05:00'))).toBe('20260302');
  });
});
