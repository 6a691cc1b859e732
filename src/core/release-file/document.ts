/**
 * Reading a release file (ARCHITECTURE.md, "Edits"): `yaml`'s Document API parses it
 * only to locate things, the scalar at each key path and its source range, so the
 * editor can splice a new value into the original text. One document, one root
 * mapping, no aliases on a key path; anything else is a ReleaseFileError with a line.
 */
import {
  LineCounter,
  Scalar,
  isAlias,
  isMap,
  isScalar,
  isSeq,
  parseAllDocuments,
  visit,
  type Document,
  type Pair,
  type YAMLMap,
} from 'yaml';
import { MAX_QUOTED, ReleaseFileError, quoteValue } from '../errors.js';

export type KeyPath = readonly string[];

export interface ReleaseKeys {
  repository: KeyPath;
  tag: KeyPath;
  digest: KeyPath;
}

export const DEFAULT_RELEASE_KEYS: ReleaseKeys = Object.freeze({
  repository: Object.freeze(['image', 'repository']),
  tag: Object.freeze(['image', 'tag']),
  digest: Object.freeze(['image', 'digest']),
});

export interface ImageValues {
  repository?: string;
  tag?: string;
  digest?: string;
}

export interface ReleaseEdit {
  tag: string;
  repository?: string;
  digest?: string;
}

export interface ReleaseEditResult {
  text: string;
  changed: boolean;
  previous: ImageValues;
}

export type Field = keyof ReleaseKeys;
export const FIELDS: readonly Field[] = ['repository', 'tag', 'digest'];

/** A parsed release file: the single document, its root mapping and line lookup. */
export interface Parsed {
  path: string;
  text: string;
  doc: Document.Parsed;
  root: YAMLMap;
  lines: LineCounter;
  /** Anchor names some alias in the document refers to. */
  aliased: ReadonlySet<string>;
}

/** Where a key path ended up. */
export type Location =
  | {
      kind: 'found';
      /** Maps from the root down to the key's parent (inclusive). */
      maps: YAMLMap[];
      pair: Pair;
      /** The scalar at the key, or null for an empty value (`digest:`). */
      scalar: Scalar | null;
      /** The value as the file spells it; undefined when empty/null. */
      value: string | undefined;
    }
  | {
      kind: 'missing';
      /** Maps from the root down to the deepest existing map (inclusive). */
      maps: YAMLMap[];
      /** Index in the key path of the first missing key. */
      missingAt: number;
    };

function lineOf(parsed: Pick<Parsed, 'lines'>, offset: number | undefined): number | undefined {
  return offset === undefined ? undefined : parsed.lines.linePos(offset).line;
}

function at(line: number | undefined): string {
  return line === undefined ? '' : ` (line ${line})`;
}

export function fail(
  parsed: Pick<Parsed, 'path' | 'lines'>,
  reason: string,
  offset?: number,
): ReleaseFileError {
  const line = offset === undefined ? undefined : lineOf(parsed, offset);
  return new ReleaseFileError(parsed.path, `${reason}${at(line)}`, line);
}

/** A name from the file (an anchor, a tag) as a message shows it: as is when short and plain, else quoted and cut. */
export function shown(name: string): string {
  return name.length <= MAX_QUOTED && !/[\p{Cc}\s"]/u.test(name) ? name : quoteValue(name);
}

/** The parser's own message, first line, cut short: it may quote the file. */
function parserMessage(message: string): string {
  if (/call stack/i.test(message)) return 'it is nested too deeply to read';
  const first = message.split('\n')[0] ?? message;
  return first.length > 2 * MAX_QUOTED ? `${first.slice(0, 2 * MAX_QUOTED)}…` : first;
}

/**
 * Runs a reader over a release file, turning the parser or a walker running out of
 * stack (a file nested thousands of levels deep) into a release-file error.
 */
export function guardDepth<T>(path: string, read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof RangeError) {
      throw new ReleaseFileError(
        path,
        'is nested too deeply to read (the YAML parser ran out of stack); a release file is a few flat mappings',
      );
    }
    throw error;
  }
}

