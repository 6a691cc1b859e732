import { formatReleaseMessage, messageText } from '../../src/core/commit-message.js';
import { ConfigurationError } from '../../src/core/errors.js';
import { DEFAULT_LAYOUT, LAYOUT_CONFIG_PATH, parseLayoutConfig } from '../../src/core/layout.js';
import {
  PromotionRefusedError,
  planPromotion,
  promotionEnvironments,
  type AppEvidence,
} from '../../src/core/promotion.js';
import { commitThatSet, type FileRevision } from '../../src/core/release-history.js';
import type { VerificationRecord } from '../../src/core/verification.js';
import { thrownBy } from '../support/thrown.js';

type GateRecord = VerificationRecord;

const DEV = (app: string) => `deploy/env/release-dev/${app}.yaml`;
const PROD = (app: string) => `deploy/env/release-prod/${app}.yaml`;
const release = (tag: string, repository = 'ghcr.io/synestra/corporate') =>
  `image:\n  repository: ${repository}\n  tag: ${tag} # immutable\n`;
const DIGEST = `sha256:${'d'.repeat(64)}`;
const OTHER_DIGEST = `sha256:${'e'.repeat(64)}`;

const record = (
  tag: string,
  result: GateRecord['result'],
  checkedAt: string,
  app = 'corporate',
): GateRecord => ({
  app,
  env: 'dev',
  tag,
  result,
  checkedAt,
  runUrl: `https://github.com/synestra/site/actions/runs/${checkedAt.slice(11, 13)}`,
  checks: [],
});

/** dev history, newest first: c3 set sha-new (verified), c2 set sha-mid, c1 set sha-old. */
function devHistory(records: GateRecord[] = [], digest?: string): FileRevision[] {
  return [
    {
      oid: 'c3',
      message: `release(dev): corporate sha-new\n\nRelease-App: corporate\nRelease-Env: dev\nRelease-Tag: sha-new${digest ? `\nRelease-Digest: ${digest}` : ''}\n`,
      text: release('sha-new'),
      records,
    },
    { oid: 'c2', message: 'release(dev): corporate sha-mid', text: release('sha-mid'), records: [] },
    { oid: 'c1', message: 'release(dev): corporate sha-old', text: release('sha-old'), records: [] },
  ];
}

function files(devTag = 'sha-new', prodTag = 'sha-old', prodRepository?: string): Map<string, string | null> {
  return new Map([
    [LAYOUT_CONFIG_PATH, null],
    [DEV('corporate'), release(devTag)],
    [PROD('corporate'), release(prodTag, prodRepository)],
  ]);
}

const evidence = (value: Partial<AppEvidence>) =>
  new Map([['corporate', { sourceHistory: [], targetHistory: [], ...value }]]);
const VERIFIED = [record('sha-new', 'success', '2026-11-25T10:00:00Z')];

