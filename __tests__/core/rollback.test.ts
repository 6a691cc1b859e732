import { messageText, trailerValues } from '../../src/core/commit-message.js';
import { ConfigurationError } from '../../src/core/errors.js';
import { LAYOUT_CONFIG_PATH } from '../../src/core/layout.js';
import { PromotionRefusedError, planPromotion } from '../../src/core/promotion.js';
import type { FileRevision } from '../../src/core/release-history.js';
import { planReset, planRollback } from '../../src/core/rollback.js';
import { thrownBy } from '../support/thrown.js';

const DEV = 'deploy/env/release-dev/corporate.yaml';
const PROD = 'deploy/env/release-prod/corporate.yaml';
const release = (tag: string, digest?: string) =>
  `image:\n  repository: ghcr.io/synestra/corporate\n  tag: ${tag}\n${digest ? `  digest: ${digest}\n` : ''}`;
const DIGEST = `sha256:${'1'.repeat(64)}`;

const snapshot = (dev: string, prod: string, config: string | null = null) =>
  new Map<string, string | null>([
    [LAYOUT_CONFIG_PATH, config],
    [DEV, dev],
    [PROD, prod],
  ]);

const revision = (oid: string, tag: string, message = `release(prod): corporate ${tag}`): FileRevision => ({
  oid,
  message,
  text: release(tag),
  records: [],
});

describe('planReset', () => {
  it('gives dev the release prod runs: tag, repository and digest, with Reset-From', () => {
    const step = planReset(
      { env: 'dev', apps: ['corporate'] },
      snapshot(release('sha-ahead'), release('sha-prod', DIGEST)),
    );
    if (step.kind !== 'ready') throw new Error('expected a plan');
    expect(step.changeSet.files).toEqual([
      { path: DEV, before: release('sha-ahead'), after: release('sha-prod', DIGEST) },
    ]);
    const text = messageText(step.changeSet.message);
    expect(text).toMatch(/^reset\(dev\): corporate sha-prod\n/);
    expect(trailerValues(text, 'Reset-From')).toEqual(['prod']);
  });

  it('changes nothing when dev already runs prod’s release', () => {
    const step = planReset(
      { env: 'dev', apps: ['corporate'] },
      snapshot(release('sha-prod'), release('sha-prod')),
    );
    expect(step.kind === 'ready' && step.changeSet.files).toEqual([]);
  });

  it('refuses the last environment: nothing comes after it', () => {
    expect(
      thrownBy(ConfigurationError, () => planReset({ env: 'prod', apps: ['corporate'] }, snapshot('', '')))
        .input,
    ).toBe('environment');
  });

  it('takes stage’s release in a three-environment chain', () => {
    const files = snapshot(release('sha-dev'), release('sha-prod'), 'environments: [dev, stage, prod]\n');
    files.set('deploy/env/release-stage/corporate.yaml', release('sha-stage'));
    const step = planReset({ env: 'dev', apps: ['corporate'] }, files);
    expect(step.kind === 'ready' && step.changeSet.files[0]?.after).toBe(release('sha-stage'));
  });
});

