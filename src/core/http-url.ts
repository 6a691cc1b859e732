/**
 * `value` as an http:// or https:// URL, or undefined when it is none: unparsable, another
 * scheme, or holding a blank or a control character (which the URL parser would drop silently).
 * Callers add their own rules (credentials, a path) and their own error.
 */
export function parseHttpUrl(value: string): URL | undefined {
  if (/[\s\p{Cc}]/u.test(value)) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined;
  }
  return url.protocol === 'http:' || url.protocol === 'https:' ? url : undefined;
}
