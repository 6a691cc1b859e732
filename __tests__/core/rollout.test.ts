import {
  DEFAULT_POLL_POLICY,
  delayBeforeNextPoll,
  peakInWindow,
  pollInterval,
  type PollPolicy,
} from '../../src/core/poll-schedule.js';
import {
  progressLine,
  timeoutMessage,
  waitForRollout,
  type RolloutProgress,
} from '../../src/core/rollout.js';
import type { VersionReading } from '../../src/core/version-source.js';
import { FakeClock } from '../support/fake-clock.js';

describe('poll schedule', () => {
  it('starts fast and backs off to a cap that keeps detection under a second', () => {
    const intervals = Array.from({ length: 12 }, (_, index) => pollInterval(DEFAULT_POLL_POLICY, index));
    expect(intervals[0]).toBe(DEFAULT_POLL_POLICY.initialMs);
    for (let i = 1; i < intervals.length; i++)
      expect(intervals[i]!).toBeGreaterThanOrEqual(intervals[i - 1]!);
    expect(intervals.at(-1)).toBe(DEFAULT_POLL_POLICY.capMs);
    expect(Math.max(...intervals)).toBeLessThan(1000);
    expect(Math.min(...intervals)).toBeGreaterThan(500);
  });

  it.each<[string, PollPolicy]>([
    ['default', DEFAULT_POLL_POLICY],
    [
      'a policy whose initial interval is below the minimum gap',
      { minGapMs: 600, initialMs: 100, factor: 2, capMs: 900 },
    ],
  ])('never lets three polls of one URL fall in one second (%s)', (_name, policy) => {
    const starts = [0];
    for (let i = 0; i < 200; i++) starts.push(starts.at(-1)! + pollInterval(policy, i));
    expect(peakInWindow(starts)).toBeLessThanOrEqual(2);
  });

  it.each([
    // index, last start, now, deadline → wait
    [0, 0, 10, 100_000, 540],
    [0, 0, 600, 100_000, 0],
    [50, 0, 10, 100_000, 840],
    [50, 0, 10, 300, 290],
    [50, 0, 400, 300, 0],
  ])('poll %d started at %d, now %d, deadline %d: wait %d', (index, lastStart, now, deadline, wait) => {
    expect(delayBeforeNextPoll(DEFAULT_POLL_POLICY, index, lastStart, now, deadline)).toBe(wait);
  });

  it.each([
    [[], 0],
    [[0], 1],
    [[0, 500, 999], 3],
    [[0, 500, 1000], 2],
    [[0, 100, 200, 1500, 1600], 3],
  ])('peak of %j in 1 s is %d', (starts, peak) => {
    expect(peakInWindow(starts)).toBe(peak);
  });
});

/** A site whose version becomes `next` at `liveAt` (fake ms after start), each probe taking `latency`. */
function site(
  clock: FakeClock,
  opts: { liveAt: number; latency?: number; before?: string; fail?: (t: number) => string | undefined },
) {
  const start = clock.now();
  const probes: number[] = [];
  const probe = (timeoutMs: number): Promise<VersionReading> => {
    const t = clock.now() - start;
    probes.push(t);
    const latency = Math.min(opts.latency ?? 5, timeoutMs);
    const error = opts.fail?.(t);
    if (error) return clock.after(latency, { live: false, detail: error });
    const version = t >= opts.liveAt ? 'sha-new' : (opts.before ?? 'sha-old');
    return clock.after(latency, {
      version,
      live: version === 'sha-new',
      detail: `"${version}" (header x-v)`,
    });
  };
  return { probe, probes, start };
}

