import type { PathCheck } from '../../src/core/smoke-config.js';
import { parseStatusSpec } from '../../src/core/smoke-expectations.js';
import {
  checkTable,
  evaluateCheck,
  failureReason,
  reportJson,
  smokePassed,
  type CheckResult,
  type ProbeOutcome,
  type SmokeReport,
} from '../../src/core/smoke-report.js';

const check = (over: Partial<PathCheck> = {}): PathCheck => ({
  path: '/',
  required: true,
  expectStatus: parseStatusSpec('200-399', 'x'),
  ...over,
});
const outcome = (over: Partial<ProbeOutcome> = {}): ProbeOutcome => ({
  status: 200,
  body: '<title>Shop</title>',
  redirects: 0,
  latencyMs: 12.4,
  attempts: 1,
  ...over,
});

describe('evaluateCheck', () => {
  it.each<[string, Partial<PathCheck>, Partial<ProbeOutcome>, string, string]>([
    ['a 200', {}, {}, 'pass', ''],
    ['a 302 within 200-399', {}, { status: 302 }, 'pass', ''],
    ['a 500', {}, { status: 500 }, 'fail', 'HTTP 500, expected 200-399'],
    ['no answer', {}, { status: undefined, error: 'connection refused' }, 'fail', 'connection refused'],
    [
      '404 on the default health path',
      { path: '/api/health', required: false },
      { status: 404 },
      'skip',
      'no health endpoint',
    ],
    [
      '500 on the default health path',
      { path: '/api/health', required: false },
      { status: 500 },
      'fail',
      'HTTP 500',
    ],
    ['404 on a listed health path', { path: '/api/health' }, { status: 404 }, 'fail', 'HTTP 404'],
    ['the body matches', { expectBody: '<title>Shop' }, {}, 'pass', ''],
    ['the body does not match', { expectBody: 'Welcome' }, {}, 'fail', 'the body does not match /Welcome/'],
    [
      'an exact status',
      { expectStatus: parseStatusSpec('200', 'x') },
      { status: 204 },
      'fail',
      'expected 200',
    ],
  ])('%s', (_name, checkOver, outcomeOver, result, reason) => {
    const evaluated = evaluateCheck(check(checkOver), 'https://shop.dev/', outcome(outcomeOver));
    expect(evaluated.result).toBe(result);
    if (reason) expect(evaluated.reason).toContain(reason);
    else expect(evaluated.reason).toBe('');
    expect(evaluated.latencyMs).toBe(12);
  });

  it('keeps where a redirect ended', () => {
    const evaluated = evaluateCheck(
      check({ path: '/admin' }),
      'https://shop.dev/admin',
      outcome({ redirects: 2, finalUrl: 'https://shop.dev/admin/login' }),
    );
    expect(evaluated).toMatchObject({
      redirects: 2,
      finalUrl: 'https://shop.dev/admin/login',
      result: 'pass',
    });
  });
});

describe('the report', () => {
  const result = (
    path: string,
    verdict: CheckResult['result'],
    status: number | null = 200,
    reason = '',
  ): CheckResult => ({
    path,
    url: `https://shop.dev${path}`,
    status,
    latencyMs: 10,
    attempts: 1,
    redirects: 0,
    result: verdict,
    reason,
  });
  const report = (
    checks: CheckResult[],
    outcome: SmokeReport['rollout']['outcome'] = 'live',
  ): SmokeReport => {
    const rollout = { outcome, seconds: 1.5, detectedVersion: 'sha-new' };
    return {
      app: 'shop',
      env: 'dev',
      tag: 'sha-new',
      url: 'https://shop.dev',
      versionSource: 'header:x-v',
      rollout,
      passed: smokePassed(rollout, checks),
      checks,
    };
  };

  it.each<[string, CheckResult[], SmokeReport['rollout']['outcome'], boolean, string | undefined]>([
    ['all pass', [result('/', 'pass')], 'live', true, undefined],
    [
      'a skipped health endpoint',
      [result('/', 'pass'), result('/api/health', 'skip', 404)],
      'live',
      true,
      undefined,
    ],
    ['no rollout wait', [result('/', 'pass')], 'none', true, undefined],
    ['a failed check', [result('/', 'pass'), result('/admin', 'fail', 500)], 'live', false, '/admin 500'],
    [
      'a refused connection',
      [result('/', 'fail', null, 'connection refused')],
      'live',
      false,
      '/ connection refused',
    ],
    ['a rollout timeout', [], 'timeout', false, 'rollout timed out'],
  ])('%s', (_name, checks, outcome, passed, reason) => {
    const r = report(checks, outcome);
    expect(r.passed).toBe(passed);
    expect(failureReason(r)).toBe(reason);
    const json = JSON.parse(reportJson(r));
    expect(json).toMatchObject({ passed, rolloutSeconds: 1.5, detectedVersion: 'sha-new', app: 'shop' });
    expect(json.checks).toHaveLength(checks.length);
  });

  it('renders the summary table with one row per URL and escapes pipes', () => {
    const table = checkTable([
      result('/', 'pass'),
      result('/a|b', 'fail', 500, 'HTTP 500, expected 200|204'),
    ]);
    const lines = table.split('\n');
    expect(lines[0]).toBe('| URL | status | latency | attempts | result |');
    expect(lines).toHaveLength(4);
    expect(lines[3]).toContain('https://shop.dev/a\\|b');
    expect(lines[3]).toContain('expected 200\\|204');
  });
});
