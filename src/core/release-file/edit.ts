/**
 * Byte-preserving edits of Helm release-layer values files (ARCHITECTURE.md, "Edits").
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
import { Scalar, isScalar, type Pair, type YAMLMap } from 'yaml';
import { ConfigurationError } from '../errors.js';
import {
  DEFAULT_RELEASE_KEYS,
  FIELDS,
  fail,
  guardDepth,
  keyOffsetOf,
  pairAt,
  parseReleaseFile,
  readAll,
  readReleaseImage,
  shown,
  type Field,
  type ImageValues,
  type KeyPath,
  type Location,
  type Parsed,
  type ReleaseEdit,
  type ReleaseEditResult,
  type ReleaseKeys,
} from './document.js';
import { render } from './scalar.js';

export {
  DEFAULT_RELEASE_KEYS,
  readReleaseImage,
  type ImageValues,
  type KeyPath,
  type ReleaseEdit,
  type ReleaseEditResult,
  type ReleaseKeys,
} from './document.js';

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
      `has anchor &${shown(anchor)} on ${where}, which an alias *${shown(anchor)} refers to; editing ${keyPath.join('.')} would also ` +
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
  return guardDepth(path, () => editText(path, text, edit, keys));
}

function editText(path: string, text: string, edit: ReleaseEdit, keys: ReleaseKeys): ReleaseEditResult {
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
