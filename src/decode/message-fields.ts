// Named fields of a message, where credentials travel outside Authorization: the query string,
// form and JSON bodies, and cookies. Bounded in size and count; never throws.
import type { HttpBody, HttpHeaders } from '../model/index.js';
import { headerValue } from '../model/index.js';
import { parseBoundedJson } from '../sources/bounded-json.js';

/** A named value, in the order the message carried it. */
export type Field = readonly [name: string, value: string];

/** Most characters of a URI or body looked at, and most fields taken from one. */
const MAX_TEXT_CHARS = 1024 * 1024;
const MAX_FIELDS = 256;

/** The query parameters of a request target (origin-form or absolute-form), percent-decoded. */
export function queryFields(uri: string): Field[] {
  const question = uri.indexOf('?');
  if (question === -1) return [];
  const hash = uri.indexOf('#', question);
  return urlEncodedFields(uri.slice(question + 1, hash === -1 ? undefined : hash));
}

/** `application/x-www-form-urlencoded` pairs; a truncated body's last (possibly cut) pair is dropped. */
export function formFields(body: HttpBody): Field[] {
  const fields = urlEncodedFields(bodyText(body));
  return body.truncated ? fields.slice(0, -1) : fields;
}

/** The top-level members of a JSON object body; empty when the body is no JSON object (or over 1 MiB). */
export function jsonFields(body: HttpBody): Map<string, unknown> {
  const fields = new Map<string, unknown>();
  const start = objectStart(body.bytes);
  if (start === -1 || body.bytes.length > MAX_TEXT_CHARS) return fields;
  let parsed: unknown;
  try {
    parsed = parseBoundedJson(body.bytes.subarray(start).toString('utf8'));
  } catch {
    return fields;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return fields;
  for (const [name, value] of Object.entries(parsed)) {
    if (fields.size >= MAX_FIELDS) break;
    fields.set(name, value);
  }
  return fields;
}

export type BodyFormat = 'form' | 'json' | 'other';

/** The body's format from Content-Type; untyped and text bodies are tried as JSON (objects only). */
export function bodyFormatOf(headers: HttpHeaders): BodyFormat {
  const contentType = headerValue(headers, 'content-type') ?? '';
  const semicolon = contentType.indexOf(';');
  const mediaType = (semicolon === -1 ? contentType : contentType.slice(0, semicolon)).trim().toLowerCase();
  if (mediaType === 'application/x-www-form-urlencoded') return 'form';
  if (mediaType === '' || mediaType === 'application/json' || mediaType.endsWith('+json') || mediaType.startsWith('text/')) {
    return 'json';
  }
  return 'other';
}

/** Cookies sent in Cookie headers, quotes removed. */
export function requestCookies(headers: HttpHeaders): Field[] {
  const cookies: Field[] = [];
  for (const [name, value] of headers) {
    if (name.toLowerCase() !== 'cookie') continue;
    for (const pair of value.split(';')) {
      if (cookies.length >= MAX_FIELDS) return cookies;
      const cookie = cookieOf(pair);
      if (cookie) cookies.push(cookie);
    }
  }
  return cookies;
}

/** The name and value of each Set-Cookie header (attributes dropped). */
export function responseCookies(headers: HttpHeaders): Field[] {
  const cookies: Field[] = [];
  for (const [name, value] of headers) {
    if (cookies.length >= MAX_FIELDS) break;
    if (name.toLowerCase() !== 'set-cookie') continue;
    const cookie = cookieOf(value.split(';', 1)[0]!);
    if (cookie) cookies.push(cookie);
  }
  return cookies;
}

function cookieOf(pair: string): Field | undefined {
  const equals = pair.indexOf('=');
  if (equals === -1) return undefined;
  const value = pair.slice(equals + 1).trim();
  const unquoted = value.length >= 2 && value.startsWith('"') && value.endsWith('"') ? value.slice(1, -1) : value;
  return [pair.slice(0, equals).trim(), unquoted];
}

function urlEncodedFields(text: string): Field[] {
  const fields: Field[] = [];
  for (const [name, value] of new URLSearchParams(text.slice(0, MAX_TEXT_CHARS))) {
    if (fields.length >= MAX_FIELDS) break;
    fields.push([name, value]);
  }
  return fields;
}

/** Offset of the `{` that opens the body (after a BOM and whitespace), or -1: no text is decoded. */
function objectStart(bytes: Buffer): number {
  let at = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  while (at < bytes.length && (bytes[at] === 0x20 || bytes[at] === 0x09 || bytes[at] === 0x0a || bytes[at] === 0x0d)) at++;
  return bytes[at] === 0x7b ? at : -1;
}

function bodyText(body: HttpBody): string {
  return body.bytes.subarray(0, MAX_TEXT_CHARS).toString('utf8');
}
