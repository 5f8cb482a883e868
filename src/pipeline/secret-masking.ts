// Masking of an exchange's secrets, in one pass over the text each (no backtracking regex on data from the wire); bodies on their bytes.
import { SENSITIVE_QUERY_NAMES } from '../model/index.js';

/**
 * What masking keeps, so that `scan` of a masked recording finds what the live session found:
 * - JWTs anywhere (headers, URL, bodies): header and payload kept, the signature's characters
 *   replaced by `A` (same length); the token can no longer be replayed or its signature checked;
 * - Basic: the user kept, each password character replaced by `*`;
 * - NTLM (also inside Negotiate/SPNEGO): type 3 keeps domain, user and workstation, the LM/NT
 *   responses and the session key are zeroed; Digest: the `response` hex is zeroed;
 * - every other Authorization / Proxy-Authorization value after its scheme, known credential
 *   headers, cookies, credential fields of forms, JSON and multipart bodies, credential query and
 *   fragment parameters (names matched case-insensitively, percent-decoded): the first 6
 *   characters kept, letters and digits after them replaced by `x` (a value that is one JWT
 *   keeps its header and payload instead).
 * Kerberos tickets inside Negotiate are kept (encrypted to the service, short-lived).
 * It does not look inside compressed bodies that could not be decoded.
 */
export const MASKING_NOTE = 'oauth-inspect: secrets masked (JWT signatures, passwords, NTLM responses, opaque tokens); record with --record-secrets to keep them';

/** Field, query and fragment parameter names whose values are credentials (lower case, `-` read as `_`). */
const CREDENTIAL_NAMES = new Set([
  ...SENSITIVE_QUERY_NAMES.map((name) => name.toLowerCase().replaceAll('-', '_')),
  'access_token', 'refresh_token', 'id_token', 'client_secret', 'client_assertion', 'assertion', 'password', 'passwd', 'pwd',
  'token', 'actor_token', 'subject_token', 'code', 'code_verifier', 'sig', 'signature', 'jwt', 'api_key', 'apikey', 'key',
  'secret', 'auth', 'authorization', 'session', 'sessionid', 'session_token', 'security_token', 'x_amz_signature',
  'x_amz_security_token', 'x_amz_credential', 'x_goog_signature', 'x_goog_credential', 'subscription_key', 'private_key',
]);

/** Request and response headers whose whole value is a credential (lower case). */
const CREDENTIAL_HEADERS = new Set([
  'x-api-key', 'api-key', 'apikey', 'x-apikey', 'x-token', 'x-auth-token', 'x-access-token', 'x-refresh-token', 'x-id-token',
  'ocp-apim-subscription-key', 'x-functions-key', 'x-amz-security-token', 'x-goog-api-key', 'x-csrf-token', 'x-xsrf-token',
  'x-session-token', 'x-client-secret', 'x-ms-token-aad-access-token', 'x-ms-token-aad-id-token', 'x-ms-token-aad-refresh-token',
]);

/** Header names that say they carry a secret: `…-token`, `…-key`, `…-secret`, `…password…`. */
const CREDENTIAL_HEADER_SHAPE = /(?:^|-)(?:token|api-?key|secret|password|passwd|signature|credentials?|subscription-key)(?:-|$)/;

/** `name` (a field, query or JSON key) percent-decoded, lower case, `-` as `_`: whether it names a credential. */
export function isCredentialName(name: string): boolean {
  let decoded = name.replaceAll('+', ' ');
  try {
    decoded = decodeURIComponent(decoded);
  } catch {
    // Malformed escapes: judged as written.
  }
  const normal = decoded.trim().toLowerCase().replaceAll('-', '_');
  return CREDENTIAL_NAMES.has(normal) || /(?:^|_)(?:access_?token|refresh_?token|id_?token|client_?secret|password|api_?key|secret)$/.test(normal);
}

function isBase64UrlChar(code: number): boolean {
  return (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a) || (code >= 0x30 && code <= 0x39) || code === 0x2d || code === 0x5f;
}

/** End of the run of base64url characters starting at `from`. */
function runEnd(text: string, from: number): number {
  let at = from;
  while (at < text.length && isBase64UrlChar(text.charCodeAt(at))) at++;
  return at;
}

/**
 * JWT signatures in `text` replaced by `A`s of the same length (the decode stage recognises them
 * as masked), including the signature of an actor token nested in an outer token's payload.
 * One pass over runs of base64url characters: a run holding `eyJ` followed by `.run.run` is a
 * token from that `eyJ` on (what `/eyJ[\w-]*\.[\w-]*\.[\w-]*`/ finds, without its backtracking).
 */