describe('waitForRollout', () => {
  const options = {
    expected: 'sha-new',
    where: 'https://shop.dev/ (header x-v)',
    timeoutMs: 20_000,
    requestTimeoutMs: 5000,
  };

  it.each([0, 1, 1500, 4321, 10_000, 19_000])(
    'notices a version live at %d ms within a second',
    async (liveAt) => {
      const clock = new FakeClock();
      const s = site(clock, { liveAt });
      const result = await clock.run(waitForRollout(options, { ...clock, probe: s.probe }));
      expect(result.outcome).toBe('live');
      const detectedAt = clock.now() - s.start;
      expect(detectedAt - liveAt).toBeLessThan(1000);
      expect(detectedAt - liveAt).toBeGreaterThanOrEqual(0);
      expect(peakInWindow(s.probes)).toBeLessThanOrEqual(2);
      expect(result).toMatchObject({ version: 'sha-new', elapsedMs: detectedAt, polls: s.probes.length });
    },
  );

  it('times out at the deadline, not later, naming the last version seen', async () => {
    const clock = new FakeClock();
    const s = site(clock, { liveAt: Infinity, before: 'sha-old' });
    const result = await clock.run(waitForRollout(options, { ...clock, probe: s.probe }));
    expect(result.outcome).toBe('timeout');
    expect(result.elapsedMs).toBeGreaterThanOrEqual(20_000);
    expect(result.elapsedMs).toBeLessThan(20_000 + 10);
    if (result.outcome !== 'timeout') throw new Error('unreachable');
    expect(result.last?.version).toBe('sha-old');
    const message = timeoutMessage(options, result);
    expect(message).toContain('expected sha-new');
    expect(message).toContain('"sha-old"');
    expect(message).toContain('rollout-timeout 20s');
    expect(peakInWindow(s.probes)).toBeLessThanOrEqual(2);
  });

  it('never lets a slow probe run past the deadline', async () => {
    const clock = new FakeClock();
    const timeouts: number[] = [];
    const probe = (timeoutMs: number) => {
      timeouts.push(timeoutMs);
      return clock.after(timeoutMs, { live: false, detail: `timed out after ${timeoutMs}ms` });
    };
    const result = await clock.run(waitForRollout({ ...options, timeoutMs: 12_000 }, { ...clock, probe }));
    expect(result.elapsedMs).toBe(12_000);
    expect(timeouts).toEqual([5000, 5000, 2000]);
  });

  it('keeps polling through connection failures and reports them as the last thing seen', async () => {
    const clock = new FakeClock();
    const s = site(clock, { liveAt: 3000, fail: (t) => (t < 2000 ? 'connection refused' : undefined) });
    const result = await clock.run(waitForRollout(options, { ...clock, probe: s.probe }));
    expect(result.outcome).toBe('live');
    const clock2 = new FakeClock();
    const s2 = site(clock2, { liveAt: Infinity, fail: () => 'connection refused' });
    const timeout = await clock2.run(
      waitForRollout({ ...options, timeoutMs: 3000 }, { ...clock2, probe: s2.probe }),
    );
    expect(timeout).toMatchObject({ outcome: 'timeout', last: { detail: 'connection refused' } });
  });

  it('prints progress at least every 10 s, also while one probe hangs', async () => {
    const clock = new FakeClock();
    const lines: RolloutProgress[] = [];
    let calls = 0;
    const probe = (timeoutMs: number) =>
      clock.after(calls++ === 3 ? timeoutMs : 5, { version: 'sha-old', live: false, detail: '"sha-old"' });
    const result = await clock.run(
      waitForRollout(
        { ...options, timeoutMs: 60_000, requestTimeoutMs: 25_000 },
        { ...clock, probe, onProgress: (p) => lines.push(p) },
      ),
    );
    expect(result.outcome).toBe('timeout');
    const times = [0, ...lines.map((line) => line.elapsedMs), result.elapsedMs];
    for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBeLessThanOrEqual(10_000);
    expect(lines.length).toBeGreaterThanOrEqual(6);
    expect(lines.at(-1)!.remainingMs).toBeLessThan(10_000);
    expect(progressLine(options, lines[0]!)).toMatch(
      /^waiting for sha-new at https:\/\/shop\.dev\/ .*: saw "sha-old", 8s elapsed, 52s left$/,
    );
    expect(clock.pendingTimers).toBe(0);
  });

  it('stops at once when the probe fails for good (a rejected token)', async () => {
    const clock = new FakeClock();
    const probe = () => Promise.reject(new Error('Argo CD rejected the token'));
    await expect(clock.run(waitForRollout(options, { ...clock, probe }))).rejects.toThrow(
      'rejected the token',
    );
  });

  it('names the last version seen even when the last polls failed', async () => {
    const clock = new FakeClock();
    const s = site(clock, { liveAt: Infinity, fail: (t) => (t > 1500 ? 'connection refused' : undefined) });
    const result = await clock.run(
      waitForRollout({ ...options, timeoutMs: 3000 }, { ...clock, probe: s.probe }),
    );
    if (result.outcome !== 'timeout') throw new Error('expected a timeout');
    expect(timeoutMessage(options, result)).toContain(
      'the last version seen was "sha-old" (header x-v); the last poll saw connection refused',
    );
  });

  it('does not start a poll that could only time out at the deadline', async () => {
    const clock = new FakeClock();
    const timeouts: number[] = [];
    const probe = (timeoutMs: number) => {
      timeouts.push(timeoutMs);
      return clock.after(Math.min(timeoutMs, 1180), { version: 'sha-old', live: false, detail: '"sha-old"' });
    };
    const result = await clock.run(waitForRollout({ ...options, timeoutMs: 2400 }, { ...clock, probe }));
    expect(result.elapsedMs).toBe(2400);
    expect(Math.min(...timeouts)).toBeGreaterThanOrEqual(50);
  });

  it('says when nothing answered at all', () => {
    expect(timeoutMessage(options, { outcome: 'timeout', elapsedMs: 20_000, polls: 0 })).toContain(
      'no answer was seen',
    );
  });
});
