// HAR 1.2 recording of exchanges, written entry by entry so the file parses after any crash; secrets masked.
import { open, type FileHandle } from 'node:fs/promises';
import { endpointToString, exchangeHost, headerValue, timestampToIso, timestampToSeconds } from '../model/index.js';
import type { HttpBody, HttpExchange, HttpHeaders } from '../model/index.js';
import { SENSITIVE_QUERY_NAMES } from './mask.js';

/**
 * What masking keeps, so that `scan` of a masked recording finds what the live session found:
 * - JWTs anywhere (headers, URL, bodies): header and payload kept, the signature's characters
 *   replaced by `A` (same length); the token can no longer be replayed or its signature checked;
 * - Basic: the user kept, each password character replaced by `*`;
 * - NTLM (also inside Negotiate/SPNEGO): type 3 keeps domain, user and workstation, the LM/NT
 *   responses and the session key are zeroed; Digest: the `response` hex is zeroed;
 * - other credentials (opaque tokens, cookies, token fields of forms and JSON, sensitive query
 *   parameters): the first 6 characters kept, letters and digits after them replaced by `x`.
 * Kerberos tickets inside Negotiate are kept (encrypted to the service, short-lived).
 */
export const MASKING_NOTE = 'oauth-inspect: secrets masked (JWT signatures, passwords, NTLM responses, opaque tokens); record with --record-secrets to keep them';

const COMPACT_JWT = /(eyJ[A-Za-z0-9_-]*)\.([A-Za-z0-9_-]*)\.([A-Za-z0-9_-]*)/g;
const BODY_TOKEN_FIELDS = ['access_token', 'refresh_token', 'id_token', 'client_secret', 'client_assertion', 'assertion', 'password', 'token', 'actor_token'];
const FORM_FIELD = new RegExp(`(^|&)(${BODY_TOKEN_FIELDS.join('|')})=([^&]*)`, 'gi');
const JSON_FIELD = new RegExp(`("(?:${BODY_TOKEN_FIELDS.join('|')})"\\s*:\\s*")((?:[^"\\\\]|\\\\.)*)`, 'gi');
const QUERY_NAMES = new Set(SENSITIVE_QUERY_NAMES);
const CREDENTIAL_HEADERS = new Set(['authorization', 'proxy-authorization']);

/**
 * JWT signatures in `text` replaced by `A`s of the same length (the decode stage recognises them
 * as masked), including the signature of an actor token nested in an outer token's payload.
 */
export function maskJwtSignatures(text: string): string {
  return text.replace(COMPACT_JWT, (_, header: string, payload: string, signature: string) =>
    `${header}.${maskNestedActor(payload)}.${'A'.repeat(signature.length)}`,
  );
}

/** The payload with its `actortoken` claim's signature masked; unchanged when it has none. */
function maskNestedActor(payload: string): string {
  if (!payload.startsWith('eyJ')) return payload;
  let claims: unknown;
  try {
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return payload;
  }
  if (typeof claims !== 'object' || claims === null) return payload;
  const actor = (claims as { actortoken?: unknown }).actortoken;
  if (typeof actor !== 'string') return payload;
  const masked = maskJwtSignatures(actor);
  return masked === actor ? payload : Buffer.from(JSON.stringify({ ...claims, actortoken: masked }), 'utf8').toString('base64url');
}

