import {
  commitThatSetTag,
  deploymentPayload,
  mergeNote,
  MAX_NOTE_RECORDS,
  newestRecord,
  noteText,
  parseNote,
  parseRecordDescription,
  parseStatusContext,
  recordDescription,
  recordFromDeployment,
  recordFromStatus,
  statusContext,
  type VerificationRecord,
} from '../../src/core/verification.js';

const record = (over: Partial<VerificationRecord> = {}): VerificationRecord => ({
  app: 'shop',
  env: 'dev',
  tag: 'sha-1',
  result: 'success',
  checkedAt: '2026-01-01T10:00:00Z',
  checks: [{ url: 'https://shop.dev/', status: 200, result: 'pass' }],
  ...over,
});

describe('status context and description', () => {
  it('names the context after env and app, and reads it back', () => {
    expect(statusContext('dev', 'shop')).toBe('tagrelay/smoke/dev/shop');
    expect(parseStatusContext('tagrelay/smoke/dev/shop')).toEqual({ env: 'dev', app: 'shop' });
    expect(parseStatusContext('ci/build')).toBeUndefined();
    expect(parseStatusContext('tagrelay/smoke/dev/shop/x')).toBeUndefined();
  });

  it.each<[Partial<VerificationRecord>, string | undefined, string]>([
    [{}, undefined, 'passed: sha-1 (1 of 1 checks)'],
    [{ result: 'failure' }, 'rollout timed out', 'failed: sha-1 (rollout timed out)'],
    [
      { result: 'failure', checks: [{ url: 'u', status: 500, result: 'fail' }] },
      undefined,
      'failed: sha-1 (0 of 1 checks passed)',
    ],
  ])('%j → %j', (over, reason, description) => {
    expect(recordDescription(record(over), reason)).toBe(description);
  });

  it.each([1, 60, 120, 128])('keeps a %d-character tag whole within 140 characters', (length) => {
    const tag = 't'.repeat(length);
    const description = recordDescription(record({ tag, result: 'failure' }), 'x'.repeat(200));
    expect(description.length).toBeLessThanOrEqual(140);
    expect(description).toContain(tag);
    expect(parseRecordDescription(description)).toEqual({ result: 'failure', tag });
  });

  it.each(['all good', 'passed:sha-1', 'passed: ', 'passed: sha 1 (x)'])(
    'does not read %j as a record',
    (text) => {
      expect(parseRecordDescription(text)).toBeUndefined();
    },
  );
});

describe('records from GitHub', () => {
  it('reads a status written by smoke-dev', () => {
    const status = {
      context: 'tagrelay/smoke/dev/shop',
      state: 'SUCCESS',
      description: 'passed: sha-1 (3 of 3 checks)',
      targetUrl: 'https://github.com/acme/app/actions/runs/1',
      createdAt: '2026-01-01T10:00:00Z',
    };
    expect(recordFromStatus(status, 'abc')).toEqual({
      app: 'shop',
      env: 'dev',
      tag: 'sha-1',
      result: 'success',
      checkedAt: '2026-01-01T10:00:00Z',
      runUrl: 'https://github.com/acme/app/actions/runs/1',
      checks: [],
      commit: 'abc',
      source: 'status',
    });
    expect(recordFromStatus({ ...status, state: 'pending' })).toBeUndefined();
    expect(recordFromStatus({ ...status, context: 'ci' })).toBeUndefined();
    expect(recordFromStatus({ ...status, description: null })).toBeUndefined();
    expect(recordFromStatus({ ...status, state: 'failure' })?.result).toBe('failure');
    // A smoke run that errored is a failure: a newer one must outrank an older success.
    expect(recordFromStatus({ ...status, state: 'ERROR' })?.result).toBe('failure');
    // A success state over a "failed" description is not a success (written by hand, or edited).
    expect(recordFromStatus({ ...status, description: 'failed: sha-1 (/ 503)' })?.result).toBe('failure');
  });

  it('reads a deployment payload, as JSON text or an object', () => {
    const payload = deploymentPayload(record({ digest: 'sha256:' + 'a'.repeat(64) }));
    const deployment = {
      environment: 'dev',
      payload: JSON.stringify(payload),
      state: 'SUCCESS',
      createdAt: '2026-01-01T10:00:00Z',
    };
    expect(recordFromDeployment(deployment)).toMatchObject({
      app: 'shop',
      tag: 'sha-1',
      digest: payload.digest,
      source: 'deployment',
    });
    expect(recordFromDeployment({ ...deployment, payload })?.digest).toBe(payload.digest);
    expect(deploymentPayload(record())).toEqual({ app: 'shop', tag: 'sha-1', digest: null });
    expect(recordFromDeployment({ ...deployment, payload: '{"deploy":1}' })).toBeUndefined();
    expect(recordFromDeployment({ ...deployment, payload: 'not json' })).toBeUndefined();
    expect(recordFromDeployment({ ...deployment, state: 'IN_PROGRESS' })).toBeUndefined();
    expect(recordFromDeployment({ ...deployment, environment: null })).toBeUndefined();
    expect(recordFromDeployment({ ...deployment, state: 'ERROR' })?.result).toBe('failure');
  });
});

