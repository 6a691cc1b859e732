/**
 * Writing a value in a given scalar style so that every YAML reader Helm might use
 * (YAML 1.2 core, YAML 1.1, Go's number parsing) reads back the same string.
 */
import { Scalar, parse } from 'yaml';

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

export function render(value: string, style: Scalar.Type | undefined, inFlow: boolean): string {
  // eslint-disable-next-line no-control-regex
  const printable = !/[\u0000-\u001f\u007f]/.test(value);
  if (style === Scalar.QUOTE_SINGLE && printable) return `'${value.replace(/'/g, "''")}'`;
  if ((style === Scalar.PLAIN || style === undefined) && plainIsSafe(value, inFlow)) return value;
  // JSON string syntax is valid YAML double-quoted syntax.
  return JSON.stringify(value);
}
