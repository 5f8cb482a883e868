// Maps one HAR 1.2 entry to an HttpExchange. It reads no file and undoes no Content-Encoding,
// because HAR bodies are stored already decoded.
import type {
  Anomaly,
  AnomalyCode,
  AnomalySeverity,
  HttpBody,
  HttpExchange,
  HttpResponse,
  Timestamp,
  TlsInfo,
} from '../model/index.js';
import { anomaly, headersFromPseudoHeaders, headerValue } from '../model/index.js';
import { ipText, parseIsoTime, splitUrl, type SplitUrl } from './wire-text.js';

/** What one HAR file's entries share while they are mapped in order. */
export interface HarEntryContext {
  readonly file: string;
  /** Exchanges seen so far per `connection` (undefined: none given), for indexInStream. */
  readonly streamCounts: Map<number | undefined, number>;
}

export type HarEntryResult =
  | { readonly type: 'exchange'; readonly exchange: HttpExchange }
  | { readonly type: 'skipped'; readonly anomaly: Anomaly };

type JsonObject = Record<string, unknown>;
type Note = (code: AnomalyCode, severity: AnomalySeverity, problem: string) => void;
type MutableHeaders = Array<[name: string, value: string]>;

/**
 * Maps `entry` (log.entries[index]) to an exchange, or says why it was skipped. Oddities that
 * do not stop the mapping are in `exchange.anomalies`. Field mapping:
 * - uri: the HTTP/2 `:path` pseudo-header when present (what went on the wire), else the URL's
 *   path and query as written in the HAR (no re-encoding, fragment dropped; CONNECT: authority);
 * - headers: in order with their casing; `:authority` becomes `host`, other pseudo-headers are
 *   dropped; with no Host at all, one is added from the URL; with no Content-Type and a body,
 *   one is added from postData.mimeType / content.mimeType;
 * - bodies: postData.text (or params, form-encoded) and content.text, base64 when
 *   `encoding` says so; `truncated` when the HAR holds fewer bytes than bodySize/content.size;
 * - times: request at startedDateTime, response at start + the sum of timings (or `time`);
 * - server: serverIPAddress and the URL's port; no client (HAR does not record it);
 * - entry: `index`, which is where reports place the exchange (it has no frames or tcp.stream);
 * - connection: numeric `connection` (Chrome's connection id), else none;
 * - status 0 or no response (blocked or failed request): response undefined.
 */
export function harEntryToExchange(entry: unknown, index: number, context: HarEntryContext): HarEntryResult {
  const where = `log.entries[${index}]`;
  const skip = (problem: string): HarEntryResult => ({
    type: 'skipped',
    anomaly: anomaly({ code: 'har-bad-entry', severity: 'warning', message: `${where}: ${problem}; entry skipped`, file: context.file }),
  });
  if (!isJsonObject(entry)) return skip('not an object');
  const request = entry['request'];
  if (!isJsonObject(request)) return skip('no request object');
  const method = request['method'];
  if (typeof method !== 'string' || method === '') return skip('request.method is missing');
  const rawUrl = request['url'];
  if (typeof rawUrl !== 'string') return skip('request.url is missing');
  const url = splitUrl(rawUrl);
  if (url === undefined) return skip('request.url is not an absolute http(s) URL');

  const connection = connectionNumber(entry['connection']);
  const indexInStream = context.streamCounts.get(connection) ?? 0;
  context.streamCounts.set(connection, indexInStream + 1);
  const anomalies: Anomaly[] = [];
  // The message names the entry; a HAR has no tcp.stream to give the anomaly.
  const note: Note = (code, severity, problem) => {
    anomalies.push(anomaly({ code, severity, message: `${where}: ${problem}`, file: context.file }));
  };

  const started = parseIsoTime(entry['startedDateTime']);
  if (started === undefined) note('har-bad-time', 'warning', 'startedDateTime is missing or not ISO 8601; time set to 0');
  const requestTime = started ?? { sec: 0, nsec: 0 };
  const requestVersion = httpVersion(request['httpVersion']);
  const requestHeaders = readHeaders(request['headers'], 'request.headers', note);
  const wireTarget = headerValue(requestHeaders, ':path');
  const headers = requestHeaderFields(requestHeaders, url, requestVersion);
  const requestBody = readRequestBody(request, note);
  addContentType(headers, requestBody.mimeType, requestBody.body.bytes.length);

  const response = readResponse(entry, requestVersion, note);
  const version = requestVersion || (response?.version ?? '');
  const exchange: HttpExchange = {
    origin: { kind: 'har', file: context.file },
    ...(connection !== undefined ? { connection } : {}),
    indexInStream,
    entry: index,
    server: { ip: ipText(entry['serverIPAddress']), port: url.port },
    ...(url.scheme === 'https' ? { tls: tlsInfo(version) } : {}),
    scheme: url.scheme,
    request: {
      time: requestTime,
      method,
      uri: method.toUpperCase() === 'CONNECT' ? url.authority : (wireTarget ?? url.target),
      version,
      headers,
      body: requestBody.body,
    },
    ...(response ? { response: { ...response, time: addMillis(requestTime, entryDuration(entry)) } } : {}),
    anomalies,
  };
  return { type: 'exchange', exchange };
}

