// Authorization / Proxy-Authorization values: scheme word, raw credentials, and what they decode to.
import type { CredentialScheme, DecodedCredential } from '../model/index.js';
import { parseAuthList } from './auth-list.js';
import { decodeBase64Strict } from './base64.js';
import { decodeBearerToken } from './bearer.js';
import { isJwtShaped } from './jwt.js';
import { decodeNtlmBytes } from './ntlm.js';
import { decodeNegotiateBytes } from './spnego.js';
import { boundedMemo } from './bounded-memo.js';

export interface DecodedAuthorization {
  readonly scheme: CredentialScheme;
  /** The scheme word as sent; empty when the value had none (a bare token). */
  readonly schemeName: string;
  /** Everything after the scheme word and its spaces. */
  readonly credentials: string;
  readonly decoded: DecodedCredential;
}

const SCHEME_WORD = /^[A-Za-z][A-Za-z0-9._~+-]{0,63}$/;
/** An unknown word this long with nothing after it is taken as a bare token, not a scheme. */
const MAX_BARE_SCHEME_CHARS = 24;
const KNOWN_SCHEMES: Readonly<Record<string, CredentialScheme>> = {
  bearer: 'bearer',
  basic: 'basic',
  ntlm: 'ntlm',
  negotiate: 'negotiate',
  digest: 'digest',
};
/** Digest params that prove knowledge of the password, kept out of the decoded form. */
const DIGEST_SECRET_PARAMS = new Set(['response']);

/** Splits and decodes one Authorization value; never throws. */
export const decodeAuthorization: (value: string) => DecodedAuthorization = boundedMemo((value: string): DecodedAuthorization => {
  const trimmed = value.trim();
  const space = trimmed.search(/[ \t]/);
  const word = space === -1 ? trimmed : trimmed.slice(0, space);
  const known = KNOWN_SCHEMES[word.toLowerCase()];
  const bareToken =
    !SCHEME_WORD.test(word) || (known === undefined && space === -1 && word.length > MAX_BARE_SCHEME_CHARS);
  if (bareToken || isJwtShaped(trimmed)) {
    return { scheme: 'other', schemeName: '', credentials: trimmed, decoded: decodeBearerToken(trimmed) };
  }
  const credentials = space === -1 ? '' : trimmed.slice(space).trimStart();
  const scheme = known ?? 'other';
  return { scheme, schemeName: word, credentials, decoded: decodeCredentials(scheme, trimmed, credentials) };
});

function decodeCredentials(scheme: CredentialScheme, whole: string, credentials: string): DecodedCredential {
  if (credentials === '') return { type: 'empty' };
  switch (scheme) {
    case 'bearer':
      return decodeBearerToken(credentials);
    case 'basic':
      return decodeBasic(credentials);
    case 'ntlm':
      return decodeBase64Then(credentials, decodeNtlmBytes);
    case 'negotiate':
      return decodeBase64Then(credentials, decodeNegotiateBytes);
    case 'digest':
      return decodeDigest(whole);
    case 'other':
      return isJwtShaped(credentials) ? decodeBearerToken(credentials) : { type: 'opaque' };
  }
}

/** RFC 7617: base64 of `user:password`; only the user is kept. */
function decodeBasic(credentials: string): DecodedCredential {
  const bytes = decodeBase64Strict(credentials);
  if (!bytes) return { type: 'basic', user: '', malformed: 'not base64' };
  const colon = bytes.indexOf(0x3a);
  if (colon === -1) return { type: 'basic', user: '', malformed: 'no colon between user and password' };
  return { type: 'basic', user: textOf(bytes.subarray(0, colon)) };
}

/** UTF-8 when valid (RFC 7617 charset), else Latin-1 as older clients send. */
function textOf(bytes: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return bytes.toString('latin1');
  }
}

function decodeDigest(whole: string): DecodedCredential {
  const element = parseAuthList(whole)[0];
  const params = [...(element?.params ?? [])].filter(([name]) => !DIGEST_SECRET_PARAMS.has(name));
  return { type: 'digest', params: Object.fromEntries(params) };
}

function decodeBase64Then(credentials: string, decode: (bytes: Buffer) => DecodedCredential): DecodedCredential {
  const bytes = decodeBase64Strict(credentials);
  return bytes ? decode(bytes) : { type: 'undecodable', error: 'not base64' };
}