describe('planPromotion', () => {
  it('promotes dev’s current, verified tag: one change with Promoted-From and Verified-By', () => {
    const step = planPromotion(
      { apps: ['corporate'], to: 'prod', force: false },
      files(),
      evidence({ sourceHistory: devHistory(VERIFIED) }),
    );
    if (step.kind !== 'ready') throw new Error('expected a plan');
    expect(step.changeSet.files.map((file) => file.path)).toEqual([PROD('corporate')]);
    expect(step.changeSet.files[0]?.after).toBe(release('sha-new'));
    const text = messageText(step.changeSet.message);
    expect(text).toMatch(/^release\(prod\): corporate sha-new\n/);
    expect(text).toContain('Promoted-From: c3\n');
    expect(text).toContain('Verified-By: https://github.com/synestra/site/actions/runs/10\n');
    expect(text).not.toContain('Forced-By');
  });

  it('carries the digest dev pins along with the tag, so prod runs the very image dev verified', () => {
    const pinned = `image:\n  repository: ghcr.io/synestra/corporate\n  tag: sha-new # immutable\n  digest: ${DIGEST}\n`;
    const withDigest = files();
    withDigest.set(DEV('corporate'), pinned);
    withDigest.set(PROD('corporate'), `${release('sha-old')}  digest: ${OTHER_DIGEST}\n`);
    const step = planPromotion(
      { apps: ['corporate'], to: 'prod', force: false },
      withDigest,
      evidence({ sourceHistory: devHistory(VERIFIED, DIGEST) }),
    );
    if (step.kind !== 'ready') throw new Error('expected a plan');
    expect(step.changeSet.files[0]?.after).toBe(pinned);
  });

  it.each<[string, GateRecord[], string]>([
    ['no record at all', [], 'verified (no verification record for sha-new in dev)'],
    ['a failed record', [record('sha-new', 'failure', '2026-11-25T10:00:00Z')], 'verified (failure in dev'],
    [
      'a success followed by a newer failure',
      [
        record('sha-new', 'success', '2026-11-25T10:00:00Z'),
        record('sha-new', 'failure', '2026-11-25T11:00:00Z'),
      ],
      'verified (failure in dev at 2026-11-25T11:00:00Z',
    ],
    [
      'a record of another tag',
      [record('sha-mid', 'success', '2026-11-25T10:00:00Z')],
      'verified (no verification',
    ],
    [
      'a record of another app',
      [record('sha-new', 'success', '2026-11-25T10:00:00Z', 'shop')],
      'verified (no',
    ],
  ])('refuses with %s, naming the app and the check', (_name, records, reason) => {
    const error = thrownBy(PromotionRefusedError, () =>
      planPromotion(
        { apps: ['corporate'], to: 'prod', force: false },
        files(),
        evidence({ sourceHistory: devHistory(records) }),
      ),
    );
    expect(error.message).toContain(`corporate sha-new failed ${reason}`);
  });

  it('a newer success outranks an older failure', () => {
    const records = [
      record('sha-new', 'failure', '2026-11-25T09:00:00Z'),
      record('sha-new', 'success', '2026-11-25T10:00:00Z'),
    ];
    const step = planPromotion(
      { apps: ['corporate'], to: 'prod', force: false },
      files(),
      evidence({ sourceHistory: devHistory(records) }),
    );
    expect(step.kind).toBe('ready');
  });

  it('force commits anyway, saying who forced it', () => {
    const step = planPromotion(
      { apps: ['corporate'], to: 'prod', force: true, forcedBy: 'octocat' },
      files(),
      evidence({ sourceHistory: devHistory([]) }),
    );
    if (step.kind !== 'ready') throw new Error('expected a plan');
    const text = messageText(step.changeSet.message);
    expect(text).toContain('Forced-By: octocat');
    expect(text).toContain('Promoted-From: c3');
    expect(step.verdicts?.[0]?.passed).toBe(false);
  });

  it('refuses another image repository under the same tag, naming both', () => {
    const error = thrownBy(PromotionRefusedError, () =>
      planPromotion(
        { apps: ['corporate'], to: 'prod', force: false },
        files('sha-new', 'sha-old', 'ghcr.io/elsewhere/corporate'),
        evidence({ sourceHistory: devHistory(VERIFIED) }),
      ),
    );
    expect(error.message).toContain(
      'dev runs ghcr.io/synestra/corporate but prod runs ghcr.io/elsewhere/corporate',
    );
  });

  it.each<[string, string | null, boolean, string]>([
    ['the recorded digest', DIGEST, true, ''],
    ['another digest', OTHER_DIGEST, false, `now resolves to ${OTHER_DIGEST}, not ${DIGEST}`],
    ['a tag gone from the registry', null, false, 'the registry no longer has sha-new'],
  ])('checks the registry: %s', (_name, registryDigest, passes, reason) => {
    const plan = () =>
      planPromotion(
        { apps: ['corporate'], to: 'prod', force: false },
        files(),
        evidence({ sourceHistory: devHistory(VERIFIED, DIGEST), registryDigest }),
      );
    if (passes) expect(plan().kind).toBe('ready');
    else expect(thrownBy(PromotionRefusedError, plan).message).toContain(reason);
  });

  it('accepts an explicitly named earlier tag only with a success record', () => {
    const history = devHistory();
    history[1] = { ...history[1]!, records: [record('sha-mid', 'success', '2026-11-24T10:00:00Z')] };
    const step = planPromotion(
      { apps: ['corporate'], to: 'prod', tag: 'sha-mid', force: false },
      files(),
      evidence({ sourceHistory: history }),
    );
    if (step.kind !== 'ready') throw new Error('expected a plan');
    expect(messageText(step.changeSet.message)).toContain('Promoted-From: c2');

    const refused = thrownBy(PromotionRefusedError, () =>
      planPromotion(
        { apps: ['corporate'], to: 'prod', tag: 'sha-old', force: false },
        files(),
        evidence({ sourceHistory: devHistory() }),
      ),
    );
    expect(refused.message).toContain("tag (not dev's current tag (sha-new)");
  });

  it('refuses a tag never seen in the source environment as bad input', () => {
    const error = thrownBy(ConfigurationError, () =>
      planPromotion(
        { apps: ['corporate'], to: 'prod', tag: 'sha-never', force: true },
        files(),
        evidence({ sourceHistory: devHistory() }),
      ),
    );
    expect(error.input).toBe('tag');
  });

  it('refuses a tag prod was rolled back from, unless forced', () => {
    const targetHistory: FileRevision[] = [
      {
        oid: 'p2',
        message:
          'rollback(prod): corporate sha-old\n\nRelease-App: corporate\nRelease-Env: prod\nRelease-Tag: sha-old\nRollback-Of: sha-new\n',
        text: release('sha-old'),
        records: [],
      },
    ];
    const plan = (force: boolean) =>
      planPromotion(
        { apps: ['corporate'], to: 'prod', force },
        files(),
        evidence({ sourceHistory: devHistory(VERIFIED), targetHistory }),
      );
    expect(thrownBy(PromotionRefusedError, () => plan(false)).message).toContain(
      'rollback (prod was rolled back from sha-new)',
    );
    expect(plan(true).kind).toBe('ready');
  });

  it('does not hold another app’s rollback against this one', () => {
    const targetHistory: FileRevision[] = [
      {
        oid: 'p2',
        message:
          'rollback(prod): shop sha-old\n\nRelease-App: shop\nRelease-Env: prod\nRelease-Tag: sha-old\nRollback-Of: sha-new\n',
        text: release('sha-old'),
        records: [],
      },
    ];
    const step = planPromotion(
      { apps: ['corporate'], to: 'prod', force: false },
      files(),
      evidence({ sourceHistory: devHistory(VERIFIED), targetHistory }),
    );
    expect(step.kind).toBe('ready');
  });

  it('commits nothing when one of several apps is unverified', () => {
    const both = files();
    both.set(DEV('shop'), release('sha-new', 'ghcr.io/synestra/shop'));
    both.set(PROD('shop'), release('sha-old', 'ghcr.io/synestra/shop'));
    const shopHistory = devHistory([]).map((revision) => ({
      ...revision,
      text: revision.text!.replace('corporate', 'shop'),
    }));
    const error = thrownBy(PromotionRefusedError, () =>
      planPromotion(
        { apps: ['corporate', 'shop'], to: 'prod', force: false },
        both,
        new Map([
          ['corporate', { sourceHistory: devHistory(VERIFIED), targetHistory: [] }],
          ['shop', { sourceHistory: shopHistory, targetHistory: [] }],
        ]),
      ),
    );
    expect(error.verdicts.map((verdict) => [verdict.app, verdict.passed])).toEqual([
      ['corporate', true],
      ['shop', false],
    ]);
    expect(error.message).not.toContain('corporate sha-new failed');
  });

  it('checks each app of a several-app commit against its own digest, and carries its own provenance', () => {
    // One dev commit set both apps, each with its own image digest and build commit.
    const set = messageText(
      formatReleaseMessage({
        env: 'dev',
        tag: 'sha-new',
        apps: [
          { app: 'corporate', digest: DIGEST, sourceCommit: 'synestra/site@c0' },
          { app: 'shop', digest: OTHER_DIGEST, sourceCommit: 'synestra/site@s0' },
        ],
      }),
    );
    const both = files();
    both.set(DEV('shop'), release('sha-new', 'ghcr.io/synestra/shop'));
    both.set(PROD('shop'), release('sha-old', 'ghcr.io/synestra/shop'));
    const history = (app: string): FileRevision[] => [
      {
        oid: 'c3',
        message: set,
        text: release('sha-new', `ghcr.io/synestra/${app}`),
        records: [record('sha-new', 'success', '2026-11-25T10:00:00Z', app)],
      },
    ];
    const step = planPromotion(
      { apps: ['corporate', 'shop'], to: 'prod', force: false },
      both,
      new Map([
        ['corporate', { sourceHistory: history('corporate'), targetHistory: [], registryDigest: DIGEST }],
        ['shop', { sourceHistory: history('shop'), targetHistory: [], registryDigest: OTHER_DIGEST }],
      ]),
    );
    if (step.kind !== 'ready') throw new Error('expected a plan');
    const text = messageText(step.changeSet.message);
    expect(text).toContain(
      `Release-App: corporate\nRelease-Tag: sha-new\nRelease-Digest: ${DIGEST}\nSource-Commit: synestra/site@c0\n`,
    );
    expect(text).toContain(
      `Release-App: shop\nRelease-Tag: sha-new\nRelease-Digest: ${OTHER_DIGEST}\nSource-Commit: synestra/site@s0\n`,
    );
  });

  it('reports an app already at the tag as nothing to commit', () => {
    const step = planPromotion(
      { apps: ['corporate'], to: 'prod', force: false },
      files('sha-new', 'sha-new'),
      evidence({ sourceHistory: devHistory(VERIFIED) }),
    );
    if (step.kind !== 'ready') throw new Error('expected a plan');
    expect(step.changeSet.files).toEqual([]);
  });
});

