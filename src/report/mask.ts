// Masking of credential header values for display: scheme, a short prefix and the length.
import { maskJwtsIn, Secret, SENSITIVE_QUERY_NAMES } from '../model/index.js';


/** Schemes whose first characters could reveal part of a password: never show a prefix. */
const NO_PREFIX_SCHEMES: ReadonlySet<string> = new Set(['basic', 'digest']);

/** How many leading characters of a credential of `scheme` a masked value may show. */
export function prefixLengthFor(scheme: string): number {
  return NO_PREFIX_SCHEMES.has(scheme.toLowerCase()) ? 0 : 6;
}

/** Scheme words that may stand alone (no credential after them). */
const KNOWN_SCHEMES = new Set(['bearer', 'basic', 'digest', 'ntlm', 'negotiate', 'kerberos', 'msrtcoauth']);

/**
 * `Bearer eyJ0eX…(1234 chars)` for an Authorization-style value. Basic and Digest show no prefix
 * at all, since the base64 of `user:password` leaks characters. `show` returns the value as is.
 */
export function maskAuthorizationValue(value: string, show: boolean): string {
  if (show) return value;
  const trimmed = value.trim();
  const space = trimmed.search(/\s/);
  if (space === -1) {
    // A lone word: a scheme with an empty credential (the `Bearer` discovery probe), or a bare secret.
    if (KNOWN_SCHEMES.has(trimmed.toLowerCase())) return trimmed;
    return new Secret(value).masked(0);
  }
  const scheme = trimmed.slice(0, space);
  const rest = trimmed.slice(space + 1).trimStart();
  if (rest === '') return scheme;
  return `${scheme} ${new Secret(rest).masked(prefixLengthFor(scheme))}`;
}

const JWT_SHAPE = /^eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*$/;

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}

/**
 * The request target with every credential-bearing query value masked: the names above, any
 * `extraNames`, and any JWT-shaped value; then every JWT-shaped run anywhere in it (path,
 * `Bearer%20…` values, padded tokens, the fragment). `show` returns the target unchanged.
 */
export function maskUri(uri: string, show: boolean, extraNames: Iterable<string> = []): string {
  if (show) return uri;
  return maskJwtsIn(maskQueryValues(uri, extraNames));
}

function maskQueryValues(uri: string, extraNames: Iterable<string>): string {
  const queryStart = uri.indexOf('?');
  if (queryStart === -1) return uri;
  const names = new Set(SENSITIVE_QUERY_NAMES);
  for (const name of extraNames) names.add(name.toLowerCase());
  const fragmentStart = uri.indexOf('#', queryStart);
  const queryEnd = fragmentStart === -1 ? uri.length : fragmentStart;
  const pairs = uri
    .slice(queryStart + 1, queryEnd)
    .split('&')
    .map((pair) => {
      const equals = pair.indexOf('=');
      if (equals === -1) return pair;
      const name = pair.slice(0, equals);
      const value = pair.slice(equals + 1);
      const sensitive = names.has(safeDecode(name).toLowerCase()) || JWT_SHAPE.test(safeDecode(value));
      return sensitive ? `${name}=${new Secret(value).masked()}` : pair;
    });
  return `${uri.slice(0, queryStart)}?${pairs.join('&')}${uri.slice(queryEnd)}`;
}
