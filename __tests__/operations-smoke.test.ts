/** One smoke run over injected probes and an in-memory store: the verdict and the record in every outcome. */
import { parseSmokeConfig } from '../src/core/smoke-config.js';
import type { CheckResult, RolloutSummary } from '../src/core/smoke-report.js';
import { newestRecord, type VerificationRecord } from '../src/core/verification.js';
import { runSmoke, type SmokeOutcome } from '../src/operations/smoke.js';
import type { VerificationStore } from '../src/operations/verification.js';

const COMMIT = 'c'.repeat(40);
const config = parseSmokeConfig({
  app: 'shop',
  tag: 'sha-new',
  url: 'https://{app}.dev.example',
  versionSource: 'header:x-v',
});

function memoryStore(
  fail = false,
): VerificationStore & { saved: { record: VerificationRecord; commit: string }[] } {
  const saved: { record: VerificationRecord; commit: string }[] = [];
  return {
    description: 'memory',
    saved,
    async write(record, commit) {
      if (fail) throw new Error('GitHub answered 502');
      saved.push({ record, commit });
      return { commit, written: ['memory'] };
    },
    async read(commits, app, env) {
      const list = typeof commits === 'string' ? [commits] : commits;
      return saved
        .filter((s) => list.includes(s.commit) && s.record.app === app && s.record.env === env)
        .map((s) => ({ ...s.record, commit: s.commit }));
    },
  };
}

const check = (path: string, result: CheckResult['result'], status: number | null = 200): CheckResult => ({
  path,
  url: `https://shop.dev.example${path}`,
  status,
  latencyMs: 5,
  attempts: 1,
  redirects: 0,
  result,
  reason: result === 'pass' ? '' : `HTTP ${status}`,
});

const live: RolloutSummary = { outcome: 'live', seconds: 1.6, detectedVersion: 'sha-new' };
const timeout: RolloutSummary = {
  outcome: 'timeout',
  seconds: 10,
  detectedVersion: 'sha-old',
  message: 'Rollout timed out',
};

async function run(rollout: RolloutSummary | Error, checks: CheckResult[], store = memoryStore()) {
  let checked = 0;
  const lines: string[] = [];
  const outcome = await runSmoke({
    config,
    probes: {
      waitForRollout: async () => {
        if (rollout instanceof Error) throw rollout;
        return rollout;
      },
      runChecks: async () => {
        checked++;
        return checks;
      },
    },
    record: { store, commit: COMMIT },
    runUrl: 'https://github.com/acme/shop/actions/runs/7',
    digest: 'sha256:' + 'a'.repeat(64),
    now: () => new Date('2026-02-03T04:05:06Z'),
    log: (line) => lines.push(line),
  });
  return { outcome, checked, store, lines };
}

describe('runSmoke', () => {
  it('passes and records a success with the checked URLs, the digest and the run', async () => {
    const { outcome, store } = await run(live, [check('/', 'pass'), check('/api/health', 'skip', 404)]);
    expect(outcome.report.passed).toBe(true);
    expect(store.saved).toEqual([
      {
        commit: COMMIT,
        record: {
          app: 'shop',
          env: 'dev',
          tag: 'sha-new',
          result: 'success',
          checkedAt: '2026-02-03T04:05:06.000Z',
          url: 'https://shop.dev.example',
          digest: 'sha256:' + 'a'.repeat(64),
          runUrl: 'https://github.com/acme/shop/actions/runs/7',
          checks: [
            { url: 'https://shop.dev.example/', status: 200, result: 'pass' },
            { url: 'https://shop.dev.example/api/health', status: 404, result: 'skip' },
          ],
        },
      },
    ]);
    expect(newestRecord(await store.read(COMMIT, 'shop', 'dev'), 'shop', 'dev', 'sha-new')?.result).toBe(
      'success',
    );
  });

  it('records a failed check with its reason', async () => {
    const { outcome, store } = await run(live, [check('/', 'pass'), check('/admin', 'fail', 500)]);
    expect(outcome.report.passed).toBe(false);
    expect(store.saved[0]!.record).toMatchObject({ result: 'failure', reason: '/admin 500' });
  });

  it('does not check an old version after a rollout timeout, and records the failure', async () => {
    const { outcome, checked, store, lines } = await run(timeout, [check('/', 'pass')]);
    expect(checked).toBe(0);
    expect(outcome.report).toMatchObject({ passed: false, checks: [] });
    expect(store.saved[0]!.record).toMatchObject({ result: 'failure', reason: 'rollout timed out' });
    expect(lines[0]).toContain('Not checking the URLs: Rollout timed out');
  });

  it('keeps the verdict when the record cannot be written', async () => {
    const { outcome } = await run(live, [check('/', 'pass')], memoryStore(true));
    expect(outcome.report.passed).toBe(true);
    expect(outcome.recordError?.message).toBe('GitHub answered 502');
  });

  it('records a failure, then rethrows, when the wait fails for good', async () => {
    const store = memoryStore();
    const error = await run(new Error('Argo CD rejected the token'), [], store).catch((e: unknown) => e);
    expect((error as Error).message).toBe('Argo CD rejected the token');
    expect((error as { smokeOutcome: SmokeOutcome }).smokeOutcome.report.passed).toBe(false);
    expect(store.saved[0]!.record.result).toBe('failure');
  });
});