describe('planRollback', () => {
  // prod history, newest first: p3 promoted sha-3, p2 promoted sha-2, p1 sha-1.
  const history = [revision('p3', 'sha-3'), revision('p2', 'sha-2'), revision('p1', 'sha-1')];

  it('takes prod back to the tag it had before, with Rollback-Of', () => {
    const step = planRollback(
      { app: 'corporate', force: false },
      snapshot(release('sha-3'), release('sha-3')),
      { targetHistory: history, sourceHistory: [] },
    );
    if (step.kind !== 'ready') throw new Error('expected a plan');
    expect(step.changeSet.files[0]?.after).toBe(release('sha-2'));
    const text = messageText(step.changeSet.message);
    expect(text).toMatch(/^rollback\(prod\): corporate sha-2\n\n- corporate: sha-3 → sha-2\n/);
    expect(trailerValues(text, 'Rollback-Of')).toEqual(['sha-3']);
    expect(trailerValues(text, 'Promoted-From')).toEqual(['p2']);
  });

  it('a later promotion of the rolled-back tag is refused unless forced', () => {
    const rollback = planRollback(
      { app: 'corporate', force: false },
      snapshot(release('sha-3'), release('sha-3')),
      { targetHistory: history, sourceHistory: [] },
    );
    if (rollback.kind !== 'ready') throw new Error('expected a plan');
    const afterRollback: FileRevision[] = [
      { oid: 'p4', message: messageText(rollback.changeSet.message), text: release('sha-2'), records: [] },
      ...history,
    ];
    const sourceHistory: FileRevision[] = [
      {
        ...revision('d3', 'sha-3'),
        records: [
          {
            app: 'corporate',
            env: 'dev',
            tag: 'sha-3',
            result: 'success',
            checkedAt: '2026-11-25T10:00:00Z',
            checks: [],
          },
        ],
      },
    ];
    const promote = (force: boolean) =>
      planPromotion(
        { apps: ['corporate'], to: 'prod', force, forcedBy: 'octocat' },
        snapshot(release('sha-3'), release('sha-2')),
        new Map([['corporate', { sourceHistory, targetHistory: afterRollback }]]),
      );
    expect(thrownBy(PromotionRefusedError, () => promote(false)).message).toContain(
      'prod was rolled back from sha-3',
    );
    const forced = promote(true);
    expect(
      forced.kind === 'ready' && trailerValues(messageText(forced.changeSet.message), 'Forced-By'),
    ).toEqual(['octocat']);
  });

  it('goes to a named tag prod had before', () => {
    const step = planRollback(
      { app: 'corporate', tag: 'sha-1', force: false },
      snapshot(release('sha-3'), release('sha-3')),
      { targetHistory: history, sourceHistory: [] },
    );
    expect(step.kind === 'ready' && step.changeSet.files[0]?.after).toBe(release('sha-1'));
  });

  it.each<[string, { tag?: string }, FileRevision[], string]>([
    ['no earlier tag in the history', {}, [revision('p1', 'sha-3')], 'tag'],
    ['a tag prod never had and dev never verified', { tag: 'sha-9' }, [revision('p1', 'sha-3')], 'tag'],
    ['the current tag', { tag: 'sha-3' }, history, 'tag'],
  ])('refuses %s as bad input', (_name, extra, targetHistory, input) => {
    const error = thrownBy(ConfigurationError, () =>
      planRollback(
        { app: 'corporate', force: false, ...extra },
        snapshot(release('sha-3'), release('sha-3')),
        {
          targetHistory,
          sourceHistory: [],
        },
      ),
    );
    expect(error.input).toBe(input);
  });

  it('goes to a tag verified in dev only with a success record, or forced past a failure', () => {
    const sourceHistory = (result: 'success' | 'failure'): FileRevision[] => [
      {
        ...revision('d9', 'sha-9'),
        records: [
          {
            app: 'corporate',
            env: 'dev',
            tag: 'sha-9',
            result,
            checkedAt: '2026-11-25T10:00:00Z',
            checks: [],
          },
        ],
      },
    ];
    const plan = (result: 'success' | 'failure', force: boolean) =>
      planRollback(
        { app: 'corporate', tag: 'sha-9', force, forcedBy: 'octocat' },
        snapshot(release('sha-3'), release('sha-3')),
        { targetHistory: history, sourceHistory: sourceHistory(result) },
      );
    expect(plan('success', false).kind).toBe('ready');
    expect(() => plan('failure', false)).toThrow(PromotionRefusedError);
    const forced = plan('failure', true);
    expect(
      forced.kind === 'ready' && trailerValues(messageText(forced.changeSet.message), 'Forced-By'),
    ).toEqual(['octocat']);
  });
});
