// Masking of credential header values for display: scheme, a short prefix and the length.
import { Secret } from '../model/index.js';

/** Schemes whose first characters could reveal part of a password: never show a prefix. */
const NO_PREFIX_SCHEMES = new Set(['basic', 'digest']);

/**
 * `Bearer eyJ0eX…(1234 chars)` for an Authorization-style value. Basic and Digest show no prefix
 * at all, since the base64 of `user:password` leaks characters. `show` returns the value as is.
 */
export function maskAuthorizationValue(value: string, show: boolean): string {
  if (show) return value;
  const match = /^(\S+)(\s+)([\s\S]*)$/.exec(value.trim());
  if (!match) return new Secret(value).masked(NO_PREFIX_SCHEMES.has(value.toLowerCase()) ? 0 : 6);
  const [, scheme = '', , rest = ''] = match;
  if (rest === '') return scheme;
  const prefix = NO_PREFIX_SCHEMES.has(scheme.toLowerCase()) ? 0 : 6;
  return `${scheme} ${new Secret(rest).masked(prefix)}`;
}
