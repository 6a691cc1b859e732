/**
 * Byte-preserving edits of Helm release-layer values files (DESIGN.md §4).
 *
 * The file is parsed with `yaml`'s Document API only to *locate* things: the
 * scalar at each key path and its source range. The edit itself splices the new
 * value into the original string at that range, so every other byte (comments,
 * quoting, key order, blank lines, indentation, CRLF, flow maps, anchors, `---`
 * and `...`, a missing final newline) is left exactly as it was.
 *
 * Rules chosen here:
 * - The new value keeps the old scalar's style: 'single' stays single, "double"
 *   stays double, plain stays plain only when it re-reads as the same string under
 *   YAML 1.2 core, YAML 1.1 and Go's number parsing (how Helm reads values);
 *   otherwise it becomes "double". Block scalars (`|`, `>`) at a key are refused.
 * - A missing repository/digest key is inserted right after the tag entry, in the
 *   order repository, digest: a new line with the tag's indentation and the line's
 *   line ending (block map) or `, key: value` after the tag value (flow map). This
 *   only happens when the key's parent is the tag's map; otherwise it is an error.
 * - Aliases on a key path are refused, and so is an edit of a node (or a map on its
 *   path) whose anchor is referenced by an alias: the change would land elsewhere too.
 */
import {
  LineCounter,
  Scalar,
  isAlias,
  isMap,
  isScalar,
  isSeq,
  parse,
  parseAllDocuments,
  visit,
  type Document,
  type Pair,
  type YAMLMap,
} from 'yaml';
import { ConfigurationError, ReleaseFileError } from './errors.js';

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

type Field = keyof ReleaseKeys;
const FIELDS: readonly Field[] = ['repository', 'tag', 'digest'];

/** A parsed release file: the single document, its root mapping and line lookup. */
interface Parsed {
  path: string;
  text: string;
  doc: Document.Parsed;
  root: YAMLMap;
  lines: LineCounter;
  /** Anchor names some alias in the document refers to. */
  aliased: ReadonlySet<string>;
}

/** Where a key path ended up. */
type Location =
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

function fail(parsed: Pick<Parsed, 'path' | 'lines'>, reason: string, offset?: number): ReleaseFileError {
  const line = offset === undefined ? undefined : lineOf(parsed, offset);
  return new ReleaseFileError(parsed.path, `${reason}${at(line)}`, line);
}