export function maskJwtSignatures(text: string): string {
  let out = '';
  let copied = 0;
  let at = 0;
  // The next `eyJ` at or after `at`, searched again only once passed: the searches add up to one pass.
  let start = text.indexOf('eyJ');
  while (at < text.length && start !== -1) {
    if (!isBase64UrlChar(text.charCodeAt(at))) {
      at++;
      continue;
    }
    const headerEnd = runEnd(text, at);
    if (start < at) start = text.indexOf('eyJ', at);
    if (start !== -1 && start + 3 <= headerEnd && text.charCodeAt(headerEnd) === 0x2e) {
      const payloadEnd = runEnd(text, headerEnd + 1);
      if (text.charCodeAt(payloadEnd) === 0x2e) {
        const signatureEnd = runEnd(text, payloadEnd + 1);
        out += `${text.slice(copied, start)}${text.slice(start, headerEnd)}.${maskNestedActor(text.slice(headerEnd + 1, payloadEnd))}.${'A'.repeat(signatureEnd - payloadEnd - 1)}`;
        copied = signatureEnd;
        at = signatureEnd;
        continue;
      }
    }
    at = headerEnd;
  }
  return copied === 0 ? text : out + text.slice(copied);
}

/** The payload with its `actortoken` claim's signature masked; unchanged when it has none. */
function maskNestedActor(payload: string): string {
  if (!payload.startsWith('eyJ')) return payload;
  const json = Buffer.from(payload, 'base64url').toString('utf8');
  // Most payloads have no actor: no parse (and no exception thrown per near-token of a hostile body).
  if (!json.includes('"actortoken"')) return payload;
  let claims: unknown;
  try {
    claims = JSON.parse(json);
  } catch {
    return payload;
  }
  if (typeof claims !== 'object' || claims === null) return payload;
  const actor = (claims as { actortoken?: unknown }).actortoken;
  if (typeof actor !== 'string') return payload;
  const masked = maskJwtSignatures(actor);
  return masked === actor ? payload : Buffer.from(JSON.stringify({ ...claims, actortoken: masked }), 'utf8').toString('base64url');
}

/** `value` is one compact JWT (signed or not), possibly padded or surrounded by spaces. */
function isWholeJwt(value: string): boolean {
  const trimmed = value.trim().replace(/=+$/, '');
  if (!trimmed.startsWith('eyJ')) return false;
  const headerEnd = runEnd(trimmed, 0);
  if (trimmed.charCodeAt(headerEnd) !== 0x2e) return false;
  const payloadEnd = runEnd(trimmed, headerEnd + 1);
  return trimmed.charCodeAt(payloadEnd) === 0x2e && runEnd(trimmed, payloadEnd + 1) === trimmed.length;
}

/** An opaque secret: a JWT keeps header and payload (signature masked), anything else 6 characters and the rest `x`. */
export function maskOpaque(value: string): string {
  if (isWholeJwt(value)) return maskJwtSignatures(value);
  return value.slice(0, 6) + value.slice(6).replace(/[A-Za-z0-9]/g, 'x');
}

function maskBasic(credentials: string): string {
  const text = Buffer.from(credentials, 'base64').toString('utf8');
  const colon = text.indexOf(':');
  if (colon === -1) return maskOpaque(credentials);
  return Buffer.from(`${text.slice(0, colon)}:${'*'.repeat(text.length - colon - 1)}`, 'utf8').toString('base64');
}

const NTLMSSP = Buffer.from('NTLMSSP\0', 'latin1');

/** NTLM type 3 with its LM/NT responses and session key zeroed (also inside SPNEGO); others unchanged. */
function maskNtlm(token: string): string {
  const bytes = Buffer.from(token, 'base64');
  const at = bytes.indexOf(NTLMSSP);
  if (at === -1 || bytes.length < at + 64 || bytes.readUInt32LE(at + 8) !== 3) return token;
  for (const field of [12, 20, 52]) {
    const length = bytes.readUInt16LE(at + field);
    const offset = at + bytes.readUInt32LE(at + field + 4);
    if (offset + length <= bytes.length) bytes.fill(0, offset, offset + length);
  }
  return bytes.toString('base64');
}