/** A JSON object (not an array, not null). */
export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function connectionNumber(connection: unknown): number | undefined {
  if (typeof connection === 'number' && Number.isSafeInteger(connection) && connection >= 0) return connection;
  if (typeof connection === 'string' && /^\d{1,15}$/.test(connection)) return Number(connection);
  return undefined;
}

/** HAR httpVersion as the rest of the tool writes it: HTTP/1.1, HTTP/2, HTTP/3; '' when unknown. */
function httpVersion(raw: unknown): string {
  if (typeof raw !== 'string') return '';
  const version = raw.trim().toLowerCase();
  if (version === 'h2' || version === 'http/2' || version === 'http/2.0') return 'HTTP/2';
  if (version === 'h3' || version.startsWith('h3-') || version === 'http/3' || version === 'http/3.0') return 'HTTP/3';
  if (/^http\/\d\.\d$/.test(version)) return version.toUpperCase();
  return raw.trim();
}

const ALPN_BY_VERSION: Readonly<Record<string, string>> = { 'HTTP/1.1': 'http/1.1', 'HTTP/2': 'h2', 'HTTP/3': 'h3' };

function tlsInfo(version: string): TlsInfo {
  const alpn = ALPN_BY_VERSION[version];
  return alpn ? { alpn } : {};
}

/** Headers as {name, value} pairs, in order; malformed pairs are dropped with an anomaly. */
function readHeaders(raw: unknown, field: string, note: Note): MutableHeaders {
  const headers: MutableHeaders = [];
  if (raw === undefined) return headers;
  if (!Array.isArray(raw)) {
    note('har-bad-header', 'warning', `${field} is not an array; headers dropped`);
    return headers;
  }
  raw.forEach((pair: unknown, k) => {
    if (isJsonObject(pair) && typeof pair['name'] === 'string' && typeof pair['value'] === 'string') {
      headers.push([pair['name'], pair['value']]);
    } else {
      note('har-bad-header', 'warning', `${field}[${k}] is not a {name, value} pair of strings; header dropped`);
    }
  });
  return headers;
}

/** `:authority` becomes `host` (unless a Host header exists), other pseudo-headers go; Host is ensured. */
function requestHeaderFields(raw: MutableHeaders, url: SplitUrl, version: string): MutableHeaders {
  const headers = headersFromPseudoHeaders(raw);
  if (headerValue(headers, 'host') === undefined) {
    headers.unshift([version === 'HTTP/2' || version === 'HTTP/3' ? 'host' : 'Host', url.authority]);
  }
  return headers;
}

/** Adds Content-Type from a HAR mimeType when the message has a body and no Content-Type. */
function addContentType(headers: MutableHeaders, mimeType: string | undefined, bodyLength: number): void {
  if (!mimeType || mimeType === 'x-unknown' || bodyLength === 0) return;
  if (headerValue(headers, 'content-type') === undefined) headers.push(['Content-Type', mimeType]);
}

function readRequestBody(request: JsonObject, note: Note): { body: HttpBody; mimeType?: string } {
  const declaredSize = sizeField(request['bodySize']);
  const postData = request['postData'];
  if (postData === undefined) return { body: harBody(Buffer.alloc(0), declaredSize, declaredSize) };
  if (!isJsonObject(postData)) {
    note('har-bad-body', 'warning', 'request.postData is not an object; body dropped');
    return { body: harBody(Buffer.alloc(0), declaredSize, declaredSize) };
  }
  const mimeType = typeof postData['mimeType'] === 'string' ? postData['mimeType'] : undefined;
  const text = postData['text'];
  let bytes: Buffer;
  let damaged = false;
  if (typeof text === 'string') {
    const decoded = decodeText(text, postData['encoding'], 'request.postData', note);
    bytes = decoded.bytes;
    damaged = decoded.damaged;
  } else if (Array.isArray(postData['params']) && postData['params'].length > 0) {
    const form = formEncode(postData['params'], mimeType);
    if (form === undefined) {
      note('har-bad-body', 'warning', 'request.postData has params but no text; body not rebuilt');
      return { body: harBody(Buffer.alloc(0), declaredSize, declaredSize, true), ...(mimeType ? { mimeType } : {}) };
    }
    bytes = Buffer.from(form, 'utf8');
  } else {
    bytes = Buffer.alloc(0);
  }
  return { body: harBody(bytes, declaredSize, declaredSize, damaged), ...(mimeType ? { mimeType } : {}) };
}

/** application/x-www-form-urlencoded from postData.params; undefined for multipart or bad params. */
function formEncode(params: unknown[], mimeType: string | undefined): string | undefined {
  if (mimeType?.toLowerCase().startsWith('multipart/')) return undefined;
  const pairs: Array<[string, string]> = [];
  for (const param of params) {
    if (!isJsonObject(param) || typeof param['name'] !== 'string') return undefined;
    pairs.push([param['name'], typeof param['value'] === 'string' ? param['value'] : '']);
  }
  return new URLSearchParams(pairs).toString();
}