describe('promotionEnvironments', () => {
  const chain = parseLayoutConfig('environments: [dev, stage, prod]\n');
  it.each<[string, string | undefined, { from: string; to: string } | string]>([
    ['prod', undefined, { from: 'stage', to: 'prod' }],
    ['stage', undefined, { from: 'dev', to: 'stage' }],
    ['prod', 'dev', { from: 'dev', to: 'prod' }],
    ['dev', undefined, 'to'],
    ['prod', 'prod', 'from'],
    ['stage', 'prod', 'from'],
    ['qa', undefined, 'to'],
  ])('to %s from %s', (to, from, expected) => {
    if (typeof expected === 'string') {
      expect(thrownBy(ConfigurationError, () => promotionEnvironments(chain, to, from)).input).toBe(expected);
    } else {
      expect(promotionEnvironments(chain, to, from)).toEqual(expected);
    }
  });
});

describe('commitThatSet', () => {
  it('finds the oldest commit of the newest run holding the tag', () => {
    const history: FileRevision[] = [
      { oid: 'h4', message: '', text: release('b'), records: [] },
      { oid: 'h3', message: '', text: release('b'), records: [] },
      { oid: 'h2', message: '', text: release('a'), records: [] },
      { oid: 'h1', message: '', text: release('b'), records: [] },
    ];
    expect(commitThatSet(DEV('corporate'), history, 'b', DEFAULT_LAYOUT)?.oid).toBe('h3');
    expect(commitThatSet(DEV('corporate'), history, 'a', DEFAULT_LAYOUT)?.oid).toBe('h2');
    expect(commitThatSet(DEV('corporate'), history, 'c', DEFAULT_LAYOUT)).toBeUndefined();
  });
});