function parseReleaseFile(path: string, text: string): Parsed {
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
      const offset = error.pos[0];
      const line = lineOf(ctx, offset);
      const col = line === undefined ? undefined : lines.linePos(offset).col;
      const where = line === undefined ? '' : ` at line ${line}, column ${col}`;
      throw new ReleaseFileError(path, `is not valid YAML: ${error.message.split('\n')[0]}${where}`, line);
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
      `is an alias (*${root.source}) at the top level; expected a plain mapping`,
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
    return `the value ${JSON.stringify(scalarText(node))}`;
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
        `has an alias (*${value.source}) at ${here}; tagrelay does not edit through aliases because the change would also ` +
          `apply where &${value.source} is defined: write ${here} out in full`,
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
        `has an explicit YAML tag ${value.tag} on ${name}; remove it so the value is a plain string`,
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
function readAll(
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

function pairAt(parsed: Parsed, keyPath: KeyPath): Pair | undefined {
  let map: unknown = parsed.root;
  let pair: Pair | undefined;
  for (const key of keyPath) {
    if (!isMap(map)) return undefined;
    pair = findPair(map, key);
    map = pair?.value;
  }
  return pair;
}

function keyOffsetOf(pair: Pair): number | undefined {
  return isScalar(pair.key) ? pair.key.range?.[0] : undefined;
}

/** Reads the current values; throws ReleaseFileError when the file is unusable or has no tag. */
export function readReleaseImage(
  path: string,
  text: string,
  keys: ReleaseKeys = DEFAULT_RELEASE_KEYS,
): ImageValues {
  return readAll(parseReleaseFile(path, text), keys).values;
}

// ---------------------------------------------------------------------------
// Rendering a value in a given scalar style

/** Characters a plain scalar may hold here: tags, repositories, digests. */
const PLAIN_SAFE = /^[A-Za-z0-9_][A-Za-z0-9_./:@+-]*$/;

/** Strings Go's strconv (go-yaml's resolver) would read as a number. */
function goNumberLike(value: string): boolean {
  const s = value.replace(/_/g, '');
  return (
    /^[-+]?(0b[01]+|0o?[0-7]+|0x[0-9a-f]+|[0-9]+)$/i.test(s) ||
    /^[-+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)(e[-+]?[0-9]+)?$/i.test(s) ||
    /^[-+]?0x[0-9a-f]*(\.[0-9a-f]*)?(p[-+]?[0-9]+)?$/i.test(s) ||
    /^[-+.]?(inf|infinity|nan)$/i.test(s)
  );
}

function readsAsString(value: string, version: '1.1' | '1.2'): boolean {
  try {
    const read: unknown = parse(value, { version });
    return read === value;
  } catch {
    return false;
  }
}

/** Whether `value` written plain re-reads as the same string for every YAML reader Helm might use. */
function plainIsSafe(value: string, inFlow: boolean): boolean {
  if (!PLAIN_SAFE.test(value) || value.endsWith(':')) return false;
  // Older libyaml-derived parsers (go-yaml v2) reject ':' inside plain scalars in flow maps.
  if (inFlow && value.includes(':')) return false;
  if (goNumberLike(value)) return false;
  return readsAsString(value, '1.2') && readsAsString(value, '1.1');
}

function render(value: string, style: Scalar.Type | undefined, inFlow: boolean): string {
  // eslint-disable-next-line no-control-regex
  const printable = !/[\u0000-\u001f\u007f]/.test(value);
  if (style === Scalar.QUOTE_SINGLE && printable) return `'${value.replace(/'/g, "''")}'`;
  if ((style === Scalar.PLAIN || style === undefined) && plainIsSafe(value, inFlow)) return value;
  // JSON string syntax is valid YAML double-quoted syntax.
  return JSON.stringify(value);
}

// ---------------------------------------------------------------------------
// Editing

interface Splice {
  start: number;
  end: number;
  text: string;
}

function detectEol(text: string): string {
  const index = text.indexOf('\n');
  return index > 0 && text[index - 1] === '\r' ? '\r\n' : '\n';
}

/** Refuses to edit a node whose anchor (or the anchor of a map on its path) an alias refers to. */
function checkNotAliased(
  parsed: Parsed,
  nodes: readonly (YAMLMap | Scalar | null)[],
  keyPath: KeyPath,
): void {
  nodes.forEach((node, depth) => {
    const anchor = node?.anchor;
    if (anchor === undefined || !parsed.aliased.has(anchor)) return;
    const where = depth === 0 ? 'the top-level mapping' : keyPath.slice(0, depth).join('.');
    throw fail(
      parsed,
      `has anchor &${anchor} on ${where}, which an alias *${anchor} refers to; editing ${keyPath.join('.')} would also ` +
        `change the aliased place, so write the values out in full`,
      depth === 0 ? node?.range?.[0] : keyOffsetOf(pairAt(parsed, keyPath.slice(0, depth)) as Pair),
    );
  });
}

/** Sets tag (and repository/digest when given) returning the new text. */
export function editReleaseFile(
  path: string,
  text: string,
  edit: ReleaseEdit,
  keys: ReleaseKeys = DEFAULT_RELEASE_KEYS,
): ReleaseEditResult {
  for (const field of FIELDS) {
    const wanted = edit[field];
    if (wanted === undefined) continue;
    if (typeof wanted !== 'string' || wanted === '') {
      throw new ConfigurationError(
        field,
        typeof wanted === 'string' ? wanted : undefined,
        `a non-empty image ${field}`,
      );
    }
  }
  const parsed = parseReleaseFile(path, text);
  const { values: previous, locations } = readAll(parsed, keys);
  const tag = locations.tag;
  if (tag.kind !== 'found') throw new Error('unreachable: readAll checks the tag');

  const splices: Splice[] = [];
  const inserts: { field: Field; value: string }[] = [];
  for (const field of FIELDS) {
    const wanted = edit[field];
    if (wanted === undefined || previous[field] === wanted) continue;
    const location = locations[field];
    const keyPath = keys[field];
    if (location.kind === 'missing') {
      const sameParent =
        location.missingAt === keyPath.length - 1 &&
        keyPath.length === keys.tag.length &&
        keyPath.slice(0, -1).every((key, index) => key === keys.tag[index]);
      if (!sameParent) {
        const missing = keyPath.slice(0, location.missingAt + 1).join('.');
        throw fail(
          parsed,
          `has no key ${missing}; tagrelay adds a missing ${field} only next to ${keys.tag.join('.')}, so add ` +
            `${keyPath.join('.')} by hand`,
        );
      }
      checkNotAliased(parsed, location.maps, keyPath);
      inserts.push({ field, value: wanted });
      continue;
    }
    checkNotAliased(parsed, [...location.maps, location.scalar], keyPath);
    const inFlow = location.maps.some((map) => map.flow === true);
    const scalar = location.scalar;
    const range = scalar?.range;
    if (scalar === null || range === undefined || range === null || range[0] === range[1]) {
      // Empty value (`digest:`): write it right after the ':' indicator.
      const keyEnd =
        location.pair.key !== null && isScalar(location.pair.key) ? location.pair.key.range?.[1] : undefined;
      const colon = keyEnd === undefined ? -1 : text.indexOf(':', keyEnd);
      if (colon < 0)
        throw fail(parsed, `has a key ${keyPath.join('.')} without a ':' value indicator`, keyEnd);
      splices.push({
        start: colon + 1,
        end: colon + 1,
        text: ` ${render(wanted, Scalar.PLAIN, inFlow)}`,
      });
      continue;
    }
    const style = scalar.value === null ? Scalar.PLAIN : scalar.type;
    splices.push({
      start: range[0],
      end: range[1],
      text: render(wanted, style, inFlow),
    });
  }

  if (inserts.length > 0) splices.push(insertAfterTag(parsed, keys, tag, inserts));

  if (splices.length === 0) return { text, changed: false, previous };
  splices.sort((a, b) => b.start - a.start);
  let out = text;
  for (const splice of splices) out = out.slice(0, splice.start) + splice.text + out.slice(splice.end);
  if (out === text) return { text, changed: false, previous };

  verify(path, out, keys, { ...previous, ...definedOnly(edit) });
  return { text: out, changed: true, previous };
}

function definedOnly(edit: ReleaseEdit): ImageValues {
  const values: ImageValues = {};
  for (const field of FIELDS) {
    const value = edit[field];
    if (value !== undefined) values[field] = value;
  }
  return values;
}

/** New `key: value` entries right after the tag entry, with its indentation (block) or as `, key: value` (flow). */
function insertAfterTag(
  parsed: Parsed,
  keys: ReleaseKeys,
  tag: Extract<Location, { kind: 'found' }>,
  inserts: readonly { field: Field; value: string }[],
): Splice {
  const { text } = parsed;
  const parent = tag.maps[tag.maps.length - 1] as YAMLMap;
  const inFlow = tag.maps.some((map) => map.flow === true);
  const lastKey = (field: Field): string => keys[field][keys[field].length - 1] as string;
  const entries = inserts.map(
    ({ field, value }) => `${lastKey(field)}: ${render(value, Scalar.PLAIN, inFlow)}`,
  );
  const valueEnd = tag.scalar?.range?.[1];
  if (valueEnd === undefined) throw new Error('unreachable: the tag has a value');
  if (parent.flow === true) {
    return {
      start: valueEnd,
      end: valueEnd,
      text: entries.map((entry) => `, ${entry}`).join(''),
    };
  }
  const keyStart = keyOffsetOf(tag.pair);
  if (keyStart === undefined) throw fail(parsed, `has a key ${keys.tag.join('.')} that is not a plain key`);
  const lineStart = text.lastIndexOf('\n', keyStart - 1) + 1;
  const indent = text.slice(lineStart, keyStart);
  if (!/^ *$/.test(indent)) {
    throw fail(
      parsed,
      `has ${keys.tag.join('.')} not at the start of its line; cannot add ${inserts.map((i) => i.field).join(' and ')} next to it`,
      keyStart,
    );
  }
  const lineEnd = text.indexOf('\n', valueEnd);
  if (lineEnd < 0) {
    const eol = detectEol(text);
    return {
      start: text.length,
      end: text.length,
      text: entries.map((entry) => `${eol}${indent}${entry}`).join(''),
    };
  }
  const eol = text[lineEnd - 1] === '\r' ? '\r\n' : '\n';
  return {
    start: lineEnd + 1,
    end: lineEnd + 1,
    text: entries.map((entry) => `${indent}${entry}${eol}`).join(''),
  };
}

/** Safety net: the edited text must still be one valid document with exactly the expected values. */
function verify(path: string, out: string, keys: ReleaseKeys, expected: ImageValues): void {
  let actual: ImageValues;
  try {
    actual = readReleaseImage(path, out, keys);
  } catch (error) {
    throw new Error(
      `release-file: the edit of ${path} produced an unreadable file: ${(error as Error).message}`,
    );
  }
  for (const field of FIELDS) {
    if (actual[field] !== expected[field]) {
      throw new Error(
        `release-file: the edit of ${path} produced ${field} ${JSON.stringify(actual[field])}, expected ${JSON.stringify(expected[field])}`,
      );
    }
  }
}