/** Base64 with white space anywhere; written so that no two parts can match the same white space (linear). */
const BASE64 = /^[A-Za-z0-9+/\s]*(?:={1,2}\s*)?$/;

/** HAR text as bytes: base64 when `encoding` says so, else UTF-8. */
function decodeText(text: string, encoding: unknown, field: string, note: Note): { bytes: Buffer; damaged: boolean } {
  if (encoding === 'base64') {
    if (BASE64.test(text)) return { bytes: Buffer.from(text, 'base64'), damaged: false };
    note('har-bad-base64', 'warning', `${field}.text is not valid base64; body dropped`);
    return { bytes: Buffer.alloc(0), damaged: true };
  }
  if (encoding !== undefined && encoding !== '' && encoding !== null) {
    note('har-unknown-encoding', 'warning', `${field}.encoding ${JSON.stringify(encoding)} is unknown; text taken as UTF-8`);
  }
  return { bytes: Buffer.from(text, 'utf8'), damaged: false };
}

/** A HAR size field: a non-negative integer, or undefined for -1 / missing. */
function sizeField(raw: unknown): number | undefined {
  return typeof raw === 'number' && Number.isFinite(raw) && raw >= 0 ? raw : undefined;
}

/** HttpBody from HAR bytes: the wire length is the HAR's size when known; fewer bytes = truncated. */
function harBody(
  bytes: Buffer,
  wireLength: number | undefined,
  fullLength: number | undefined,
  damaged = false,
  contentEncoding?: string,
): HttpBody {
  return {
    bytes,
    wireLength: wireLength ?? bytes.length,
    truncated: damaged || (fullLength !== undefined && fullLength > bytes.length),
    ...(contentEncoding ? { contentEncoding } : {}),
  };
}

/** The response without its time (which needs the entry's timings); undefined when none was received. */
function readResponse(entry: JsonObject, requestVersion: string, note: Note): Omit<HttpResponse, 'time'> | undefined {
  const response = entry['response'];
  if (!isJsonObject(response)) {
    note('har-no-response', 'info', 'no response recorded');
    return undefined;
  }
  const status = typeof response['status'] === 'string' ? Number(response['status']) : response['status'];
  if (typeof status !== 'number' || !Number.isInteger(status) || status < 100 || status > 999) {
    const error = typeof response['_error'] === 'string' ? `: ${response['_error']}` : '';
    note('har-no-response', 'info', `no response (status ${String(response['status'])}${error})`);
    return undefined;
  }
  const version = httpVersion(response['httpVersion']) || requestVersion;
  const headers = readHeaders(response['headers'], 'response.headers', note).filter(([name]) => !name.startsWith(':'));
  const content = response['content'];
  let bytes: Buffer = Buffer.alloc(0);
  let damaged = false;
  let contentSize: number | undefined;
  let mimeType: string | undefined;
  if (isJsonObject(content)) {
    contentSize = sizeField(content['size']);
    mimeType = typeof content['mimeType'] === 'string' ? content['mimeType'] : undefined;
    if (typeof content['text'] === 'string') {
      ({ bytes, damaged } = decodeText(content['text'], content['encoding'], 'response.content', note));
    }
  } else if (content !== undefined) {
    note('har-bad-body', 'warning', 'response.content is not an object; body dropped');
  }
  addContentType(headers, mimeType, bytes.length);
  const contentEncoding = headerValue(headers, 'content-encoding');
  const undone = contentEncoding && contentEncoding.toLowerCase() !== 'identity' ? contentEncoding : undefined;
  return {
    status,
    reason: typeof response['statusText'] === 'string' ? response['statusText'] : '',
    version,
    headers,
    body: harBody(bytes, sizeField(response['bodySize']), contentSize, damaged, undone),
    interim: [],
  };
}

const TIMING_PHASES = ['blocked', 'dns', 'connect', 'send', 'wait', 'receive'] as const;

/** Milliseconds from request start to response end: the sum of timings (ssl is inside connect), else `time`. */
function entryDuration(entry: JsonObject): number {
  const timings = entry['timings'];
  if (isJsonObject(timings)) {
    let total = 0;
    for (const phase of TIMING_PHASES) {
      const ms = timings[phase];
      if (typeof ms === 'number' && Number.isFinite(ms) && ms > 0) total += ms;
    }
    if (total > 0) return total;
  }
  const time = entry['time'];
  return typeof time === 'number' && Number.isFinite(time) && time > 0 ? time : 0;
}

function addMillis(t: Timestamp, ms: number): Timestamp {
  const nsTotal = t.nsec + Math.round(ms * 1e6);
  const carry = Math.floor(nsTotal / 1e9);
  return { sec: t.sec + carry, nsec: nsTotal - carry * 1e9 };
}