/** An Authorization / Proxy-Authorization value masked as MASKING_NOTE says: everything after the scheme, whatever its shape. */
export function maskAuthorization(value: string): string {
  const match = /^(\s*)(\S+)(\s+)([\s\S]*)$/.exec(value);
  if (!match) return maskOpaque(value);
  const [, lead, scheme, space, rest] = match as unknown as [string, string, string, string, string];
  const lower = scheme.toLowerCase();
  let masked: string;
  if (lower === 'basic') masked = maskBasic(rest.trim());
  else if (lower === 'ntlm' || lower === 'negotiate') masked = maskNtlm(rest.trim());
  else if (lower === 'digest') masked = rest.replace(/(response\s*=\s*"?)([0-9a-f]+)/i, (_, name: string, hex: string) => name + '0'.repeat(hex.length));
  else masked = maskOpaque(rest);
  return `${lead}${scheme}${space}${masked}`;
}

function maskCookie(value: string, setCookie: boolean): string {
  const parts = value.split(';');
  const count = setCookie ? 1 : parts.length;
  for (let i = 0; i < count; i++) {
    const part = parts[i]!;
    const equals = part.indexOf('=');
    if (equals !== -1) parts[i] = part.slice(0, equals + 1) + maskOpaque(part.slice(equals + 1));
  }
  return parts.join(';');
}

/** A header value masked by what its name says it carries; JWT signatures masked in any header. */
export function maskHeader(name: string, value: string): string {
  const lower = name.toLowerCase();
  if (lower === 'authorization' || lower === 'proxy-authorization') return maskAuthorization(value);
  if (lower === 'cookie') return maskCookie(value, false);
  if (lower === 'set-cookie') return maskCookie(value, true);
  if (CREDENTIAL_HEADERS.has(lower) || CREDENTIAL_HEADER_SHAPE.test(lower)) return maskOpaque(value);
  return maskJwtSignatures(value);
}

/** `name=value` pairs separated by `&` (or `;`), credential values masked. */
function maskPairs(text: string): string {
  return text.replace(/[^&;]+/g, (pair) => {
    const equals = pair.indexOf('=');
    if (equals === -1 || !isCredentialName(pair.slice(0, equals))) return pair;
    return pair.slice(0, equals + 1) + maskOpaque(pair.slice(equals + 1));
  });
}

/** A URL with credential query and fragment parameters masked, and JWT signatures anywhere in it. */
export function maskUrl(url: string): string {
  const hash = url.indexOf('#');
  const beforeHash = hash === -1 ? url : url.slice(0, hash);
  const question = beforeHash.indexOf('?');
  const path = question === -1 ? beforeHash : beforeHash.slice(0, question);
  const query = question === -1 ? '' : `?${maskPairs(beforeHash.slice(question + 1))}`;
  const fragment = hash === -1 ? '' : `#${maskPairs(url.slice(hash + 1))}`;
  return maskJwtSignatures(`${path}${query}${fragment}`);
}

/**
 * JSON strings that are the value of a credential key, masked: one pass that tells strings
 * from the rest (escapes skipped), so any text can be given, JSON or not.
 */
function maskJsonFields(text: string): string {
  let out = '';
  let copied = 0;
  let at = 0;
  let lastKey: string | undefined;
  while (at < text.length) {
    if (text.charCodeAt(at) !== 0x22) {
      at++;
      continue;
    }
    let end = at + 1;
    while (end < text.length && text.charCodeAt(end) !== 0x22) end += text.charCodeAt(end) === 0x5c ? 2 : 1;
    const content = text.slice(at + 1, Math.min(end, text.length));
    if (lastKey !== undefined) {
      if (isCredentialName(jsonString(lastKey))) {
        out += text.slice(copied, at + 1) + maskOpaque(content);
        copied = at + 1 + content.length;
      }
      lastKey = undefined;
    } else {
      let next = end + 1;
      while (next < text.length && /\s/.test(text[next]!)) next++;
      if (text.charCodeAt(next) === 0x3a) {
        next++;
        while (next < text.length && /\s/.test(text[next]!)) next++;
        // A string value comes next: it is this key's.
        if (text.charCodeAt(next) === 0x22) {
          lastKey = content;
          at = next;
          continue;
        }
      }
    }
    at = end + 1;
  }
  return copied === 0 ? text : out + text.slice(copied);
}

/** A JSON string's content unescaped (as written when it is not valid). */
function jsonString(content: string): string {
  if (!content.includes('\\')) return content;
  try {
    return JSON.parse(`"${content}"`) as string;
  } catch {
    return content;
  }
}

/**
 * A multipart/form-data part's head naming its field; every repetition bounded, so that each
 * attempt reads a few KB at most and a body full of near-misses stays linear.
 */
const PART_HEAD = /content-disposition:[^\r\n]{0,200}?\bname="([^"\r\n]{0,200})"[^\r\n]{0,200}\r?\n(?:[^\r\n]{1,500}\r?\n){0,8}?\r?\n/gi;

/** multipart/form-data parts named as credentials: their content masked up to the next boundary line. */
function maskMultipart(text: string): string {
  let out = '';
  let copied = 0;
  for (const match of text.matchAll(PART_HEAD)) {
    const start = match.index + match[0].length;
    if (start < copied || !isCredentialName(match[1]!)) continue;
    const next = text.indexOf('\r\n--', start);
    const end = next === -1 ? text.length : next;
    out += text.slice(copied, start) + maskOpaque(text.slice(start, end));
    copied = end;
  }
  return copied === 0 ? text : out + text.slice(copied);
}

/**
 * A body's bytes with their secrets masked, whatever their encoding: the bytes are read one
 * character per byte (latin1), so a byte that is not UTF-8 hides nothing; masking changes ASCII
 * characters only, so UTF-8 stays UTF-8.
 */
export function maskBodyBytes(bytes: Buffer): Buffer {
  const text = bytes.toString('latin1');
  const masked = maskJwtSignatures(maskMultipart(maskJsonFields(maskPairs(text))));
  return masked === text ? bytes : Buffer.from(masked, 'latin1');
}
