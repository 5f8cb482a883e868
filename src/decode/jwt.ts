// Compact JWT decoding: header, claims, NumericDates, thumbprints, nested actor token; for a token
// that does not decode, a precise diagnosis (which segment, which character or JSON fault) and the
// segments that did decode, as jwt.ms shows them. It verifies nothing (no signature, no time
// checks): that is the rules' job.
import type { DecodedCredential, DecodedJwt, JwsSegment, PartialJwt } from '../model/index.js';
import { Secret } from '../model/index.js';
import { parseBoundedJson } from '../sources/bounded-json.js';
import { findJsonSyntaxError } from '../sources/har-json-error.js';
import { decodeBase64UrlStrict } from './base64.js';
import { boundedMemo } from './bounded-memo.js';

/** Longest compact token decoded; longer ones are reported as malformed. */
const MAX_JWT_CHARS = 256 * 1024;
/** How deep `actortoken` claims are followed (outer token is depth 0). */
const MAX_ACTOR_DEPTH = 3;
const JWT_SHAPE = /^eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;
const NUMERIC_DATE_TEXT = /^\s*\d{1,15}(\.\d+)?\s*$/;

/** Three base64url segments, the header starting `eyJ` (`{"`), the signature possibly empty. */
export function isJwtShaped(value: string): boolean {
  return value.length <= MAX_JWT_CHARS && JWT_SHAPE.test(value);
}

/** A signature segment of only `A`s: how oauth-inspect's masked recordings hide signatures. */
const MASKED_SIGNATURE = /\.A{16,}$/;

/** Starts like a JWT (`eyJ` and a dot): decoding failures are then worth reporting as malformed. */
export function looksLikeJwt(value: string): boolean {
  return value.startsWith('eyJ') && value.includes('.');
}

/**
 * Decodes a compact JWS. When it does not decode, `jwt-malformed` says what is wrong and where
 * (positions of bad characters are 0-based offsets in the token; JSON faults are positions in the
 * segment's decoded text), and `partial` holds the header and claims that did decode.
 */
export const decodeCompactJwt: (compact: string) => DecodedCredential = boundedMemo((compact) => {
  const result = decodeAtDepth(compact, 0);
  if ('error' in result) return { type: 'jwt-malformed', error: result.error, ...(result.partial && { partial: result.partial }) };
  return { type: 'jwt', jwt: result };
});

interface Malformed {
  readonly error: string;
  readonly partial?: PartialJwt;
}

function decodeAtDepth(compact: string, depth: number): DecodedJwt | Malformed {
  if (compact.length > MAX_JWT_CHARS) return { error: `longer than ${MAX_JWT_CHARS} characters` };
  const segments = compact.split('.');
  if (segments.length > 3) {
    const jwe = segments.length === 5 ? ' (5 is the shape of a JWE, an encrypted token)' : '';
    return { error: `${segments.length} segments, a JWS has 3${jwe}` };
  }
  // Every segment is decoded on its own, so all faults are found; the first names `failed`.
  const faults: Array<{ segment: JwsSegment; error: string }> = [];
  const fail = (segment: JwsSegment, error: string): void => {
    faults.push({ segment, error });
  };
  const header = jsonSegment('header', segments[0] ?? '', 0, fail);
  const claims = jsonSegment('payload', segments[1] ?? '', (segments[0]?.length ?? 0) + 1, fail);
  const signature = segments[2];
  if (signature === undefined) fail('signature', `signature segment missing (${segments.length} segments, a JWS has 3)`);
  else if (signature !== '') {
    const error = base64UrlFault('signature', signature, compact.length - signature.length);
    if (error !== undefined) fail('signature', error);
  }
  const fault = faults[0];
  if (fault !== undefined) {
    const partial: PartialJwt = {
      failed: fault.segment,
      ...(header && { header }),
      ...(claims && { claims: shownClaims(claims) }),
      signature: signature === undefined ? 'missing' : signature === '' ? 'empty' : 'present',
    };
    return { error: faults.map((f) => f.error).join('; '), partial };
  }
  return decodedJwt(compact, header!, claims!, depth);
}

function decodedJwt(compact: string, header: Record<string, unknown>, claims: Record<string, unknown>, depth: number): DecodedJwt {
  const notes: string[] = [];
  const nbf = numericDate(claims, 'nbf', notes);
  const exp = numericDate(claims, 'exp', notes);
  const iat = numericDate(claims, 'iat', notes);
  const x5tThumbprint = thumbprintOf(header['x5t']);
  if (header['x5t'] !== undefined && x5tThumbprint === undefined) notes.push('x5t is not base64url of 20 bytes');
  const kidThumbprint = thumbprintOf(header['kid']);
  const actorField = actorOf(claims, depth);
  return {
    header,
    claims: shownClaims(claims),
    unsigned: compact.endsWith('.'),
    ...(MASKED_SIGNATURE.test(compact) && { signatureMasked: true }),
    compact: new Secret(compact),
    ...(x5tThumbprint !== undefined && { x5tThumbprint }),
    ...(kidThumbprint !== undefined && { kidThumbprint }),
    ...(nbf !== undefined && { nbf }),
    ...(exp !== undefined && { exp }),
    ...(iat !== undefined && { iat }),
    ...actorField,
    ...(notes.length > 0 && { notes }),
  };
}