export function parseReleaseFile(path: string, text: string): Parsed {
  const lines = new LineCounter();
  const ctx = { path, lines };
  if (text.trim() === '') throw new ReleaseFileError(path, 'is empty: expected a mapping with an image tag');
  const docs = parseAllDocuments(text, {
    lineCounter: lines,
    prettyErrors: false,
    uniqueKeys: true,
  });
  for (const doc of docs) {
    const error = doc.errors[0];
    if (error !== undefined) {
      // An unclosed quote or bracket is reported at the end of the input, which may be
      // past the last line: point at the end of the last line that exists instead.
      const lastLine = text.replace(/(\r\n|\r|\n)$/, '').split(/\r\n|\r|\n/).length;
      const found = lines.linePos(Math.min(error.pos[0], text.length));
      const line = Math.min(found.line, lastLine);
      const where =
        found.line > lastLine
          ? ` at the end of the file (line ${line})`
          : ` at line ${line}, column ${found.col}`;
      throw new ReleaseFileError(path, `is not valid YAML: ${parserMessage(error.message)}${where}`, line);
    }
  }
  if (docs.length > 1) {
    const second = docs[1];
    throw fail(
      ctx,
      `holds ${docs.length} YAML documents; a release file must hold exactly one (remove the extra "---" separator)`,
      second?.range[0],
    );
  }
  const doc = docs[0];
  if (doc === undefined || doc.contents === null) {
    throw new ReleaseFileError(
      path,
      'is empty (it holds only comments): expected a mapping with an image tag',
    );
  }
  const root = doc.contents;
  if (isAlias(root))
    throw fail(
      ctx,
      `is an alias (*${shown(root.source)}) at the top level; expected a plain mapping`,
      root.range?.[0],
    );
  if (!isMap(root))
    throw fail(ctx, `does not hold a mapping at the top level (found ${describe(root)})`, root.range?.[0]);
  const aliased = new Set<string>();
  visit(doc, {
    Alias(_, node) {
      aliased.add(node.source);
    },
  });
  return { path, text, doc, root, lines, aliased };
}

function describe(node: unknown): string {
  if (node === null || node === undefined) return 'an empty value';
  if (isMap(node)) return 'a mapping';
  if (isSeq(node)) return 'a sequence';
  if (isAlias(node)) return 'an alias';
  if (isScalar(node)) {
    if (node.value === null) return 'an empty value';
    return `the value ${quoteValue(scalarText(node))}`;
  }
  return 'something else';
}

/** The scalar as the file spells it: the source text of a plain scalar (`1.10` stays `1.10`). */
function scalarText(node: Scalar): string {
  if (typeof node.source === 'string') return node.source;
  return String(node.value);
}

function keyName(pair: Pair): string | undefined {
  const key = pair.key;
  if (isScalar(key)) return scalarText(key);
  return undefined;
}

function findPair(map: YAMLMap, key: string): Pair | undefined {
  return map.items.find((pair) => keyName(pair) === key);
}

