/**
 * Durations as people write them in workflow inputs and flags: `10m`, `20s`, `1500ms`,
 * `1m30s`, `1.5s`. A bare number is refused: `600` could mean seconds or milliseconds.
 */
import { ConfigurationError } from './errors.js';

const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const PART = /(\d+(?:\.\d+)?)(ms|h|m|s)/y;
const EXPECTED = 'a duration such as 10m, 20s, 1500ms or 1m30s (units h, m, s, ms)';

export interface DurationBounds {
  /** Smallest accepted value in milliseconds (default 1). */
  minMs?: number;
  /** Largest accepted value in milliseconds (default 24 h). */
  maxMs?: number;
}

/** Milliseconds of a duration; throws a ConfigurationError naming `input` otherwise. */
export function parseDuration(raw: string, input: string, bounds: DurationBounds = {}): number {
  const text = raw.trim();
  if (text === '') throw new ConfigurationError(input, undefined, EXPECTED);
  let total = 0;
  let offset = 0;
  const seen = new Set<string>();
  while (offset < text.length) {
    PART.lastIndex = offset;
    const match = PART.exec(text);
    if (!match) throw new ConfigurationError(input, raw, EXPECTED);
    const [whole, amount, unit] = match as unknown as [string, string, string];
    if (seen.has(unit)) throw new ConfigurationError(input, raw, `${EXPECTED}, each unit once`);
    seen.add(unit);
    total += Number(amount) * (UNIT_MS[unit] as number);
    offset += whole.length;
  }
  const ms = Math.round(total);
  const min = bounds.minMs ?? 1;
  const max = bounds.maxMs ?? 24 * UNIT_MS.h!;
  if (ms < min || ms > max) {
    throw new ConfigurationError(
      input,
      raw,
      `a duration between ${formatDuration(min)} and ${formatDuration(max)}`,
    );
  }
  return ms;
}

/** `250ms`, `1.5s`, `20s`, `2m`, `1m30s`, `1h5m`: short, for logs and summaries. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return `${ms}ms`;
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 10_000) return `${Number((ms / 1000).toFixed(1))}s`;
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds}s`;
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  const rest = seconds % 60;
  if (hours > 0) return `${hours}h${minutes > 0 ? `${minutes}m` : ''}`;
  return `${minutes}m${rest > 0 ? `${rest}s` : ''}`;
}
