// Locates the first JSON syntax error in a text as line and column; it does not parse values.

/** Where a JSON text first goes wrong: 0-based UTF-16 offset and a short reason. */
export interface JsonSyntaxError {
  readonly offset: number;
  readonly reason: string;
}

const OBJECT = 0;
const ARRAY = 1;

/** Thrown inside this module only, to unwind the scanner at the first fault. */
class ScanFault {
  constructor(
    readonly offset: number,
    readonly reason: string,
  ) {}
}

/**
 * Scans `text` against the JSON grammar (RFC 8259) and returns its first error, or undefined
 * when the text is valid JSON. Runs only after JSON.parse has failed, because V8's messages do
 * not always carry a position. Iterative, so deep nesting cannot overflow the stack.
 */
export function findJsonSyntaxError(text: string): JsonSyntaxError | undefined {
  try {
    scanJson(text);
    return undefined;
  } catch (fault) {
    if (fault instanceof ScanFault) return { offset: fault.offset, reason: fault.reason };
    throw fault;
  }
}

/** `invalid JSON at line L column C: reason` (1-based), for a text JSON.parse rejected. */
export function describeJsonSyntaxError(text: string): string {
  const error = findJsonSyntaxError(text) ?? { offset: text.length, reason: 'not accepted by JSON.parse' };
  const { line, column } = lineAndColumn(text, error.offset);
  return `invalid JSON at line ${line} column ${column}: ${error.reason}`;
}

/** 1-based line and column of a UTF-16 offset; lines end at LF. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let nl = text.indexOf('\n'); nl !== -1 && nl < offset; nl = text.indexOf('\n', nl + 1)) {
    line++;
    lineStart = nl + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

function scanJson(text: string): void {
  const end = text.length;
  const containers: number[] = [];
  let i = skipWhitespace(text, 0);
  for (;;) {
    // Here a value must start at i.
    i = scanValueStart(text, i, containers);
    // Here a value has just ended (or a container has just opened and wants its first member).
    for (;;) {
      i = skipWhitespace(text, i);
      const top = containers[containers.length - 1];
      if (top === undefined) {
        if (i < end) throw new ScanFault(i, `${describeChar(text, i)} after the JSON value`);
        return;
      }
      if (i >= end) throw new ScanFault(i, 'unexpected end of input');
      const c = text.charCodeAt(i);
      if (c === 0x2c /* , */) {
        i = skipWhitespace(text, i + 1);
        if (top === OBJECT) i = scanMemberName(text, i);
        break;
      }
      if ((top === OBJECT && c === 0x7d) /* } */ || (top === ARRAY && c === 0x5d) /* ] */) {
        containers.pop();
        i++;
        continue;
      }
      throw new ScanFault(i, `${describeChar(text, i)}, expected ',' or '${top === OBJECT ? '}' : ']'}'`);
    }
  }
}

/**
 * Scans one value starting at i. Scalars are consumed whole; `{` and `[` are pushed and, when not
 * empty, leave i at the start of their first value. Returns the offset after what was consumed.
 */
function scanValueStart(text: string, start: number, containers: number[]): number {
  let i = start;
  for (;;) {
    if (i >= text.length) throw new ScanFault(i, 'unexpected end of input');
    const c = text.charCodeAt(i);
    if (c === 0x7b /* { */) {
      i = skipWhitespace(text, i + 1);
      if (text.charCodeAt(i) === 0x7d) return i + 1;
      containers.push(OBJECT);
      i = scanMemberName(text, i);
      continue;
    }
    if (c === 0x5b /* [ */) {
      i = skipWhitespace(text, i + 1);
      if (text.charCodeAt(i) === 0x5d) return i + 1;
      containers.push(ARRAY);
      continue;
    }
    if (c === 0x22 /* " */) return scanString(text, i);
    if (c === 0x2d /* - */ || (c >= 0x30 && c <= 0x39)) return scanNumber(text, i);
    for (const literal of ['true', 'false', 'null']) {
      if (c === literal.charCodeAt(0)) return scanLiteral(text, i, literal);
    }
    throw new ScanFault(i, describeChar(text, i));
  }
}

