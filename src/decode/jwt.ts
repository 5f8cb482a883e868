// Compact JWT decoding through jose: header, claims, NumericDates, thumbprints, nested actor token.
// It verifies nothing (no signature, no time checks): that is the rules' job.
import { decodeJwt, decodeProtectedHeader } from 'jose';
import type { DecodedCredential, DecodedJwt } from '../model/index.js';
import { Secret } from '../model/index.js';
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

/** Decodes a compact JWS; `jwt-malformed` (with jose's error code) when it does not decode. */
export const decodeCompactJwt: (compact: string) => DecodedCredential = boundedMemo((compact) => {
  const result = decodeAtDepth(compact, 0);
  return 'error' in result ? { type: 'jwt-malformed', error: result.error } : { type: 'jwt', jwt: result };
});

function decodeAtDepth(compact: string, depth: number): DecodedJwt | { error: string } {
  if (compact.length > MAX_JWT_CHARS) return { error: `ERR_JWT_INVALID: longer than ${MAX_JWT_CHARS} characters` };
  if (!isJwtShaped(compact)) return { error: 'ERR_JWT_INVALID: not three base64url segments' };
  let header: Record<string, unknown>;
  let claims: Record<string, unknown>;
  try {
    header = decodeProtectedHeader(compact);
    claims = decodeJwt(compact);
  } catch (error) {
    return { error: joseErrorText(error) };
  }
  const notes: string[] = [];
  const nbf = numericDate(claims, 'nbf', notes);
  const exp = numericDate(claims, 'exp', notes);
  const iat = numericDate(claims, 'iat', notes);
  const x5tThumbprint = thumbprintOf(header['x5t']);
  if (header['x5t'] !== undefined && x5tThumbprint === undefined) notes.push('x5t is not base64url of 20 bytes');
  const kidThumbprint = thumbprintOf(header['kid']);
  const actorField = actorOf(claims, depth);
  const shownClaims = 'actortoken' in claims ? { ...claims, actortoken: maskedActor(claims['actortoken']) } : claims;
  return {
    header,
    claims: shownClaims,
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

/** `<jose code>: <message>` for jose errors; the header decoder throws a plain TypeError. */
function joseErrorText(error: unknown): string {
  const code = typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string'
    ? error.code
    : 'ERR_JWT_INVALID';
  const message = error instanceof Error ? error.message : String(error);
  return `${code}: ${message}`;
}