/** An opaque secret: JWT signature masked if it is one, else 6 characters kept and the rest `x`. */
export function maskOpaque(value: string): string {
  const jwtMasked = maskJwtSignatures(value);
  if (jwtMasked !== value || /^eyJ[^.]*\.[^.]*\.$/.test(value)) return jwtMasked;
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

/** An Authorization / Proxy-Authorization value masked as MASKING_NOTE says. */
export function maskAuthorization(value: string): string {
  const match = /^(\s*)(\S+)(\s+)([\s\S]*)$/.exec(value);
  if (!match) return maskOpaque(value);
  const [, lead, scheme, space, rest] = match as unknown as [string, string, string, string, string];
  const lower = scheme.toLowerCase();
  let masked: string;
  if (lower === 'basic') masked = maskBasic(rest.trim());
  else if (lower === 'ntlm' || lower === 'negotiate') masked = maskNtlm(rest.trim());
  else if (lower === 'digest') masked = rest.replace(/(response\s*=\s*"?)([0-9a-f]+)/i, (_, name: string, hex: string) => name + '0'.repeat(hex.length));
  else masked = rest.includes('=') && !/^[A-Za-z0-9._~+/-]+=*$/.test(rest.trim()) ? maskJwtSignatures(rest) : maskOpaque(rest);
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

function maskHeader(name: string, value: string): string {
  const lower = name.toLowerCase();
  if (CREDENTIAL_HEADERS.has(lower)) return maskAuthorization(value);
  if (lower === 'cookie') return maskCookie(value, false);
  if (lower === 'set-cookie') return maskCookie(value, true);
  return maskJwtSignatures(value);
}

function maskQuery(url: string): string {
  const question = url.indexOf('?');
  if (question === -1) return maskJwtSignatures(url);
  const pairs = url.slice(question + 1).split('&').map((pair) => {
    const equals = pair.indexOf('=');
    if (equals === -1 || !QUERY_NAMES.has(pair.slice(0, equals).toLowerCase())) return pair;
    return pair.slice(0, equals + 1) + maskOpaque(pair.slice(equals + 1));
  });
  return maskJwtSignatures(`${url.slice(0, question)}?${pairs.join('&')}`);
}

function maskBodyText(text: string): string {
  return maskJwtSignatures(
    text
      .replace(FORM_FIELD, (_, lead: string, name: string, value: string) => `${lead}${name}=${maskOpaque(value)}`)
      .replace(JSON_FIELD, (_, lead: string, value: string) => lead + maskOpaque(value)),
  );
}

type Json = Record<string, unknown>;

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Body text for HAR: UTF-8 when it is, else base64 (never masked: binary). */
function bodyText(body: HttpBody, mask: boolean): { text: string; encoding?: 'base64' } {
  try {
    const text = utf8.decode(body.bytes);
    return { text: mask ? maskBodyText(text) : text };
  } catch {
    return { text: body.bytes.toString('base64'), encoding: 'base64' };
  }
}

function harHeaders(headers: HttpHeaders, mask: boolean): Json[] {
  return headers.map(([name, value]) => ({ name, value: mask ? maskHeader(name, value) : value }));
}

function queryString(url: string): Json[] {
  const question = url.indexOf('?');
  if (question === -1) return [];
  return url.slice(question + 1).split('&').filter((pair) => pair !== '').map((pair) => {
    const equals = pair.indexOf('=');
    return equals === -1 ? { name: pair, value: '' } : { name: pair.slice(0, equals), value: pair.slice(equals + 1) };
  });
}

/** The request's absolute URL: the absolute-form target as sent, else scheme + Host + target. */
function absoluteUrl(ex: HttpExchange): string {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(ex.request.uri)) return ex.request.uri;
  return `${ex.scheme}://${exchangeHost(ex) || endpointToString(ex.server)}${ex.request.uri}`;
}

/** One HAR 1.2 entry for `ex`, masked unless `mask` is false. */
export function harEntryOf(ex: HttpExchange, mask: boolean): Json {
  const url = mask ? maskQuery(absoluteUrl(ex)) : absoluteUrl(ex);
  const request = ex.request;
  const contentType = headerValue(request.headers, 'content-type');
  const requestJson: Json = {
    method: request.method,
    url,
    httpVersion: request.version,
    cookies: [],
    headers: harHeaders(request.headers, mask),
    queryString: queryString(url),
    headersSize: -1,
    bodySize: request.body.wireLength,
  };
  if (request.body.bytes.length > 0) requestJson['postData'] = { mimeType: contentType ?? '', ...bodyText(request.body, mask) };
  const response = ex.response;
  const waitMs = response ? Math.max(0, (timestampToSeconds(response.time) - timestampToSeconds(request.time)) * 1000) : 0;
  const responseJson: Json = response
    ? {
        status: response.status,
        statusText: response.reason,
        httpVersion: response.version,
        cookies: [],
        headers: harHeaders(response.headers, mask),
        content: {
          // More than the bytes held tells a reader that the body was cut at the capture cap.
          size: response.body.truncated ? Math.max(response.body.wireLength, response.body.bytes.length + 1) : response.body.bytes.length,
          mimeType: headerValue(response.headers, 'content-type') ?? '',
          ...bodyText(response.body, mask),
        },
        redirectURL: headerValue(response.headers, 'location') ?? '',
        headersSize: -1,
        bodySize: response.body.wireLength,
      }
    : {
        status: 0,
        statusText: '',
        httpVersion: '',
        cookies: [],
        headers: [],
        content: { size: 0, mimeType: '' },
        redirectURL: '',
        headersSize: -1,
        bodySize: -1,
        _error: ex.anomalies.map((a) => a.message).join('; ') || 'no response',
      };
  return {
    startedDateTime: timestampToIso(request.time),
    time: waitMs,
    request: requestJson,
    response: responseJson,
    cache: {},
    timings: { send: 0, wait: waitMs, receive: 0 },
    ...(ex.server.ip ? { serverIPAddress: ex.server.ip } : {}),
    connection: String(ex.stream),
    ...(mask ? { comment: 'secrets masked' } : {}),
  };
}

export interface HarWriterOptions {
  /** Mask secrets (default true). */
  readonly mask: boolean;
  readonly creator: { readonly name: string; readonly version: string };
}

const TAIL = '\n]}}\n';

/**
 * Appends entries to a HAR file. Each write puts one or more entries and the closing `]}}`
 * after the last entry, in a single positioned write: the file is a complete HAR between writes.
 */
export class HarWriter {
  readonly #file: FileHandle;
  readonly #mask: boolean;
  /** Offset where the closing tail starts (where the next entry goes). */
  #end: number;
  #entries = 0;
  #queued: string[] = [];
  #writing: Promise<void> | undefined;
  #failure: unknown;

  private constructor(file: FileHandle, mask: boolean, headerLength: number) {
    this.#file = file;
    this.#mask = mask;
    this.#end = headerLength;
  }

  static async create(path: string, options: HarWriterOptions): Promise<HarWriter> {
    const file = await open(path, 'w', 0o600);
    const head = JSON.stringify({
      log: { version: '1.2', creator: options.creator, ...(options.mask ? { comment: MASKING_NOTE } : {}), entries: [] },
    }).slice(0, -'[]}}'.length);
    const header = `${head}[\n`;
    await file.write(`${header}${TAIL.slice(1)}`, 0);
    return new HarWriter(file, options.mask, Buffer.byteLength(header));
  }

  get entries(): number {
    return this.#entries;
  }

  /** Queues `ex` for writing; entries are written in the order added. */
  add(ex: HttpExchange): void {
    const entry = JSON.stringify(harEntryOf(ex, this.#mask));
    this.#queued.push(this.#entries++ === 0 ? entry : `,\n${entry}`);
    this.#writing ??= this.#drain();
  }

  async #drain(): Promise<void> {
    try {
      while (this.#queued.length > 0 && this.#failure === undefined) {
        const text = this.#queued.join('');
        this.#queued = [];
        const bytes = Buffer.from(text + TAIL, 'utf8');
        await this.#file.write(bytes, 0, bytes.length, this.#end);
        this.#end += bytes.length - TAIL.length;
      }
    } catch (error) {
      this.#failure = error;
    } finally {
      this.#writing = undefined;
    }
  }

  /** Writes what is queued and closes the file; rejects with the first write failure. */
  async close(): Promise<void> {
    while (this.#writing) await this.#writing;
    await this.#file.close();
    if (this.#failure !== undefined) throw this.#failure;
  }
}
