/**
 * What a checked URL must answer: expected statuses (`200-399`, per path `/api/health=200`)
 * and body regexes (`/=<title>Shop`). Pure; part of smoke-dev's configuration.
 */
import { ConfigurationError } from './errors.js';

export const DEFAULT_EXPECT_STATUS = '200-399';

export function splitList(raw: string, separators: RegExp): string[] {
  return raw
    .split(separators)
    .map((part) => part.trim())
    .filter((part) => part !== '');
}

const PATH_EXPECTED = 'paths starting with /, separated by commas or newlines, e.g. /, /admin, /api/health';

export function validatePath(path: string, input: string, raw = path): string {
  // eslint-disable-next-line no-control-regex
  if (!path.startsWith('/') || path.startsWith('//') || /[\s\x00-\x1f\x7f#]/.test(path)) {
    throw new ConfigurationError(input, raw, PATH_EXPECTED);
  }
  return path;
}

/** Inclusive range of HTTP status codes. */
export interface StatusRange {
  min: number;
  max: number;
}

const STATUS_EXPECTED =
  'HTTP statuses as 200, 200-399 or 2xx, alternatives joined by |, per path as /path=200; items separated by commas or newlines';

/** `200`, `200-399`, `2xx`, alternatives joined with `|`. */
export function parseStatusSpec(spec: string, input: string, raw = spec): StatusRange[] {
  const ranges: StatusRange[] = [];
  for (const part of spec.split('|').map((item) => item.trim())) {
    let range: StatusRange | undefined;
    let match: RegExpExecArray | null;
    if ((match = /^([1-5])xx$/i.exec(part))) {
      const hundred = Number(match[1]) * 100;
      range = { min: hundred, max: hundred + 99 };
    } else if ((match = /^(\d{3})$/.exec(part))) {
      range = { min: Number(match[1]), max: Number(match[1]) };
    } else if ((match = /^(\d{3})\s*-\s*(\d{3})$/.exec(part))) {
      range = { min: Number(match[1]), max: Number(match[2]) };
    }
    if (range === undefined || range.min < 100 || range.max > 599 || range.min > range.max) {
      throw new ConfigurationError(input, raw, STATUS_EXPECTED);
    }
    ranges.push(range);
  }
  return ranges;
}

export function formatStatusRanges(ranges: readonly StatusRange[]): string {
  return ranges.map(({ min, max }) => (min === max ? String(min) : `${min}-${max}`)).join('|');
}

export function statusMatches(status: number, ranges: readonly StatusRange[]): boolean {
  return ranges.some(({ min, max }) => status >= min && status <= max);
}

export interface ExpectStatus {
  fallback: StatusRange[];
  byPath: Map<string, StatusRange[]>;
}

/** `200-399` (all paths) and `/api/health=200` (one path); a per-path item must name a checked path. */
export function parseExpectStatus(
  raw: string | undefined,
  paths: readonly string[],
  input = 'expect-status',
): ExpectStatus {
  const items = splitList(raw ?? '', /[,\n]/);
  let fallback: StatusRange[] | undefined;
  const byPath = new Map<string, StatusRange[]>();
  for (const item of items) {
    const equals = item.indexOf('=');
    if (equals < 0) {
      fallback = [...(fallback ?? []), ...parseStatusSpec(item, input, item)];
      continue;
    }
    const path = validatePath(item.slice(0, equals).trim(), input, item);
    if (!paths.includes(path)) {
      throw new ConfigurationError(
        input,
        item,
        `a per-path status for one of the checked paths (${paths.join(', ')})`,
      );
    }
    byPath.set(path, [
      ...(byPath.get(path) ?? []),
      ...parseStatusSpec(item.slice(equals + 1).trim(), input, item),
    ]);
  }
  return { fallback: fallback ?? parseStatusSpec(DEFAULT_EXPECT_STATUS, input), byPath };
}

/** One `/path=regex` a line (a regex may contain commas); the path must be a checked path. */
export function parseExpectBody(
  raw: string | undefined,
  paths: readonly string[],
  input = 'expect-body',
): Map<string, string> {
  const byPath = new Map<string, string>();
  for (const line of splitList(raw ?? '', /\n/)) {
    const equals = line.indexOf('=');
    const expected = `one /path=regex a line for checked paths (${paths.join(', ')}), e.g. /=<title>Shop</title>`;
    if (equals < 0) throw new ConfigurationError(input, line, expected);
    const path = validatePath(line.slice(0, equals).trim(), input, line);
    if (!paths.includes(path)) throw new ConfigurationError(input, line, expected);
    const pattern = line.slice(equals + 1);
    try {
      new RegExp(pattern);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new ConfigurationError(input, line, `a regular expression that compiles (${reason})`);
    }
    if (byPath.has(path)) throw new ConfigurationError(input, line, `${expected}; one regex per path`);
    byPath.set(path, pattern);
  }
  return byPath;
}