function locate(parsed: Parsed, keyPath: KeyPath): Location {
  const name = keyPath.join('.');
  if (keyPath.length === 0) throw new Error('release-file: empty key path');
  const maps: YAMLMap[] = [parsed.root];
  let map = parsed.root;
  for (let index = 0; index < keyPath.length; index += 1) {
    const key = keyPath[index] as string;
    const here = keyPath.slice(0, index + 1).join('.');
    const pair = findPair(map, key);
    if (pair === undefined) return { kind: 'missing', maps, missingAt: index };
    const value = pair.value;
    const keyOffset = isScalar(pair.key) ? pair.key.range?.[0] : undefined;
    if (isAlias(value)) {
      throw fail(
        parsed,
        `has an alias (*${shown(value.source)}) at ${here}; tagrelay does not edit through aliases because the change would also ` +
          `apply where &${shown(value.source)} is defined: write ${here} out in full`,
        value.range?.[0] ?? keyOffset,
      );
    }
    if (index < keyPath.length - 1) {
      if (!isMap(value)) {
        throw fail(
          parsed,
          `has ${describe(value)} at ${here} where a mapping holding ${name} is expected`,
          keyOffset,
        );
      }
      maps.push(value);
      map = value;
      continue;
    }
    if (value === null || value === undefined)
      return { kind: 'found', maps, pair, scalar: null, value: undefined };
    if (!isScalar(value)) {
      throw fail(parsed, `has ${describe(value)} at ${name} where a single value is expected`, keyOffset);
    }
    if (value.type === Scalar.BLOCK_LITERAL || value.type === Scalar.BLOCK_FOLDED) {
      throw fail(
        parsed,
        `has a block scalar (| or >) at ${name}; write the value on one line after the key`,
        keyOffset,
      );
    }
    if (
      value.tag !== undefined &&
      value.tag !== 'tag:yaml.org,2002:str' &&
      value.tag !== 'tag:yaml.org,2002:null'
    ) {
      throw fail(
        parsed,
        `has an explicit YAML tag ${shown(value.tag)} on ${name}; remove it so the value is a plain string`,
        keyOffset,
      );
    }
    const text = value.value === null ? undefined : scalarText(value);
    return {
      kind: 'found',
      maps,
      pair,
      scalar: value,
      value: text === '' ? undefined : text,
    };
  }
  /* c8 ignore next */
  throw new Error('unreachable');
}

/** Reads all three keys; the tag must be present and non-empty. */
export function readAll(
  parsed: Parsed,
  keys: ReleaseKeys,
): { values: ImageValues; locations: Record<Field, Location> } {
  const locations = {} as Record<Field, Location>;
  const values: ImageValues = {};
  // The tag first, so a broken path reports the key that matters most.
  for (const field of ['tag', 'repository', 'digest'] as const) {
    const location = locate(parsed, keys[field]);
    locations[field] = location;
    if (location.kind === 'found' && location.value !== undefined) values[field] = location.value;
  }
  const tag = locations.tag;
  const tagName = keys.tag.join('.');
  if (tag.kind === 'missing') {
    const parent = tag.maps[tag.maps.length - 1] as YAMLMap;
    const missing = keys.tag.slice(0, tag.missingAt + 1).join('.');
    const merge = findPair(parent, '<<') !== undefined && tag.missingAt === keys.tag.length - 1;
    const hint = merge
      ? ' (a value inherited through a "<<" merge key cannot be edited in place; write the key out)'
      : '';
    const parentKey = tag.maps.length > 1 ? keys.tag.slice(0, tag.missingAt).join('.') : undefined;
    const reason =
      missing === tagName
        ? `has no key ${tagName}${hint}`
        : `has no key ${missing} (needed for ${tagName})${hint}`;
    const parentPair = parentKey === undefined ? undefined : pairAt(parsed, keys.tag.slice(0, tag.missingAt));
    throw fail(parsed, reason, parentPair === undefined ? undefined : keyOffsetOf(parentPair));
  }
  if (tag.value === undefined) {
    throw fail(parsed, `has an empty value at ${tagName}; expected an image tag`, keyOffsetOf(tag.pair));
  }
  return { values, locations };
}

export function pairAt(parsed: Parsed, keyPath: KeyPath): Pair | undefined {
  let map: unknown = parsed.root;
  let pair: Pair | undefined;
  for (const key of keyPath) {
    if (!isMap(map)) return undefined;
    pair = findPair(map, key);
    map = pair?.value;
  }
  return pair;
}

export function keyOffsetOf(pair: Pair): number | undefined {
  return isScalar(pair.key) ? pair.key.range?.[0] : undefined;
}

/** Reads the current values; throws ReleaseFileError when the file is unusable or has no tag. */
export function readReleaseImage(
  path: string,
  text: string,
  keys: ReleaseKeys = DEFAULT_RELEASE_KEYS,
): ImageValues {
  return guardDepth(path, () => readAll(parseReleaseFile(path, text), keys).values);
}
