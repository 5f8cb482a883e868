// Start lines of HTTP/1.x messages: request-line and status-line, parsed from raw line bytes.

export interface RequestLine {
  readonly method: string;
  readonly uri: string;
  readonly version: string;
}

export interface StatusLine {
  readonly version: string;
  readonly status: number;
  readonly reason: string;
}

const LF = 0x0a;
const CR = 0x0d;
const SP = 0x20;

/** RFC 9110 tchar, indexed by byte value. */
export const TCHAR: Uint8Array = (() => {
  const table = new Uint8Array(256);
  for (const ch of "!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz") {
    table[ch.charCodeAt(0)] = 1;
  }
  return table;
})();

const REQUEST_LINE = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+) ([\x21-\x7e\x80-\xff]+) (HTTP\/1\.[0-9])$/;
const STATUS_LINE = /^(HTTP\/1\.[0-9]) ([0-9]{3})(?: (.*))?$/;
const HTTP1_PREFIX = Buffer.from('HTTP/1.', 'latin1');
/** Shortest request line: `M / HTTP/1.1`. */
const MIN_REQUEST_LINE = 12;

/** End of the line's content: before the LF (and a CR before it) that `end` may include. */
function contentEnd(line: Buffer, start: number, end: number): number {
  if (end > start && line[end - 1] === LF) end--;
  if (end > start && line[end - 1] === CR) end--;
  return end;
}

function isHttp1Version(line: Buffer, at: number): boolean {
  return line.compare(HTTP1_PREFIX, 0, HTTP1_PREFIX.length, at, at + HTTP1_PREFIX.length) === 0;
}

/** Parses `line[start, end)` (a trailing CRLF or LF is allowed) as a request-line. */
export function parseRequestLine(line: Buffer, start: number, end: number): RequestLine | undefined {
  const stop = contentEnd(line, start, end);
  // Cheap byte checks first, so lines of binary data never become strings.
  if (stop - start < MIN_REQUEST_LINE || TCHAR[line[start]!] !== 1) return undefined;
  const versionAt = stop - 8;
  if (line[versionAt - 1] !== SP || !isHttp1Version(line, versionAt)) return undefined;
  const match = REQUEST_LINE.exec(line.toString('latin1', start, stop));
  if (!match) return undefined;
  return { method: match[1]!, uri: match[2]!, version: match[3]! };
}

/**
 * A request line the snapshot length cut before its end: an upper-case method, SP, the URI as far
 * as captured, then maybe SP and the start of `HTTP/1.x` (the version, '' when not reached).
 * Stricter on the method than parseRequestLine, since cut body text could look like a cut line.
 */
const CUT_REQUEST_LINE = /^([A-Z][A-Z0-9_-]*) ([\x21-\x7e\x80-\xff]+)(?: (H(?:T(?:T(?:P(?:\/(?:1(?:\.[0-9]?)?)?)?)?)?)?)?)?\r?$/;

/** Cut start lines longer than this are not looked at (the snapshot length is rarely larger). */
const MAX_CUT_LINE_BYTES = 16 * 1024;

/** Parses a whole or cut request line (see CUT_REQUEST_LINE) from the captured `line`. */
export function parseCutRequestLine(line: Buffer): RequestLine | undefined {
  const whole = parseRequestLine(line, 0, line.length);
  if (whole !== undefined) return whole;
  if (line.length > MAX_CUT_LINE_BYTES || line.includes(LF)) return undefined;
  const match = CUT_REQUEST_LINE.exec(line.toString('latin1'));
  if (!match) return undefined;
  return { method: match[1]!, uri: match[2]!, version: match[3] ?? '' };
}

/** Parses a whole or cut status line: the status code must have been captured. */
export function parseCutStatusLine(line: Buffer): StatusLine | undefined {
  return line.includes(LF) ? undefined : parseStatusLine(line, 0, line.length);
}

/** Parses `line[start, end)` (a trailing CRLF or LF is allowed) as a status-line. */
export function parseStatusLine(line: Buffer, start: number, end: number): StatusLine | undefined {
  const stop = contentEnd(line, start, end);
  if (stop - start < 12 || !isHttp1Version(line, start)) return undefined;
  const match = STATUS_LINE.exec(line.toString('latin1', start, stop));
  if (!match) return undefined;
  return { version: match[1]!, status: Number(match[2]), reason: match[3] ?? '' };
}

/** Whether a line beginning with `prefix` could still be a request line (method letters so far). */
export function mayBeRequestLine(prefix: Buffer): boolean {
  const first = prefix[0];
  if (first === undefined) return true;
  if (!((first >= 0x41 && first <= 0x5a) || (first >= 0x61 && first <= 0x7a))) return false;
  for (const byte of prefix) {
    if (byte === SP) return true;
    if (TCHAR[byte] !== 1) return false;
  }
  return true;
}

/** Whether a line beginning with `prefix` could still be a status line. */
export function mayBeStatusLine(prefix: Buffer): boolean {
  const length = Math.min(prefix.length, HTTP1_PREFIX.length);
  return prefix.compare(HTTP1_PREFIX, 0, length, 0, length) === 0;
}
