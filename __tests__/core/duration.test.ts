import { formatDuration, parseDuration } from '../../src/core/duration.js';
import { ConfigurationError } from '../../src/core/errors.js';
import { thrownBy } from '../support/thrown.js';

describe('parseDuration', () => {
  it.each([
    ['10m', 600_000],
    ['20s', 20_000],
    ['1500ms', 1500],
    ['1m30s', 90_000],
    ['1.5s', 1500],
    ['2h', 7_200_000],
    [' 5s ', 5000],
    ['1h1m1s1ms', 3_661_001],
  ])('%j is %d ms', (raw, ms) => {
    expect(parseDuration(raw, 'rollout-timeout')).toBe(ms);
  });

  it.each(['abc', '10', '10 m', '-5s', 's', '5x', '1m1m', '5S', '1e3ms', '5s10'])(
    'refuses %j naming the input and the value',
    (raw) => {
      const error = thrownBy(ConfigurationError, () => parseDuration(raw, 'rollout-timeout'));
      expect(error.input).toBe('rollout-timeout');
      expect(error.message).toContain('Input "rollout-timeout"');
      expect(error.message).toContain(JSON.stringify(raw));
      expect(error.message).toContain('10m');
    },
  );

  it('reports an empty value as missing', () => {
    expect(thrownBy(ConfigurationError, () => parseDuration('  ', 'request-timeout')).message).toMatch(
      /^Input "request-timeout" is required/,
    );
  });

  it.each([
    ['0s', {}],
    ['0ms', {}],
    ['5ms', { minMs: 10 }],
    ['11m', { maxMs: 600_000 }],
  ])('refuses %j outside the bounds %j', (raw, bounds) => {
    expect(
      thrownBy(ConfigurationError, () => parseDuration(raw, 'request-timeout', bounds)).message,
    ).toContain('a duration between');
  });
});

describe('formatDuration', () => {
  it.each([
    [250, '250ms'],
    [1500, '1.5s'],
    [9_950, '9.9s'],
    [20_000, '20s'],
    [60_000, '1m'],
    [90_000, '1m30s'],
    [600_000, '10m'],
    [3_900_000, '1h5m'],
  ])('%d ms reads %j', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });

  it.each(['250ms', '1.5s', '20s', '1m30s', '10m', '1h5m'])(
    'round-trips %j through parseDuration',
    (text) => {
      expect(formatDuration(parseDuration(text, 'x'))).toBe(text);
    },
  );
});
