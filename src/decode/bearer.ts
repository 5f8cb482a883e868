// Bearer token values: empty probe, JWT (decoded), or opaque with a hint of what it is.
import type { DecodedCredential } from '../model/index.js';
import { decodeCompactJwt, looksLikeJwt } from './jwt.js';
import { boundedMemo } from './bounded-memo.js';

const JWE_SHAPE = /^eyJ[A-Za-z0-9_-]*(\.[A-Za-z0-9_-]*){4}$/;

/** Decodes a bearer token value; never `jwt-malformed` unless the value starts like a JWT. */
export const decodeBearerToken: (value: string) => DecodedCredential = boundedMemo((value: string): DecodedCredential => {
  if (value === '') return { type: 'empty' };
  if (JWE_SHAPE.test(value)) return { type: 'opaque', hint: 'jwe' };
  if (looksLikeJwt(value)) return decodeCompactJwt(value);
  if (value.startsWith('cwt=')) return { type: 'opaque', hint: 'sfb-cwt' };
  return { type: 'opaque' };
});