/** `"name"` then `:` then whitespace; returns the offset where the member's value starts. */
function scanMemberName(text: string, start: number): number {
  if (start >= text.length) throw new ScanFault(start, 'unexpected end of input');
  if (text.charCodeAt(start) !== 0x22) throw new ScanFault(start, `${describeChar(text, start)}, expected a property name`);
  const i = skipWhitespace(text, scanString(text, start));
  if (i >= text.length) throw new ScanFault(i, 'unexpected end of input');
  if (text.charCodeAt(i) !== 0x3a /* : */) throw new ScanFault(i, `${describeChar(text, i)}, expected ':'`);
  return skipWhitespace(text, i + 1);
}

function scanString(text: string, start: number): number {
  let i = start + 1;
  for (;;) {
    if (i >= text.length) throw new ScanFault(i, 'unexpected end of input inside a string');
    const c = text.charCodeAt(i);
    if (c === 0x22) return i + 1;
    if (c < 0x20) throw new ScanFault(i, `control character ${charLabel(text, i)} inside a string`);
    if (c !== 0x5c /* \ */) {
      i++;
      continue;
    }
    const escape = text[i + 1];
    if (escape === undefined) throw new ScanFault(i + 1, 'unexpected end of input inside a string');
    if (escape === 'u') {
      for (let k = i + 2; k < i + 6; k++) {
        if (!isHexDigit(text.charCodeAt(k))) throw new ScanFault(k, 'bad \\u escape');
      }
      i += 6;
    } else if ('"\\/bfnrt'.includes(escape)) {
      i += 2;
    } else {
      throw new ScanFault(i + 1, `bad escape \\${escape}`);
    }
  }
}

function isHexDigit(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
}

function scanNumber(text: string, start: number): number {
  let i = start;
  if (text.charCodeAt(i) === 0x2d) i++;
  if (text.charCodeAt(i) === 0x30) i++;
  else i = scanDigits(text, i);
  if (text.charCodeAt(i) === 0x2e /* . */) i = scanDigits(text, i + 1);
  const e = text.charCodeAt(i);
  if (e === 0x65 || e === 0x45) {
    i++;
    const sign = text.charCodeAt(i);
    if (sign === 0x2b || sign === 0x2d) i++;
    i = scanDigits(text, i);
  }
  return i;
}

/** One or more digits. */
function scanDigits(text: string, start: number): number {
  let i = start;
  while (i < text.length && text.charCodeAt(i) >= 0x30 && text.charCodeAt(i) <= 0x39) i++;
  if (i === start) throw new ScanFault(i, i >= text.length ? 'unexpected end of input' : `${describeChar(text, i)} in a number`);
  return i;
}

function scanLiteral(text: string, start: number, literal: string): number {
  for (let k = 0; k < literal.length; k++) {
    if (start + k >= text.length) throw new ScanFault(start + k, 'unexpected end of input');
    if (text.charCodeAt(start + k) !== literal.charCodeAt(k)) throw new ScanFault(start + k, describeChar(text, start + k));
  }
  return start + literal.length;
}

function skipWhitespace(text: string, start: number): number {
  let i = start;
  for (;;) {
    const c = text.charCodeAt(i);
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return i;
    i++;
  }
}

/** `unexpected character 'x'`, or `unexpected character U+0000` when not printable ASCII. */
function describeChar(text: string, offset: number): string {
  return `unexpected character ${charLabel(text, offset)}`;
}

function charLabel(text: string, offset: number): string {
  const c = text.charCodeAt(offset);
  if (c > 0x20 && c < 0x7f) return `'${text[offset]}'`;
  return `U+${c.toString(16).toUpperCase().padStart(4, '0')}`;
}
