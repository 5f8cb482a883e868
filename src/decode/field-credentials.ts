// Which named fields (query, form, JSON, cookie) carry credentials, and what travels beside them.
import type { CredentialScheme, DecodedCredential } from '../model/index.js';
import { decodeBearerToken } from './bearer.js';
import { decodeCompactJwt, isJwtShaped } from './jwt.js';

/** A field judged to hold a credential. */
export interface FieldCredential {
  readonly scheme: CredentialScheme;
  readonly decoded: DecodedCredential;
}

export type FieldContext = 'query' | 'form' | 'json';

type FieldKind = 'token' | 'client-secret' | 'password' | 'sas-signature';

/** Field names that hold credentials in query strings and form bodies (OAuth 2.0 and friends). */
const URL_ENCODED_FIELDS: ReadonlyMap<string, FieldKind> = new Map([
  ['access_token', 'token'],
  ['id_token', 'token'],
  ['refresh_token', 'token'],
  ['code', 'token'],
  ['assertion', 'token'],
  ['client_assertion', 'token'],
  ['token', 'token'],
  ['client_secret', 'client-secret'],
  ['password', 'password'],
  ['sig', 'sas-signature'],
]);

/** JSON bodies: `code` and `token` are too often something else (error codes) to count. */
const JSON_FIELDS: ReadonlyMap<string, FieldKind> = new Map(
  [...URL_ENCODED_FIELDS].filter(([name]) => name !== 'code' && name !== 'token' && name !== 'sig'),
);

/** Fields surfaced on the sightings of the same message (token responses send them as strings). */
const RELATED_FIELDS = ['token_type', 'expires_in', 'expires_on', 'not_before', 'ext_expires_in', 'resource'];

/** The credential a field holds: a known name, or any JWT-shaped value; undefined otherwise. */
export function credentialOfField(context: FieldContext, name: string, value: string): FieldCredential | undefined {
  if (value === '') return undefined;
  const kind = (context === 'json' ? JSON_FIELDS : URL_ENCODED_FIELDS).get(name.toLowerCase());
  if (kind === 'token') return { scheme: 'bearer', decoded: decodeBearerToken(value) };
  if (kind !== undefined) return { scheme: 'other', decoded: { type: 'opaque', hint: kind } };
  if (isJwtShaped(value)) return { scheme: 'bearer', decoded: decodeCompactJwt(value) };
  return undefined;
}

/** The related fields present among a message's fields, as strings; undefined when none are. */
export function relatedFieldsOf(fields: ReadonlyMap<string, unknown>): Record<string, string> | undefined {
  const related: Record<string, string> = {};
  let found = false;
  for (const name of RELATED_FIELDS) {
    const value = fields.get(name);
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
      related[name] = String(value);
      found = true;
    }
  }
  return found ? related : undefined;
}