describe('newestRecord', () => {
  it.each<[string, VerificationRecord[], Partial<VerificationRecord> | undefined]>([
    ['none', [], undefined],
    ['another tag only', [record({ tag: 'sha-2' })], undefined],
    ['another env only', [record({ env: 'prod' })], undefined],
    [
      'the newest of a failure and a later success',
      [
        record({ result: 'failure', checkedAt: '2026-01-01T10:00:00Z' }),
        record({ checkedAt: '2026-01-01T11:00:00Z' }),
      ],
      { result: 'success' },
    ],
    [
      'a later failure beats an earlier success',
      [
        record({ checkedAt: '2026-01-02T10:00:00Z', result: 'failure' }),
        record({ checkedAt: '2026-01-01T10:00:00Z' }),
      ],
      { result: 'failure' },
    ],
    [
      'a status takes the digest of its deployment twin',
      [
        record({ source: 'deployment', digest: 'sha256:d', checkedAt: '2026-01-01T10:00:01Z' }),
        record({ source: 'status', checkedAt: '2026-01-01T10:00:01Z' }),
      ],
      { source: 'status', digest: 'sha256:d' },
    ],
  ])('%s', (_name, records, expected) => {
    const found = newestRecord(records, 'shop', 'dev', 'sha-1');
    if (expected === undefined) expect(found).toBeUndefined();
    else expect(found).toMatchObject(expected);
  });
});

describe('notes', () => {
  it('merges records of several apps, newest per app, env and tag', () => {
    let note = parseNote(null);
    note = mergeNote(note, record({ app: 'shop', result: 'failure', checkedAt: '2026-01-01T10:00:00Z' }));
    note = mergeNote(note, record({ app: 'blog', checkedAt: '2026-01-01T10:01:00Z' }));
    note = mergeNote(note, record({ app: 'shop', checkedAt: '2026-01-01T10:02:00Z' }));
    note = mergeNote(note, record({ app: 'shop', result: 'failure', checkedAt: '2026-01-01T09:00:00Z' }));
    const back = parseNote(noteText(note));
    expect(back.records.map((r) => [r.app, r.result, r.checkedAt])).toEqual([
      ['blog', 'success', '2026-01-01T10:01:00Z'],
      ['shop', 'success', '2026-01-01T10:02:00Z'],
    ]);
  });

  it('stores no reader-only fields and drops malformed records', () => {
    const note = mergeNote(parseNote(''), record({ commit: 'abc', source: 'note' }));
    expect(note.records[0]).not.toHaveProperty('commit');
    expect(note.records[0]).not.toHaveProperty('source');
    const parsed = parseNote(
      JSON.stringify({ records: [{ app: 'x' }, record(), { ...record(), result: 'maybe' }, 7] }),
    );
    expect(parsed.records).toHaveLength(1);
    expect(parseNote('{not json').records).toEqual([]);
  });

  it('keeps a note bounded', () => {
    let note = parseNote(null);
    for (let i = 0; i < MAX_NOTE_RECORDS + 20; i++) {
      note = mergeNote(
        note,
        record({ tag: `t-${i}`, checkedAt: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString() }),
      );
    }
    expect(note.records).toHaveLength(MAX_NOTE_RECORDS);
    expect(note.records.at(-1)!.tag).toBe(`t-${MAX_NOTE_RECORDS + 19}`);
  });
});

describe('commitThatSetTag', () => {
  const file = (tag: string, comment = '') =>
    `image:\n  repository: ghcr.io/acme/shop\n  tag: ${tag}${comment}\n`;
  const PATH = 'deploy/env/release-dev/shop.yaml';

  it.each<[string, [string, string | null][], string, string | undefined]>([
    [
      'the newest commit set it',
      [
        ['c3', file('sha-3')],
        ['c2', file('sha-2')],
      ],
      'sha-3',
      'c3',
    ],
    [
      'a later commit only touched a comment',
      [
        ['c4', file('sha-3', ' # ok')],
        ['c3', file('sha-3')],
        ['c2', file('sha-2')],
      ],
      'sha-3',
      'c3',
    ],
    [
      'dev moved on since',
      [
        ['c4', file('sha-4')],
        ['c3', file('sha-3')],
        ['c2', file('sha-2')],
      ],
      'sha-3',
      'c3',
    ],
    ['never in the history', [['c2', file('sha-2')]], 'sha-3', undefined],
    ['the file was created with it', [['c1', file('sha-1')]], 'sha-1', 'c1'],
    [
      'deleted since',
      [
        ['c5', null],
        ['c3', file('sha-3')],
      ],
      'sha-3',
      'c3',
    ],
    [
      'set twice: the newest run wins',
      [
        ['c5', file('sha-3')],
        ['c4', file('sha-2')],
        ['c3', file('sha-3')],
      ],
      'sha-3',
      'c5',
    ],
    [
      'unreadable revisions are skipped',
      [
        ['c5', 'image: [oops'],
        ['c3', file('sha-3')],
      ],
      'sha-3',
      'c3',
    ],
  ])('%s', (_name, history, tag, commit) => {
    expect(
      commitThatSetTag(
        PATH,
        history.map(([oid, text]) => ({ oid, text })),
        tag,
      ),
    ).toBe(commit);
  });
});