/** Claims as shown: an actortoken claim masked (it is a credential of its own). */
function shownClaims(claims: Record<string, unknown>): Record<string, unknown> {
  return 'actortoken' in claims ? { ...claims, actortoken: maskedActor(claims['actortoken']) } : claims;
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** The JSON object a header or payload segment encodes, or undefined after calling `fail`. */
function jsonSegment(
  name: JwsSegment,
  text: string,
  start: number,
  fail: (segment: JwsSegment, error: string) => void,
): Record<string, unknown> | undefined {
  const failed = (error: string): undefined => {
    fail(name, error);
    return undefined;
  };
  const error = base64UrlFault(name, text, start);
  if (error !== undefined) return failed(error);
  let json: string;
  try {
    json = UTF8.decode(Buffer.from(text, 'base64url'));
  } catch {
    return failed(`${name} segment is not UTF-8 text`);
  }
  let value: unknown;
  try {
    value = parseBoundedJson(json);
  } catch (cause) {
    const syntax = findJsonSyntaxError(json);
    const where = syntax ? `${syntax.reason} at position ${syntax.offset} of the decoded text` : (cause as Error).message;
    return failed(`${name} segment is not JSON (${where})`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return failed(`${name} segment is JSON but not an object (${Array.isArray(value) ? 'an array' : value === null ? 'null' : `a ${typeof value}`})`);
  }
  return value as Record<string, unknown>;
}

const NOT_BASE64URL = /[^A-Za-z0-9_-]/g;

/** What makes `text` (a segment starting at `start` in the token) not base64url, if anything. */
function base64UrlFault(name: JwsSegment, text: string, start: number): string | undefined {
  if (text === '') return `${name} segment is empty`;
  const bad = [...text.matchAll(NOT_BASE64URL)];
  const first = bad[0];
  if (first !== undefined) {
    const char = first[0];
    const hint = char === '=' ? ', padding, which a JWS leaves out' : char === '+' || char === '/' ? ', a standard-base64 character' : '';
    const more = bad.length > 1 ? `; ${bad.length - 1} more after it` : '';
    return `${name} segment contains characters outside base64url (position ${start + first.index}: ${charLabel(char)}${hint}${more})`;
  }
  if (text.length % 4 === 1) {
    return `${name} segment has ${text.length} character${text.length === 1 ? '' : 's'}, a length no base64url text has (4n+1)`;
  }
  return undefined;
}

/** `'%'` for printable ASCII, `U+0020` otherwise. */
function charLabel(char: string): string {
  const code = char.codePointAt(0) ?? 0;
  return code > 0x20 && code < 0x7f ? `'${char}'` : `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
}

function actorOf(claims: Record<string, unknown>, depth: number): { actor?: DecodedJwt; actorError?: string } {
  if (!('actortoken' in claims)) return {};
  const token = claims['actortoken'];
  if (typeof token !== 'string') return { actorError: 'actortoken is not a string' };
  if (depth + 1 >= MAX_ACTOR_DEPTH) return { actorError: `actortoken nested deeper than ${MAX_ACTOR_DEPTH} levels` };
  const actor = decodeAtDepth(token, depth + 1);
  return 'error' in actor ? { actorError: actor.error } : { actor };
}

function maskedActor(value: unknown): unknown {
  return typeof value === 'string' ? new Secret(value).masked() : value;
}

/** A NumericDate claim as a number; JSON strings of digits are converted, anything else noted. */
function numericDate(claims: Record<string, unknown>, name: string, notes: string[]): number | undefined {
  const value = claims[name];
  if (value === undefined) return undefined;
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && NUMERIC_DATE_TEXT.test(value)) return Number(value);
  notes.push(`${name} is not a NumericDate`);
  return undefined;
}

/** x5t/kid as the upper-case hex SHA-1 thumbprint (Get-AuthConfig style), when it is 20 bytes. */
export function thumbprintOf(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const unpadded = value.endsWith('=') ? value.slice(0, -1) : value;
  if (unpadded.length !== 27) return undefined;
  const bytes = decodeBase64UrlStrict(unpadded);
  return bytes?.length === 20 ? bytes.toString('hex').toUpperCase() : undefined;
}
